// Outflow (outflow.h): the year's tables.
#include <cmath>
#include <vector>

#include "processes/outflow.h"

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

Outflow::Outflow(const Year& y, std::uint32_t* spare_word) : y_(y), spare_word_(spare_word) {
  const Params& p = y.p;
  // With feedback the thresholds differ by cell, not just by (occupation, branch).
  feedback_ = p.labour_market.feedback_elasticity > 0;
  if (feedback_) factor_ = feedback_factors(y);
  limits_ = feedback_ ? hazard_thresholds_by_cell(p, factor_) : hazard_thresholds(p);
  age_band_ = band_lookup(p.age_bands), tenure_band_ = band_lookup(p.tenure_bands);
  const int T = p.tenure_bands.count();
  B_ = p.cat.B();
  const int per_tenure = feedback_ ? p.cat.cells() : p.cat.O() * B_;  // thresholds per (age band, tenure band)
  for (int v = 0; v < 256; ++v) {
    age_part_[v] = static_cast<std::uint32_t>(age_band_[v] * T * per_tenure);
    tenure_part_[v] = static_cast<std::uint32_t>(tenure_band_[v] * per_tenure);
  }
  pension_floor_ = static_cast<int>(std::floor(p.pension_age));
  retire_at_floor_ = rng::threshold(1.0 - (p.pension_age - std::floor(p.pension_age)));
  retention_ = !y.adj.retention.empty();
  cum_reserve_ = p.share_to_reserve, cum_region_ = cum_reserve_ + p.share_left_region,
  cum_death_ = cum_region_ + p.share_death_disability;
}

std::uint64_t Outflow::retained(const WorkerStore& w, std::size_t i, std::size_t group, std::uint64_t limit) const {
  const Params& p = y_.p;
  const int o = w.occupation[i], b = w.branch[i], age = w.age[i], tenure = w.tenure[i];
  const double m = y_.adj.retention_factor(o, b, w.subregion[i], age, tenure,
                                           [&](const Adjustments::Rule& r) { y_.add_unit(r.k); });
  if (m == 1.0) return limit;
  return rng::threshold(p.outflow_rate[o] * p.outflow_age_mult[age_band_[age]] *
                        p.outflow_tenure_mult[tenure_band_[tenure]] * p.outflow_branch_mult[b] * m *
                        (feedback_ ? factor_[group] : 1.0));
}

}  // namespace careabm
