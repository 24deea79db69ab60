// Transfers of active workers: between branches and between subregions (row-
// stochastic yearly matrices), and between employee and self-employed status.
// A move between cells counts out.transfer in the old cell and in.transfer in
// the new one; a change of employment type stays within the cell.
// With a labour market, a share vacancy_weight of the workers who change
// branch (the matrix decides who does) look for an open job of their
// occupation in the other branches of their (new) subregion instead of
// taking the matrix row's branch: the pass records them (seekers), and the
// year loop moves them after the pass, taking open jobs one by one
// (processes/labour_market.h, OpenJobs; processes/seekers.cpp).
// A worker kernel (processes/year.h); tables in transfer.cpp.
#pragma once

#include <vector>

#include "processes/year.h"

namespace careabm {

// A row-stochastic matrix as 32-bit thresholds. A worker in row r moves when
// the word falls below move[r] = P(leave r); the same word's position inside
// [0, move[r]) then picks the destination among the other columns, in
// proportion to their probabilities (cumulative thresholds `to`, which skip
// column r). One word thus decides both, with the matrix's exact probabilities.
struct Moves {
  int n;
  std::vector<std::uint64_t> to;    // [r * n + j]: P(column <= j, column != r) as a threshold
  std::vector<std::uint64_t> move;  // [r]

  explicit Moves(const std::vector<std::vector<double>>& m);
  std::uint8_t destination(int r, std::uint32_t word) const {
    if (word >= move[r]) return static_cast<std::uint8_t>(r);
    int j = 0;
    while (j == r || word >= to[std::size_t(r) * n + j]) ++j;
    return static_cast<std::uint8_t>(j);
  }
};

class Transfer {
 public:
  static constexpr bool draws = true;
  // seekers: where the branch changers who follow open jobs are recorded (a
  // part's list); null without a labour market (or vacancy_weight 0).
  explicit Transfer(const Year& y, std::vector<Seeker>* seekers = nullptr);
  bool active() const { return true; }

  bool eligible(const WorkerStore& w, std::size_t i) const { return working(w.state[i]); }

  // Words (rng::Event::worker_year): 4 branch, 5 subregion, 6 employee <->
  // self-employed, 7 whether a branch changer looks for an open job (and,
  // rescaled, which: the seekers step).
  void operator()(WorkerStore& w, std::size_t i, const rng::Words& draw) const {
    const std::uint8_t b = w.branch[i], s = w.subregion[i];
    std::uint8_t to_b = branch_.destination(b, draw[4]);
    const std::uint8_t to_s = subregion_.destination(s, draw[5]);
    if ((to_b != b) & (seekers_ != nullptr) && OpenJobs::follows(w_, draw[7])) {  // the move waits for the seekers step
      seekers_->push_back({static_cast<std::uint32_t>(i), draw[7], to_s, to_b});
    } else if ((to_b != b) | (to_s != s)) {  // a move between cells (rare): counted out of the old, into the new
      y_.count(y_.cell_of(w, i), kOutTransfer);
      w.branch[i] = to_b, w.subregion[i] = to_s;
      y_.count(y_.cell_of(w, i), kInTransfer);
    }
    // Employee <-> self-employed, computed without a branch on the (mixed) current status.
    const bool employee = w.employment[i] == Employment::employee;
    const bool switches = draw[6] < (employee ? to_self_ : to_employee_);
    w.employment[i] = switches ? (employee ? Employment::self_employed : Employment::employee) : w.employment[i];
  }

 private:
  const Year& y_;
  Moves branch_, subregion_;
  std::uint64_t to_self_, to_employee_;
  std::vector<Seeker>* seekers_;
  double w_;  // vacancy_weight
};

}  // namespace careabm
