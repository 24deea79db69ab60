// The workforce half of the model: stock-flow balance, reproducibility, and
// agreement with analytic expectations.
#include <doctest/doctest.h>

#include <cmath>

#include "simulation/initial_population.h"
#include "simulation/simulate.h"
#include "experiments/replications.h"
#include "test_support.h"

using namespace careabm;

TEST_CASE("stocks balance exactly: headcount[t] = headcount[t-1] + in - out, every cell and year") {
  const Params p = test::load(test::example("minimal.toml"));
  for (int rep = 0; rep < 3; ++rep) {
    const RunResult r = simulate(p, rep);
    test::check_balance(r);
    std::int64_t flows = 0;
    for (auto f : r.flows) flows += f;
    CHECK(flows > 0);  // the balance is not vacuous
  }
}

TEST_CASE("the start year holds the initial population with zero flows") {
  const Params p = test::load(test::example("minimal.toml"));
  const RunResult r = simulate(p, 0);
  std::int64_t initial = 0, year0 = 0;
  for (const auto& g : p.initial) initial += g.count;
  for (int cell = 0; cell < p.cat.cells(); ++cell) {
    year0 += r.headcount[r.at(0, cell)];
    for (int f = 0; f < kFlowCount; ++f) CHECK(r.flow(0, cell, f) == 0);
  }
  CHECK(year0 == initial);
}

TEST_CASE("replications are bit-identical for 1 and 2 threads") {
  const Params p = test::load(test::example("minimal.toml"));
  const auto one = experiments::run_replications(p, 1);
  const auto two = experiments::run_replications(p, 2);
  REQUIRE(one.size() == two.size());
  for (std::size_t r = 0; r < one.size(); ++r) {
    CHECK(one[r].headcount == two[r].headcount);
    CHECK(one[r].flows == two[r].flows);
    CHECK(one[r].fte == two[r].fte);  // exact double equality
    CHECK(one[r].shortage_persons == two[r].shortage_persons);
  }
  CHECK(one[0].headcount != one[1].headcount);  // replications differ from each other
}

TEST_CASE("the same seed reproduces a run, another seed does not") {
  const Params p = test::load(test::example("minimal.toml"));
  const Params q = test::load(test::example("minimal.toml"), {"run.seed=99"});
  CHECK(simulate(p, 2).flows == simulate(p, 2).flows);
  CHECK(simulate(p, 2).flows != simulate(q, 2).flows);
}

TEST_CASE("pure outflow: mean headcount follows N0 (1-p)^t within 4 standard errors") {
  const Params p = test::load(test::data("pure-outflow.toml"));
  const auto results = experiments::run_replications(p, 2);
  const double n0 = 5000, hazard = 0.1, reps = double(results.size());
  for (int t = 1; t < p.years(); ++t) {
    double sum = 0;
    for (const auto& r : results) sum += double(r.headcount[r.at(t, 0)]);
    const double survive = std::pow(1 - hazard, t);
    const double expected = n0 * survive;
    const double se = std::sqrt(n0 * survive * (1 - survive) / reps);
    CAPTURE(t);
    CHECK(std::abs(sum / reps - expected) < 4 * se);
  }
}

TEST_CASE("retirement happens exactly at the configured pension age") {
  const Params p = test::load(test::data("retirement.toml"));
  REQUIRE(p.pension_age == 67);
  const WorkerStore initial = initial_workforce(p, 0);
  const RunResult r = simulate(p, 0);
  for (int t = 0; t < p.years(); ++t) {
    std::int64_t below_pension_age = 0;
    for (std::size_t i = 0; i < initial.size(); ++i) below_pension_age += initial.age[i] + t < 67;
    CAPTURE(t);
    CHECK(r.headcount[r.at(t, 0)] == below_pension_age);
    if (t > 0) {
      CHECK(r.flow(t, 0, kOutRetirement) == r.headcount[r.at(t - 1, 0)] - r.headcount[r.at(t, 0)]);
    }
  }
  CHECK(r.headcount[r.at(7, 0)] == 0);
  // And with a later pension age, the same people stay a year longer.
  const Params later = test::load(test::data("retirement.toml"), {"workforce.pension_age=68"});
  CHECK(simulate(later, 0).headcount[r.at(1, 0)] == initial.size());
}

