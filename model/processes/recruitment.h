// Demand-pulled recruitment (README.md, "The labour market"): open vacancies
// draw extra hires from the reserve and from an outside labour pool, through
// a matching function per (subregion, occupation):
//
//   hires = min(U, V, A U^beta V^(1 - beta))
//
// U = the pool: members of the reserve qualified for the occupation who left
//     before this year (those who left this year are not looking yet;
//     counted by the RecruitmentPool kernel in the year loop's worker pass,
//     after re-entry: nothing later in the year changes them), plus
//     the outside pool (labour_market.recruitment.outside_pool, people a year
//     in the region: qualified people outside the sector or the region),
//     split over subregions like the occupation's headcount last year;
// V = the vacancies still open: the persons open at the start of the year
//     (vacancies.cpp) less the net inflow of the year so far into the cells
//     of that subregion and occupation (every in.* - out.* flow counted
//     before this process, per cell, floored at 0 per cell), so it does not
//     hire for jobs the other streams already filled, and does hire to
//     replace this year's leavers;
// A = labour_market.recruitment.efficiency, beta = .pool_elasticity.
//
// Each eligible reserve member is hired with probability hires / U (the
// reserve's share of the hires in expectation is its share of the pool);
// the outside pool's share, hires x U_outside / U, is rounded to whole people
// with one draw (stochastic rounding, so its expectation is exact). A hire
// takes a job of the occupation in the subregion, in a branch drawn in
// proportion to that branch's open vacancies. Reserve members keep their
// uid, tenure and hours; outside recruits are new agents (own uid origin)
// with age uniform over age_from..age_to, tenure 0 and the branch's hours.
// Flows: in.recruited_reserve, in.recruited_outside.
#pragma once

#include <vector>

#include "processes/year.h"

namespace careabm {

// The reserve's part of the pool by (subregion, qualification): a worker
// kernel that only counts (processes/year.h), run after Reentry in the
// worker pass.
class RecruitmentPool {
 public:
  static constexpr bool draws = false;
  explicit RecruitmentPool(const Year& y)
      : active_(y.p.labour_market.recruitment && y.t > 0), O_(y.p.cat.O()),
        tally_(active_ ? std::size_t(y.p.cat.S()) * O_ : 0, 0) {}
  bool active() const { return active_; }
  bool eligible(const WorkerStore& w, std::size_t i) const {
    tally_[std::size_t(w.subregion[i]) * O_ + w.qualification[i]] +=
        (w.state[i] == WorkerState::reserve) & (w.since_left[i] != 0);
    return false;
  }
  // [subregion x O + qualification]
  const std::vector<std::int64_t>& counts() const { return tally_; }
  // Adds the counts of another part of the pass.
  void add(const RecruitmentPool& other) {
    for (std::size_t k = 0; k < tally_.size(); ++k) tally_[k] += other.tally_[k];
  }

 private:
  bool active_;
  int O_;
  mutable std::vector<std::int64_t> tally_;
};

void recruitment(WorkerStore& w, const Year& y, const RecruitmentPool& pool);

}  // namespace careabm
