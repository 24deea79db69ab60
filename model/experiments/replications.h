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

// Called in the replication's own thread as soon as replication r is done, before it
// is stored: what it takes out of the result (run --agents-out: the microdata, written
// to the file at once) is not held until the end. Called with nullptr when replication
// r failed (an exception, an interrupt), so that whoever waits for it can stop waiting.
using FinishedFn = std::function<void(int, RunResult*)>;

// Called in a replication's own thread after each of its simulated years (from
// several threads at once: the callee synchronises); may be empty.
using YearDoneFn = std::function<void()>;

// With fewer replications than threads, each replication's passes are split
// across the spare threads too.
std::vector<RunResult> run_replications(const Params& p, int threads, const ProgressFn& progress = {},
                                        const FinishedFn& finished = {}, const YearDoneFn& year_done = {});

// Replications 0 .. total-1 of `one(r)` (a pure function of r), over threads,
// each stored at its index. After SIGINT or SIGTERM (core/interrupt.h) no further
// replication starts; the ones running finish and careabm::Interrupted is thrown.
std::vector<RunResult> run_each(int total, const std::function<RunResult(int)>& one, int threads,
                                const ProgressFn& progress = {});

// Threads to use when the user did not say (--threads), in this order:
// SLURM_CPUS_PER_TASK when set (the CPUs Slurm gave the task), else OMP_NUM_THREADS
// (its first entry: the outer level), else the CPUs this process may run on
// (sched_getaffinity, which taskset, cpusets and batch systems narrow). A variable
// that is set but not a whole number in [1, 4096] is bad input: InputError naming it.
int default_threads();

// The count SLURM_CPUS_PER_TASK or OMP_NUM_THREADS gives, as default_threads() reads
// them; 0 when neither is set.
int environment_threads();

// The same decision from the variables' values (nullptr: not set) and the count of
// CPUs the process may run on.
int default_threads(const char* slurm_cpus_per_task, const char* omp_num_threads, int affinity_cpus);

// The CPUs this process may run on (sched_getaffinity), at least 1.
int affinity_cpus();

}  // namespace careabm::experiments
