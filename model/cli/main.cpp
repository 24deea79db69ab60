// careabm: the command-line program. Exit status: 0 success, 2 bad input
// (the message names file, line and key), 1 an output that could not be written
// or an internal error, 130 interrupted (SIGINT or SIGTERM).
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/help.h"
#include "core/errors.h"
#include "core/version.h"
#include "core/interrupt.h"
#include "io/h5_writer.h"

namespace {

// `careabm --help`: every command's usage and what it does; `careabm COMMAND --help`
// adds its options (cli/help.h).
std::string overview() {
  std::string text = "careabm — an agent-based model of care workforce supply and demand\n\nusage:\n";
  for (const auto& command : careabm::cli::commands()) {
    text += "  " + command.synopsis + "\n" + std::string(35, ' ') + command.summary + "\n";
  }
  text += R"(  careabm --help | --version
  careabm COMMAND --help           the command's options, each with its default

Exit status: 0 success, 2 bad input (file, line and key named; also a scenario
larger than --max-memory allows, default the machine's memory, e.g. --max-memory 8G),
1 an output that could not be written (e.g. a full disk) or an internal error,
130 interrupted (SIGINT or SIGTERM; the temporary output is removed).
Outputs are never overwritten without --force, nor written over an input; they are
written to a temporary file and renamed when complete.
Environment: SLURM_CPUS_PER_TASK, then OMP_NUM_THREADS set the default --threads
(else the CPUs this process may run on); CAREABM_PROGRESS=bar|lines|none the
default --progress.
)";
  return text;
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
    std::cout << overview();
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "careabm " << careabm::version() << "\n";
    return 0;
  }
  const std::string command = argv[1];
  for (int i = 2; i < argc; ++i) {  // careabm COMMAND --help: that command's usage and options
    const auto* help = cli::find_command(command);
    if ((!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) && help) {
      std::cout << cli::help_text(*help);
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
