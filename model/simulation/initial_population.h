// The populations of the start year: the initial workforce (and reserve),
// the trainees studying then, and the older clients in care.
#pragma once

#include "core/client_store.h"
#include "core/parallel.h"
#include "core/trainee_store.h"
#include "core/worker_store.h"
#include "scenario/params.h"

namespace careabm {

// The initial workforce of one replication (ages, tenure, hours drawn per
// agent). With a team, the rows are filled in parts across its threads (the
// draws are keyed by uid, so the store is the same).
WorkerStore initial_workforce(const Params& p, int replication, Team* team = nullptr);

// The trainees studying in the start year: for each programme (not upgrades)
// and subregion, the cohorts enrolled 0 .. duration-1 years before, thinned by
// the expected dropout (steady state), unless training.initial_cohorts = false;
// career-switcher programmes at the enrolment the base year's open jobs give
// (labour_market.allocation.switchers_may_start).
TraineeStore initial_trainees(const Params& p, int replication);

// The clients of the start year (from clients.initial), all at home until placement.
ClientStore initial_clients(const Params& p, int replication, Team* team = nullptr);

}  // namespace careabm
