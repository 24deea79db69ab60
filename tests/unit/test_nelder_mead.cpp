#include <doctest/doctest.h>

#include <cmath>

#include "stats/nelder_mead.h"

using careabm::stats::nelder_mead;

TEST_CASE("Nelder-Mead finds the minimum of the Rosenbrock function") {
  auto rosenbrock = [](const Eigen::VectorXd& x) {
    return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
  };
  Eigen::VectorXd start(2), lower(2), upper(2);
  start << -1.2, 1.0;
  lower << -2, -2;
  upper << 2, 2;
  careabm::stats::NelderMeadOptions options;
  options.max_evaluations = 2000;
  options.x_tolerance = 1e-8;
  options.f_tolerance = 1e-14;
  const auto r = nelder_mead(rosenbrock, start, lower, upper, options);
  CHECK(r.converged);
  CHECK(r.x[0] == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(r.x[1] == doctest::Approx(1.0).epsilon(1e-4));
}

TEST_CASE("Nelder-Mead respects the box: the minimum on the bound is found, never crossed") {
  auto f = [](const Eigen::VectorXd& x) {
    CHECK(x[0] >= 0.5);
    return std::pow(x[0], 2) + std::pow(x[1] - 0.3, 2) + std::pow(x[2] + 0.1, 2);
  };
  Eigen::VectorXd start = Eigen::VectorXd::Constant(3, 0.8), lower = Eigen::VectorXd::Constant(3, -1),
                  upper = Eigen::VectorXd::Constant(3, 1);
  lower[0] = 0.5;
  const auto r = nelder_mead(f, start, lower, upper);
  CHECK(r.x[0] == doctest::Approx(0.5).epsilon(1e-3));
  CHECK(r.x[1] == doctest::Approx(0.3).epsilon(1e-3));
  CHECK(r.x[2] == doctest::Approx(-0.1).epsilon(1e-3));
}
