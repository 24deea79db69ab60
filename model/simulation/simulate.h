// One replication of a scenario: the initial population, then the year loop,
// which calls the yearly processes (model/processes/) in a documented order.
#pragma once

#include <functional>

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm {

// Runs the whole horizon for one replication; a pure function of (p,
// replication): `threads` only splits its passes (bit-identical output for any number).
// `year_done`, when given, is called in this thread after each simulated year, for
// progress within a replication; it does not touch the result.
RunResult simulate(const Params& p, int replication, int threads = 1, const std::function<void()>& year_done = {});

}  // namespace careabm
