#include "stats/nelder_mead.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace careabm::stats {

NelderMeadResult nelder_mead(const std::function<double(const Eigen::VectorXd&)>& objective,
                             const Eigen::VectorXd& start, const Eigen::VectorXd& lower,
                             const Eigen::VectorXd& upper, const NelderMeadOptions& options,
                             const NelderMeadProgress& progress) {
  const int n = static_cast<int>(start.size());
  const double dim = std::max(1, n);
  // Gao & Han (2012) adaptive parameters: standard (1, 2, 0.5, 0.5) for n = 2.
  const double alpha = 1.0, beta = 1.0 + 2.0 / dim, gamma = 0.75 - 1.0 / (2.0 * dim),
               delta = 1.0 - 1.0 / dim;
  int evaluations = 0;
  double best_seen = std::numeric_limits<double>::infinity();
  auto clamp = [&](Eigen::VectorXd x) { return Eigen::VectorXd(x.cwiseMax(lower).cwiseMin(upper)); };
  auto f = [&](const Eigen::VectorXd& x) {
    const double v = objective(x);
    ++evaluations;
    best_seen = std::min(best_seen, v);
    if (progress) progress(evaluations, best_seen);
    return v;
  };

  std::vector<Eigen::VectorXd> simplex{clamp(start)};
  for (int i = 0; i < n; ++i) {
    Eigen::VectorXd x = simplex[0];
    const double step = options.initial_step * (upper[i] - lower[i]);
    x[i] = x[i] + step <= upper[i] ? x[i] + step : x[i] - step;  // stay inside the box
    simplex.push_back(clamp(x));
  }
  std::vector<double> values;
  for (const auto& x : simplex) values.push_back(f(x));

  std::vector<int> order(n + 1);
  bool converged = false;
  while (evaluations < options.max_evaluations) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[a] < values[b]; });
    const int best = order.front(), worst = order.back(), second = order[n - 1];
    double size = 0;
    for (const auto& x : simplex) size = std::max(size, (x - simplex[best]).cwiseAbs().maxCoeff());
    if (size < options.x_tolerance && values[worst] - values[best] < options.f_tolerance) {
      converged = true;
      break;
    }
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(n);
    for (int i = 0; i <= n; ++i)
      if (i != worst) centroid += simplex[i];
    centroid /= dim;

    const Eigen::VectorXd reflected = clamp(centroid + alpha * (centroid - simplex[worst]));
    const double f_reflected = f(reflected);
    if (f_reflected < values[best]) {
      const Eigen::VectorXd expanded = clamp(centroid + beta * (reflected - centroid));
      const double f_expanded = f(expanded);
      if (f_expanded < f_reflected) {
        simplex[worst] = expanded, values[worst] = f_expanded;
      } else {
        simplex[worst] = reflected, values[worst] = f_reflected;
      }
      continue;
    }
    if (f_reflected < values[second]) {
      simplex[worst] = reflected, values[worst] = f_reflected;
      continue;
    }
    const bool outside = f_reflected < values[worst];
    const Eigen::VectorXd contracted =
        clamp(outside ? centroid + gamma * (reflected - centroid) : centroid + gamma * (simplex[worst] - centroid));
    const double f_contracted = f(contracted);
    if (f_contracted < std::min(f_reflected, values[worst])) {
      simplex[worst] = contracted, values[worst] = f_contracted;
      continue;
    }
    for (int i = 0; i <= n; ++i) {  // shrink towards the best point
      if (i == best) continue;
      simplex[i] = clamp(simplex[best] + delta * (simplex[i] - simplex[best]));
      values[i] = f(simplex[i]);
    }
  }
  const auto best = std::min_element(values.begin(), values.end()) - values.begin();
  return {simplex[best], values[best], evaluations, converged};
}

}  // namespace careabm::stats
