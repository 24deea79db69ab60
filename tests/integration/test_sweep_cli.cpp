// careabm sweep and careabm analyze as a user meets them: located errors in sweep
// files, identical results for any thread count, resume after an interruption,
// sensitivity indices in the file. (The 2-rank MPI sweep is the ctest
// "sweep.mpi", tests/integration/sweep_mpi_test.sh.)
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "../unit/test_support.h"
#include "io/h5_reader.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

// A small sweep over the minimal scenario: 2 parameters, saltelli n = 4 (16 points)
// x 2 replications, unless the design is replaced.
std::string small_sweep(const std::string& design = "kind = \"saltelli\"\nbase_samples = 4") {
  return "scenario = \"" + test::example("minimal.toml").string() + "\"\n" +
         "seed = 11\n"
         "replications = 2\n"
         "[design]\n" +
         design +
         "\n"
         "[[parameters]]\n"
         "key = \"outflow.rate.vig\"\n"
         "lower = 0.06\n"
         "upper = 0.12\n"
         "[[parameters]]\n"
         "key = \"inflow.career_switchers.per_year.vig\"\n"
         "lower = 10\n"
         "upper = 60\n"
         "[[outputs]]\n"
         "name = \"shortage_2031\"\n"
         "variable = \"shortage/persons\"\n"
         "year = 2031\n"
         "[[outputs]]\n"
         "name = \"vig_fte_2031\"\n"
         "variable = \"workforce/fte\"\n"
         "year = 2031\n"
         "occupation = \"vig\"\n";
}

