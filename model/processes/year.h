// What every yearly process receives: the parameters, the replication's
// random stream, the year, and the counters it adds that year's flows to.
// Processes never call each other; core/simulation.cpp calls them in order.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/rng.h"
#include "core/run_result.h"
#include "core/worker_store.h"
#include "scenario/params.h"

namespace careabm {

struct Year {
  const Params& p;
  const rng::Stream& rng;
  int t;     // index: 0 is the start year
  int year;  // calendar year
  RunResult& out;

  void count(int cell, int flow) const { ++out.flow(t, cell, flow); }
  int cell_of(const WorkerStore& w, std::size_t i) const {
    return p.cat.cell(w.subregion[i], w.branch[i], w.occupation[i]);
  }
};

// Index drawn from cumulative weights `cum` (last element = total) with u in (0,1).
template <class Vec>
inline int pick(const Vec& cum, double u) {
  const double target = u * cum.back();
  int i = 0;
  while (i + 1 < static_cast<int>(cum.size()) && target >= cum[i]) ++i;
  return i;
}

// Contract hours: normal around the branch mean (Box-Muller on two words), clipped.
inline float draw_hours(const Params& p, int branch, std::uint32_t w0, std::uint32_t w1) {
  const double z = std::sqrt(-2.0 * std::log(rng::to_unit(w0))) * std::cos(6.283185307179586 * rng::to_unit(w1));
  const double h = p.hours_mean[branch] + p.hours_sd * z;
  return static_cast<float>(std::fmin(p.hours_max, std::fmax(p.hours_min, h)));
}

// The yearly processes, in the order the year loop calls them.
void ageing(WorkerStore& w, const Year& y);
void outflow(WorkerStore& w, const Year& y);
void transfer(WorkerStore& w, const Year& y);
void reentry(WorkerStore& w, const Year& y);
void inflow(WorkerStore& w, const Year& y);
void supply(const WorkerStore& w, const Year& y);
void demand(const Year& y);

}  // namespace careabm
