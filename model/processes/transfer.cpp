// Transfers of active workers: between branches and between subregions (row-
// stochastic yearly matrices), and between employee and self-employed status.
// A move between cells counts out.transfer in the old cell and in.transfer in
// the new one; a change of employment type stays within the cell.
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// A row-stochastic matrix as cumulative 32-bit thresholds, flattened: row r's
// destination is the first j with word < cum[r * n + j]. Staying put is
// checked first (most workers stay), with the row's move probability.
struct Moves {
  int n;
  std::vector<std::uint64_t> cum;
  std::vector<std::uint64_t> move;  // threshold of leaving the row's own category

  explicit Moves(const std::vector<std::vector<double>>& m) : n(static_cast<int>(m.size())) {
    for (int r = 0; r < n; ++r) {
      double acc = 0;
      for (int j = 0; j < n; ++j) {
        acc += m[r][j];
        cum.push_back(rng::threshold(acc));
      }
      cum[std::size_t(r) * n + n - 1] = std::uint64_t{1} << 32;
      move.push_back(rng::threshold(1.0 - m[r][r]));
    }
  }
  // The destination of a worker in row r, by a word whose low bits decide whether
  // to move and, if so, a second word that picks where.
  std::uint8_t destination(int r, std::uint32_t decide, std::uint32_t where) const {
    if (decide >= move[r]) return static_cast<std::uint8_t>(r);
    int j = 0;
    while (j + 1 < n && where >= cum[std::size_t(r) * n + j]) ++j;
    return static_cast<std::uint8_t>(j);
  }
};

}  // namespace

void transfer(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  const Moves branch(p.branch_transfer), subregion(p.subregion_transfer);
  const auto to_self = rng::threshold(p.to_self_employed), to_employee = rng::threshold(p.to_employee);

  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (w.state[i] != WorkerState::active && w.state[i] != WorkerState::in_upgrade_training) continue;
    const auto draw = y.rng.draw(y.year, w.uid[i], rng::Event::transfer);
    const int old_cell = y.cell_of(w, i);
    // A move picks its destination from the renormalised row with the same word's
    // position inside the move interval, so one word decides both.
    w.branch[i] = branch.destination(w.branch[i], draw[0], draw[3]);
    w.subregion[i] = subregion.destination(w.subregion[i], draw[1], draw[3] ^ 0x9E3779B9u);
    const int new_cell = y.cell_of(w, i);
    if (new_cell != old_cell) {
      y.count(old_cell, kOutTransfer);
      y.count(new_cell, kInTransfer);
    }
    if (w.employment[i] == Employment::employee) {
      if (draw[2] < to_self) w.employment[i] = Employment::self_employed;
    } else if (draw[2] < to_employee) {
      w.employment[i] = Employment::employee;
    }
  }
}

}  // namespace careabm