fs::path write_sweep(const fs::path& dir, const std::string& name, const std::string& text) {
  test::write_text(dir / name, text);
  return dir / name;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

int line_of(const std::string& content, const std::string& text) {
  const auto at = content.find(text);
  return at == std::string::npos ? 0 : 1 + int(std::count(content.begin(), content.begin() + long(at), '\n'));
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// The datasets of two sweep files are bit-identical (attributes such as created_utc differ).
void require_same_datasets(const fs::path& a, const fs::path& b) {
  const io::H5Reader ra(a), rb(b);
  for (const char* d : {"/design", "/design_unit", "/parameter_bounds", "/outputs/values", "/completed"}) {
    INFO("dataset " << d);
    CHECK(ra.shape(d) == rb.shape(d));
    CHECK(same_bits(ra.read_double(d), rb.read_double(d)));
  }
  CHECK(ra.labels("parameter") == rb.labels("parameter"));
  CHECK(ra.labels("output") == rb.labels("output"));
}

struct BadSweep {
  const char* what;
  const char* from;
  const char* to;
  const char* key;      // the key the message must name
  const char* located;  // text whose line the message must name
};

}  // namespace

TEST_CASE("sweep: a malformed sweep file exits 2 with a located message") {
  const auto dir = test::temp_dir("sweep-bad");
  const BadSweep cases[] = {
      {"unknown top-level key", "seed = 11", "seed = 11\nseeds = 12", "seeds", "seeds = 12"},
      {"lower >= upper", "upper = 0.12", "upper = 0.05", "parameters[1].upper", "upper = 0.05"},
      {"unknown scenario key", "key = \"outflow.rate.vig\"", "key = \"outflow.rate.vgi\"", "parameters[1].key",
       "outflow.rate.vgi"},
      {"value the scenario rejects", "upper = 0.12", "upper = 3.0", "parameters[1].key", "outflow.rate.vig"},
      {"wrong type", "lower = 0.06", "lower = \"low\"", "parameters[1].lower", "lower = \"low\""},
      {"unknown parameter key", "lower = 0.06", "lower = 0.06\nshape = 2", "parameters[1].shape", "shape = 2"},
      {"unknown design", "kind = \"saltelli\"", "kind = \"sobol\"", "design.kind", "kind = \"sobol\""},
      {"key of another design", "base_samples = 4", "base_samples = 4\ntrajectories = 3", "design.trajectories",
       "trajectories = 3"},
      {"bad distribution", "upper = 60", "upper = 60\ndistribution = \"gamma\"", "parameters[2].distribution",
       "distribution = \"gamma\""},
      {"normal without sd", "upper = 60", "upper = 60\ndistribution = \"normal\"\nmean = 30",
       "parameters[2].sd", "[[parameters]]\nkey = \"inflow"},
      // Selections are located at their [[outputs]] table (run/selection.h).
      {"unknown output variable", "variable = \"workforce/fte\"", "variable = \"workforce/ftes\"", "variable",
       "[[outputs]]\nname = \"vig_fte_2031\""},
      {"unknown output label", "occupation = \"vig\"", "occupation = \"vgi\"", "occupation",
       "[[outputs]]\nname = \"vig_fte_2031\""},
      {"missing seed", "seed = 11\n", "", "seed", ""},
      {"malformed TOML", "seed = 11", "seed = = 11", "", "seed = = 11"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    std::string text = small_sweep();
    const auto at = text.find(c.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::strlen(c.from), c.to);
    const auto file = write_sweep(dir, "bad.toml", text);
    const auto r = test::run_program("sweep " + q(file) + " -o " + q(dir / "bad.h5") + " --quiet", dir);
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(file.string()) != std::string::npos);
    if (std::strlen(c.key)) CHECK(r.output.find("key '" + std::string(c.key) + "'") != std::string::npos);
    if (std::strlen(c.located)) {
      const int line = line_of(text, c.located);
      CHECK(r.output.find(file.string() + ":" + std::to_string(line)) != std::string::npos);
    }
    CHECK(!fs::exists(dir / "bad.h5"));
    CHECK(!fs::exists(dir / "bad.h5.partial"));
  }
}

TEST_CASE("sweep: --threads 1 and --threads 2 give identical datasets, in the sweep layout") {
  const auto dir = test::temp_dir("sweep-threads");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto r1 = test::run_program("sweep " + q(file) + " -o " + q(dir / "t1.h5") + " --threads 1 --quiet", dir);
  REQUIRE_MESSAGE(r1.status == 0, r1.output);
  const auto r2 = test::run_program("sweep " + q(file) + " -o " + q(dir / "t2.h5") + " --threads 2 --quiet", dir);
  REQUIRE_MESSAGE(r2.status == 0, r2.output);
  require_same_datasets(dir / "t1.h5", dir / "t2.h5");
  CHECK(!fs::exists(dir / "t1.h5.partial"));

  const io::H5Reader in(dir / "t1.h5");
  CHECK(in.root_attr_string("command") == "sweep");
  CHECK(in.root_attr_string("design") == "saltelli");
  CHECK(in.root_attr_int64("points") == 16);
  CHECK(in.root_attr_int64("replications") == 2);
  CHECK(in.root_attr_int64("seed") == 11);
  CHECK(in.dims("/outputs/values") == std::vector<std::string>{"point", "replication", "output"});
  CHECK(in.shape("/outputs/values") == std::vector<std::size_t>{16, 2, 2});
  CHECK(in.dims("/design") == std::vector<std::string>{"point", "parameter"});
  CHECK(in.dims("/parameter_bounds") == std::vector<std::string>{"parameter", "bound"});
  CHECK(in.labels("parameter") == std::vector<std::string>{"outflow.rate.vig", "inflow.career_switchers.per_year.vig"});
  CHECK(in.labels("bound") == std::vector<std::string>{"lo", "hi"});
  for (auto c : in.read_int64("/completed")) CHECK(c == 1);
  const auto design = in.read_double("/design");
  for (std::size_t i = 0; i < design.size(); i += 2) {
    CHECK(design[i] >= 0.06);
    CHECK(design[i] <= 0.12);
    CHECK(design[i + 1] == std::round(design[i + 1]));  // an integer key of the scenario
  }
  for (double v : in.read_double("/outputs/values")) CHECK(std::isfinite(v));
  CHECK(in.string_dataset("/sweep") == test::read_text(file));
  CHECK(in.string_dataset("/scenario").find("name = 'minimal'") != std::string::npos);

  // An existing output is never overwritten without --force.
  const auto again = test::run_program("sweep " + q(file) + " -o " + q(dir / "t1.h5") + " --quiet", dir);
  CHECK(again.status == 2);
  CHECK(again.output.find("--force") != std::string::npos);
}

TEST_CASE("sweep: a point's replications match careabm run with the same parameters") {
  const auto dir = test::temp_dir("sweep-crn");
  const auto file = write_sweep(dir, "g.toml", small_sweep("kind = \"grid\"\nlevels = 2"));
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "g.h5") + " --quiet", dir).status == 0);
  // Grid point 1 is (lower, upper) = (0.06, 60).
  const auto run = test::run_program("run " + q(test::example("minimal.toml")) + " -r 2 --threads 1 -o " +
                                         q(dir / "run.h5") + " --set outflow.rate.vig=0.06" +
                                         " --set inflow.career_switchers.per_year.vig=60 --quiet",
                                     dir);
  REQUIRE_MESSAGE(run.status == 0, run.output);
  const io::H5Reader sweep(dir / "g.h5"), single(dir / "run.h5");
  const auto values = sweep.read_double("/outputs/values");  // [point, replication, output]
  CHECK(sweep.read_double("/design")[2] == 0.06);
  CHECK(sweep.read_double("/design")[3] == 60);
  const auto persons = single.read_double("/shortage/persons");  // [replication, year, ...]
  const auto shape = single.shape("/shortage/persons");
  const std::size_t per_year = shape[2] * shape[3] * shape[4], per_rep = shape[1] * per_year;
  const std::size_t y2031 = shape[1] - 1;
  for (std::size_t r = 0; r < 2; ++r) {
    double total = 0;
    for (std::size_t c = 0; c < per_year; ++c) total += persons[r * per_rep + y2031 * per_year + c];
    CHECK(values[(1 * 2 + r) * 2 + 0] == doctest::Approx(total).epsilon(1e-12));
  }
}

