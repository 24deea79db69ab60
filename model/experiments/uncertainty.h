// Parameter uncertainty (scenarios/README.md, "Parameter uncertainty"): each
// replication of `careabm run --uncertainty` (and of `careabm compare
// --uncertainty`) runs with its own draw of the scenario's uncertain numbers
// ([uncertainty]), and the spread over replications then holds parameter
// uncertainty and simulation noise together. The draws are a Latin hypercube
// over the replications: for each key, one column keyed by the scenario's seed
// and a hash of the key (stats::latin_column), mapped through the key's band.
// So replication r gets the same value of a key in every run with the same
// seed and replication count, in every scenario that declares the key: the
// runs of a compare share their draws.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "experiments/replications.h"
#include "scenario/params.h"

namespace careabm::experiments {

// [replication][parameter] values, parameters in the order of p.uncertainty.
std::vector<std::vector<double>> draw_parameters(const Params& p, int replications);

// The overrides "key=value" of one replication's values (reading back exactly).
std::vector<std::string> parameter_overrides(const Params& p, const std::vector<double>& values);

// Runs every replication with its drawn parameters: replication r is the
// scenario loaded with `overrides` and its draws, simulated as replication r
// (the same random stream as replication r without --uncertainty). They take
// no agent microdata: --agents-out writes the scenario's own runs only.
std::vector<RunResult> run_with_uncertainty(const std::filesystem::path& scenario,
                                            const std::vector<std::string>& overrides, const Params& p,
                                            const std::vector<std::vector<double>>& draws, int threads,
                                            const ProgressFn& progress = {});

}  // namespace careabm::experiments
