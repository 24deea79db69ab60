// The normal quantile function (core/normal.h) and the contract hours drawn with it.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/normal.h"
#include "simulation/initial_population.h"
#include "test_support.h"

using namespace careabm;

TEST_CASE("normal quantile: published values, symmetry, and Phi(Phi^-1(p)) = p") {
  // Reference quantiles (to 1e-12): 0.975 -> 1.959963984540054, 0.9 -> 1.281551565544601,
  // 1e-10 -> -6.361340902404056 (the far tail).
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(0.9) == doctest::Approx(1.281551565544601).epsilon(1e-12));
  CHECK(normal_quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-12));
  double worst = 0;
  for (int i = 1; i < 20000; ++i) {
    const double p = i / 20000.0;
    CHECK(normal_quantile(p) == doctest::Approx(-normal_quantile(1.0 - p)).epsilon(1e-12));
    const double back = 0.5 * std::erfc(-normal_quantile(p) / std::sqrt(2.0));
    worst = std::fmax(worst, std::fabs(back - p) / std::fmin(p, 1.0 - p));
  }
  CHECK(worst < 1e-13);
}

TEST_CASE("contract hours: mean and standard deviation of the scenario, within 5 standard errors") {
  // Limits 1-60, 3.5 sd or more from the means (22.3, 20.2; sd 6): clipping shifts the moments by
  // less than 1e-3 hours; employees only (self-employed hours are fixed).
  const Params p =
      test::load(test::example("minimal.toml"),
                 {"workforce.hours_min=1", "workforce.hours_max=60", "workforce.self_employed_share.helper=0",
                  "workforce.self_employed_share.vig=0", "workforce.self_employed_share.nurse=0"});
  const WorkerStore w = initial_workforce(p, 0);
  std::vector<double> by_branch_sum(p.cat.B(), 0), by_branch_sq(p.cat.B(), 0), count(p.cat.B(), 0);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w.state[i] != WorkerState::active) continue;
    by_branch_sum[w.branch[i]] += w.hours[i];
    by_branch_sq[w.branch[i]] += double(w.hours[i]) * w.hours[i];
    ++count[w.branch[i]];
  }
  for (int b = 0; b < p.cat.B(); ++b) {
    CAPTURE(b);
    REQUIRE(count[b] > 100);
    const double mean = by_branch_sum[b] / count[b], var = by_branch_sq[b] / count[b] - mean * mean;
    const double sd = p.hours_sd;
    CHECK(std::abs(mean - p.hours_mean[b]) <= 5 * sd / std::sqrt(count[b]));
    CHECK(std::abs(std::sqrt(var) - sd) <= 5 * sd / std::sqrt(2 * count[b]));
  }
}
