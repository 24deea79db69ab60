#include "experiments/run.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <sstream>
#include <utility>

#include "core/errors.h"
#include "experiments/agents_out.h"
#include "experiments/uncertainty.h"
#include "scenario/load.h"

namespace careabm::experiments {

namespace {

// "2025,2031" -> {2025, 2031}: simulated years whose agents `run` writes out.
std::vector<int> agent_years(const std::string& text, const Params& p) {
  std::vector<int> years;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    int year = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), year);
    if (ec != std::errc() || end != item.data() + item.size() || year < p.start_year || year > p.end_year) {
      throw InputError("", 0, "--agents-out",
                       "'" + item + "' is not a simulated year (" + std::to_string(p.start_year) + "-" +
                           std::to_string(p.end_year) + ")");
    }
    if (std::find(years.begin(), years.end(), year) == years.end()) years.push_back(year);
  }
  if (years.empty()) throw InputError("", 0, "--agents-out", "expected YEAR[,YEAR...]");
  return years;
}

}  // namespace

PreparedRun prepare_run(const RunRequest& request) {
  std::vector<std::string> overrides = request.overrides;
  if (request.replications) overrides.push_back("run.replications=" + std::to_string(*request.replications));
  if (request.seed) overrides.push_back("run.seed=" + std::to_string(*request.seed));
  auto doc = scenario::Document::load(request.scenario, overrides);
  Params p = scenario::load_params(doc);
  if (request.agents_out) p.agents_out = agent_years(*request.agents_out, p);
  if (request.uncertainty && p.uncertainty.empty()) {
    throw InputError(request.scenario.string(), 0, "uncertainty",
                     "--uncertainty needs an [uncertainty] section with parameters");
  }
  return PreparedRun{std::move(doc), std::move(p), std::move(overrides), request.uncertainty};
}

RunOutcome simulate_run(const PreparedRun& run, int threads, io::H5Writer& out, const ProgressFn& progress) {
  const Params& p = run.p;
  const int total = run.runs();
  RunOutcome outcome;
  std::optional<AgentsOut> agents;
  if (!p.agents_out.empty()) agents.emplace(out, p, threads);
  // Progress in replication-years, so that it advances within a long replication.
  const int years = p.years();
  std::mutex mutex;
  int years_done = 0;
  outcome.results = run_replications(
      p, threads, {},
      [&](int rep, RunResult* r) {
        if (!agents) return;
        if (r) agents->add(rep, std::exchange(r->agents, {}));
        else agents->abandon();  // replication rep will never come: no thread may wait for it
      },
      [&] {
        if (!progress) return;
        const std::lock_guard lock(mutex);
        progress(++years_done, total * years);
      });
  if (agents) agents->finish(p.replications);
  if (run.uncertainty) {
    outcome.drawn.draws = draw_parameters(p, p.replications);
    outcome.drawn.results = run_with_uncertainty(run.doc.path(), run.overrides, p, outcome.drawn.draws, threads,
                                                 [&](int done, int) {
                                                   if (progress) progress((p.replications + done) * years, total * years);
                                                 });
  }
  return outcome;
}

void write_run_outcome(io::H5Writer& out, const PreparedRun& run, const RunOutcome& outcome,
                       const std::string& command_line) {
  write_run(out, run.p, outcome.results, {command_line, run.doc.resolved_text()},
            run.uncertainty ? &outcome.drawn : nullptr);
}

}  // namespace careabm::experiments
