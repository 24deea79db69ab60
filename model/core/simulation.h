// One replication of a scenario: the initial population, then the year loop.
#pragma once

#include "core/run_result.h"
#include "core/worker_store.h"
#include "scenario/params.h"

namespace careabm {

// The initial workforce of one replication (ages, tenure, hours drawn per agent).
WorkerStore initial_workforce(const Params& p, int replication);

// Runs the whole horizon for one replication; a pure function of (p, replication).
RunResult simulate(const Params& p, int replication);

}  // namespace careabm
