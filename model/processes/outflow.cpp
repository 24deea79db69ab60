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

  const WorkerState* const state = w.state.data();
  auto in_sector = [state](std::size_t i) { return working(state[i]); };
  for_each_draw(w.uid, y, rng::Event::outflow, in_sector, [&](std::size_t i, const rng::Block& draw) {
    const int cell = y.cell_of(w, i);
    if (w.age[i] >= p.pension_age) {
      w.state[i] = WorkerState::gone;
      y.count(cell, kOutRetirement);
      return;
    }
    const std::size_t k =
        ((std::size_t(age_band[w.age[i]]) * T + tenure_band[w.tenure[i]]) * O + w.occupation[i]) * B +
        w.branch[i];
    std::uint64_t limit = thresholds[k];
    if (!y.adj.retention.empty()) {  // retention interventions: the hazard x their factors
      const double m =
          y.adj.retention_factor(w.occupation[i], w.branch[i], w.subregion[i], w.age[i], w.tenure[i],
                                 [&](const Adjustments::Rule& r) { y.add_units(r.k, 1.0); });
      if (m != 1.0) {
        limit = rng::threshold(p.outflow_rate[w.occupation[i]] * p.outflow_age_mult[age_band[w.age[i]]] *
                               p.outflow_tenure_mult[tenure_band[w.tenure[i]]] *
                               p.outflow_branch_mult[w.branch[i]] * m);
      }
    }
    if (draw[0] >= limit) return;
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
