#include "cli/commands.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>
#include <cstdlib>
#include <iostream>

#include "cli/limits.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/interrupt.h"
#include "io/atomic_output.h"
#include "io/durable_file.h"
#include "io/output_readers.h"
#include "experiments/analyze.h"
#include "experiments/calibrate.h"
#include "experiments/memory.h"
#include "experiments/output.h"
#include "experiments/replications.h"
#include "experiments/run.h"
#include "experiments/size_cohorts.h"
#include "experiments/sweep_checkpoint.h"
#include "experiments/tables.h"
#include "experiments/uncertainty.h"
#include "scenario/document.h"
#include "scenario/input_files.h"
#include "scenario/load.h"

namespace careabm::cli {

namespace fs = std::filesystem;

namespace {

std::vector<int> year_list(const Params& p) {
  std::vector<int> years;
  for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(y);
  return years;
}

// The analysis package: beside an installed program (cmake --install), else the source tree's.
std::string default_analysis_dir() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = program.parent_path() / CAREABM_INSTALLED_ANALYSIS_DIR;
    if (fs::exists(installed / "careabm_analysis", error)) return installed.lexically_normal().string();
  }
  return CAREABM_ANALYSIS_DIR;
}

}  // namespace

int command_run(int argc, char** argv) {
  install_interrupt_handlers();
  const Options o = parse_command(argc, argv, "run");
  experiments::RunRequest request;
  request.scenario = one_positional(o, "scenario file");
  request.overrides = o.sets;
  for (const char* name : {"-r", "--replications"}) {
    if (o.value(name)) request.replications = o.integer(name, 0, 1, 1000000);
  }
  if (o.value("--seed")) request.seed = o.integer("--seed", 0, 0, INT64_MAX);
  request.agents_out = o.value("--agents-out");
  request.uncertainty = o.flag("--uncertainty");
  const auto run = experiments::prepare_run(request);
  const Params& p = run.p;
  const bool uncertainty = run.uncertainty;
  const int threads = threads_option(o);
  const int total = run.runs();
  require_memory(experiments::estimate_run(run.doc, p, {total, threads, true}), o);

  fs::path out_path = o.value("-o").value_or(o.value("--output").value_or(""));
  if (out_path.empty()) out_path = request.scenario.stem().string() + ".h5";
  io::AtomicOutput output(out_path, o.flag("--force"), scenario::input_files(run.doc),
                          output_key(o, "SCENARIO.h5"));

  Progress progress("running " + std::to_string(total) + " replications of " + std::to_string(p.years()) +
                        " years on " + std::to_string(threads) + (threads == 1 ? " thread" : " threads"),
                    o);
  // With --agents-out the file is streamed to disk as the replications finish (its
  // microdata need not fit in memory); otherwise it is built in memory and written at close.
  io::H5Writer file = p.agents_out.empty() ? io::H5Writer(output.temp_path())
                                           : io::H5Writer::streamed(output.temp_path());
  const auto outcome =
      experiments::simulate_run(run, threads, file, [&](int done, int all) { progress.update(done, all); });
  progress.finish();
  experiments::write_run_outcome(file, run, outcome, command_line(argc, argv));
  file.close();
  output.commit();

  const auto& results = outcome.results;
  const auto& drawn = outcome.drawn;
  auto persons_of = [](const std::vector<RunResult>& runs) {
    std::vector<double> persons;
    for (const auto& r : runs) persons.insert(persons.end(), r.shortage_persons.begin(), r.shortage_persons.end());
    return persons;
  };
  const auto persons = persons_of(results);
  const auto persons_drawn = persons_of(drawn.results);
  std::cout << "scenario " << p.name << ": " << p.start_year << "-" << p.end_year << ", seed " << p.seed;
  if (uncertainty) std::cout << ", " << p.uncertainty.size() << " uncertain parameters drawn per replication";
  std::cout << "\n";
  for (const auto columns : {experiments::ShortageColumns::occupation, experiments::ShortageColumns::branch}) {
    experiments::print_shortage_table(std::cout, year_list(p), p.cat.branches, p.cat.occupations, p.cat.S(),
                                      p.replications, persons, columns, uncertainty ? &persons_drawn : nullptr);
    std::cout << "\n";
  }
  std::cout << "wrote " << out_path.string() << "\n";
  return 0;
}

