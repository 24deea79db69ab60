// The careabm commands; each returns the exit status.
#pragma once

namespace careabm::cli {

int command_run(int argc, char** argv);
int command_check(int argc, char** argv);
int command_summary(int argc, char** argv);
int command_report(int argc, char** argv);
int command_calibrate(int argc, char** argv);
int command_sweep(int argc, char** argv);
int command_analyze(int argc, char** argv);
int command_compare(int argc, char** argv);
int command_size_cohorts(int argc, char** argv);

}  // namespace careabm::cli
