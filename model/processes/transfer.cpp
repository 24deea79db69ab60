// Transfers (transfer.h): the year's tables.
#include "processes/transfer.h"

namespace careabm {

Moves::Moves(const std::vector<std::vector<double>>& m) : n(static_cast<int>(m.size())) {
  for (int r = 0; r < n; ++r) {
    double acc = 0;
    for (int j = 0; j < n; ++j) {
      if (j != r) acc += m[r][j];
      to.push_back(rng::threshold(acc));
    }
    move.push_back(rng::threshold(acc));
  }
}

Transfer::Transfer(const Year& y)
    : y_(y),
      branch_(y.p.branch_transfer),
      subregion_(y.p.subregion_transfer),
      to_self_(rng::threshold(y.p.to_self_employed)),
      to_employee_(rng::threshold(y.p.to_employee)),
      w_vacancy_(y.p.labour_market.vacancy_weight),
      B_(y.p.cat.B()),
      O_(y.p.cat.O()) {
  if (w_vacancy_ <= 0 || y.vacancies.empty()) return;
  const Params& p = y.p;
  open_other_.resize(std::size_t(p.cat.S()) * O_ * B_);
  for (int s = 0; s < p.cat.S(); ++s)
    for (int o = 0; o < O_; ++o)
      for (int from = 0; from < B_; ++from)
        for (int b = 0; b < B_; ++b) {
          if (b != from) open_other_[(std::size_t(s) * O_ + o) * B_ + from].add(b, y.vacancies.fte[p.cat.cell(s, b, o)]);
        }
}

}  // namespace careabm
