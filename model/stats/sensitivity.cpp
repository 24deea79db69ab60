#include "stats/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.h"
#include "stats/design.h"

namespace careabm::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_finite(const Eigen::VectorXd& y, const char* who) {
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (!std::isfinite(y(i)))
      throw std::invalid_argument(std::string(who) + ": output of design row " + std::to_string(i) +
                                  " is not finite (" + std::to_string(y(i)) + ")");
}

// The estimators of one (re)sample. base[m] is the base sample used as the m-th
// of n; the identity gives the point estimate. Returns V (0 when degenerate).
double estimate(const Eigen::VectorXd& y, int n, int k, const std::vector<std::uint32_t>& base,
                Eigen::Ref<Eigen::VectorXd> first, Eigen::Ref<Eigen::VectorXd> total) {
  const double* f_a = y.data();
  const double* f_b = y.data() + n;
  double mean = 0;
  for (const auto m : base) mean += f_a[m] + f_b[m];
  mean /= 2.0 * n;
  double variance = 0;
  for (const auto m : base)
    variance += (f_a[m] - mean) * (f_a[m] - mean) + (f_b[m] - mean) * (f_b[m] - mean);
  variance /= 2.0 * n;
  // A constant output leaves rounding noise, not zero, when its mean is inexact (0.1 summed
  // n times): spread below 1e-12 of the output's magnitude counts as none.
  double magnitude = 0;
  for (const auto m : base) magnitude = std::max({magnitude, std::abs(f_a[m]), std::abs(f_b[m])});
  if (!(std::sqrt(variance) > 1e-12 * magnitude)) return 0;
  for (int i = 0; i < k; ++i) {
    const double* f_ab = y.data() + static_cast<std::ptrdiff_t>(2 + i) * n;
    double first_sum = 0, total_sum = 0;
    for (const auto m : base) {
      // Centring f(B) changes no expectation (E[f(AB_i) - f(A)] = 0) but removes the
      // mean^2 term from the estimator's variance: shortages of thousands of FTE that
      // vary by tens would otherwise drown S_i in noise.
      first_sum += (f_b[m] - mean) * (f_ab[m] - f_a[m]);
      total_sum += (f_a[m] - f_ab[m]) * (f_a[m] - f_ab[m]);
    }
    first(i) = first_sum / n / variance;
    total(i) = total_sum / (2.0 * n) / variance;
  }
  return variance;
}

// Percentile with linear interpolation between order statistics (Hyndman & Fan type 7).
double percentile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

SobolIndices sobol_indices(const Eigen::VectorXd& y, int n, int k, int bootstrap_resamples,
                           std::uint64_t seed, double confidence) {
  if (n < 2)
    throw std::invalid_argument("sobol_indices: need n >= 2 base samples, got " +
                                std::to_string(n));
  if (k < 1)
    throw std::invalid_argument("sobol_indices: need k >= 1 parameters, got " + std::to_string(k));
  if (y.size() != saltelli_rows(n, k))
    throw std::invalid_argument("sobol_indices: " + std::to_string(y.size()) +
                                " outputs, but a Saltelli design with n = " + std::to_string(n) +
                                ", k = " + std::to_string(k) +
                                " has n(k+2) = " + std::to_string(saltelli_rows(n, k)) + " rows");
  if (bootstrap_resamples < 0)
    throw std::invalid_argument("sobol_indices: bootstrap_resamples must be >= 0");
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("sobol_indices: confidence must lie in (0,1)");
  require_finite(y, "sobol_indices");

  SobolIndices out;
  out.first.resize(k);
  out.total.resize(k);
  out.confidence = confidence;
  std::vector<std::uint32_t> base(static_cast<std::size_t>(n));
  for (int m = 0; m < n; ++m) base[static_cast<std::size_t>(m)] = static_cast<std::uint32_t>(m);
  out.variance = estimate(y, n, k, base, out.first, out.total);
  if (out.variance == 0)
    throw std::invalid_argument(
        "sobol_indices: the output has zero variance over the design (a constant output has no "
        "sensitivity indices)");

  out.first_lo = out.first_hi = out.total_lo = out.total_hi = Eigen::VectorXd::Constant(k, kNaN);
  if (bootstrap_resamples == 0) return out;

  // Column b holds resample b's indices. A resample whose A and B outputs happen
  // to be all equal (possible only for tiny n) has no indices and is left out.
  Eigen::MatrixXd first(k, bootstrap_resamples), total(k, bootstrap_resamples);
  const rng::Stream stream(seed, 0);
  int used = 0;
  for (int b = 0; b < bootstrap_resamples; ++b) {
    for (int m = 0; m < n; ++m) {
      // Draw (resample b, position m): year 0, uid b * 2^32 + m.
      const auto words =
          stream.draw(0, (static_cast<std::uint64_t>(b) << 32) | static_cast<std::uint32_t>(m),
                      rng::Event::bootstrap);
      base[static_cast<std::size_t>(m)] = static_cast<std::uint32_t>(
          (std::uint64_t{words[0]} * static_cast<std::uint64_t>(n)) >> 32);
    }
    if (estimate(y, n, k, base, first.col(used), total.col(used)) > 0) ++used;
  }
  out.resamples = used;
  if (used == 0) return out;

  const double tail = (1 - confidence) / 2;
  std::vector<double> sorted(static_cast<std::size_t>(used));
  const auto interval = [&](const Eigen::MatrixXd& estimates, int i, double& lo, double& hi) {
    for (int b = 0; b < used; ++b) sorted[static_cast<std::size_t>(b)] = estimates(i, b);
    std::sort(sorted.begin(), sorted.end());
    lo = percentile(sorted, tail);
    hi = percentile(sorted, 1 - tail);
  };
  for (int i = 0; i < k; ++i) {
    interval(first, i, out.first_lo(i), out.first_hi(i));
    interval(total, i, out.total_lo(i), out.total_hi(i));
  }
  return out;
}

