// Transfers of active workers: between branches and between subregions (row-
// stochastic yearly matrices), and between employee and self-employed status.
// A move between cells counts out.transfer in the old cell and in.transfer in
// the new one; a change of employment type stays within the cell.
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {
std::vector<std::vector<double>> cumulative_rows(const std::vector<std::vector<double>>& m) {
  auto out = m;
  for (auto& row : out)
    for (std::size_t j = 1; j < row.size(); ++j) row[j] += row[j - 1];
  return out;
}
}  // namespace

void transfer(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  const auto branch_cum = cumulative_rows(p.branch_transfer);
  const auto subregion_cum = cumulative_rows(p.subregion_transfer);
  const auto to_self = rng::threshold(p.to_self_employed), to_employee = rng::threshold(p.to_employee);

  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (w.state[i] != WorkerState::active && w.state[i] != WorkerState::in_upgrade_training) continue;
    const auto draw = y.rng.draw(y.year, w.uid[i], rng::Event::transfer);
    const int old_cell = y.cell_of(w, i);
    w.branch[i] = static_cast<std::uint8_t>(pick(branch_cum[w.branch[i]], rng::to_unit(draw[0])));
    w.subregion[i] = static_cast<std::uint8_t>(pick(subregion_cum[w.subregion[i]], rng::to_unit(draw[1])));
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
