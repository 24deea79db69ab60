// The shipped baseline reproduces the regional forecast it was fitted to
// (issue: "the 14,600 shortage in 2031"). Runs scenarios/zwconnect-2022.toml
// with its own 50 replications (a few seconds on 2 threads) and checks the
// acceptance criteria at the tolerances the issue states, plus the pattern
// the forecast describes. scenarios/VALIDATION.md reports the same figures.
#include <doctest/doctest.h>

#include <algorithm>

#include "experiments/replications.h"
#include "experiments/selection.h"
#include "../unit/test_support.h"

using namespace careabm;

namespace {

double mean_of(const std::string& text, const Params& p, const std::vector<RunResult>& results) {
  const auto table = toml::parse(std::string_view(text), std::string_view("baseline-test"));
  const auto s = experiments::parse_selection(table, "check", {});
  experiments::validate(s, p);
  return experiments::mean_over(s, p, results);
}

std::string shortage(int year, const std::string& filter = "") {
  return "variable = \"shortage/persons\"\nyear = " + std::to_string(year) + "\n" + filter;
}

}  // namespace

TEST_CASE("baseline: the ZW-Connect 2022 forecast is reproduced (50 replications)") {
  const Params p = test::load(test::source_dir() / "scenarios" / "zwconnect-2022.toml");
  REQUIRE(p.replications == 50);
  const auto results = experiments::run_replications(p, 2);

  const double s2022 = mean_of(shortage(2022), p, results), s2025 = mean_of(shortage(2025), p, results);
  const double s2031 = mean_of(shortage(2031), p, results);
  const std::string zhn_wlz = "variable = \"clients/count\"\nsubregion = \"zuid_holland_noord\"\n"
                              "need = [\"wlz_somatic\", \"wlz_pg\"]\n";
  const double zhn2025 = mean_of(zhn_wlz + "year = 2025\n", p, results);
  const double zhn2040 = mean_of(zhn_wlz + "year = 2040\n", p, results);
  MESSAGE("shortage 2022 " << s2022 << ", 2025 " << s2025 << ", 2031 " << s2031 << "; ZHN places needed 2025 "
                           << zhn2025 << ", 2040 " << zhn2040);

  CHECK(s2031 == doctest::Approx(14600).epsilon(0.02));
  CHECK(s2022 >= 5000);                                  // DATA.md EST 5,000-6,000
  CHECK(s2022 <= 6000);
  CHECK(zhn2025 == doctest::Approx(5000).epsilon(0.05));
  CHECK(zhn2040 == doctest::Approx(8200).epsilon(0.05));
  CHECK(s2031 - s2025 > s2025 - s2022);                  // growth mostly after 2025

  // Largest shortages: VIG and MBO nurses among the care occupations, nursing
  // homes and home care among the branches (absolutely, and relative to demand).
  auto by = [&](const std::string& dim, const std::vector<std::string>& labels, bool relative) {
    std::vector<std::pair<double, std::string>> out;
    for (const auto& label : labels) {
      const std::string filter = dim + " = \"" + label + "\"\n";
      double v = mean_of(shortage(2031, filter), p, results);
      if (relative) v /= mean_of("variable = \"demand/fte\"\nyear = 2031\n" + filter, p, results);
      out.emplace_back(v, label);
    }
    std::sort(out.rbegin(), out.rend());
    return out;
  };
  const auto occupations = by("occupation", {"helper", "vig", "mbo_nurse", "hbo_nurse"}, false);
  CHECK(occupations[0].second == "vig");
  CHECK(occupations[1].second == "mbo_nurse");           // helpers below MBO nurses
  for (const bool relative : {false, true}) {
    CAPTURE(relative);
    const auto branches = by("branch", p.cat.branches, relative);
    const std::vector<std::string> top = {branches[0].second, branches[1].second};
    CHECK(std::count(top.begin(), top.end(), "nursing_home") == 1);
    CHECK(std::count(top.begin(), top.end(), "home_care") == 1);
  }
}

// Known miss of the current fit (scenarios/VALIDATION.md): marked should_fail so
// it stays visible in every test run, and so that a change that fixes it makes
// this test "fail" until the mark is removed. With the VIG pipeline of DATA.md
// and VIG outflow at its data-based rate, the VIG shortage in 2031 is about
// twice the national forecast's share (4,730, targets/zwconnect-2022.toml).
TEST_CASE("baseline: known miss - VIG shortage 2031 near the national PZW share" * doctest::should_fail()) {
  const Params p = test::load(test::source_dir() / "scenarios" / "zwconnect-2022.toml", {"run.replications=10"});
  const auto results = experiments::run_replications(p, 2);
  const double vig = mean_of(shortage(2031, "occupation = \"vig\"\n"), p, results);
  CHECK(vig == doctest::Approx(4730).epsilon(0.25));
}
