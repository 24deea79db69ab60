// Outflow: retirement at the pension age, then a yearly leaving hazard
// rate[occupation] x age-band x tenure-band x branch multipliers, split by
// destination: the reserve, leaving the region, death/disability, early retirement.
// Workload feedback (labour_market.feedback, off unless its elasticity is
// set): the hazard of every worker in a cell x min(cap, 1 + elasticity x that
// cell's shortage rate last year, (demand - supply) / demand, floored at 0).
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// The workload-feedback factor of every cell this year (from last year's shortage rate).
std::vector<double> feedback_factors(const Year& y) {
  const Params& p = y.p;
  const LabourMarket& lm = p.labour_market;
  std::vector<double> factor(p.cat.cells(), 1.0);
  for (int c = 0; c < p.cat.cells(); ++c) {
    const std::size_t k = y.out.at(y.t - 1, c);
    const double rate = y.out.demand[k] > 0 ? y.out.shortage_fte[k] / y.out.demand[k] : 0.0;
    factor[c] = feedback_factor(lm.feedback_elasticity, lm.feedback_cap, rate);
  }
  return factor;
}

// Leaving thresholds for every (age band, tenure band, cell) with the feedback factors.
std::vector<std::uint64_t> hazard_thresholds_by_cell(const Params& p, const std::vector<double>& factor) {
  const int A = p.age_bands.count(), T = p.tenure_bands.count(), O = p.cat.O(), B = p.cat.B();
  const int cells = p.cat.cells();
  std::vector<std::uint64_t> out(std::size_t(A) * T * cells);
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < cells; ++c) {
        const int o = c % O, b = (c / O) % B;
        const double h = p.outflow_rate[o] * p.outflow_age_mult[a] * p.outflow_tenure_mult[t] *
                         p.outflow_branch_mult[b] * factor[c];
        out[(std::size_t(a) * T + t) * cells + c] = rng::threshold(h);
      }
  return out;
}

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
  // With feedback the thresholds differ by cell, not just by (occupation, branch).
  const bool feedback = p.labour_market.feedback_elasticity > 0;
  const auto factor = feedback ? feedback_factors(y) : std::vector<double>();
  const auto thresholds = feedback ? hazard_thresholds_by_cell(p, factor) : hazard_thresholds(p);
  const auto age_band = band_lookup(p.age_bands), tenure_band = band_lookup(p.tenure_bands);
  const int T = p.tenure_bands.count(), O = p.cat.O(), B = p.cat.B();
  const int per_tenure = feedback ? p.cat.cells() : O * B;  // thresholds per (age band, tenure band)
  const double cum_reserve = p.share_to_reserve, cum_region = cum_reserve + p.share_left_region,
               cum_death = cum_region + p.share_death_disability;

  // Index parts by single year of age and of tenure (one lookup each per worker).
  std::uint32_t age_part[256], tenure_part[256];
  for (int v = 0; v < 256; ++v) {
    age_part[v] = static_cast<std::uint32_t>(age_band[v] * T * per_tenure);
    tenure_part[v] = static_cast<std::uint32_t>(tenure_band[v] * per_tenure);
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
    const std::size_t group = feedback ? std::size_t(y.cell_of(w, i)) : std::size_t(occupation[i]) * B + branch[i];
    std::uint64_t limit = limits[age_part[age[i]] + tenure_part[tenure[i]] + group];
    if (retention) {  // retention interventions: the hazard x their factors
      const double m = y.adj.retention_factor(occupation[i], branch[i], w.subregion[i], age[i], tenure[i],
                                              [&](const Adjustments::Rule& r) { y.add_units(r.k, 1.0); });
      if (m != 1.0) {
        limit = rng::threshold(p.outflow_rate[occupation[i]] * p.outflow_age_mult[age_band[age[i]]] *
                               p.outflow_tenure_mult[tenure_band[tenure[i]]] *
                               p.outflow_branch_mult[branch[i]] * m * (feedback ? factor[group] : 1.0));
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
