// Re-entry from the reserve (reentry.h): the year's tables.
#include "processes/reentry.h"

namespace careabm {

Reentry::Reentry(const Year& y, std::uint32_t* spare_word, std::vector<Seeker>* seekers)
    : y_(y),
      spare_word_(spare_word),
      seekers_(y.p.labour_market.vacancy_weight > 0 && !y.vacancies.empty() ? seekers : nullptr),
      w_(y.p.labour_market.vacancy_weight),
      pension_age_(y.p.pension_age_whole()),
      max_years_(y.p.reserve_max_years) {
  for (int v = 0; v < 256; ++v) by_years_[v] = rng::threshold(y.p.reentry_hazard[y.p.reserve_bands.band(v)]);
}

}  // namespace careabm
