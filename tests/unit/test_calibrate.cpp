// Selections of output variables and calibration of free parameters.
#include <doctest/doctest.h>

#include <cmath>

#include "simulation/simulate.h"
#include "experiments/calibrate.h"
#include "experiments/selection.h"
#include "test_support.h"

using namespace careabm;

namespace {
experiments::Selection selection(const std::string& text) {
  const auto table = toml::parse(std::string_view(text), std::string_view("selection.toml"));
  return experiments::parse_selection(table, "target", {"name", "value", "weight"});
}
}  // namespace

TEST_CASE("a selection sums a variable over the chosen year and labels") {
  const Params p = test::load(test::example("minimal.toml"));
  const RunResult r = simulate(p, 0);
  const auto all = selection("variable = \"shortage/persons\"\nyear = 2031\n");
  const auto north_vig = selection("variable = \"shortage/persons\"\nyear = 2031\nsubregion = \"north\"\noccupation = [\"vig\"]\n");
  experiments::validate(all, p);
  experiments::validate(north_vig, p);
  double total = 0, part = 0;
  const int t = 2031 - p.start_year;
  for (int s = 0; s < p.cat.S(); ++s)
    for (int b = 0; b < p.cat.B(); ++b)
      for (int o = 0; o < p.cat.O(); ++o) {
        const double v = r.shortage_persons[r.at(t, p.cat.cell(s, b, o))];
        total += v;
        if (s == 0 && o == 1) part += v;
      }
  CHECK(experiments::evaluate(all, p, r) == doctest::Approx(total));
  CHECK(experiments::evaluate(north_vig, p, r) == doctest::Approx(part));
}

TEST_CASE("bad selections are input errors naming the problem") {
  const Params p = test::load(test::example("minimal.toml"));
  CHECK_THROWS_WITH_AS(experiments::validate(selection("variable = \"shortage/people\"\nyear = 2031\n"), p),
                       doctest::Contains("unknown variable"), InputError);
  CHECK_THROWS_WITH_AS(experiments::validate(selection("variable = \"shortage/persons\"\nyear = 2050\n"), p),
                       doctest::Contains("outside the simulated years"), InputError);
  CHECK_THROWS_WITH_AS(experiments::validate(selection("variable = \"shortage/persons\"\nyear = 2030\nneed = \"x\"\n"), p),
                       doctest::Contains("no dimension 'need'"), InputError);
  CHECK_THROWS_WITH_AS(experiments::validate(selection("variable = \"shortage/persons\"\nyear = 2030\nbranch = \"hospital\"\n"), p),
                       doctest::Contains("unknown branch 'hospital'"), InputError);
  CHECK_THROWS_WITH_AS(selection("year = 2030\n"), doctest::Contains("selection.toml"), InputError);
}

TEST_CASE("calibrate recovers a hazard with a closed-form answer") {
  const auto scenario = test::data("calibrate-outflow.toml");
  const Params original = test::load(scenario);
  REQUIRE(original.calibration.free.size() == 1);
  CHECK(original.calibration.free[0].start == 0.1);  // the scenario's value is the starting point
  const auto targets = experiments::load_targets(test::data("calibrate-targets.toml"), original);
  experiments::CalibrationSettings settings;
  settings.scenario = scenario;
  settings.threads = 2;
  settings.max_evaluations = 60;
  const auto result = experiments::calibrate(settings, targets);
  CHECK(result.fitted[0] == doctest::Approx(0.2).epsilon(0.05));  // 5000 (1 - p)^5 = 1638.4 at p = 0.2
  CHECK(result.fits[0].achieved_mean == doctest::Approx(1638.4).epsilon(0.01));
  CHECK(result.fits[0].lo95 <= result.fits[0].achieved_mean);

  // The fitted scenario extends the original, holds the fitted value and says what was fitted.
  const auto dir = test::temp_dir("fitted");
  const auto fitted_path = dir / "fitted.toml";
  test::write_text(fitted_path, experiments::fitted_scenario_text(settings, original, targets,
                                                          test::data("calibrate-targets.toml"), result, fitted_path));
  const Params fitted = test::load(fitted_path);
  CHECK(fitted.outflow_rate[0] == doctest::Approx(result.fitted[0]));
  CHECK(fitted.calibration.fitted_parameters == std::vector<std::string>{"outflow.rate.worker"});
  CHECK(!fitted.calibration.fitted_on.empty());
  CHECK(test::read_text(fitted_path).find("cohort left in 2027") != std::string::npos);
}

TEST_CASE("calibrate: bad targets and missing free parameters exit 2 with a located message") {
  const auto dir = test::temp_dir("badtargets");
  test::write_text(dir / "t.toml", "[[target]]\nvariable = \"workforce/heads\"\nyear = 2027\nvalue = 1\n");
  const auto unknown = test::run_program(
      "calibrate '" + test::data("calibrate-outflow.toml").string() + "' --targets '" + (dir / "t.toml").string() + "'", dir);
  CHECK(unknown.status == 2);
  CHECK(unknown.output.find((dir / "t.toml").string() + ":1") != std::string::npos);
  CHECK(unknown.output.find("unknown variable") != std::string::npos);

  test::write_text(dir / "y.toml", "[[target]]\nvariable = \"workforce/headcount\"\nyear = 2099\nvalue = 1\n");
  const auto outside = test::run_program(
      "calibrate '" + test::data("calibrate-outflow.toml").string() + "' --targets '" + (dir / "y.toml").string() + "'", dir);
  CHECK(outside.status == 2);
  CHECK(outside.output.find("outside the simulated years") != std::string::npos);

  test::write_text(dir / "ok.toml", test::read_text(test::data("calibrate-targets.toml")));
  const auto no_free = test::run_program(
      "calibrate '" + test::data("pure-outflow.toml").string() + "' --targets '" + (dir / "ok.toml").string() +
          "' -o '" + (dir / "f.toml").string() + "'",
      dir);
  CHECK(no_free.status == 2);
  CHECK(no_free.output.find("calibration.free") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "f.toml"));
}

TEST_CASE("calibrate --parameters fits a subset of the declared free parameters") {
  const auto dir = test::temp_dir("subset");
  test::write_text(dir / "two.toml", "extends = \"" + test::data("pure-outflow.toml").string() +
                                         "\"\n[workforce.absence]\ncare = 0.05\n[calibration]\nfree = [{ key = \"outflow.rate.worker\", lower = 0.01, "
                                         "upper = 0.5 }, { key = \"workforce.absence.care\", lower = 0.0, upper = 0.2 }]\n");
  const Params p = test::load(dir / "two.toml");
  experiments::CalibrationSettings s;
  s.scenario = dir / "two.toml";
  CHECK(experiments::selected_free(s, p).size() == 2);
  s.only = {"workforce.absence.care"};
  const auto one = experiments::selected_free(s, p);
  REQUIRE(one.size() == 1);
  CHECK(one[0].key == "workforce.absence.care");
  s.only = {"outflow.rate.other"};
  CHECK_THROWS_AS(experiments::selected_free(s, p), InputError);
}
