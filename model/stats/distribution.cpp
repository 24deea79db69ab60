#include "stats/distribution.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace careabm::stats {

double band_quantile(const Band& b, double u) {
  const double lo = b.lower, hi = b.upper;
  if (u <= 0) return lo;
  if (u >= 1) return hi;
  switch (b.distribution) {
    case Distribution::uniform: return lo + u * (hi - lo);
    case Distribution::log_uniform: return std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)));
    case Distribution::triangular: {
      const double split = (b.mode - lo) / (hi - lo);
      return u < split ? lo + std::sqrt(u * (hi - lo) * (b.mode - lo))
                       : hi - std::sqrt((1 - u) * (hi - lo) * (hi - b.mode));
    }
    case Distribution::normal: {
      const boost::math::normal_distribution<double> normal(b.mean, b.sd);
      const double a = boost::math::cdf(normal, lo), z = boost::math::cdf(normal, hi);
      const double q = a + u * (z - a);
      return q <= 0 ? lo : q >= 1 ? hi : std::clamp(boost::math::quantile(normal, q), lo, hi);
    }
  }
  return lo;
}

}  // namespace careabm::stats