TEST_CASE("uids derive from origin, year and index and never collide across origins") {
  CHECK(make_uid(0, 0, 5) == 5);
  CHECK(make_uid(1, 2025, 5) != make_uid(2, 2025, 5));
  CHECK(make_uid(1, 2025, 5) != make_uid(1, 2026, 5));
  CHECK(make_uid(1, 2025, 5) != make_uid(0, 0, 5));
}

TEST_CASE("supply: FTE = hours / full-time hours x (1 - absence) summed over active workers") {
  const Params p = test::load(test::data("pure-outflow.toml"), {"workforce.absence.care=0.25"});
  const RunResult r = simulate(p, 0);
  // Everyone works 36 of 36 hours (sd 0): FTE per person is exactly 0.75.
  for (int t = 0; t < p.years(); ++t)
    CHECK(r.fte[r.at(t, 0)] == doctest::Approx(0.75 * r.headcount[r.at(t, 0)]));
}

TEST_CASE("shortage = demand - supply, and persons = FTE shortage / FTE per worker") {
  const Params p = test::load(test::example("minimal.toml"));
  const RunResult r = simulate(p, 1);
  for (std::size_t k = 0; k < r.demand.size(); ++k) {
    CHECK(r.shortage_fte[k] == r.demand[k] - r.fte[k]);
    if (r.headcount[k] > 0)
      CHECK(r.shortage_persons[k] == doctest::Approx(r.shortage_fte[k] * r.headcount[k] / r.fte[k]));
  }
}

TEST_CASE("transfers follow the branch and subregion matrices (4 standard errors)") {
  const Params p = test::load(test::data("transfer.toml"));
  const auto results = experiments::run_replications(p, 2);
  // After one year: expected headcount per (subregion, branch) from independent moves.
  const double branch[3][3] = {{0.90, 0.06, 0.04}, {0.0, 1.0, 0.0}, {0.25, 0.25, 0.5}};
  const double subregion[2][2] = {{0.8, 0.2}, {0.0, 1.0}};
  const double start[2][3] = {{20000, 0, 0}, {0, 0, 10000}};
  for (int s = 0; s < 2; ++s)
    for (int b = 0; b < 3; ++b) {
      double expected = 0, variance = 0;
      for (int s0 = 0; s0 < 2; ++s0)
        for (int b0 = 0; b0 < 3; ++b0) {
          const double q = branch[b0][b] * subregion[s0][s];
          expected += start[s0][b0] * q;
          variance += start[s0][b0] * q * (1 - q);
        }
      double mean = 0;
      for (const auto& r : results)
        mean += double(r.headcount[r.at(1, p.cat.cell(s, b, 0))]) / double(results.size());
      CAPTURE(s);
      CAPTURE(b);
      CHECK(std::abs(mean - expected) <= 4 * std::sqrt(variance / double(results.size())) + 1e-9);
    }
}

TEST_CASE("an initial reserve: its size per cell, returners from the first year, balance kept") {
  const Params base = test::load(test::example("minimal.toml"));
  const Params p = test::load(test::example("minimal.toml"), {"reentry.initial_reserve_ratio=0.25"});
  const RunResult r = simulate(p, 0), r0 = simulate(base, 0);
  std::vector<std::int64_t> expected(p.cat.cells(), 0);
  for (const auto& g : p.initial)
    expected[p.cat.cell(g.subregion, g.branch, g.occupation)] += std::llround(g.count * 0.25);
  std::int64_t returners = 0;
  for (int cell = 0; cell < p.cat.cells(); ++cell) {
    CHECK(r.reserve[r.at(0, cell)] == expected[cell]);
    CHECK(r.headcount[r.at(0, cell)] == r0.headcount[r.at(0, cell)]);  // the active start is unchanged
    returners += r.flow(1, cell, kInReentry);
  }
  CHECK(returners > 0);
  test::check_balance(r);
}

