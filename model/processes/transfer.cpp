// Transfers of active workers: between branches and between subregions (row-
// stochastic yearly matrices), and between employee and self-employed status.
// A move between cells counts out.transfer in the old cell and in.transfer in
// the new one; a change of employment type stays within the cell.
// With a labour market, a share vacancy_weight of the workers who change
// branch (the matrix decides who does) pick the new branch in proportion to
// the open vacancies of their occupation in the other branches of their
// (new) subregion instead of by the matrix row (processes/labour_market.h).
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// A row-stochastic matrix as 32-bit thresholds. A worker in row r moves when
// the word falls below move[r] = P(leave r); the same word's position inside
// [0, move[r]) then picks the destination among the other columns, in
// proportion to their probabilities (cumulative thresholds `to`, which skip
// column r). One word thus decides both, with the matrix's exact probabilities.
struct Moves {
  int n;
  std::vector<std::uint64_t> to;    // [r * n + j]: P(column <= j, column != r) as a threshold
  std::vector<std::uint64_t> move;  // [r]

  explicit Moves(const std::vector<std::vector<double>>& m) : n(static_cast<int>(m.size())) {
    for (int r = 0; r < n; ++r) {
      double acc = 0;
      for (int j = 0; j < n; ++j) {
        if (j != r) acc += m[r][j];
        to.push_back(rng::threshold(acc));
      }
      move.push_back(rng::threshold(acc));
    }
  }
  std::uint8_t destination(int r, std::uint32_t word) const {
    if (word >= move[r]) return static_cast<std::uint8_t>(r);
    int j = 0;
    while (j == r || word >= to[std::size_t(r) * n + j]) ++j;
    return static_cast<std::uint8_t>(j);
  }
};

}  // namespace

void transfer(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  const Moves branch(p.branch_transfer), subregion(p.subregion_transfer);
  const auto to_self = rng::threshold(p.to_self_employed), to_employee = rng::threshold(p.to_employee);

  // A branch changer's destination: (1 - w) x the matrix row + w x the open
  // vacancies of the occupation in the other branches (one word for both).
  const double w_vacancy = p.labour_market.vacancy_weight;
  auto branch_by_vacancies = [&](int s, int from, int o, int rule, std::uint32_t word) {
    CellWeights open;
    for (int b = 0; b < p.cat.B(); ++b) {
      if (b != from && !y.vacancies.empty()) open.add(b, y.vacancies.fte[p.cat.cell(s, b, o)]);
    }
    return static_cast<std::uint8_t>(mix_with_vacancies(rule, open, w_vacancy, word));
  };
  const WorkerState* const state = w.state.data();
  auto in_sector = [state](std::size_t i) { return working(state[i]); };
  std::uint8_t *const branch_of = w.branch.data(), *const subregion_of = w.subregion.data();
  for_each_draw(w.uid, y, rng::Event::transfer, in_sector, [&](std::size_t i, const rng::Block& draw) {
    const std::uint8_t b = branch_of[i], s = subregion_of[i];
    std::uint8_t to_b = branch.destination(b, draw[0]);
    const std::uint8_t to_s = subregion.destination(s, draw[1]);
    if (to_b != b && w_vacancy > 0) to_b = branch_by_vacancies(to_s, b, w.occupation[i], to_b, draw[3]);
    if ((to_b != b) | (to_s != s)) {  // a move between cells (rare): counted out of the old, into the new
      y.count(y.cell_of(w, i), kOutTransfer);
      branch_of[i] = to_b, subregion_of[i] = to_s;
      y.count(y.cell_of(w, i), kInTransfer);
    }
    // Employee <-> self-employed, computed without a branch on the (mixed) current status.
    const bool employee = w.employment[i] == Employment::employee;
    const bool switches = draw[2] < (employee ? to_self : to_employee);
    w.employment[i] =
        switches ? (employee ? Employment::self_employed : Employment::employee) : w.employment[i];
  });
}

}  // namespace careabm
