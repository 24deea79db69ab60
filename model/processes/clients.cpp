// Clients: older people receiving formal long-term care (DESIGN.md "Clients").
// Each year every client is a year older and may die (probability by need
// level and age band; everyone reaching the maximum age dies); survivors'
// needs move by the yearly transition matrix. A resident whose need is no
// longer one that a nursing home takes goes home. Then new clients arrive:
// population x incidence per subregion and age band (rounded to whole
// persons), entering at a need drawn from the entry distribution, at home.
// Placement in nursing homes is the next process (placement.cpp).
#include <cmath>
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {
std::vector<double> cumulative(const std::vector<double>& v) {
  std::vector<double> out(v);
  for (std::size_t j = 1; j < out.size(); ++j) out[j] += out[j - 1];
  return out;
}
}  // namespace

void clients(ClientStore& c, const Year& y) {
  const Params& p = y.p;
  const Clients& cp = p.clients;
  if (!cp.enabled) return;
  RunResult& out = y.out;
  const int A = cp.A();
  std::vector<std::uint64_t> death(cp.mortality.size());
  for (std::size_t k = 0; k < death.size(); ++k) death[k] = rng::threshold(cp.mortality[k]);
  std::vector<std::vector<double>> transition_cum;
  // Reablement interventions slow need progression this year (y.adj.transition).
  for (const auto& row : y.adj.transition.empty() ? cp.transition : y.adj.transition) {
    transition_cum.push_back(cumulative(row));
  }
  std::vector<std::uint8_t> band_of(256);
  for (int v = 0; v < 256; ++v) band_of[v] = static_cast<std::uint8_t>(cp.age_bands.band(v));

  // Deaths, then need progression of the survivors: two passes, each drawing a chunk at a time.
  auto alive = [&](std::size_t i) { return !c.dead[i]; };
  for_each_draw(c.uid, y, rng::Event::client_death, alive, [&](std::size_t i, const rng::Block& d) {
    if (c.age[i] < 255) ++c.age[i];
    if (c.age[i] >= cp.max_age || d[0] < death[std::size_t(c.need[i]) * A + band_of[c.age[i]]]) {
      c.dead[i] = 1;
      ++out.clients_deaths[out.subregion_at(y.t, c.subregion[i])];
    }
  });
  for_each_draw(c.uid, y, rng::Event::client_progression, alive, [&](std::size_t i, const rng::Block& g) {
    for (const auto& r : y.adj.reablement) {  // units: client-years in the target needs
      if (r.v->needs[c.need[i]]) y.add_units(r.k, 1.0);
    }
    c.need[i] = static_cast<std::uint8_t>(pick(transition_cum[c.need[i]], rng::to_unit(g[0])));
    if (!cp.nursing_home_eligible[c.need[i]] && c.setting[i] != cp.home_setting) {
      c.setting[i] = static_cast<std::uint8_t>(cp.home_setting);
      c.waiting[i] = 0;
    }
  });

  const auto entry_cum = cumulative(cp.entry_need);
  for (int s = 0; s < p.cat.S(); ++s)
    for (int a = 0; a < A; ++a) {
      const double expected = cp.population[(std::size_t(y.t) * p.cat.S() + s) * A + a] * cp.incidence[a];
      const auto count = static_cast<std::uint64_t>(std::llround(expected));
      const int from = cp.age_bands.lower[a];
      const int span = (a + 1 < A ? cp.age_bands.lower[a + 1] : cp.max_age) - from;
      for (std::uint64_t j = 0; j < count; ++j) {
        const auto uid = make_uid(kNewClientOrigin, y.year, new_client_index(s, a, j));
        const auto d = y.rng.draw(y.year, uid, rng::Event::client_incidence);
        const int need = pick(entry_cum, rng::to_unit(d[0]));
        const int age = from + static_cast<int>(rng::to_unit(d[1]) * span);
        c.add(uid, static_cast<std::uint8_t>(s), static_cast<std::uint8_t>(need),
              static_cast<std::uint8_t>(cp.home_setting), static_cast<std::uint8_t>(age));
      }
      out.clients_new[out.subregion_at(y.t, s)] += static_cast<std::int64_t>(count);
    }
}

}  // namespace careabm