TEST_CASE(
    "the initial reserve: years since leaving 0..max-1 at the start in the hazards' steady state, so all may return") {
  Params p = test::load(test::example("minimal.toml"), {"reentry.initial_reserve_ratio=2"});
  p.agents_out = {p.start_year};
  const RunResult r = simulate(p, 0);
  REQUIRE(r.agents.size() == 1);
  const AgentSnapshot& a = r.agents[0];
  std::vector<std::int64_t> by_years(p.reserve_max_years + 1, 0);
  std::int64_t members = 0;
  for (std::size_t k = 0; k < a.uid.size(); ++k) {
    if (a.state[k] != static_cast<std::int8_t>(WorkerState::reserve)) continue;
    ++members;
    REQUIRE(a.years_in_reserve[k] >= 0);
    REQUIRE(a.years_in_reserve[k] < p.reserve_max_years);  // nobody is past the maximum next year
    ++by_years[a.years_in_reserve[k]];
  }
  REQUIRE(members > 0);
  // Value k occurs in proportion to prod_{j=1..k} (1 - hazard(j)) (within 5 binomial standard errors).
  std::vector<double> share(p.reserve_max_years);
  double still = 1, total = 0;
  for (int k = 0; k < p.reserve_max_years; ++k) {
    if (k > 0) still *= 1 - p.reentry_hazard[p.reserve_bands.band(k)];
    share[k] = still, total += still;
  }
  for (auto& x : share) x /= total;
  for (int v = 0; v < p.reserve_max_years; ++v) {
    CAPTURE(v);
    const double se = std::sqrt(members * share[v] * (1 - share[v]));
    CHECK(std::abs(double(by_years[v]) - members * share[v]) <= 5 * se);
  }
  // Returners in the first year: the hazard of k + 1 years out, averaged over that distribution
  // (all members are below the pension age next year in minimal.toml's age ranges), within 5 SE.
  double mean_hazard = 0;
  for (int v = 0; v < p.reserve_max_years; ++v) mean_hazard += p.reentry_hazard[p.reserve_bands.band(v + 1)] * share[v];
  std::int64_t returners = 0;
  for (int cell = 0; cell < p.cat.cells(); ++cell) returners += r.flow(1, cell, kInReentry);
  CHECK(std::abs(double(returners) - members * mean_hazard) <=
        5 * std::sqrt(members * mean_hazard * (1 - mean_hazard)));
}

TEST_CASE("initial tenure and reserve by occupation: each occupation's own mean and ratio") {
  const Params p = test::load(test::example("minimal.toml"),
                              {"workforce.initial_tenure_mean={ helper = 3, vig = 12, nurse = 6 }",
                               "reentry.initial_reserve_ratio={ helper = 0.5, nurse = 0.1 }"});
  CHECK(p.initial_reserve_ratio == std::vector<double>{0.5, 0.0, 0.1});  // missing: 0
  const WorkerStore w = initial_workforce(p, 0);
  // Workers aged 40+ (the cap at age - entry age hardly binds): mean of floor(Exp(m)) = 1 / (e^(1/m) - 1).
  for (int o = 0; o < 3; ++o) {
    const double m = p.tenure_mean(o, 40), expected = 1.0 / (std::exp(1.0 / m) - 1.0);
    double sum = 0, sum2 = 0, n = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w.state[i] != WorkerState::active || w.occupation[i] != o || w.age[i] < 40) continue;
      sum += w.tenure[i], sum2 += double(w.tenure[i]) * w.tenure[i], ++n;
    }
    const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    CAPTURE(o);
    CHECK(std::abs(mean - expected) <= 4 * sd / std::sqrt(n));
  }
  std::vector<double> reserve(3, 0), active(3, 0);
  for (std::size_t i = 0; i < w.size(); ++i) (w.state[i] == WorkerState::reserve ? reserve : active)[w.occupation[i]] += 1;
  CHECK(reserve[0] == doctest::Approx(0.5 * active[0]).epsilon(0.03));  // rounded per initial group
  CHECK(reserve[1] == 0);
  CHECK(reserve[2] == doctest::Approx(0.1 * active[2]).epsilon(0.05));
  // A category that is not an occupation is an error.
  const test::ExtendedScenario bad("[workforce]\ninitial_tenure_mean = { helper = 3, vig = 12, nurse = 6, doctor = 9 }\n");
  test::check_located_error(bad.file, "workforce.initial_tenure_mean.doctor", "doctor = 9");
}

