// Writes the results of `careabm run` as HDF5 following the contract in analysis/README.md ("Output layouts").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "io/h5_writer.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct OutputInfo {
  std::string command;        // the command line, for provenance
  std::string scenario_text;  // the resolved scenario (TOML)
};

// The runs of `careabm run --uncertainty` (experiments/uncertainty.h): each
// replication with its drawn parameters.
struct UncertaintyRuns {
  std::vector<std::vector<double>> draws;  // [replication][parameter]
  std::vector<RunResult> results;
};

// Writes into `out` (a file on disk, or H5Writer::in_memory() for the Python module).
// With `uncertainty`, also /uncertainty/parameters [replication, parameter],
// the bands, and every variable of the drawn runs under /uncertainty/ (and
// /uncertainty/summary/), beside the scenario's own runs in the usual place. Agent
// microdata (--agents-out) are not part of it: experiments/run.h streams them into
// `out` while the replications run.
void write_run(io::H5Writer& out, const Params& p, const std::vector<RunResult>& results, const OutputInfo& info,
               const UncertaintyRuns* uncertainty = nullptr);

// write_run() into a new file at `path` (the caller passes a temporary name and
// renames it when done).
void write_run_file(const std::filesystem::path& path, const Params& p,
                    const std::vector<RunResult>& results, const OutputInfo& info,
                    const UncertaintyRuns* uncertainty = nullptr);

// The root attributes every careabm output has (analysis/README.md): careabm_version,
// command, command_line, scenario_name, seed, replications, created_utc (now, unless
// given: a sweep's is when it started).
void write_provenance(io::H5Writer& out, const std::string& command, const std::string& command_line,
                      const std::string& scenario_name, std::uint64_t seed, std::int64_t replications,
                      const std::string& created_utc = "");

// Current UTC time as ISO 8601 ("2026-11-22T16:00:00Z").
std::string utc_now();

}  // namespace careabm::experiments
