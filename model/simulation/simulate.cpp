#include "simulation/simulate.h"

#include <algorithm>

#include "processes/year.h"
#include "simulation/initial_population.h"

namespace careabm {

namespace {

AgentSnapshot snapshot(const WorkerStore& w, int year) {
  AgentSnapshot a;
  a.year = year;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w.state[i] == WorkerState::gone) continue;
    a.uid.push_back(static_cast<std::int64_t>(w.uid[i]));
    a.state.push_back(static_cast<std::int8_t>(w.state[i]));
    a.employment.push_back(static_cast<std::int8_t>(w.employment[i]));
    a.female.push_back(static_cast<std::int8_t>(w.female[i]));
    a.subregion.push_back(w.subregion[i]);
    a.branch.push_back(w.branch[i]);
    a.occupation.push_back(w.occupation[i]);
    a.age.push_back(w.age[i]);
    a.tenure.push_back(w.tenure[i]);
    a.years_in_reserve.push_back(w.state[i] == WorkerState::reserve ? w.since_left[i] : 0);
    a.hours.push_back(w.hours[i]);
  }
  return a;
}

}  // namespace

// The year loop. Order (documented in README "The model"):
//  0 interventions (the year's adjustments, which later processes read),
//  1 ageing, 2 outflow, 3 transfer, 4 re-entry from the reserve, 5 inflow,
//  6 training (supervision-driven dropout, progress, graduation into the
//    workforce, upgrades, enrolment), then the stores drop departed agents;
//  7 supply (year-end workforce stocks, BBL trainees' FTE),
//  8 training census (students, supervision ratio),
//  9 clients (ageing, deaths, need progression, new clients),
// 10 placement in nursing homes and the client census,
// 11 demand and shortage.
// The start year holds the initial populations (steady-state trainee cohorts,
// initial clients placed up to the places), with no flows: only 7, 8, 10, 11 run.
RunResult simulate(const Params& p, int replication) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  RunResult out(p.years(), p.cat.cells());
  if (p.training.enabled())
    out.size_training(static_cast<int>(p.training.programmes.size()), p.cat.S() * p.cat.B());
  if (p.clients.enabled) out.size_clients(p.cat.S(), p.clients.N(), p.clients.Z());
  out.size_interventions(static_cast<int>(p.interventions.size()));
  Adjustments adj;  // the interventions' effect, recomputed every year
  WorkerStore w = initial_workforce(p, replication);
  TraineeStore tr = initial_trainees(p, replication);
  ClientStore c = initial_clients(p, replication);
  for (int t = 0; t < p.years(); ++t) {
    const Year y{p, stream, t, p.start_year + t, out, adj};
    interventions(adj, y);
    if (t > 0) {
      ageing(w, y);
      outflow(w, y);
      transfer(w, y);
      reentry(w, y);
      inflow(w, y);
      training(tr, w, y);
      w.compact_if_worthwhile();
      tr.compact();
    }
    supply(w, tr, y);
    training_census(w, tr, y);
    if (t > 0) clients(c, y);
    placement(c, y);
    demand(y);
    if (std::find(p.agents_out.begin(), p.agents_out.end(), y.year) != p.agents_out.end()) {
      out.agents.push_back(snapshot(w, y.year));
    }
  }
  return out;
}

}  // namespace careabm
