// Inputs over time (scenario/series.h): yearly series, inline or from CSV,
// interpolated exactly; every value validated where it was written; the
// fractional pension age; demand growth that changes by year.
#include <doctest/doctest.h>

#include <cmath>

#include "experiments/replications.h"
#include "simulation/initial_population.h"
#include "simulation/simulate.h"
#include "test_support.h"

using namespace careabm;

TEST_CASE("series: linear interpolation between given years, the nearest value outside them, or steps") {
  const test::ExtendedScenario s("[workforce]\npension_age = { series = { 2024 = 66, 2028 = 68 } }\n"
                                 "[demand.growth]\nnursing_home = { series = { 2022 = 0.01, 2025 = 0.04 }, interpolation = \"step\" }\n");
  const Params p = s.load();
  REQUIRE(p.by_year);
  REQUIRE(p.by_year->size() == std::size_t(p.years()));
  const double pension[] = {66, 66, 66, 66.5, 67, 67.5, 68, 68, 68, 68};  // 2022..2031
  const double growth[] = {0.01, 0.01, 0.01, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04};
  for (int t = 0; t < p.years(); ++t) {
    CAPTURE(t);
    CHECK(p.at(t).pension_age == pension[t]);  // exact
    CHECK(p.at(t).demand_growth[0] == growth[t]);
    CHECK(p.at(t).demand_growth[1] == 0.025);  // not a series: the scenario's value every year
  }
  CHECK(p.pension_age == 66);  // the object itself is the start year's
}

TEST_CASE("series: a CSV with one column per category gives a table by category each year") {
  const test::ExtendedScenario s("[outflow]\nrate = { series = \"rates.csv\" }\n",
                                 {{"rates.csv", "# test rates\nsource,year,helper,vig,nurse\nx,2022,0.10,0.08,0.06\n"
                                                "x,2026,0.14,0.08,0.02\n"}});
  const Params p = s.load();
  CHECK(p.at(0).outflow_rate == std::vector<double>{0.10, 0.08, 0.06});
  CHECK(p.at(2).outflow_rate[0] == doctest::Approx(0.12));
  CHECK(p.at(2).outflow_rate[2] == doctest::Approx(0.04));
  CHECK(p.at(9).outflow_rate == std::vector<double>{0.14, 0.08, 0.02});
  // And the value each year is what the year loop uses: more leavers as helpers' rate rises.
  const Params flat = test::ExtendedScenario("[outflow]\nrate = { helper = 0.10, vig = 0.08, nurse = 0.06 }\n").load();
  auto leavers = [](const Params& q, int t, int o) {
    double n = 0;
    for (int rep = 0; rep < 4; ++rep) {
      const RunResult r = simulate(q, rep);
      for (int c = 0; c < q.cat.cells(); ++c)
        if (c % 3 == o) n += double(r.flow(t, c, kOutToReserve) + r.flow(t, c, kOutLeftRegion));
    }
    return n;
  };
  CHECK(leavers(p, 1, 0) >= leavers(flat, 1, 0));  // 2023: 0.11 vs 0.10 on the same draws: a superset leaves
  CHECK(leavers(p, 4, 0) > leavers(flat, 4, 0));
  CHECK(leavers(p, 4, 2) < leavers(flat, 4, 2));
}

TEST_CASE("series: demand grows by the product of the year's rates when they change") {
  const test::ExtendedScenario s("[demand.growth]\nnursing_home = { series = { 2023 = 0.02, 2024 = 0.05, 2025 = 0.0 } }\n");
  const Params p = s.load();
  const RunResult r = simulate(p, 0);
  const int cell = p.cat.cell(0, 0, 0);
  const double base = r.demand[r.at(0, cell)];
  // 2022's rate is the first given (0.02) but growth starts after the start year.
  CHECK(r.demand[r.at(1, cell)] == doctest::Approx(base * 1.02));
  CHECK(r.demand[r.at(2, cell)] == doctest::Approx(base * 1.02 * 1.05));
  CHECK(r.demand[r.at(5, cell)] == doctest::Approx(base * 1.02 * 1.05));
  // A series of one constant value gives exactly the scenario without it.
  const Params constant = test::ExtendedScenario("[demand.growth]\nnursing_home = { series = { 2022 = 0.03 } }\n").load();
  const Params plain = test::load(test::example("minimal.toml"));
  for (int rep = 0; rep < 2; ++rep) {
    CHECK(simulate(constant, rep).demand == simulate(plain, rep).demand);
    CHECK(simulate(constant, rep).flows == simulate(plain, rep).flows);
  }
}

