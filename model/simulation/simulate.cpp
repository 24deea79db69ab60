#include "simulation/simulate.h"

#include <algorithm>

#include "processes/mobility.h"
#include "processes/outflow.h"
#include "processes/placement.h"
#include "processes/recruitment.h"
#include "processes/reentry.h"
#include "processes/supervision.h"
#include "processes/transfer.h"
#include "processes/year.h"
#include "simulation/initial_population.h"
#include "simulation/worker_pass.h"

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
    a.qualification.push_back(w.qualification[i]);
    a.age.push_back(w.age[i]);
    a.tenure.push_back(w.tenure[i]);
    a.years_in_reserve.push_back(w.state[i] == WorkerState::reserve ? w.since_left[i] : 0);
    a.hours.push_back(w.hours[i]);
  }
  return a;
}

}  // namespace

// The year loop. Order (documented in README "The model"):
//  0 interventions (the year's adjustments, which later processes read);
//  1 clients (ageing, deaths, need progression, new clients),
//  2 placement in nursing homes from the census and queue the clients pass
//    counted,
//  3 demand (it depends on the clients and base-year supply only),
//  4 vacancies (this year's demand against last year-end supply: the open
//    jobs the labour market's entrants follow);
//  5 ageing and, in the same pass over the workers (simulation/worker_pass.h),
//    the kernels 6 outflow, 7 transfer, 8 occupational mobility, 9 re-entry
//    from the reserve (and the counts of the reserve that recruitment draws
//    on and of the supervisors training needs), in that order for every agent;
//    then the pass's branch changers and returners who follow open jobs take
//    them, in the order the pass recorded them (seekers);
// 10 inflow, 11 training (supervision-driven dropout, progress, graduation
//    into the workforce, upgrades, enrolment), 12 demand-pulled recruitment;
//    then the stores drop departed agents;
// 13 supply (year-end workforce stocks, BBL trainees' FTE),
// 14 training census (students, supervision ratio),
// 15 shortage (demand - supply; unfilled and surplus).
// The start year holds the initial populations (steady-state trainee cohorts,
// initial clients placed up to the places), with no flows: supply, training
// census, placement, demand (calibrated to that supply) and shortage run.
// With more than one thread, the passes over a store are split into parts
// (processes/year.h, split_rows): the output is the same for any number.
RunResult simulate(const Params& p, int replication, int threads, const std::function<void()>& year_done) {
  Team team(threads);
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  RunResult out(p.years(), p.cat.cells());
  if (p.training.enabled())
    out.size_training(static_cast<int>(p.training.programmes.size()), p.cat.S() * p.cat.B());
  if (p.clients.enabled) out.size_clients(p.cat.S(), p.clients.N(), p.clients.Z());
  out.size_interventions(static_cast<int>(p.interventions.size()));
  Adjustments adj;  // the interventions' effect, recomputed every year
  Vacancies vac;    // the year's open jobs (labour market), recomputed every year
  std::vector<std::uint32_t> spare_word;  // by row, each year: see training()
  bool upgrades = false;  // only then is spare_word kept (4 bytes a row)
  for (const auto& g : p.training.programmes) upgrades = upgrades || g.is_upgrade();
  WorkerStore w = initial_workforce(p, replication, &team);
  TraineeStore tr = initial_trainees(p, replication);
  ClientStore c = initial_clients(p, replication, &team);
  for (int t = 0; t < p.years(); ++t) {
    const Year y{p.at(t), stream, t, p.start_year + t, out, adj, vac, &team};  // this year's parameters (series)
    interventions(adj, y);
    if (t == 0) {
      supply(w, tr, y);
      training_census(w, tr, y);
      placement(c, y);
      demand(y);
    } else {
      PlacementCensus census(y);  // counted in the clients pass
      clients(c, y, census);
      placement(c, y, census);
      demand(y);
      vacancies(vac, y);
      // The worker pass (ageing and the kernels), split across the team; the
      // counting kernels' parts are added up in part order.
      RecruitmentPool pool(y);
      SupervisionTally supervision(y.p);
      const int parts = parts_for(y, w.size());
      std::vector<RecruitmentPool> part_pools(parts, pool);
      std::vector<SupervisionTally> part_supervision(parts, supervision);
      std::vector<std::vector<Seeker>> part_seekers(parts);  // recorded chunk by chunk within each part
      spare_word.resize(upgrades ? w.size() : 0);  // word 3 of the worker-year's block: upgrade enrolment
      std::uint32_t* const spare = upgrades ? spare_word.data() : nullptr;
      split_rows(y, w.size(), [&](const Year& part, int k, std::size_t begin, std::size_t end) {
        worker_pass(w, part, begin, end, Outflow(part, spare), Transfer(part, &part_seekers[k]), Mobility(part),
                    Reentry(part, spare, &part_seekers[k]), part_pools[k], part_supervision[k]);
      });
      for (int k = 0; k < parts; ++k) pool.add(part_pools[k]), supervision.add(part_supervision[k]);
      for (int k = 1; k < parts; ++k)
        part_seekers[0].insert(part_seekers[0].end(), part_seekers[k].begin(), part_seekers[k].end());
      seekers(w, y, part_seekers[0], supervision);
      const std::size_t before_inflow = w.size();
      inflow(w, y);
      if (supervision.active()) {  // the newcomers count for supervision too
        for (std::size_t i = before_inflow; i < w.size(); ++i) supervision.eligible(w, i);
      }
      training(tr, w, y, supervision, spare_word);
      recruitment(w, y, pool);
      w.compact_if_worthwhile(&team);
      tr.compact();
      supply(w, tr, y);
      training_census(w, tr, y);
    }
    shortage(y);
    if (std::find(p.agents_out.begin(), p.agents_out.end(), y.year) != p.agents_out.end()) {
      out.agents.push_back(snapshot(w, y.year));
    }
    if (year_done) year_done();
  }
  return out;
}

}  // namespace careabm
