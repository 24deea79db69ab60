// Outflow: retirement at the pension age (fractional ages: see
// Params::pension_age), then a yearly leaving hazard
// rate[occupation] x age-band x tenure-band x branch multipliers, split by
// destination: the reserve, leaving the region, death/disability, early retirement.
// Workload feedback (labour_market.feedback, off unless its elasticity is
// set): the hazard of every worker in a cell x min(cap, 1 + elasticity x that
// cell's shortage rate last year, (demand - supply) / demand, floored at 0).
// A worker kernel (processes/year.h): the year's tables are built once
// (outflow.cpp), the decision is made per agent.
#pragma once

#include <vector>

#include "processes/year.h"

namespace careabm {

class Outflow {
 public:
  static constexpr bool draws = true;
  // spare_word: where word 3 of each agent's block goes (the upgrade
  // enrolment's uniform this year, training.cpp), by row; null: nowhere.
  explicit Outflow(const Year& y, std::uint32_t* spare_word = nullptr);
  bool active() const { return true; }

  bool eligible(const WorkerStore& w, std::size_t i) const { return working(w.state[i]); }

  // Words (rng::Event::worker_year): 0 leaving, 1 where to, 2 retiring in
  // the year of the pension age's whole part, 3 kept for the upgrade
  // enrolment (spare_word).
  void operator()(WorkerStore& w, std::size_t i, const rng::Words& draw) const {
    if (spare_word_) spare_word_[i] = draw[3];
    const std::uint8_t age = w.age[i], tenure = w.tenure[i];
    // At the pension age: for sure from the whole year after it, and in the
    // year of the birthday at its whole part with probability 1 - its fraction.
    if ((age > pension_floor_) | ((age == pension_floor_) & (draw[2] < retire_at_floor_))) {
      w.state[i] = WorkerState::gone;
      y_.count(y_.cell_of(w, i), kOutRetirement);
      return;
    }
    const std::size_t group = feedback_ ? std::size_t(y_.cell_of(w, i)) : std::size_t(w.occupation[i]) * B_ + w.branch[i];
    std::uint64_t limit = limits_[age_part_[age] + tenure_part_[tenure] + group];
    if (retention_) limit = retained(w, i, group, limit);
    if (draw[0] >= limit) return;
    const int cell = y_.cell_of(w, i);
    const double u = rng::to_unit(draw[1]);
    if (u < cum_reserve_) {
      w.state[i] = WorkerState::reserve;
      w.since_left[i] = 0;
      y_.count(cell, kOutToReserve);
    } else {
      w.state[i] = WorkerState::gone;
      y_.count(cell, u < cum_region_ ? kOutLeftRegion : u < cum_death_ ? kOutDeathDisability : kOutRetirement);
    }
  }

 private:
  // The hazard with retention interventions for the worker's target groups (outflow.cpp).
  std::uint64_t retained(const WorkerStore& w, std::size_t i, std::size_t group, std::uint64_t limit) const;

  const Year& y_;
  std::uint32_t* spare_word_;
  int B_, pension_floor_;
  std::uint64_t retire_at_floor_;  // threshold: 1 - the fraction of the pension age
  bool feedback_, retention_;
  double cum_reserve_, cum_region_, cum_death_;
  std::vector<double> factor_;          // feedback factor by cell
  std::vector<std::uint64_t> limits_;   // [(age band x T + tenure band) x groups + group]
  std::vector<std::uint8_t> age_band_, tenure_band_;
  std::uint32_t age_part_[256], tenure_part_[256];  // index parts by single year of age and tenure
};

}  // namespace careabm
