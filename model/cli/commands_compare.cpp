// `careabm compare` and `careabm size-cohorts`: the commands that run a
// scenario several times on common random numbers (experiments/compare.h,
// experiments/size_cohorts.h).
#include <charconv>
#include <cmath>
#include <iostream>

#include "cli/commands.h"
#include "cli/limits.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/interrupt.h"
#include "io/atomic_output.h"
#include "experiments/compare.h"
#include "experiments/memory.h"
#include "experiments/replications.h"
#include "experiments/size_cohorts.h"
#include "scenario/document.h"
#include "scenario/input_files.h"
#include "scenario/load.h"

namespace careabm::cli {

namespace fs = std::filesystem;

namespace {

fs::path output_path(const Options& o, const fs::path& scenario, const std::string& suffix) {
  fs::path out = o.value("-o").value_or(o.value("--output").value_or(""));
  return out.empty() ? fs::path(scenario.stem().string() + suffix) : out;
}

int replications_option(const Options& o) {
  return static_cast<int>(o.integer("-r", o.integer("--replications", 0, 1, 1000000), 1, 1000000));
}

double number_option(const Options& o, const std::string& name, double fallback) {
  const auto text = o.value(name);
  if (!text) return fallback;
  double v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(v)) {
    throw InputError("", 0, name, "expected a number, got '" + *text + "'");
  }
  return v;
}

}  // namespace

int command_compare(int argc, char** argv) {
  install_interrupt_handlers();
  const Options o = parse_command(argc, argv, "compare");
  if (o.positional.size() < 2) {
    throw InputError("", 0, "", "expected a base scenario and at least one alternative (see careabm --help)");
  }
  const fs::path base = o.positional.front();
  const std::vector<fs::path> alternatives(o.positional.begin() + 1, o.positional.end());
  auto scenarios = experiments::load_compare(base, alternatives, replications_option(o));
  const int threads = threads_option(o);
  std::vector<fs::path> inputs;
  require_memory(experiments::estimate_compare(scenarios, threads, inputs), o);
  const fs::path out_path = output_path(o, base, "-compare.h5");
  io::AtomicOutput output(out_path, o.flag("--force"), inputs,
                          output_key(o, "BASE-compare.h5"));

  Progress progress("comparing " + std::to_string(scenarios.size()) + " scenarios x " +
                        std::to_string(scenarios.front().p.replications) + " replications",
                    o);
  experiments::run_compare(scenarios, threads, [&](int done, int total) { progress.update(done, total); },
                           o.flag("--uncertainty"));
  progress.finish();
  experiments::write_compare_file(output.temp_path(), scenarios, command_line(argc, argv));
  output.commit();
  experiments::print_compare_table(std::cout, scenarios);
  std::cout << "wrote " << out_path.string() << "\n";
  return 0;
}

int command_size_cohorts(int argc, char** argv) {
  install_interrupt_handlers();
  const Options o = parse_command(argc, argv, "size-cohorts");
  if (o.positional.size() != 1) throw InputError("", 0, "", "expected exactly one scenario file (see careabm --help)");
  experiments::CohortSettings s;
  s.scenario = o.positional.front();
  s.overrides = o.sets;
  if (const int reps = replications_option(o); reps > 0) s.overrides.push_back("run.replications=" + std::to_string(reps));
  for (const char* required : {"--programme", "--occupation", "--by"}) {
    if (!o.value(required)) throw InputError("", 0, required, "is required");
  }
  s.programme = *o.value("--programme");
  s.occupation = *o.value("--occupation");
  s.by_year = static_cast<int>(o.integer("--by", 0, 1900, 2300));
  s.from_year = static_cast<int>(o.integer("--from", 0, 1900, 2300));
  s.goal = number_option(o, "--goal", 0.0);
  s.max_extra = static_cast<long>(o.integer("--max-extra", 0, 1, 65535));
  s.threads = threads_option(o);
  // Each candidate holds its replications' results; the file keeps only summaries.
  const auto doc = scenario::Document::load(s.scenario, s.overrides);
  const Params p = scenario::load_params(doc);
  require_memory(experiments::estimate_run(doc, p, {p.replications, s.threads, false}), o);
  const fs::path out_path = output_path(o, s.scenario, "-cohorts.h5");
  io::AtomicOutput output(out_path, o.flag("--force"), scenario::input_files(doc),
                          output_key(o, "SCENARIO-cohorts.h5"));

  // The number of candidates is not known in advance: one bar per candidate (its
  // replications), labelled "stage/stages stage, #candidate: +extra a year".
  Progress progress("sizing cohorts", o);
  int shown = 0;
  const auto result = experiments::size_cohorts(s, [&](const experiments::CohortStep& step) {
    if (step.evaluation != shown) {
      shown = step.evaluation;
      progress.stage(std::to_string(step.stage) + "/" + std::to_string(experiments::kCohortStages) + " " +
                     step.stage_name + ", #" + std::to_string(step.evaluation) + ": +" + std::to_string(step.extra) +
                     " a year");
    }
    progress.update(step.done, step.total);
  });
  progress.finish();
  experiments::write_cohorts_file(output.temp_path(), result, s, command_line(argc, argv));
  output.commit();
  experiments::print_cohorts(std::cout, result, s);
  std::cout << "wrote " << out_path.string() << "\n";
  return 0;
}

}  // namespace careabm::cli
