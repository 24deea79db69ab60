// Writes the results of `careabm run` as HDF5 following the DESIGN.md contract.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm::run {

struct OutputInfo {
  std::string command;        // the command line, for provenance
  std::string scenario_text;  // the resolved scenario (TOML)
};

// Writes to `path` (the caller passes a temporary name and renames it when done).
void write_run_file(const std::filesystem::path& path, const Params& p,
                    const std::vector<RunResult>& results, const OutputInfo& info);

// Current UTC time as ISO 8601 ("2026-11-22T16:00:00Z").
std::string utc_now();

}  // namespace careabm::run
