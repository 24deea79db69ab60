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

Transfer::Transfer(const Year& y, std::vector<Seeker>* seekers)
    : y_(y),
      branch_(y.p.branch_transfer),
      subregion_(y.p.subregion_transfer),
      to_self_(rng::threshold(y.p.to_self_employed)),
      to_employee_(rng::threshold(y.p.to_employee)),
      seekers_(y.p.labour_market.vacancy_weight > 0 && !y.vacancies.empty() ? seekers : nullptr),
      w_(y.p.labour_market.vacancy_weight) {}

}  // namespace careabm
