// `careabm compare` and `careabm size-cohorts` as a user meets them: the file
// layouts of analysis/README.md ("Output layouts"), exact zero differences for
// an identical alternative, exit 2 for alternatives that do not match.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <tuple>

#include "../unit/test_support.h"
#include "io/h5_reader.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {
using Dims = std::vector<std::string>;
}

TEST_CASE("compare: an alternative identical to the base differs by exactly zero, and the layout") {
  const auto dir = test::temp_dir("compare-same");
  const auto out = dir / "same.h5";
  const auto pipeline = test::example("pipeline.toml").string();
  const auto result = test::run_program("compare '" + pipeline + "' '" + pipeline + "' -r 3 --threads 2 -o '" +
                                            out.string() + "'",
                                        dir);
  CAPTURE(result.output);
  REQUIRE(result.status == 0);
  CHECK(result.output.find("+0 [+0, +0]") != std::string::npos);

  const io::H5Reader f(out);
  CHECK(f.root_attr_string("command") == "compare");
  CHECK(f.root_attr_string("scenario_name") == "pipeline");
  CHECK(f.root_attr_int64("replications") == 3);
  CHECK(f.labels("scenario") == std::vector<std::string>{"pipeline", "pipeline-2"});
  CHECK(f.labels("alternative") == std::vector<std::string>{"pipeline-2"});
  CHECK(f.labels("interval") == std::vector<std::string>{"mean", "lo95", "hi95"});
  CHECK(f.dims("/scenario_text") == Dims{"scenario"});
  CHECK(f.dims("/workforce/headcount") == Dims{"scenario", "replication", "year", "subregion", "branch", "occupation"});
  CHECK(f.dims("/summary/shortage/persons") == Dims{"stat", "scenario", "year", "subregion", "branch", "occupation"});
  CHECK(f.dims("/difference/shortage/persons") ==
        Dims{"alternative", "interval", "year", "subregion", "branch", "occupation"});
  CHECK(f.dims("/difference/training/enrolled") == Dims{"alternative", "interval", "year", "programme"});
  CHECK(f.dims("/difference/clients/count") == Dims{"alternative", "interval", "year", "subregion", "need", "setting"});
  for (const char* path : {"/difference/shortage/persons", "/difference/workforce/flows", "/difference/demand/fte",
                           "/difference/clients/waiting", "/difference/cost/total",
                           "/difference/cost/fte_years_gained"}) {
    CAPTURE(path);
    for (double v : f.read_double(path)) REQUIRE(v == 0.0);
  }
  CHECK(std::isnan(f.read_double("/difference/cost/per_fte_year_gained").at(0)));
  // The stacked variable holds both scenarios' replications, identical here.
  const auto head = f.read_double("/workforce/headcount");
  CHECK(std::equal(head.begin(), head.begin() + long(head.size() / 2), head.begin() + long(head.size() / 2)));
}

TEST_CASE("compare: an intervention alternative, paired differences and costs") {
  const auto dir = test::temp_dir("compare-intervention");
  const auto alt = dir / "retention.toml";
  test::write_text(alt, "extends = \"" + test::example("pipeline.toml").string() + "\"\nname = \"retention\"\n" + R"(
[interventions.starters]
kind = "retention"
start_year = 2024
effect = 0.5
tenure_below = 3
cost_per_unit = 2000
)");
  const auto out = dir / "cmp.h5";
  const auto result = test::run_program("compare '" + test::example("pipeline.toml").string() + "' '" + alt.string() +
                                            "' -r 4 --quiet -o '" + out.string() + "'",
                                        dir);
  CAPTURE(result.output);
  REQUIRE(result.status == 0);
  CHECK(result.output.find("retention") != std::string::npos);
  const io::H5Reader f(out);
  const auto cost = f.read_double("/difference/cost/total");
  const auto gained = f.read_double("/difference/cost/fte_years_gained");
  const auto per = f.read_double("/difference/cost/per_fte_year_gained");
  CHECK(f.dims("/difference/cost/per_fte_year_gained") == Dims{"alternative", "interval"});
  REQUIRE(cost.size() == 3);  // mean, lo95, hi95
  CHECK(cost[0] > 0);
  CHECK(gained[0] > 0);
  CHECK(per[0] == doctest::Approx(cost[0] / gained[0]));
  CHECK(per[1] < per[0]);
  CHECK(per[0] < per[2]);
  // FTE-years gained = the unfilled demand removed: sum over years and cells of
  // max(0, shortage FTE), base - alternative, per replication; a surplus gains nothing.
  CHECK(f.dims("/cost/unfilled_fte_years") == Dims{"scenario", "replication"});
  CHECK(f.dims("/cost/by_year") == Dims{"scenario", "replication", "year"});
  const auto unfilled = f.read_double("/cost/unfilled_fte_years");
  const auto shortage = f.read_double("/shortage/fte");
  const std::size_t R = 4, per_run = shortage.size() / (2 * R);
  double mean_gain = 0;
  for (std::size_t run = 0; run < 2 * R; ++run) {
    double sum = 0;
    for (std::size_t k = 0; k < per_run; ++k) sum += std::max(0.0, shortage[run * per_run + k]);
    CHECK(unfilled[run] == doctest::Approx(sum));
    if (run < R) mean_gain += (unfilled[run] - unfilled[run + R]) / double(R);
  }
  CHECK(gained[0] == doctest::Approx(mean_gain));
  const auto by_year = f.read_double("/cost/by_year");
  double alt_cost = 0;
  for (std::size_t k = by_year.size() / 2; k < by_year.size(); ++k) alt_cost += by_year[k];
  CHECK(alt_cost / double(R) == doctest::Approx(cost[0]));
  // mean within [lo95, hi95] everywhere; the 2031 total is lower with retention.
  const auto d = f.read_double("/difference/shortage/persons");
  const std::size_t n = d.size() / 3;
  for (std::size_t i = 0; i < n; ++i) {
    REQUIRE(d[n + i] <= d[i] + 1e-9);
    REQUIRE(d[i] <= d[2 * n + i] + 1e-9);
  }
  double total_2031 = 0;
  const std::size_t per_year = n / 10;  // pipeline: 2022-2031
  for (std::size_t i = 9 * per_year; i < n; ++i) total_2031 += d[i];
  CHECK(total_2031 < 0);
  // An existing output is not overwritten without --force.
  const auto again = test::run_program("compare '" + test::example("pipeline.toml").string() + "' '" + alt.string() +
                                           "' -r 2 --quiet -o '" + out.string() + "'",
                                       dir);
  CHECK(again.status == 2);
}