TEST_CASE("sweep: resuming an interrupted sweep equals an uninterrupted one") {
  const auto dir = test::temp_dir("sweep-resume");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "r.h5", partial = dir / "r.h5.partial";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "full.h5") + " --threads 1 --quiet", dir).status == 0);

  // Interrupted after 5 points (the test-only --stop-after stops as Ctrl-C does).
  const auto first = test::run_program("sweep " + q(file) + " -o " + q(out) + " --stop-after 5 --threads 2 --quiet", dir);
  CHECK(first.status == 130);
  CHECK(first.output.find("--resume") != std::string::npos);
  REQUIRE(fs::exists(partial));
  CHECK(!fs::exists(out));
  {
    const io::H5Reader in(partial);
    const auto completed = in.read_int64("/completed");
    CHECK(std::count(completed.begin(), completed.end(), 1) == 5);
    const auto values = in.read_double("/outputs/values");
    CHECK(std::isnan(values.back()));
  }
  // Without --resume the partial file is not silently replaced.
  const auto refused = test::run_program("sweep " + q(file) + " -o " + q(out) + " --quiet", dir);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("--resume") != std::string::npos);

  // Interrupted again, then finished.
  CHECK(test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --stop-after 4 --threads 1 --quiet", dir)
            .status == 130);
  const auto last = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --threads 2 --quiet", dir);
  REQUIRE_MESSAGE(last.status == 0, last.output);
  CHECK(last.output.find("7 points run now") != std::string::npos);
  CHECK(fs::exists(out));
  CHECK(!fs::exists(partial));
  require_same_datasets(out, dir / "full.h5");

  // --resume on a finished sweep has nothing to do.
  const auto done = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir);
  CHECK(done.status == 0);
  CHECK(done.output.find("nothing to resume") != std::string::npos);
}

