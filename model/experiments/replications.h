// Replications of one scenario, run in parallel over threads. Each replication
// is a pure function of (parameters, replication index) and is stored at its
// index, so the results are bit-identical for any thread count.
#pragma once

#include <functional>
#include <vector>

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm::experiments {

// Called after each finished replication with (finished, total); may be empty.
using ProgressFn = std::function<void(int, int)>;

// With fewer replications than threads, each replication's passes are split
// across the spare threads too.
std::vector<RunResult> run_replications(const Params& p, int threads, const ProgressFn& progress = {});

// Replications 0 .. total-1 of `one(r)` (a pure function of r), over threads,
// each stored at its index. After SIGINT or SIGTERM (core/interrupt.h) no further
// replication starts; the ones running finish and careabm::Interrupted is thrown.
std::vector<RunResult> run_each(int total, const std::function<RunResult(int)>& one, int threads,
                                const ProgressFn& progress = {});

// Threads to use when the user did not say: the machine's cores.
int default_threads();

}  // namespace careabm::experiments
