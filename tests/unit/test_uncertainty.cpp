// Parameter uncertainty (experiments/uncertainty.h): reproducible Latin
// hypercube draws keyed by seed, replication count and key, shared between
// the runs of a compare; each drawn replication is exactly the scenario run
// with its values; the file layout; located errors in [uncertainty].
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "experiments/uncertainty.h"
#include "io/h5_reader.h"
#include "simulation/simulate.h"
#include "stats/statistics.h"
#include "test_support.h"

using namespace careabm;

namespace {

const std::string kBands = R"(
[uncertainty]
parameters = [
  { key = "outflow.rate.vig", lower = 0.07, upper = 0.11 },
  { key = "outflow.rate.nurse", distribution = "triangular", lower = 0.05, mode = 0.08, upper = 0.09 },
  { key = "workforce.full_time_hours", distribution = "normal", mean = 36, sd = 1, lower = 34, upper = 38 },
  { key = "reentry.max_years_in_reserve", lower = 8, upper = 12 },
]
)";

}  // namespace

TEST_CASE("uncertainty: every key's draws are a Latin hypercube column inside its band, reproducible") {
  const test::ExtendedScenario s(kBands);
  const Params p = s.load();
  REQUIRE(p.uncertainty.size() == 4);
  const int R = 40;
  const auto draws = experiments::draw_parameters(p, R);
  CHECK(draws == experiments::draw_parameters(p, R));  // a pure function of the scenario
  REQUIRE(draws.size() == std::size_t(R));
  // Uniform band: each of the R strata of [lower, upper] holds exactly one draw.
  std::vector<int> stratum(R, 0);
  for (const auto& row : draws) {
    const auto& b = p.uncertainty[0].band;
    CHECK(row[0] >= b.lower);
    CHECK(row[0] <= b.upper);
    ++stratum[std::min(R - 1, int((row[0] - b.lower) / (b.upper - b.lower) * R))];
    CHECK(row[3] == std::round(row[3]));  // an integer key is drawn whole
    for (std::size_t k = 1; k < 3; ++k) {
      CHECK(row[k] >= p.uncertainty[k].band.lower);
      CHECK(row[k] <= p.uncertainty[k].band.upper);
    }
  }
  CHECK(std::all_of(stratum.begin(), stratum.end(), [](int n) { return n == 1; }));
  // Another seed, other draws; the same key in another scenario with other keys: the same draws.
  const Params other_seed = s.load({"run.seed=5"});
  CHECK(experiments::draw_parameters(other_seed, R)[0][0] != draws[0][0]);
  const test::ExtendedScenario fewer("[uncertainty]\nparameters = [ { key = \"outflow.rate.nurse\", distribution = "
                                     "\"triangular\", lower = 0.05, mode = 0.08, upper = 0.09 } ]\n");
  const auto shared = experiments::draw_parameters(fewer.load(), R);
  for (int r = 0; r < R; ++r) CHECK(shared[r][0] == draws[r][1]);
}

TEST_CASE("uncertainty: the triangular band's draws have its mean (4 standard errors)") {
  const test::ExtendedScenario s(kBands);
  const Params p = s.load();
  const int R = 4000;
  const auto draws = experiments::draw_parameters(p, R);
  double sum = 0;
  for (const auto& row : draws) sum += row[1];
  const double a = 0.05, c = 0.08, b = 0.09;
  const double mean = (a + b + c) / 3, sd = std::sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18);
  CHECK(std::abs(sum / R - mean) < 4 * sd / std::sqrt(double(R)));
}