TEST_CASE("sweep: --resume refuses a partial file from another sweep file") {
  const auto dir = test::temp_dir("sweep-resume-mismatch");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "r.h5";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(out) + " --stop-after 3 --quiet", dir).status == 130);
  std::string text = small_sweep();
  text.replace(text.find("upper = 0.12"), 12, "upper = 0.13");
  write_sweep(dir, "s.toml", text);
  const auto r = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir);
  CHECK(r.status == 2);
  CHECK(r.output.find("does not match") != std::string::npos);
  CHECK(r.output.find("--force") != std::string::npos);
  // --force starts over.
  CHECK(test::run_program("sweep " + q(file) + " -o " + q(out) + " --force --quiet", dir).status == 0);
  CHECK(!fs::exists(dir / "r.h5.partial"));
}

TEST_CASE("analyze: Sobol' indices of a saltelli sweep, Morris effects of a morris sweep") {
  const auto dir = test::temp_dir("sweep-analyze");
  SUBCASE("saltelli") {
    const auto file = write_sweep(dir, "s.toml", small_sweep());
    REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "s.h5") + " --quiet", dir).status == 0);
    const auto r = test::run_program("analyze " + q(dir / "s.h5") + " --bootstrap 50", dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("outflow.rate.vig") != std::string::npos);
    const io::H5Reader in(dir / "s.h5");
    CHECK(in.dims("/sensitivity/sobol_first") == std::vector<std::string>{"output", "parameter"});
    CHECK(in.shape("/sensitivity/sobol_total") == std::vector<std::size_t>{2, 2});
    CHECK(in.dims("/sensitivity/sobol_first_ci") == std::vector<std::string>{"output", "parameter", "bound"});
    const auto total = in.read_double("/sensitivity/sobol_total");
    const auto ci = in.read_double("/sensitivity/sobol_total_ci");
    for (std::size_t i = 0; i < total.size(); ++i) {
      CHECK(std::isfinite(total[i]));
      CHECK(ci[2 * i] <= ci[2 * i + 1]);
    }
    CHECK(!in.exists("/sensitivity/morris_mu_star"));
    // Results are not replaced without --force; with it they are, identically.
    CHECK(test::run_program("analyze " + q(dir / "s.h5") + " --bootstrap 50", dir).status == 2);
    CHECK(test::run_program("analyze " + q(dir / "s.h5") + " --bootstrap 50 --force", dir).status == 0);
    CHECK(same_bits(io::H5Reader(dir / "s.h5").read_double("/sensitivity/sobol_total_ci"), ci));
  }
  SUBCASE("morris") {
    const auto file = write_sweep(dir, "m.toml", small_sweep("kind = \"morris\"\ntrajectories = 3\nlevels = 4"));
    REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "m.h5") + " --quiet", dir).status == 0);
    const auto r = test::run_program("analyze " + q(dir / "m.h5"), dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("mu*") != std::string::npos);
    const io::H5Reader in(dir / "m.h5");
    CHECK(in.root_attr_int64("points") == 9);
    CHECK(in.shape("/sensitivity/morris_mu_star") == std::vector<std::size_t>{2, 2});
    for (double v : in.read_double("/sensitivity/morris_mu_star")) CHECK(v >= 0);
    CHECK(in.dims("/sensitivity/morris_sigma") == std::vector<std::string>{"output", "parameter"});
  }
  SUBCASE("an incomplete sweep exits 2") {
    const auto file = write_sweep(dir, "s.toml", small_sweep());
    REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "i.h5") + " --stop-after 3 --quiet", dir).status ==
            130);
    const auto r = test::run_program("analyze " + q(dir / "i.h5.partial"), dir);
    CHECK(r.status == 2);
    CHECK(r.output.find("incomplete: 3 of 16") != std::string::npos);
  }
  SUBCASE("a design without an estimator exits 2") {
    const auto file = write_sweep(dir, "l.toml", small_sweep("kind = \"lhs\"\npoints = 5"));
    REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "l.h5") + " --quiet", dir).status == 0);
    const auto r = test::run_program("analyze " + q(dir / "l.h5"), dir);
    CHECK(r.status == 2);
    CHECK(r.output.find("saltelli or morris") != std::string::npos);
  }
}
