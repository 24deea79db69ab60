// Occupational mobility: active workers change job between occupations
// without training (DESIGN.md "The labour market"; upgrades through training
// are the training process). Each year a worker in job o moves to job o'
// with the probability of the scenario's yearly matrix
// (labour_market.mobility.matrix), when the worker's qualification may hold
// o' (labour_market.may_fill); the off-diagonal entries are multiplied by
// (1 + vacancy_elasticity x the vacancy rate of o' in the worker's subregion
// and branch at the start of the year), so the on-the-job route into a short
// occupation rises as its vacancies do; a row whose moves then exceed 1 is
// scaled down to 1. The worker stays in the subregion and branch. Counted
// out.mobility in the old cell and in.mobility in the new one.
#include <vector>

#include "processes/year.h"

namespace careabm {

void mobility(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  const LabourMarket& lm = p.labour_market;
  if (lm.mobility.empty() || y.t == 0) return;
  const int O = p.cat.O(), cells = p.cat.cells();
  // Move thresholds per (cell, qualification): to[(c * O + q) * O + k] = P(destination <= k, != o).
  std::vector<std::uint64_t> to(std::size_t(cells) * O * O, 0);
  std::vector<std::uint8_t> moves(std::size_t(cells) * O, 0);  // 1 where a worker may move at all
  for (int c = 0; c < cells; ++c) {
    const int o = c % O, sb_cell = c - o;  // cells of one (subregion, branch) are consecutive
    for (int q = 0; q < O; ++q) {
      std::vector<double> prob(O, 0.0);
      double sum = 0;
      for (int k = 0; k < O; ++k) {
        if (k == o || !lm.fills(q, k, O)) continue;
        const double rate = y.vacancies.empty() ? 0.0 : y.vacancies.rate[sb_cell + k];
        prob[k] = lm.mobility[o][k] * (1.0 + lm.mobility_vacancy_elasticity * rate);
        sum += prob[k];
      }
      const double scale = sum > 1.0 ? 1.0 / sum : 1.0;
      double acc = 0;
      for (int k = 0; k < O; ++k) {
        acc += prob[k] * scale;
        to[(std::size_t(c) * O + q) * O + k] = rng::threshold(acc);
      }
      moves[std::size_t(c) * O + q] = acc > 0;
    }
  }
  const WorkerState* const state = w.state.data();
  const std::uint8_t* const qualification = w.qualification.data();
  auto may_move = [&](std::size_t i) {
    return bool((state[i] == WorkerState::active) &
                (moves[std::size_t(y.cell_of(w, i)) * O + qualification[i]] != 0));
  };
  for_each_draw(w.uid, y, rng::Event::mobility, may_move, [&](std::size_t i, const rng::Block& d) {
    const int cell = y.cell_of(w, i);
    const std::uint64_t* row = to.data() + (std::size_t(cell) * O + qualification[i]) * O;
    if (d[0] >= row[O - 1]) return;  // stays
    int k = 0;
    while (d[0] >= row[k]) ++k;
    y.count(cell, kOutMobility);
    w.occupation[i] = static_cast<std::uint8_t>(k);
    y.count(y.cell_of(w, i), kInMobility);
  });
}

}  // namespace careabm
