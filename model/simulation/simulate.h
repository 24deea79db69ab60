// One replication of a scenario: the initial population, then the year loop,
// which calls the yearly processes (model/processes/) in a documented order.
#pragma once

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm {

// Runs the whole horizon for one replication; a pure function of (p,
// replication): `threads` only splits its passes (bit-identical output for any number).
RunResult simulate(const Params& p, int replication, int threads = 1);

}  // namespace careabm
