// One uncertain number: its band and the distribution over it, and the value
// at a quantile (used by parameter uncertainty and sweeps).
#pragma once

namespace careabm::stats {

enum class Distribution { uniform, log_uniform, triangular, normal };

struct Band {
  Distribution distribution = Distribution::uniform;
  double lower = 0, upper = 0;
  double mode = 0;          // triangular
  double mean = 0, sd = 0;  // normal, truncated to [lower, upper]
};

// The value at quantile u of the band's distribution, u in [0, 1]: uniform
// lower + u (upper - lower); log-uniform exp of that in logs; triangular
// (lower, mode, upper) by its inverse CDF; normal(mean, sd) truncated to
// [lower, upper] by the inverse CDF on [Phi(lower), Phi(upper)]. The ends of
// the unit range map exactly onto the bounds.
double band_quantile(const Band& band, double u);

}  // namespace careabm::stats