TEST_CASE("uncertainty: a drawn replication is the scenario run with its values, and the file holds both sets") {
  const test::ExtendedScenario s(kBands);
  const Params p = s.load({"run.replications=3"});
  const auto draws = experiments::draw_parameters(p, 3);
  const auto runs = experiments::run_with_uncertainty(s.file, {"run.replications=3"}, p, draws, 2);
  for (int r = 0; r < 3; ++r) {
    auto sets = experiments::parameter_overrides(p, draws[r]);
    sets.push_back("run.replications=3");
    const RunResult direct = simulate(s.load(sets), r);
    CHECK(runs[r].flows == direct.flows);
    CHECK(runs[r].shortage_persons == direct.shortage_persons);
  }
  // careabm run --uncertainty: the main groups hold the scenario's own runs, /uncertainty the drawn ones.
  const auto dir = test::temp_dir("uncertainty");
  const auto out = dir / "u.h5";
  const auto result = test::run_program("run '" + s.file.string() + "' -r 3 --uncertainty --quiet -o '" + out.string() + "'", dir);
  CAPTURE(result.output);
  REQUIRE(result.status == 0);
  CHECK(result.output.find("+ parameters") != std::string::npos);
  const io::H5Reader f(out);
  CHECK(f.dims("/uncertainty/parameters") == std::vector<std::string>{"replication", "parameter"});
  CHECK(f.labels("parameter") == std::vector<std::string>{"outflow.rate.vig", "outflow.rate.nurse",
                                                         "workforce.full_time_hours", "reentry.max_years_in_reserve"});
  // Rates, hours and years: the keys' units differ, so the drawn values have no units (not "1").
  for (const char* path : {"/uncertainty/parameters", "/uncertainty/lower", "/uncertainty/upper",
                           "/uncertainty/central"}) {
    CHECK_FALSE(f.has_attr(path, "units"));
    CHECK(f.attr_string(path, "description").find("units of its scenario key") != std::string::npos);
  }
  const auto written = f.read_double("/uncertainty/parameters");
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 4; ++k) CHECK(written[std::size_t(r) * 4 + k] == draws[r][k]);
  const auto drawn = f.read_double("/uncertainty/shortage/persons");
  CHECK(std::equal(drawn.begin(), drawn.begin() + long(runs[1].shortage_persons.size()),
                   runs[0].shortage_persons.begin()));
  const auto plain = f.read_double("/shortage/persons");
  CHECK(std::equal(plain.begin(), plain.begin() + long(runs[0].shortage_persons.size()),
                   simulate(p, 0).shortage_persons.begin()));
  CHECK(f.exists("/uncertainty/summary/shortage/unfilled"));
  const auto summary = test::run_program("summary '" + out.string() + "'", dir);
  CHECK(summary.output.find("+ parameters") != std::string::npos);
  // Without [uncertainty], --uncertainty is bad input.
  const auto none = test::run_program("run '" + test::example("minimal.toml").string() + "' --uncertainty -o '" +
                                          (dir / "n.h5").string() + "'", dir);
  CHECK(none.status == 2);
}

TEST_CASE("uncertainty: compare --uncertainty shares the draws, so an identical alternative differs by exactly 0") {
  const test::ExtendedScenario s(kBands);
  const auto dir = test::temp_dir("uncertainty-compare");
  const auto out = dir / "c.h5";
  const auto result = test::run_program("compare '" + s.file.string() + "' '" + s.file.string() +
                                            "' -r 3 --uncertainty --quiet -o '" + out.string() + "'", dir);
  CAPTURE(result.output);
  REQUIRE(result.status == 0);
  const io::H5Reader f(out);
  for (double v : f.read_double("/difference/shortage/persons")) REQUIRE(v == 0.0);
  CHECK(f.exists("/uncertainty/parameters"));
  // And the runs are the drawn ones, not the scenario's own.
  const auto head = f.read_double("/workforce/headcount");
  const Params p = s.load({"run.replications=3"});
  const RunResult own = simulate(p, 0);
  CHECK(!std::equal(own.headcount.begin(), own.headcount.end(), head.begin()));
}

TEST_CASE("summaries: the 95% interval is the 2.5-97.5% quantiles everywhere (p025, p975 on the stat axis)") {
  CHECK(stats::summary_stat_labels() == std::vector<std::string>{"mean", "p025", "p05", "p50", "p95", "p975"});
  std::vector<double> values(41);
  for (int i = 0; i <= 40; ++i) values[i] = i;
  const auto s = stats::summarise(values, 41);
  const auto i = stats::interval(values, 0.95);
  CHECK(s[1] == i.lo);
  CHECK(s[5] == i.hi);
  CHECK(s[1] == doctest::Approx(1.0));
  CHECK(s[2] == doctest::Approx(2.0));
}

TEST_CASE("uncertainty: bad input exits 2 with file, line and key") {
  using Bad = test::BadInput;
  const Bad cases[] = {
      {"unknown key", "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.1, lowr = 1 } ]\n",
       "uncertainty.parameters[1].lowr", "lowr"},
      {"no such scenario key", "[uncertainty]\nparameters = [ { key = \"outflow.rate.surgeon\", lower = 0.07, upper = 0.1 } ]\n",
       "uncertainty.parameters[1].key", "surgeon"},
      {"inverted band", "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.1, upper = 0.07 } ]\n",
       "uncertainty.parameters[1]", "lower = 0.1"},
      {"unknown distribution",
       "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.1, distribution = \"beta\" } ]\n",
       "uncertainty.parameters[1].distribution", "beta"},
      {"triangular without a mode",
       "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.1, distribution = \"triangular\" } ]\n",
       "uncertainty.parameters[1].mode", "triangular"},
      {"a table, not a number", "[uncertainty]\nparameters = [ { key = \"outflow.rate\", lower = 0.07, upper = 0.1 } ]\n",
       "outflow.rate", "rate = {"},
      {"listed twice",
       "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.1 },\n"
       "  { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.11 } ]\n",
       "uncertainty.parameters[2].key", "upper = 0.11"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    const test::ExtendedScenario s(c.body);
    if (what == "a table, not a number") {  // located where the scenario sets the table: the base file
      const auto result = test::run_program("check '" + s.file.string() + "'", s.dir);
      CAPTURE(result.output);
      CHECK(result.status == 2);
      CHECK(result.output.find("'outflow.rate'") != std::string::npos);
      CHECK(result.output.find("minimal.toml:") != std::string::npos);
      continue;
    }
    test::check_located_error(s.file, c.key, c.located);
  }
}

TEST_CASE("uncertainty: a value outside its band, or a series, is refused by --uncertainty only (exit 2, located)") {
  // A scenario that extends another may move a number outside the other's band
  // (a what-if, an intervention, a backcast with a series): it runs, and only
  // --uncertainty, which would draw from the band, refuses it.
  const std::string bodies[] = {
      "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.01, upper = 0.05 } ]\n",
      "[outflow.rate]\nvig = { series = { 2022 = 0.09, 2030 = 0.08 } }\n"
      "[uncertainty]\nparameters = [ { key = \"outflow.rate.vig\", lower = 0.07, upper = 0.1 } ]\n",
  };
  for (const auto& body : bodies) {
    CAPTURE(body);
    const test::ExtendedScenario s(body);
    const auto check = test::run_program("check '" + s.file.string() + "'", s.dir);
    CAPTURE(check.output);
    CHECK(check.status == 0);
    const auto out = (s.dir / "u.h5").string();
    const auto run = test::run_program("run '" + s.file.string() + "' -r 2 --quiet -o '" + out + "' --uncertainty", s.dir);
    CAPTURE(run.output);
    CHECK(run.status == 2);
    const std::string text = test::read_text(s.file);
    const int line = 1 + int(std::count(text.begin(), text.begin() + long(text.find("key = \"outflow.rate.vig\"")), '\n'));
    CHECK(run.output.find(s.file.string() + ":" + std::to_string(line) + ":") != std::string::npos);
    CHECK(run.output.find("'uncertainty.parameters'") != std::string::npos);
    CHECK(!std::filesystem::exists(out));
  }
}
