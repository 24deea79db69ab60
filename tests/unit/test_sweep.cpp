// Sweep files (run/sweep_spec.h): parsing the shipped examples, parameter values
// from the unit design, and overrides that read back exactly.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "experiments/sweep_spec.h"
#include "test_support.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {
fs::path shipped(const std::string& name) { return test::source_dir() / "scenarios" / "sweeps" / name; }
}  // namespace

TEST_CASE("sweep spec: the shipped minimal Saltelli sweep") {
  const auto s = sweep::load_sweep(shipped("minimal-saltelli.toml"));
  CHECK(s.design == sweep::DesignKind::saltelli);
  CHECK(s.k() == 3);
  CHECK(s.points() == 64 * 5);
  CHECK(s.replications == 4);
  CHECK(s.seed == 2024);
  CHECK(s.scenario_name == "minimal");
  CHECK(s.scenario_seed == 20221);
  REQUIRE(s.outputs.size() == 3);
  CHECK(s.outputs[1].selection.variable == "shortage/persons");
  CHECK(s.outputs[1].selection.year == 2031);
  CHECK(s.parameters[1].integer);   // career switchers per year: an integer in the scenario
  CHECK(!s.parameters[0].integer);
  CHECK(s.parameters[2].distribution == sweep::Distribution::normal);

  const Eigen::MatrixXd unit = sweep::unit_design(s);
  CHECK(unit.rows() == s.points());
  const Eigen::MatrixXd values = sweep::parameter_values(s, unit);
  for (Eigen::Index i = 0; i < values.rows(); ++i) {
    for (int j = 0; j < s.k(); ++j) {
      CHECK(values(i, j) >= s.parameters[j].lower);
      CHECK(values(i, j) <= s.parameters[j].upper);
    }
    CHECK(values(i, 1) == std::round(values(i, 1)));
  }
  // Pure function of the spec: the same design again.
  CHECK(sweep::unit_design(s) == unit);
}

TEST_CASE("sweep spec: the shipped ZW-Connect Sobol' sweep is valid") {
  const auto s = sweep::load_sweep(shipped("zwconnect-2022-sobol.toml"));
  CHECK(s.points() == 128 * (s.k() + 2));
  CHECK(s.scenario_name == "zwconnect-2022");
}

TEST_CASE("sweep spec: distributions map the unit range onto [lower, upper]") {
  sweep::SweepSpec s;
  const auto parameter = [](double lower, double upper, sweep::Distribution d, double mean = 0, double sd = 0) {
    sweep::SweepParameter p;
    p.lower = lower;
    p.upper = upper;
    p.distribution = d;
    p.mean = mean;
    p.sd = sd;
    return p;
  };
  s.parameters = {parameter(1, 3, sweep::Distribution::uniform),
                  parameter(0.01, 1, sweep::Distribution::log_uniform),
                  parameter(0, 10, sweep::Distribution::normal, 4, 2)};
  Eigen::MatrixXd unit(3, 3);
  unit << 0, 0, 0, 0.5, 0.5, 0.5, 1, 1, 1;
  const Eigen::MatrixXd v = sweep::parameter_values(s, unit);
  CHECK(v(0, 0) == 1);
  CHECK(v(1, 0) == 2);
  CHECK(v(2, 0) == 3);
  CHECK(v(0, 1) == doctest::Approx(0.01));
  CHECK(v(1, 1) == doctest::Approx(0.1));  // the geometric midpoint
  CHECK(v(2, 1) == doctest::Approx(1));
  CHECK(v(0, 2) == 0);  // the ends of the truncated normal are the bounds
  CHECK(v(2, 2) == 10);
  // The median of N(4, 2) truncated to [0, 10] lies a little above 4.
  CHECK(v(1, 2) > 4);
  CHECK(v(1, 2) < 4.2);
}

TEST_CASE("sweep spec: override values read back exactly") {
  for (double v : {0.1, 1.0 / 3.0, 1e-7, 123456789.125, 2.0, -0.0625, 5e300}) {
    const std::string text = sweep::exact_float_text(v);
    CAPTURE(text);
    CHECK(text.find_first_of(".e") != std::string::npos);  // a TOML float, never an integer
    CHECK(std::strtod(text.c_str(), nullptr) == v);
  }
  sweep::SweepSpec s;
  s.parameters.resize(2);
  s.parameters[0].key = "outflow.rate.vig";
  s.parameters[1].key = "inflow.career_switchers.per_year.vig";
  s.parameters[1].integer = true;
  const auto o = sweep::point_overrides(s, {0.1 + 0.2, 42});
  CHECK(o[0] == "outflow.rate.vig=0.30000000000000004");
  CHECK(o[1] == "inflow.career_switchers.per_year.vig=42");
  // And the scenario loader accepts them.
  const Params p = test::load(test::example("minimal.toml"), o);
  CHECK(p.seed == 20221);
}
