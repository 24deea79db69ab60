// careabm: the command-line program. Exit status: 0 success, 2 bad input
// (the message names file, line and key), 1 a failed write (a full disk; the
// message names the file) or an internal error.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "core/errors.h"

namespace {

constexpr const char* kUsage = R"(careabm — an agent-based model of care workforce supply and demand

usage:
  careabm run SCENARIO.toml [-o OUT.h5] [-r REPS] [--seed S] [--threads T]
              [--set key.path=value ...] [--agents-out YEAR,...] [--uncertainty] [--force] [--quiet]
  careabm check SCENARIO.toml [--set key.path=value ...]
                                   validate; print the resolved scenario
  careabm compare BASE.toml ALT.toml [ALT2.toml ...] [-o OUT.h5] [-r REPS] [--threads T] [--uncertainty]
              [--force] [--quiet]
                                   paired replications (common random numbers): alternative - base
  careabm size-cohorts SCENARIO.toml --programme P --occupation O --by YEAR [--goal G] [-r REPS]
              [--from YEAR] [--max-extra N] [--set key.path=value ...] [--threads T] [-o OUT.h5] [--force] [--quiet]
                                   the smallest extra yearly enrolment that brings the shortage to the goal
  careabm calibrate SCENARIO.toml --targets TARGETS.toml [-o FITTED.toml] [-r REPS]
              [--threads T] [--max-evaluations N] [--parameters KEY,...] [--force] [--quiet]
                                   fit the scenario's free parameters to targets
  careabm sweep SWEEP.toml [-o OUT.h5] [--threads T] [--resume] [--force] [--quiet]
                                   run a parameter sweep (distributed: mpirun -n N careabm sweep ...)
  careabm analyze SWEEP.h5 [--bootstrap B] [--force]
                                   Sobol' or Morris sensitivity indices of a finished sweep
  careabm summary OUT.h5           key results of an output file as a table
  careabm report OUT.h5 [-o DIR] [--svg]
                                   figures and an HTML page (DIR/index.html)
  careabm --help | --version

Exit status: 0 success, 2 bad input (file, line and key named), 1 a failed write
(e.g. a full disk; the file is named) or an internal error.
Outputs are never overwritten without --force; they are written to a temporary
file and renamed when complete.
)";

// The usage lines of one command (from kUsage), or "" for an unknown command.
std::string usage_of(const std::string& command) {
  const std::string usage = kUsage, start = "  careabm " + command + " ";
  const auto at = usage.find(start);
  if (at == std::string::npos) return "";
  const auto end = usage.find("\n  careabm ", at + 1);
  return "usage:\n" + usage.substr(at, end == std::string::npos ? std::string::npos : end + 1 - at);
}

}  // namespace

int main(int argc, char** argv) {
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
  } catch (const SystemError& e) {
    std::cerr << "careabm: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "careabm: internal error: " << e.what() << "\n";
    return 1;
  }
}
