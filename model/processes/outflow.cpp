// Outflow: retirement at the pension age, then a yearly leaving hazard
// rate[occupation] x age-band x tenure-band x branch multipliers, split by
// destination: the reserve, leaving the region, death/disability, early retirement.
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// Leaving thresholds for every (age band, tenure band, occupation, branch).
std::vector<std::uint64_t> hazard_thresholds(const Params& p) {
  const int A = p.age_bands.count(), T = p.tenure_bands.count(), O = p.cat.O(), B = p.cat.B();
  std::vector<std::uint64_t> out(std::size_t(A) * T * O * B);
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < T; ++t)
      for (int o = 0; o < O; ++o)
        for (int b = 0; b < B; ++b) {
          const double h =
              p.outflow_rate[o] * p.outflow_age_mult[a] * p.outflow_tenure_mult[t] * p.outflow_branch_mult[b];
          out[((std::size_t(a) * T + t) * O + o) * B + b] = rng::threshold(h);
        }
  return out;
}

std::vector<std::uint8_t> band_lookup(const Bands& bands) {
  std::vector<std::uint8_t> out(256);
  for (int v = 0; v < 256; ++v) out[v] = static_cast<std::uint8_t>(bands.band(v));
  return out;
}

}  // namespace

void outflow(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  const auto thresholds = hazard_thresholds(p);
  const auto age_band = band_lookup(p.age_bands), tenure_band = band_lookup(p.tenure_bands);
  const int T = p.tenure_bands.count(), O = p.cat.O(), B = p.cat.B();
  const double cum_reserve = p.share_to_reserve, cum_region = cum_reserve + p.share_left_region,
               cum_death = cum_region + p.share_death_disability;

  // Index parts by single year of age and of tenure (one lookup each per worker).
  std::uint32_t age_part[256], tenure_part[256];
  for (int v = 0; v < 256; ++v) {
    age_part[v] = static_cast<std::uint32_t>(age_band[v] * T * O * B);
    tenure_part[v] = static_cast<std::uint32_t>(tenure_band[v] * O * B);
  }
  const std::uint64_t* const limits = thresholds.data();
  const std::uint8_t *const age = w.age.data(), *const tenure = w.tenure.data();
  const std::uint8_t *const occupation = w.occupation.data(), *const branch = w.branch.data();
  const int pension_age = p.pension_age;
  const bool retention = !y.adj.retention.empty();

  const WorkerState* const state = w.state.data();
  auto in_sector = [state](std::size_t i) { return working(state[i]); };
  for_each_draw(w.uid, y, rng::Event::outflow, in_sector, [&](std::size_t i, const rng::Block& draw) {
    if (age[i] >= pension_age) {
      w.state[i] = WorkerState::gone;
      y.count(y.cell_of(w, i), kOutRetirement);
      return;
    }
    std::uint64_t limit =
        limits[age_part[age[i]] + tenure_part[tenure[i]] + std::size_t(occupation[i]) * B + branch[i]];
    if (retention) {  // retention interventions: the hazard x their factors
      const double m = y.adj.retention_factor(occupation[i], branch[i], w.subregion[i], age[i], tenure[i],
                                              [&](const Adjustments::Rule& r) { y.add_units(r.k, 1.0); });
      if (m != 1.0) {
        limit = rng::threshold(p.outflow_rate[occupation[i]] * p.outflow_age_mult[age_band[age[i]]] *
                               p.outflow_tenure_mult[tenure_band[tenure[i]]] *
                               p.outflow_branch_mult[branch[i]] * m);
      }
    }
    if (draw[0] >= limit) return;
    const int cell = y.cell_of(w, i);
    const double u = rng::to_unit(draw[1]);
    if (u < cum_reserve) {
      w.state[i] = WorkerState::reserve;
      w.since_left[i] = 0;
      y.count(cell, kOutToReserve);
    } else {
      w.state[i] = WorkerState::gone;
      y.count(cell, u < cum_region ? kOutLeftRegion : u < cum_death ? kOutDeathDisability : kOutRetirement);
    }
  });
}

}  // namespace careabm
