// Occupational mobility: active workers change job between occupations
// without a training programme (README.md, "The labour market"; upgrades
// through training are the training process). Each year a worker in job o
// moves to job o' with the probability of the scenario's yearly matrix
// (labour_market.mobility.matrix). The entries for the on-the-job routes (a
// job o' that level o does not cover: labour_market.may_fill; the job held
// decides, not the qualification, since the matrix is by job) are multiplied
// by (1 + vacancy_elasticity x the vacancy rate of o' in the worker's
// subregion and branch at the start of the year), so the route into a short
// occupation rises as its vacancies do; moves to a job o covers (a level
// down) keep their base rate: a qualified worker does not step down because
// the lower level is short. A row whose moves then exceed 1 is scaled down to
// 1. A move to a job the worker's qualification may hold (labour_market.
// may_fill: the own level or one below it) keeps the qualification; a move to
// a job above it is the on-the-job route into that
// occupation, and the worker is then qualified for it. The worker stays in
// the subregion and branch. Counted out.mobility in the old cell and
// in.mobility in the new one.
// A worker kernel (processes/year.h); tables in mobility.cpp.
#pragma once

#include <vector>

#include "processes/year.h"

namespace careabm {

class Mobility {
 public:
  static constexpr bool draws = true;
  explicit Mobility(const Year& y);
  bool active() const { return !to_.empty(); }  // false: no matrix, nothing to do

  bool eligible(const WorkerStore& w, std::size_t i) const {
    return bool((w.state[i] == WorkerState::active) & (moves_[std::size_t(y_.cell_of(w, i))] != 0));
  }

  // Word 1 of rng::Event::worker_year (outflow's word for where a leaver
  // goes: this worker stayed).
  void operator()(WorkerStore& w, std::size_t i, const rng::Words& d) const {
    const int cell = y_.cell_of(w, i);
    const std::uint64_t* row = to_.data() + std::size_t(cell) * O_;
    const std::uint32_t word = d[1];
    if (word >= row[O_ - 1]) return;  // stays
    int k = 0;
    while (word >= row[k]) ++k;
    y_.count(cell, kOutMobility);
    w.occupation[i] = static_cast<std::uint8_t>(k);
    if (!fills_[std::size_t(w.qualification[i]) * O_ + k]) w.qualification[i] = static_cast<std::uint8_t>(k);
    y_.count(y_.cell_of(w, i), kInMobility);
  }

 private:
  const Year& y_;
  int O_;
  std::vector<std::uint64_t> to_;     // [cell x O + k]: P(destination <= k, != o) as a threshold
  std::vector<std::uint8_t> moves_;   // [cell]: 1 where a worker may move at all
  std::vector<std::uint8_t> fills_;   // [qualification x O + job]: labour_market.may_fill
};

}  // namespace careabm