TEST_CASE("compare: an alternative that does not share categories exits 2 naming its file") {
  const auto dir = test::temp_dir("compare-mismatch");
  const auto minimal = test::example("minimal.toml").string();
  const auto result = test::run_program(
      "compare '" + test::example("pipeline.toml").string() + "' '" + minimal + "' -o '" + (dir / "x.h5").string() + "'",
      dir);
  CAPTURE(result.output);
  CHECK(result.status == 2);
  CHECK(result.output.find(minimal) != std::string::npos);
  CHECK(!fs::exists(dir / "x.h5"));
  const auto too_few = test::run_program("compare '" + minimal + "'", dir);
  CHECK(too_few.status == 2);
}

TEST_CASE("size-cohorts: the file layout and the answer of the linear scenario") {
  const auto dir = test::temp_dir("size-cohorts");
  const auto out = dir / "cohorts.h5";
  const auto result = test::run_program("size-cohorts '" + test::data("cohorts-linear.toml").string() +
                                            "' --programme vig_school --occupation vig --by 2030 --from 2023 --goal 10 -r 2 -o '" +
                                            out.string() + "'",
                                        dir);
  CAPTURE(result.output);
  REQUIRE(result.status == 0);
  CHECK(result.output.find("answer:") != std::string::npos);
  const io::H5Reader f(out);
  CHECK(f.root_attr_string("command") == "size-cohorts");
  CHECK(f.root_attr_string("programme") == "vig_school");
  CHECK(f.root_attr_string("occupation") == "vig");
  CHECK(f.root_attr_int64("by_year") == 2030);
  CHECK(f.dims("/cohorts/extra_enrolment") == Dims{"candidate"});
  CHECK(f.dims("/cohorts/shortage") == Dims{"stat", "candidate"});
  CHECK(f.dims("/cohorts/shortage_replications") == Dims{"candidate", "replication"});
  CHECK(f.dims("/cohorts/trajectory") == Dims{"stat", "candidate", "year"});
  const auto extra = f.read_double("/cohorts/extra_enrolment");
  CHECK(std::is_sorted(extra.begin(), extra.end()));
  CHECK(extra.front() == 0.0);

  const auto bad = test::run_program("size-cohorts '" + test::data("cohorts-linear.toml").string() +
                                         "' --programme nope --occupation vig --by 2030 -o '" + (dir / "b.h5").string() + "'",
                                     dir);
  CHECK(bad.status == 2);
  CHECK(bad.output.find("--programme") != std::string::npos);
}

TEST_CASE("compare: summary of a compare file shows each scenario's tables, equal to a run's of that scenario") {
  const auto dir = test::temp_dir("compare-summary");
  const auto pipeline = test::example("pipeline.toml").string();
  const auto alternative = dir / "alternative.toml";
  test::write_text(alternative, "extends = \"" + pipeline + "\"\nname = \"faster-leaving\"\n[outflow]\nrate_scale = 1.3\n");
  const auto base_out = (dir / "base.h5").string(), alt_out = (dir / "alt.h5").string();
  const auto compare_out = (dir / "compare.h5").string();
  REQUIRE(test::run_program("run '" + pipeline + "' -r 3 --quiet -o '" + base_out + "'", dir).status == 0);
  REQUIRE(test::run_program("run '" + alternative.string() + "' -r 3 --quiet -o '" + alt_out + "'", dir).status == 0);
  REQUIRE(test::run_program("compare '" + pipeline + "' '" + alternative.string() + "' -r 3 --quiet -o '" + compare_out +
                                "'",
                            dir)
              .status == 0);
  const auto compared = test::run_program("summary '" + compare_out + "'", dir);
  CAPTURE(compared.output);
  REQUIRE(compared.status == 0);
  CHECK(compared.output.find("nan") == std::string::npos);
  const auto base_at = compared.output.find("scenario pipeline (");
  const auto alt_at = compared.output.find("scenario faster-leaving (");
  REQUIRE(base_at != std::string::npos);
  REQUIRE(alt_at != std::string::npos);
  REQUIRE(base_at < alt_at);
  const std::string base_block = compared.output.substr(base_at, alt_at - base_at);
  const std::string alt_block = compared.output.substr(alt_at);
  // Every table row of each scenario's own run (years and intervals) is in its block of the compare file.
  for (const auto& [out, block, other] : {std::tuple{base_out, base_block, alt_block}, std::tuple{alt_out, alt_block, base_block}}) {
    const auto ran = test::run_program("summary '" + out + "'", dir);
    REQUIRE(ran.status == 0);
    std::istringstream lines(ran.output);
    int rows = 0, elsewhere = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("20", 0) != 0) continue;
      ++rows;
      CAPTURE(line);
      CHECK(block.find(line) != std::string::npos);
      elsewhere += other.find(line) != std::string::npos;
    }
    CHECK(rows > 10);
    CHECK(elsewhere < rows);  // the two scenarios differ
  }
}
