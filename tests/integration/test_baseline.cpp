// The shipped baseline (scenarios/zwconnect-2022.toml, 50 replications, a few
// seconds on 2 threads): what was fitted is reproduced, the base year is the
// vacancy data it was built from, the first simulated year is not a start-up
// transient, and the pattern the regional forecast describes holds.
// scenarios/VALIDATION.md reports the same figures with the commands that
// give them, and states every miss; the known misses are the should_fail
// tests at the end, so they stay visible in every run and a change that
// fixes one makes its test "fail" until the mark is removed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "experiments/replications.h"
#include "experiments/selection.h"
#include "../unit/test_support.h"

using namespace careabm;

namespace {

const Params& baseline() {
  static const Params p = test::load(test::source_dir() / "scenarios" / "zwconnect-2022.toml");
  return p;
}

const std::vector<RunResult>& results() {
  static const std::vector<RunResult> r = experiments::run_replications(baseline(), 2);
  return r;
}

double mean_of(const std::string& text) {
  const auto table = toml::parse(std::string_view(text), std::string_view("baseline-test"));
  const auto s = experiments::parse_selection(table, "check", {});
  experiments::validate(s, baseline());
  return experiments::mean_over(s, baseline(), results());
}

std::string shortage(int year, const std::string& filter = "") {
  return "variable = \"shortage/persons\"\nyear = " + std::to_string(year) + "\n" + filter;
}

std::string flows(int year, const std::string& list) {
  return "variable = \"workforce/flows\"\nyear = " + std::to_string(year) + "\nflow = [" + list + "]\n";
}

// Shortage in 2031 by a dimension, absolute or relative to the cell's demand (FTE / FTE).
std::vector<std::pair<double, std::string>> ranked(const std::string& dim, const std::vector<std::string>& labels,
                                                   bool relative) {
  std::vector<std::pair<double, std::string>> out;
  for (const auto& label : labels) {
    const std::string filter = dim + " = \"" + label + "\"\n";
    double v = relative ? mean_of("variable = \"shortage/fte\"\nyear = 2031\n" + filter) /
                              mean_of("variable = \"demand/fte\"\nyear = 2031\n" + filter)
                        : mean_of(shortage(2031, filter));
    out.emplace_back(v, label);
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

double share_2031(const std::string& filter) { return mean_of(shortage(2031, filter)) / mean_of(shortage(2031)); }

// The start-up criterion for one occupation: its net headcount change
// in the first simulated year lies within the range of its changes in the next
// four years, widened by 2 standard errors (of the mean over replications).
bool no_startup_transient(int occupation) {
  const Params& p = baseline();
  const auto& rs = results();
  const double n = double(rs.size());
  auto change = [&](const RunResult& r, int t) {
    double d = 0;
    for (int cell = 0; cell < p.cat.cells(); ++cell)
      if (cell % p.cat.O() == occupation) d += double(r.headcount[r.at(t, cell)]) - double(r.headcount[r.at(t - 1, cell)]);
    return d;
  };
  std::vector<double> mean(6, 0.0), se(6, 0.0);
  for (int t = 1; t <= 5; ++t) {
    double sum = 0, sq = 0;
    for (const auto& r : rs) sum += change(r, t), sq += change(r, t) * change(r, t);
    mean[t] = sum / n;
    se[t] = std::sqrt(std::max(0.0, sq / n - mean[t] * mean[t]) * n / (n - 1) / n);
  }
  double lo = 1e300, hi = -1e300;
  for (int t = 2; t <= 5; ++t) lo = std::min(lo, mean[t] - 2 * se[t]), hi = std::max(hi, mean[t] + 2 * se[t]);
  const double first_lo = mean[1] - 2 * se[1], first_hi = mean[1] + 2 * se[1];
  MESSAGE(p.cat.occupations[occupation] << ": first year " << mean[1] << " (SE " << se[1] << "), next four "
                                        << mean[2] << ", " << mean[3] << ", " << mean[4] << ", " << mean[5]
                                        << " -> range [" << lo << ", " << hi << "]");
  return first_hi >= lo && first_lo <= hi;
}

}  // namespace

TEST_CASE("baseline: what was fitted is reproduced (the 2031 total, ZHN places, CBS's first-year exits and entries)") {
  REQUIRE(baseline().replications == 50);
  const double s2031 = mean_of(shortage(2031));
  const std::string zhn_wlz = "variable = \"clients/count\"\nsubregion = \"zuid_holland_noord\"\n"
                              "need = [\"wlz_light\", \"wlz_somatic\", \"wlz_pg\"]\n";
  const double zhn2025 = mean_of(zhn_wlz + "year = 2025\n"), zhn2040 = mean_of(zhn_wlz + "year = 2040\n");
  const double exits = mean_of(flows(2023, "\"out.retirement\", \"out.to_reserve\", \"out.death_disability\""));
  const double entries = mean_of(flows(2023, "\"in.graduates\", \"in.reentry\", \"in.career_switchers\", "
                                             "\"in.recruited_reserve\", \"in.recruited_outside\""));
  MESSAGE("shortage 2031 " << s2031 << "; ZHN places needed 2025 " << zhn2025 << ", 2040 " << zhn2040
                           << "; sector exits 2023 " << exits << ", entries " << entries);
  CHECK(s2031 == doctest::Approx(14600).epsilon(0.02));  // the acceptance: within 2%
  CHECK(zhn2025 == doctest::Approx(5000).epsilon(0.05));
  CHECK(zhn2040 == doctest::Approx(8200).epsilon(0.05));
  CHECK(exits == doctest::Approx(15743).epsilon(0.03));    // CBS 11.3% of the 2022 headcount
  CHECK(entries == doctest::Approx(17767).epsilon(0.03));  // CBS 174.7k x 0.1017
}

TEST_CASE("baseline: the base year is an input, the vacancy data: each cell's supply x its branch's vacancy ratio") {
  // Base-year demand = supply x (1 + vacancy ratio), so the base-year shortage
  // in persons is vacancy ratio x FTE / (FTE per worker): the headcount x the
  // ratio, plus the ratio of the BBL trainees' FTE working in the cell.
  const Params& p = baseline();
  double expected = 0;
  for (const auto& r : results())
    for (int c = 0; c < p.cat.cells(); ++c) {
      const std::size_t k = r.at(0, c);
      const double per_worker = (r.fte[k] - r.trainee_fte[k]) / double(r.headcount[k]);
      expected += p.vacancy_ratio[(c / p.cat.O()) % p.cat.B()] * r.fte[k] / per_worker / double(results().size());
    }
  const double s2022 = mean_of(shortage(2022));
  MESSAGE("shortage 2022 " << s2022 << " = vacancies " << expected);
  CHECK(s2022 == doctest::Approx(expected).epsilon(1e-9));
}

TEST_CASE("baseline: no start-up transient for helpers and HBO nurses (the first year within the next four years' range)") {
  for (const std::string name : {"helper", "hbo_nurse"}) {
    CAPTURE(name);
    const auto& o = baseline().cat.occupations;
    CHECK(no_startup_transient(int(std::find(o.begin(), o.end(), name) - o.begin())));
  }
}

TEST_CASE("baseline: the forecast's pattern, checked without fitting") {
  const double s2022 = mean_of(shortage(2022)), s2025 = mean_of(shortage(2025)), s2031 = mean_of(shortage(2031));
  CHECK(s2031 - s2025 > s2025 - s2022);  // "shortages grow mostly after 2025"
  // "by occupation mostly VIG and MBO nurses" (among the care occupations)
  const auto occupations = ranked("occupation", {"helper", "vig", "mbo_nurse", "hbo_nurse"}, false);
  CHECK(occupations[0].second == "vig");
  CHECK(occupations[1].second == "mbo_nurse");
  // "largest in nursing homes and home care, both relatively and absolutely"
  for (const bool relative : {false, true}) {
    CAPTURE(relative);
    const auto branches = ranked("branch", baseline().cat.branches, relative);
    const std::vector<std::string> top = {branches[0].second, branches[1].second};
    CHECK(std::count(top.begin(), top.end(), "nursing_home") == 1);
    CHECK(std::count(top.begin(), top.end(), "home_care") == 1);
  }
}

// Entrants who follow open jobs take them one by one (OpenJobs), so a branch
// short one year draws its open jobs' worth, not every follower at once: its
// shortage does not swing from year to year. Measured by the mean shortage's
// zigzag, sum |second difference| / sum |first difference| over 2023-2032:
// 0 for a straight line, near 2 for a sawtooth. When every stream of
// followers went to the start-of-year vacancies at once, hospital was 1.41,
// mental health 1.23 and `other` 1.81 (December 2026, before the change).
TEST_CASE("baseline: the shortage by branch does not swing from year to year (zigzag below 1)") {
  const Params& p = baseline();
  for (const auto& branch : p.cat.branches) {
    CAPTURE(branch);
    std::vector<double> s;
    for (int year = 2023; year <= 2032; ++year) s.push_back(mean_of(shortage(year, "branch = \"" + branch + "\"\n")));
    double first = 0, second = 0;
    for (std::size_t k = 1; k < s.size(); ++k) first += std::abs(s[k] - s[k - 1]);
    for (std::size_t k = 2; k < s.size(); ++k) second += std::abs(s[k] - 2 * s[k - 1] + s[k - 2]);
    REQUIRE(first > 0);
    MESSAGE(branch << ": zigzag " << second / first);
    CHECK(second / first < 1.0);
  }
}

TEST_CASE("backcast: 2016 -> 2022 from the 2016 figures, not fitted: growth within 5 points of the national +17.2%") {
  const Params p = test::load(test::source_dir() / "scenarios" / "zwconnect-2016.toml");
  REQUIRE(p.start_year == 2016);
  REQUIRE(p.end_year == 2022);
  const auto rs = experiments::run_replications(p, 2);
  double first = 0, last = 0;
  for (const auto& r : rs)
    for (int c = 0; c < p.cat.cells(); ++c) {
      first += double(r.headcount[r.at(0, c)]) / double(rs.size());
      last += double(r.headcount[r.at(p.years() - 1, c)]) / double(rs.size());
    }
  const double growth = last / first - 1;
  MESSAGE("backcast: " << first << " (2016) -> " << last << " (2022), growth " << growth
                       << "; the baseline starts from 139,320");
  CHECK(first == doctest::Approx(118880));
  CHECK(growth >= 0.172 - 0.05);
  CHECK(growth <= 0.172 + 0.05);
}

// ---- Known misses (scenarios/VALIDATION.md, "Verdict", and the sections it points to).

TEST_CASE("baseline: known miss - VIG's first year is below its next four (its entries grow with its excess vacancies)" *
          doctest::should_fail()) {
  const auto& o = baseline().cat.occupations;
  CHECK(no_startup_transient(int(std::find(o.begin(), o.end(), "vig") - o.begin())));
}

// Since entrants take open jobs one by one (December 2026): the first year
// has the fewest jobs open above the frictional level (the base year sits at
// it), so career switchers choose `other` more (by the open jobs at the
// start of the year) and recruitment, which grows with the open jobs, adds
// little yet; MBO nurses' entries grow with their vacancies as VIG's do
// (scenarios/VALIDATION.md).
TEST_CASE("baseline: known miss - MBO nurses' first year is below their next four" * doctest::should_fail()) {
  const auto& o = baseline().cat.occupations;
  CHECK(no_startup_transient(int(std::find(o.begin(), o.end(), "mbo_nurse") - o.begin())));
}

TEST_CASE("baseline: known miss - `other`'s first year is above its next four" * doctest::should_fail()) {
  const auto& o = baseline().cat.occupations;
  CHECK(no_startup_transient(int(std::find(o.begin(), o.end(), "other") - o.begin())));
}

TEST_CASE("baseline: known miss - the shortage mix by occupation against the national shares (VIG ~1/3, nurses ~1/8)" *
          doctest::should_fail()) {
  const double vig = share_2031("occupation = \"vig\"\n");
  const double nurses = share_2031("occupation = [\"mbo_nurse\", \"hbo_nurse\"]\n");
  MESSAGE("2031 shares: VIG " << vig << ", nurses " << nurses);
  CHECK(vig >= 0.25);
  CHECK(vig <= 0.42);
  CHECK(nurses >= 0.08);
  CHECK(nurses <= 0.18);
}

TEST_CASE("baseline: known miss - Haaglanden is not the subregion hit least (relative to demand)" *
          doctest::should_fail()) {
  const auto subregions = ranked("subregion", baseline().cat.subregions, true);
  CHECK(subregions.back().second == "haaglanden");
}