TEST_CASE("fractional pension age: 1 - the fraction retire in the year of the whole age (4 standard errors)") {
  // 1,400 workers aged 60-66, nobody else leaves: with 66.25 the 66-year-olds
  // of a year retire with probability 0.75, the rest a year later at 67.
  const Params p = test::load(test::data("retirement.toml"), {"workforce.pension_age=66.25", "run.replications=20"});
  const auto results = experiments::run_replications(p, 2);
  double mean = 0, expected = 0, variance = 0, older = 0, at66 = 0;
  for (std::size_t r = 0; r < results.size(); ++r) {
    const WorkerStore initial = initial_workforce(p, int(r));
    double turning = 0, past = 0;  // who turn 66 in the first simulated year, who are 67 or more then
    for (std::size_t i = 0; i < initial.size(); ++i) turning += initial.age[i] + 1 == 66, past += initial.age[i] + 1 >= 67;
    if (r == 0) older = past, at66 = turning;
    mean += double(results[r].flow(1, 0, kOutRetirement));
    expected += past + 0.75 * turning, variance += turning * 0.75 * 0.25;
  }
  const double R = double(results.size());
  CHECK(std::abs(mean / R - expected / R) < 4 * std::sqrt(variance) / R);
  // A whole pension age gives the deterministic rule.
  const Params whole = test::load(test::data("retirement.toml"), {"workforce.pension_age=66"});
  CHECK(simulate(whole, 0).flow(1, 0, kOutRetirement) == std::int64_t(older + at66));
}

TEST_CASE("series: bad input exits 2 naming the file and line of the entry, and the key") {
  struct Bad {
    const char* what;
    std::string body;
    const char* key;
    const char* located;
    std::vector<std::pair<std::string, std::string>> files = {};
  };
  const Bad cases[] = {
      {"not a year", "[workforce]\npension_age = { series = { 2024 = 66, soon = 67 } }\n",
       "workforce.pension_age.series.soon", "soon = 67"},
      {"not a number", "[workforce]\npension_age = { series = { 2024 = \"66\" } }\n",
       "workforce.pension_age.series.2024", "2024 = \"66\""},
      {"value out of range, located at its entry", "[workforce.pension_age.series]\n2022 = 66\n2026 = 95\n",
       "workforce.pension_age", "2026 = 95"},
      {"bad interpolation", "[workforce]\npension_age = { series = { 2024 = 66 }, interpolation = \"cubic\" }\n",
       "workforce.pension_age.interpolation", "interpolation = \"cubic\""},
      {"missing CSV", "[outflow]\nrate = { series = \"none.csv\" }\n", "outflow.rate.series", "none.csv"},
      {"the base year's vacancy ratio is not a series", "[demand.vacancy_ratio.series]\n2022 = 0.05\n2026 = 0.06\n",
       "demand.vacancy_ratio", "2022 = 0.05"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    const test::ExtendedScenario s(c.body, c.files);
    test::check_located_error(s.file, c.key, c.located);
  }
  // In a CSV: the file and the row's line.
  const test::ExtendedScenario csv("[outflow]\nrate = { series = \"rates.csv\" }\n",
                                   {{"rates.csv", "source,year,helper,vig,nurse\nx,2022,0.1,0.08,0.06\nx,2021,0.2,0.08,0.06\n"}});
  const auto result = test::run_program("check '" + csv.file.string() + "'", csv.dir);
  CAPTURE(result.output);
  CHECK(result.status == 2);
  CHECK(result.output.find((csv.dir / "rates.csv").string() + ":3:") != std::string::npos);
  CHECK(result.output.find("increase") != std::string::npos);
  const test::ExtendedScenario range("[outflow]\nrate = { series = \"rates.csv\" }\n",
                                     {{"rates.csv", "source,year,helper,vig,nurse\nx,2022,0.1,0.08,0.06\nx,2026,1.5,0.08,0.06\n"}});
  const auto out_of_range = test::run_program("check '" + range.file.string() + "'", range.dir);
  CAPTURE(out_of_range.output);
  CHECK(out_of_range.status == 2);
  CHECK(out_of_range.output.find((range.dir / "rates.csv").string() + ":2:") != std::string::npos);  // the 2022 row anchors 2023-2025
  CHECK(out_of_range.output.find("'outflow.rate") != std::string::npos);
}
