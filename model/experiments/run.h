// `careabm run` without its command line: what the program and the Python
// module (python/) both call, so a run from either gives the same file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "experiments/output.h"
#include "experiments/replications.h"
#include "scenario/document.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct RunRequest {
  std::filesystem::path scenario;
  std::vector<std::string> overrides;        // "key.path=value" (TOML value), in order
  std::optional<std::int64_t> replications;  // -r: stored as the override run.replications
  std::optional<std::int64_t> seed;          // --seed: stored as the override run.seed
  std::optional<std::string> agents_out;     // --agents-out "2025,2031"
  bool uncertainty = false;
};

// A request loaded and validated: the scenario document and its parameters.
struct PreparedRun {
  scenario::Document doc;
  Params p;
  std::vector<std::string> overrides;  // the request's, then -r and --seed as overrides
  bool uncertainty = false;
  // Simulations to run: the replications, twice with --uncertainty (the drawn runs).
  int runs() const { return p.replications * (uncertainty ? 2 : 1); }
};

// Loads the scenario with the overrides (-r and --seed become the overrides
// run.replications and run.seed, so the stored resolved scenario records them).
// Throws InputError (file, line, key) on bad input: key "--agents-out" for a year
// that is not simulated, "uncertainty" for --uncertainty without the section.
PreparedRun prepare_run(const RunRequest& request);

struct RunOutcome {
  std::vector<RunResult> results;
  UncertaintyRuns drawn;  // empty without --uncertainty
};

// Simulates the replications (and with --uncertainty the drawn runs after them);
// progress counts both in replication-years (each simulated year of the main runs,
// each drawn run as its years at once), out of run.runs() x the years. `out` is the file the run will be written
// to (write_run_outcome): with --agents-out each replication's microdata go into it
// as soon as the replication finishes (experiments/agents_out.h), so they are never
// all held in memory; they are not in the outcome.
RunOutcome simulate_run(const PreparedRun& run, int threads, io::H5Writer& out, const ProgressFn& progress = {});

// Writes the outcome as a run file (experiments/output.h) into `out`.
void write_run_outcome(io::H5Writer& out, const PreparedRun& run, const RunOutcome& outcome,
                       const std::string& command_line);

}  // namespace careabm::experiments