TEST_CASE("initial tenure by occupation and age band: each band's own mean, coverage and overlaps checked") {
  // minimal.toml with initial_tenure (a CSV) instead of initial_tenure_mean.
  const auto dir = test::temp_dir("tenure-by-age");
  auto scenario = [&](const std::string& csv) {
    std::string toml = test::read_text(test::example("minimal.toml"));
    const std::string from = "initial_tenure_mean = 8.0";
    REQUIRE(toml.find(from) != std::string::npos);
    toml.replace(toml.find(from), from.size(), "initial_tenure = \"tenure.csv\"");
    test::write_text(dir / "minimal.toml", toml);
    test::write_text(dir / "minimal-workforce.csv", test::read_text(test::example("minimal-workforce.csv")));
    test::write_text(dir / "tenure.csv", "# test\nsource,occupation,age_from,age_to,mean_tenure\n" + csv);
    return dir / "minimal.toml";
  };
  const Params p = test::load(scenario("x,helper,16,34,2\nx,helper,35,99,20\nx,vig,16,99,8\nx,nurse,16,99,8\n"));
  CHECK(p.tenure_mean(0, 20) == 2);
  CHECK(p.tenure_mean(0, 50) == 20);
  const WorkerStore w = initial_workforce(p, 0);
  double young = 0, n_young = 0, old = 0, n_old = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (w.occupation[i] != 0 || w.state[i] != WorkerState::active) continue;
    if (w.age[i] >= 25 && w.age[i] < 35) young += w.tenure[i], ++n_young;  // the cap (age - 16 >= 9) hardly binds at mean 2
    if (w.age[i] >= 50) old += w.tenure[i], ++n_old;
  }
  CHECK(young / n_young == doctest::Approx(1.0 / (std::exp(0.5) - 1.0)).epsilon(0.2));
  CHECK(old / n_old > 10);
  const auto gap = scenario("x,helper,16,40,2\nx,helper,42,99,20\nx,vig,16,99,8\nx,nurse,16,99,8\n");
  const auto missing = test::run_program("check '" + gap.string() + "'", dir);
  CHECK(missing.status == 2);
  CHECK(missing.output.find("age 41") != std::string::npos);
  const std::string text = test::read_text(gap);
  const int key_line = 1 + int(std::count(text.begin(), text.begin() + long(text.find("initial_tenure =")), '\n'));
  CHECK(missing.output.find(gap.string() + ":" + std::to_string(key_line) + ":") != std::string::npos);
  CHECK(missing.output.find("'workforce.initial_tenure'") != std::string::npos);
  const auto overlap = scenario("x,helper,16,40,2\nx,helper,40,99,20\nx,vig,16,99,8\nx,nurse,16,99,8\n");
  const auto twice = test::run_program("check '" + overlap.string() + "'", dir);
  CHECK(twice.status == 2);
  CHECK(twice.output.find((dir / "tenure.csv").string() + ":4:") != std::string::npos);
  // Both keys: an error naming them.
  const test::ExtendedScenario both("[workforce]\ninitial_tenure = \"tenure.csv\"\n",
                                    {{"tenure.csv", "source,occupation,age_from,age_to,mean_tenure\nx,helper,16,99,2\n"}});
  test::check_located_error(both.file, "workforce.initial_tenure", "initial_tenure = \"tenure.csv\"");
  // Neither: the error names the [workforce] table and the key to give.
  std::string toml = test::read_text(test::example("minimal.toml"));
  toml.erase(toml.find("initial_tenure_mean = 8.0"), std::string("initial_tenure_mean = 8.0").size());
  test::write_text(dir / "minimal.toml", toml);
  test::check_located_error(dir / "minimal.toml", "workforce.initial_tenure_mean", "[workforce]");
}