int command_check(int argc, char** argv) {
  const Options o = parse_command(argc, argv, "check");
  const auto doc = scenario::Document::load(one_positional(o, "scenario file"), o.sets);
  const Params p = scenario::load_params(doc);
  // What `run` would need with the scenario's replications on this machine's cores.
  const int threads = threads_option(o);
  const auto memory = experiments::estimate_run(doc, p, {p.replications, threads, true});
  require_memory(memory, o);
  std::size_t workers = 0;
  for (const auto& g : p.initial) workers += g.count;
  std::cout << doc.resolved_text();
  std::cerr << "scenario '" << p.name << "' is valid: " << p.cat.S() << " subregions, " << p.cat.B()
            << " branches, " << p.cat.O() << " occupations, " << workers << " initial workers, years "
            << p.start_year << "-" << p.end_year << "; `run` needs about " << experiments::format_bytes(memory.peak())
            << " of memory with " << threads << (threads == 1 ? " thread" : " threads") << "\n";
  return 0;
}

int command_summary(int argc, char** argv) {
  const Options o = parse_command(argc, argv, "summary");
  const fs::path path = one_positional(o, "output file");
  // A sweep's checkpoint (OUT.h5.partial/, a directory) says how far the sweep got.
  if (fs::is_directory(path)) {
    const auto status = sweep::inspect_checkpoint(path);
    if (!status) throw InputError(path.string(), 0, "", "is a directory, not a careabm output file");
    std::cout << path.string() << ": the checkpoint of an unfinished sweep: " << status->completed << " of "
              << status->points << " points complete (finish it with careabm sweep --resume)\n";
    return 0;
  }
  // Every kind of output has a summary; the readers (io/output_readers.h) check the
  // file before anything is computed from it.
  const io::OutputFile file(path);
  switch (file.kind()) {
    case io::OutputKind::run:
    case io::OutputKind::compare:
      experiments::print_shortage_summary(std::cout, io::read_shortage_tables(file), path.string());
      break;
    case io::OutputKind::size_cohorts:
      experiments::print_cohorts_summary(std::cout, io::read_cohorts(file), path.string());
      break;
    case io::OutputKind::sweep: {
      io::SweepParts parts;
      parts.sensitivity = true;
      sweep::print_sweep_summary(std::cout, io::read_sweep(file, parts), path.string());
      break;
    }
  }
  return 0;
}

