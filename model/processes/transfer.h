// Transfers of active workers: between branches and between subregions (row-
// stochastic yearly matrices), and between employee and self-employed status.
// A move between cells counts out.transfer in the old cell and in.transfer in
// the new one; a change of employment type stays within the cell.
// With a labour market, a share vacancy_weight of the workers who change
// branch (the matrix decides who does) pick the new branch in proportion to
// the open vacancies of their occupation in the other branches of their
// (new) subregion instead of by the matrix row (processes/labour_market.h).
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
  explicit Transfer(const Year& y);
  bool active() const { return true; }

  bool eligible(const WorkerStore& w, std::size_t i) const { return working(w.state[i]); }

  // Words (rng::Event::worker_year): 4 branch, 5 subregion, 6 employee <->
  // self-employed, 7 a branch changer's branch by vacancies.
  void operator()(WorkerStore& w, std::size_t i, const rng::Words& draw) const {
    const std::uint8_t b = w.branch[i], s = w.subregion[i];
    std::uint8_t to_b = branch_.destination(b, draw[4]);
    const std::uint8_t to_s = subregion_.destination(s, draw[5]);
    if (to_b != b && !open_other_.empty()) to_b = branch_by_vacancies(to_s, b, w.occupation[i], to_b, draw[7]);
    if ((to_b != b) | (to_s != s)) {  // a move between cells (rare): counted out of the old, into the new
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
  // A branch changer's destination: (1 - w) x the matrix row + w x the open
  // vacancies of the occupation in the other branches (one word for both).
  std::uint8_t branch_by_vacancies(int s, int from, int o, int rule, std::uint32_t word) const {
    const auto& open = open_other_[(std::size_t(s) * O_ + o) * B_ + from];
    return static_cast<std::uint8_t>(mix_with_vacancies(rule, open, w_vacancy_, word));
  }

  const Year& y_;
  Moves branch_, subregion_;
  std::uint64_t to_self_, to_employee_;
  double w_vacancy_;
  int B_, O_;
  std::vector<CellWeights> open_other_;  // [(s x O + o) x B + from]: open vacancies of o in the other branches of s
};

}  // namespace careabm
