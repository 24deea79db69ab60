// Occupational mobility (mobility.h): the year's move thresholds.
#include "processes/mobility.h"

namespace careabm {

Mobility::Mobility(const Year& y) : y_(y), O_(y.p.cat.O()), fills_(y.p.labour_market.may_fill) {
  const Params& p = y.p;
  const LabourMarket& lm = p.labour_market;
  if (lm.mobility.empty()) return;
  const int O = O_, cells = p.cat.cells();
  to_.assign(std::size_t(cells) * O, 0);
  moves_.assign(cells, 0);
  for (int c = 0; c < cells; ++c) {
    const int o = c % O, sb_cell = c - o;  // cells of one (subregion, branch) are consecutive
    std::vector<double> prob(O, 0.0);
    double sum = 0;
    for (int k = 0; k < O; ++k) {
      if (k == o) continue;
      // Only the on-the-job route (a job the level o does not cover) rises
      // with the destination's vacancies; a move down keeps its base rate.
      const bool route = !lm.fills(o, k, O);
      const double rate = y.vacancies.empty() || !route ? 0.0 : y.vacancies.rate[sb_cell + k];
      prob[k] = lm.mobility[o][k] * (1.0 + lm.mobility_vacancy_elasticity * rate);
      sum += prob[k];
    }
    const double scale = sum > 1.0 ? 1.0 / sum : 1.0;
    double acc = 0;
    for (int k = 0; k < O; ++k) {
      acc += prob[k] * scale;
      to_[std::size_t(c) * O + k] = rng::threshold(acc);
    }
    moves_[c] = acc > 0;
  }
}

}  // namespace careabm
