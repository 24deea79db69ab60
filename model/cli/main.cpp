// careabm: the command-line program. Exit status: 0 success, 2 bad input
// (the message names file, line and key), 1 an output that could not be written
// or an internal error, 130 interrupted (SIGINT or SIGTERM).
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "core/errors.h"
#include "core/interrupt.h"
#include "io/h5_writer.h"

namespace {

constexpr const char* kUsage = R"(careabm — an agent-based model of care workforce supply and demand

usage:
  careabm run SCENARIO.toml [-o OUT.h5] [-r REPS] [--seed S] [--threads T]
              [--set key.path=value ...] [--agents-out YEAR,...] [--uncertainty] [--max-memory SIZE]
              [--force] [--quiet]
  careabm check SCENARIO.toml [--set key.path=value ...] [--threads T] [--max-memory SIZE]
                                   validate; print the resolved scenario
  careabm compare BASE.toml ALT.toml [ALT2.toml ...] [-o OUT.h5] [-r REPS] [--threads T] [--uncertainty]
              [--max-memory SIZE] [--force] [--quiet]
                                   paired replications (common random numbers): alternative - base
  careabm size-cohorts SCENARIO.toml --programme P --occupation O --by YEAR [--goal G] [-r REPS]
              [--from YEAR] [--max-extra N] [--set key.path=value ...] [--threads T] [-o OUT.h5]
              [--max-memory SIZE] [--force] [--quiet]
                                   the smallest extra yearly enrolment that brings the shortage to the goal
  careabm calibrate SCENARIO.toml --targets TARGETS.toml [-o FITTED.toml] [-r REPS]
              [--threads T] [--max-evaluations N] [--parameters KEY,...] [--max-memory SIZE]
              [--force] [--quiet]
                                   fit the scenario's free parameters to targets
  careabm sweep SWEEP.toml [-o OUT.h5] [--threads T] [--resume] [--max-memory SIZE] [--force] [--quiet]
                                   run a parameter sweep (distributed: mpirun -n N careabm sweep ...)
  careabm analyze SWEEP.h5 [--bootstrap B] [--force]
                                   Sobol' or Morris sensitivity indices of a finished sweep
  careabm summary OUT.h5           key results of an output file as a table
  careabm report OUT.h5 [-o DIR] [--svg]
                                   figures and an HTML page (DIR/index.html)
  careabm --help | --version

Exit status: 0 success, 2 bad input (file, line and key named; also a scenario
larger than --max-memory allows, default the machine's memory, e.g. --max-memory 8G),
1 an output that could not be written (e.g. a full disk) or an internal error,
130 interrupted (SIGINT or SIGTERM; the temporary output is removed).
Outputs are never overwritten without --force, nor written over an input; they are
written to a temporary file and renamed when complete.
)";

// The usage lines of one command (from kUsage), or "" for an unknown command.
std::string usage_of(const std::string& command) {
  const std::string usage = kUsage, start = "  careabm " + command + " ";
  const auto at = usage.find(start);
  if (at == std::string::npos) return "";
  const auto end = usage.find("\n  careabm ", at + 1);
  return "usage:\n" + usage.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
}

int dispatch(int argc, char** argv);

}  // namespace

int main(int argc, char** argv) {
  careabm::io::begin_hdf5();
  // A file-size limit (ulimit -f) makes writes fail with EFBIG, reported like a full
  // disk, instead of killing the process with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  const int status = dispatch(argc, argv);
  careabm::io::end_hdf5();
  return status;
}

namespace {

int dispatch(int argc, char** argv) {
  using namespace careabm;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "careabm " << CAREABM_VERSION << "\n";
    return 0;
  }
  const std::string command = argv[1];
  for (int i = 2; i < argc; ++i) {  // careabm COMMAND --help: that command's usage
    if ((!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) && !usage_of(command).empty()) {
      std::cout << usage_of(command);
      return 0;
    }
  }
  try {
    if (command == "run") return cli::command_run(argc, argv);
    if (command == "check") return cli::command_check(argc, argv);
    if (command == "summary") return cli::command_summary(argc, argv);
    if (command == "report") return cli::command_report(argc, argv);
    if (command == "calibrate") return cli::command_calibrate(argc, argv);
    if (command == "sweep") return cli::command_sweep(argc, argv);
    if (command == "analyze") return cli::command_analyze(argc, argv);
    if (command == "compare") return cli::command_compare(argc, argv);
    if (command == "size-cohorts") return cli::command_size_cohorts(argc, argv);
    std::cerr << "careabm: error: unknown command '" << command << "' (see careabm --help)\n";
    return 2;
  } catch (const InputError& e) {
    std::cerr << "careabm: error: " << e.what() << "\n";
    return 2;
  } catch (const Interrupted& e) {
    std::cerr << "\ncareabm: " << e.what() << ": stopped; no output written\n";
    return kInterruptedExitStatus;
  } catch (const OutputError& e) {
    std::cerr << "careabm: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "careabm: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace
