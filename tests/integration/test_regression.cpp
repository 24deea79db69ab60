// Fixed-seed regression of key aggregates. A change that alters model results
// must update the files in tests/regression/ in the same commit, deliberately:
//   CAREABM_UPDATE_REGRESSION=1 build/careabm-tests -tc="regression*"
// Counts must match exactly; FTE-based figures to 1e-9 relative (they are
// sums of doubles, identical on one machine and compiler, but this leaves
// room for another compiler's floating-point contraction).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "experiments/replications.h"
#include "experiments/variables.h"
#include "../unit/test_support.h"

using namespace careabm;

namespace {

// name -> value: every output variable summed over everything but the year, per year,
// and over the replications.
std::map<std::string, double> aggregates(const Params& p, const std::vector<RunResult>& results) {
  std::map<std::string, double> out;
  for (const auto& v : experiments::output_variables(p)) {
    for (const auto& r : results) {
      const std::size_t total = std::visit([&](auto m) { return (r.*m).size(); }, v.member);
      const std::size_t per_year = total / std::size_t(p.years());
      for (int t = 0; t < p.years(); ++t) {
        double sum = 0;
        for (std::size_t k = 0; k < per_year; ++k) {
          const double x = v.value(r, std::size_t(t) * per_year + k);
          if (std::isfinite(x)) sum += x;
        }
        char key[128];
        std::snprintf(key, sizeof key, "%s %d", v.path().c_str(), p.start_year + t);
        out[key] += sum;
      }
    }
  }
  return out;
}

void check_against_file(const std::string& scenario, const std::vector<std::string>& sets, const std::string& file) {
  const Params p = test::load(test::example(scenario), sets);
  const auto values = aggregates(p, experiments::run_replications(p, 2));
  const auto path = test::source_dir() / "tests" / "regression" / file;
  if (std::getenv("CAREABM_UPDATE_REGRESSION")) {
    std::ofstream out(path);
    out << "# Key aggregates of scenarios/examples/" << scenario << " (seed " << p.seed << ", " << p.replications
        << " replications), written by CAREABM_UPDATE_REGRESSION=1 build/careabm-tests -tc=\"regression*\"\n";
    for (const auto& [k, v] : values) {
      char line[256];
      std::snprintf(line, sizeof line, "%s %.17g\n", k.c_str(), v);
      out << line;
    }
    MESSAGE("updated " << path.string());
    return;
  }
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "missing " << path.string());
  std::map<std::string, double> expected;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto cut = line.rfind(' ');
    expected[line.substr(0, cut)] = std::stod(line.substr(cut + 1));
  }
  CHECK(expected.size() == values.size());
  for (const auto& [k, v] : expected) {
    CAPTURE(k);
    REQUIRE(values.count(k) == 1);
    const double got = values.at(k);
    if (k.find("fte") != std::string::npos || k.find("shortage") != std::string::npos ||
        k.find("demand") != std::string::npos || k.find("ratio") != std::string::npos ||
        k.find("share") != std::string::npos) {
      CHECK(std::abs(got - v) <= 1e-9 * std::max(1.0, std::abs(v)));
    } else {
      CHECK(got == v);
    }
  }
}

}  // namespace

TEST_CASE("regression: minimal example, fixed seed") {
  check_against_file("minimal.toml", {"run.replications=4"}, "minimal.txt");
}

TEST_CASE("regression: pipeline example (trainees and clients), fixed seed") {
  check_against_file("pipeline.toml", {"run.replications=4"}, "pipeline.txt");
}

TEST_CASE("regression: labour-market example (every labour-market mechanism on), fixed seed") {
  check_against_file("labour-market.toml", {"run.replications=4"}, "labour-market.txt");
}