MorrisEffects morris_effects(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, int r, int k,
                             int levels) {
  if (r < 1 || k < 1) throw std::invalid_argument("morris_effects: need r >= 1 and k >= 1");
  if (levels < 2 || levels % 2 != 0)
    throw std::invalid_argument("morris_effects: levels must be even and >= 2, got " +
                                std::to_string(levels));
  if (design.rows() != morris_rows(r, k) || design.cols() != k)
    throw std::invalid_argument("morris_effects: design is " + std::to_string(design.rows()) +
                                " x " + std::to_string(design.cols()) +
                                ", but r = " + std::to_string(r) +
                                " trajectories of k = " + std::to_string(k) + " parameters need " +
                                std::to_string(morris_rows(r, k)) + " x " + std::to_string(k));
  if (y.size() != design.rows())
    throw std::invalid_argument("morris_effects: " + std::to_string(y.size()) + " outputs for " +
                                std::to_string(design.rows()) + " design rows");
  require_finite(y, "morris_effects");

  const double delta = morris_delta(levels);
  // Grid values are exact or within an ulp of it; anything beyond this is a real difference.
  constexpr double kTolerance = 1e-9;
  MorrisEffects out;
  out.effects.resize(r, k);
  for (int t = 0; t < r; ++t) {
    std::vector<bool> moved(static_cast<std::size_t>(k), false);
    for (int step = 0; step < k; ++step) {
      const Eigen::Index row = static_cast<Eigen::Index>(t) * (k + 1) + step;
      const Eigen::RowVectorXd change = design.row(row + 1) - design.row(row);
      int changed = -1;
      for (int j = 0; j < k; ++j) {
        if (std::abs(change(j)) <= kTolerance) continue;
        if (changed >= 0)
          throw std::invalid_argument("morris_effects: design rows " + std::to_string(row) +
                                      " and " + std::to_string(row + 1) +
                                      " differ in more than one parameter (" +
                                      std::to_string(changed) + " and " + std::to_string(j) + ")");
        changed = j;
      }
      if (changed < 0)
        throw std::invalid_argument("morris_effects: design rows " + std::to_string(row) + " and " +
                                    std::to_string(row + 1) + " are equal");
      if (std::abs(std::abs(change(changed)) - delta) > kTolerance)
        throw std::invalid_argument(
            "morris_effects: parameter " + std::to_string(changed) + " moves by " +
            std::to_string(change(changed)) + " between rows " + std::to_string(row) + " and " +
            std::to_string(row + 1) + ", not +-delta = " + std::to_string(delta) +
            " (pass the unit design, with the same levels)");
      if (moved[static_cast<std::size_t>(changed)])
        throw std::invalid_argument("morris_effects: parameter " + std::to_string(changed) +
                                    " moves twice in trajectory " + std::to_string(t));
      moved[static_cast<std::size_t>(changed)] = true;
      // Divide by the exact signed step (+-delta), not the rounded difference.
      const double signed_step = change(changed) > 0 ? delta : -delta;
      out.effects(t, changed) = (y(row + 1) - y(row)) / signed_step;
    }
  }
  out.mu = out.effects.colwise().mean();
  out.mu_star = out.effects.cwiseAbs().colwise().mean();
  if (r == 1) {
    out.sigma = Eigen::VectorXd::Constant(k, kNaN);
  } else {
    out.sigma = ((out.effects.rowwise() - out.mu.transpose()).colwise().squaredNorm() / (r - 1))
                    .cwiseSqrt()
                    .transpose();
  }
  return out;
}

}  // namespace careabm::stats
