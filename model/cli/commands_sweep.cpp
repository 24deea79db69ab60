// careabm sweep and careabm analyze.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/limits.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/interrupt.h"
#include "io/atomic_output.h"
#include "io/h5_reader.h"
#include "io/output_readers.h"
#include "experiments/analyze.h"
#include "experiments/memory.h"
#include "experiments/replications.h"
#include "experiments/sweep.h"
#include "scenario/document.h"
#include "scenario/input_files.h"
#include "scenario/load.h"

namespace careabm::cli {

namespace fs = std::filesystem;

namespace {

// `--stop-after N` hands out N points, then stops as an interruption does, so that
// --resume can be tested deterministically.
Options sweep_options(int argc, char** argv) { return parse_command(argc, argv, "sweep"); }

int threads_for(const Options& o, const sweep::SweepSpec& spec, bool distributed) {
  // Under MPI a rank is usually one core: one point at a time unless told otherwise,
  // by the sweep file or by the batch system's variables (a rank per node or socket
  // with SLURM_CPUS_PER_TASK cores); the CPU affinity is the whole node's for every rank.
  if (o.value("--threads") || spec.threads > 0 || !distributed) return threads_option(o, spec.threads);
  return threads_option(o, std::max(1, experiments::environment_threads()));
}

// Per output: the mean, lowest and highest point mean over the sweep's points.
void print_outputs(std::ostream& out, const fs::path& file) {
  sweep::print_sweep_outputs(out, io::read_sweep(io::OutputFile(file)));
}

// Worker ranks: load the sweep, then run what rank 0 sends. Bad input is reported
// by rank 0, which reads the same file; a worker that alone cannot read it tells
// rank 0, which stops the sweep.
int serve(int argc, char** argv, const sweep::mpi::Session& session) {
  sweep::SweepSpec spec;
  int threads = 1;
  try {
    const Options o = sweep_options(argc, argv);
    spec = sweep::load_sweep(one_positional(o, "sweep file"));
    threads = threads_for(o, spec, session.distributed());
  } catch (const std::exception& e) {
    sweep::mpi::send_ready(0);
    sweep::mpi::send_failure(-1, dynamic_cast<const InputError*>(&e) != nullptr,
                             "rank " + std::to_string(session.rank()) + ": " + e.what());
    sweep::mpi::FromCoordinator order;
    while (!sweep::mpi::poll_coordinator(order) || order.kind != sweep::mpi::FromCoordinator::stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return 2;
  }
  sweep::serve_points(spec, threads);
  return 0;
}

}  // namespace

int command_sweep(int argc, char** argv) {
  const sweep::mpi::Session session(&argc, &argv);
  install_interrupt_handlers();
  if (session.rank() != 0) return serve(argc, argv, session);

  sweep::SweepSpec spec;
  sweep::SweepOptions options;
  Options o;
  fs::path file, out_path;
  try {
    o = sweep_options(argc, argv);
    file = one_positional(o, "sweep file");
    spec = sweep::load_sweep(file);
    options.threads = threads_for(o, spec, session.distributed());
    options.stop_after = o.integer("--stop-after", -1, 0, INT64_MAX);
    // Before any point runs: the design's outputs and the points running at once must
    // fit, and the output may not be one of the sweep's inputs.
    const auto sweep_doc = scenario::Document::load(file);
    const auto base_doc = scenario::Document::load(spec.scenario);
    const Params base = scenario::load_params(base_doc);
    require_memory(experiments::estimate_sweep(spec, sweep_doc, base_doc, base, options.threads), o);
    out_path = o.value("-o").value_or(o.value("--output").value_or(""));
    if (out_path.empty()) out_path = file.stem().string() + ".h5";
    auto inputs = scenario::input_files(base_doc);
    inputs.push_back(file);
    io::require_output_path(out_path, inputs);
  } catch (...) {
    for (int w = 1; w < session.size(); ++w) sweep::mpi::send_stop(w);
    throw;
  }
  options.output = out_path;
  options.command_line = command_line(argc, argv);
  options.resume = o.flag("--resume");
  options.force = o.flag("--force");

  const long runs = spec.points() * spec.replications;
  Progress progress("sweep: " + std::to_string(spec.points()) + " points x " + std::to_string(spec.replications) +
                        " replications",
                    o);
  options.progress = [&](long done, long total) { progress.update(done, total); };
  options.warn = [](const std::string& message) { std::cerr << "careabm: warning: " << message << "\n"; };
  const auto outcome = sweep::run_sweep(spec, options, session);
  progress.finish();

  if (outcome.already_done) {
    std::cout << out_path.string() << " is complete already: nothing to resume\n";
    return 0;
  }
  if (!outcome.complete) {
    std::cerr << "careabm: sweep interrupted: " << outcome.completed << " of " << outcome.points
              << " points complete in " << sweep::partial_path(out_path).string()
              << "; continue with: careabm sweep " << file.string() << " --resume"
              << (o.value("-o") || o.value("--output") ? " -o " + out_path.string() : "") << "\n";
    return kInterruptedExitStatus;  // after SIGINT or SIGTERM alike, as for the other commands
  }
  std::cout << "sweep of " << spec.scenario_name << ": " << sweep::design_name(spec.design) << " design, "
            << spec.k() << " parameters, " << outcome.points << " points x " << spec.replications
            << " replications = " << runs << " runs (" << outcome.run_now << " points run now, "
            << session.size() << (session.size() == 1 ? " rank" : " ranks") << ", " << options.threads
            << (options.threads == 1 ? " thread" : " threads") << " per rank)\n";
  print_outputs(std::cout, out_path);
  std::cout << "wrote " << out_path.string() << "\n";
  return 0;
}

int command_analyze(int argc, char** argv) {
  const Options o = parse_command(argc, argv, "analyze");
  const fs::path path = one_positional(o, "sweep output file");
  sweep::AnalyzeOptions options;
  options.bootstrap = static_cast<int>(o.integer("--bootstrap", 1000, 0, 1000000));
  options.force = o.flag("--force");
  const auto results = sweep::analyze_sweep(path, options);
  sweep::print_sensitivity(std::cout, results);
  for (const auto& w : results.warnings) std::cerr << "careabm: warning: " << w << "\n";
  std::cout << "wrote " << path.string() << " (/sensitivity)\n";
  return 0;
}

}  // namespace careabm::cli