int command_calibrate(int argc, char** argv) {
  install_interrupt_handlers();
  const Options o = parse_command(argc, argv, "calibrate");
  experiments::CalibrationSettings settings;
  settings.scenario = one_positional(o, "scenario file");
  const auto targets_path = o.value("--targets");
  if (!targets_path) throw InputError("", 0, "--targets", "a targets file is required");
  const auto original_doc = scenario::Document::load(settings.scenario);
  const Params original = scenario::load_params(original_doc);
  const auto targets = experiments::load_targets(*targets_path, original);
  settings.replications = static_cast<int>(
      o.integer("-r", o.integer("--replications", original.replications, 1, 100000), 1, 100000));
  settings.threads = threads_option(o);
  settings.max_evaluations = static_cast<int>(o.integer("--max-evaluations", 120, 1, 100000));
  if (const auto keys = o.value("--parameters")) {
    std::stringstream list(*keys);
    for (std::string key; std::getline(list, key, ',');) settings.only.push_back(key);
  }
  const auto fitted_free = experiments::selected_free(settings, original);

  fs::path out_path = o.value("-o").value_or(o.value("--output").value_or(""));
  if (out_path.empty()) {
    out_path = settings.scenario.parent_path() / (settings.scenario.stem().string() + "-fitted.toml");
  }
  // Each evaluation holds its replications' results; nothing large is written.
  auto memory = experiments::estimate_run(original_doc, original, {settings.replications, settings.threads, false});
  if (memory.key == "run.replications" && settings.replications != original.replications) {
    memory.key = o.value("-r") ? "-r" : "--replications", memory.file.clear(), memory.line = 0;
  }
  require_memory(memory, o);
  auto inputs = scenario::input_files(original_doc);
  inputs.emplace_back(*targets_path);
  io::AtomicOutput output(out_path, o.flag("--force"), inputs,
                          output_key(o, "SCENARIO-fitted.toml"));

  Progress progress("calibrating", o);
  const auto result = experiments::calibrate(settings, targets, [&](int evals, int max, double best) {
    progress.update(std::min(evals, max), max);
    (void)best;
  });
  progress.finish();
  const std::string fitted =
      experiments::fitted_scenario_text(settings, original, targets, *targets_path, result, out_path);
  io::write_whole_file(output.temp_path(),
                       std::span(reinterpret_cast<const unsigned char*>(fitted.data()), fitted.size()));
  output.commit();

  std::printf("calibrated %s: %d evaluations (%s), objective %.4g\n", original.name.c_str(), result.evaluations,
              result.converged ? "converged" : "evaluation limit reached", result.objective);
  std::printf("%-40s %12s %12s %25s %8s\n", "target", "value", "achieved", "95% interval", "error");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& f = result.fits[i];
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.6g, %.6g]", f.lo95, f.hi95);
    std::printf("%-40s %12.6g %12.6g %25s %7.2f%%\n", targets[i].name.c_str(), targets[i].value, f.achieved_mean,
                interval, targets[i].value != 0 ? 100 * (f.achieved_mean - targets[i].value) / targets[i].value : 0.0);
  }
  std::printf("%-40s %12s %12s %25s\n", "parameter", "start", "fitted", "bounds");
  for (std::size_t i = 0; i < fitted_free.size(); ++i) {
    const auto& fp = fitted_free[i];
    char bounds[64];
    std::snprintf(bounds, sizeof bounds, "[%.6g, %.6g]", fp.lower, fp.upper);
    std::printf("%-40s %12.6g %12.6g %25s\n", fp.key.c_str(), result.start[i], result.fitted[i], bounds);
  }
  std::printf("wrote %s\n", out_path.string().c_str());
  return 0;
}

int command_report(int argc, char** argv) {
  // The report is drawn by the Python analysis package (analysis/careabm_analysis);
  // this forwards the arguments and returns its exit status (2 for bad input).
  const Options o = parse_command(argc, argv, "report");
  const std::string input = one_positional(o, "output file");
  // The file is checked here first, so a damaged one is refused with the same
  // message as `summary` gives, before the analysis package loads all of it.
  io::check_report_inputs(io::OutputFile(input));
  const char* env_dir = std::getenv("CAREABM_ANALYSIS_DIR");
  const char* env_python = std::getenv("CAREABM_PYTHON");
  const std::string analysis_dir = env_dir ? env_dir : default_analysis_dir();
  const std::string python = env_python ? env_python : "/usr/bin/python3";
  if (!fs::exists(fs::path(analysis_dir) / "careabm_analysis")) {
    throw std::runtime_error("analysis package not found in " + analysis_dir + " (set CAREABM_ANALYSIS_DIR)");
  }
  std::vector<std::string> args = {python, "-m", "careabm_analysis", "report", input};
  if (const auto out = o.value("-o").value_or(o.value("--output").value_or("")); !out.empty()) {
    args.push_back("-o");
    args.push_back(out);
  }
  if (o.flag("--svg")) args.push_back("--svg");

  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("cannot start the report process");
  if (child == 0) {
    const std::string pythonpath = analysis_dir + (std::getenv("PYTHONPATH") ? std::string(":") + std::getenv("PYTHONPATH") : "");
    setenv("PYTHONPATH", pythonpath.c_str(), 1);
    std::vector<char*> argv_child;
    for (auto& a : args) argv_child.push_back(a.data());
    argv_child.push_back(nullptr);
    execv(python.c_str(), argv_child.data());
    std::perror(("careabm: cannot run " + python).c_str());
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace careabm::cli
