// The reserve: qualified people who left the sector. Each year a member may
// return (hazard by years since leaving) or leave the reserve for good (at
// the pension age, or after the maximum years away). A returner goes back to
// the former cell, or, with a labour market, for a share vacancy_weight, to
// an open job in the former subregion that the qualification may hold
// (processes/labour_market.h).
#include "processes/year.h"

namespace careabm {

void reentry(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  // Re-entry threshold by years since leaving (looked up, not searched, per member).
  std::uint64_t by_years[256];
  for (int v = 0; v < 256; ++v) by_years[v] = rng::threshold(p.reentry_hazard[p.reserve_bands.band(v)]);

  // Selecting the members who may return also retires the others for good
  // (no draw needed): one pass over the store, computed without branches.
  WorkerState* const state = w.state.data();
  const std::uint8_t *const age = w.age.data(), *const since_left = w.since_left.data();
  const int pension_age = p.pension_age, max_years = p.reserve_max_years;
  auto returning = [&](std::size_t i) {
    const bool waiting = (state[i] == WorkerState::reserve) & (since_left[i] != 0);  // not left this year
    const bool leaves = waiting & ((age[i] >= pension_age) | (since_left[i] > max_years));
    state[i] = leaves ? WorkerState::gone : state[i];
    return bool(waiting & !leaves);
  };
  const int B = p.cat.B(), O = p.cat.O();
  const double w_vacancy = p.labour_market.vacancy_weight;
  const auto open = open_jobs(p, y.vacancies, true);
  for_each_draw(w.uid, y, rng::Event::reentry, returning, [&](std::size_t i, const rng::Block& draw) {
    if (draw[0] < by_years[w.since_left[i]]) {
      w.state[i] = WorkerState::active;
      w.since_left[i] = 0;
      const int cell = mix_with_vacancies(y.cell_of(w, i), open[std::size_t(w.subregion[i]) * O + w.qualification[i]],
                                          w_vacancy, draw[1]);
      w.branch[i] = static_cast<std::uint8_t>((cell / O) % B);
      w.occupation[i] = static_cast<std::uint8_t>(cell % O);
      y.count(cell, kInReentry);
    }
  });
}

}  // namespace careabm
