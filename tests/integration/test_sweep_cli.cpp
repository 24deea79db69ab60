// careabm sweep and careabm analyze as a user meets them: located errors in sweep
// files, identical results for any thread count, resume after an interruption, a
// kill, a damaged checkpoint or a full disk, sensitivity indices in the file. (The
// 2-rank MPI sweep is the ctest "sweep.mpi", tests/integration/sweep_mpi_test.sh.)
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "../unit/test_support.h"
#include "experiments/sweep_checkpoint.h"
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

// Every dataset of two sweep files is bit-identical, and so are the dimension
// scales (attributes such as created_utc differ).
void require_same_datasets(const fs::path& a, const fs::path& b) {
  const io::H5Reader ra(a), rb(b);
  const auto names = ra.datasets("/");
  REQUIRE(names == rb.datasets("/"));
  CHECK(names.size() >= 7);
  for (const auto& d : names) {
    INFO("dataset " << d);
    if (d == "/scenario" || d == "/sweep") {
      CHECK(ra.string_dataset(d) == rb.string_dataset(d));
      continue;
    }
    if (d == "/outputs/units") {  // strings, one per output
      CHECK(ra.labels(d.substr(1)) == rb.labels(d.substr(1)));
      continue;
    }
    CHECK(ra.dims(d) == rb.dims(d));
    CHECK(ra.shape(d) == rb.shape(d));
    CHECK(same_bits(ra.read_double(d), rb.read_double(d)));
  }
  for (const char* dim : {"point", "replication"})
    CHECK(ra.read_int64(std::string("/") + dim) == rb.read_int64(std::string("/") + dim));
  for (const char* dim : {"parameter", "output", "bound"}) CHECK(ra.labels(dim) == rb.labels(dim));
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
  // A rate and persons a year: the parameters' units differ, so no units (not "1", dimensionless).
  for (const char* path : {"/design", "/parameter_bounds"}) {
    CHECK_FALSE(in.has_attr(path, "units"));
    CHECK(in.has_attr(path, "long_name"));
    CHECK(in.attr_string(path, "description").find("units of its scenario key") != std::string::npos);
  }
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
  REQUIRE(fs::is_directory(partial));
  CHECK(!fs::exists(out));
  {
    const auto status = sweep::inspect_checkpoint(partial);
    REQUIRE(status);
    CHECK(status->points == 16);
    CHECK(status->completed == 5);
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

// ------------------------------------------------------------ checkpoints
//
// A running sweep keeps its points in the checkpoint directory OUT.partial/ (a
// manifest and the journal "points", one record per point). The tests below kill
// it, damage it and fill its disk, and require that --resume, without --force,
// always ends with the file an uninterrupted sweep writes.

namespace {

// The small sweep's journal records: a 32-byte header, 2 replications x 2 outputs
// of float64, an 8-byte checksum.
constexpr std::size_t kRecord = 32 + 2 * 2 * 8 + 8;

// Starts careabm with `args`, stdout and stderr to `log`.
pid_t spawn_careabm(const std::vector<std::string>& args, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> all{CAREABM_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, CAREABM_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(error == 0, "posix_spawn: " << std::strerror(error));
  return pid;
}

// Runs careabm under a file size limit of `blocks` x 512 bytes, as a full disk
// would stop it: a write beyond the limit fails (careabm ignores SIGXFSZ).
test::Result run_with_file_limit(int blocks, const std::string& args, const fs::path& dir) {
  const auto log = dir / "program-output.txt";
  const std::string cmd = "ulimit -f " + std::to_string(blocks) + " && '" + std::string(CAREABM_BINARY) +
                          "' " + args + " > '" + log.string() + "' 2>&1";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, test::read_text(log)};
}

void flip_byte(const fs::path& file, std::size_t offset, unsigned char mask) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  REQUIRE(f.get(c));
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(static_cast<unsigned char>(c) ^ mask));
}

long completed_in(const fs::path& checkpoint) {
  const auto status = sweep::inspect_checkpoint(checkpoint);
  REQUIRE(status);
  return status->completed;
}

}  // namespace

TEST_CASE("sweep: killed with SIGKILL at random moments, --resume ends with the uninterrupted file") {
  const auto dir = test::temp_dir("sweep-kill");
  // 128 points x 2 replications: long enough for a dozen kills or so.
  const auto file = write_sweep(dir, "k.toml", small_sweep("kind = \"saltelli\"\nbase_samples = 32"));
  const auto out = dir / "k.h5", partial = dir / "k.h5.partial";
  const auto started = std::chrono::steady_clock::now();
  const auto full = test::run_program("sweep " + q(file) + " -o " + q(dir / "full.h5") + " --quiet", dir);
  REQUIRE_MESSAGE(full.status == 0, full.output);
  // Each run is killed after a random time drawn from the first 20% of a whole
  // run's time (measured here, not asserted): in its start-up, among its points,
  // or while it writes the output. The sweep creeps on from run to run until a
  // run outlives its kill and finishes.
  const double whole_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> kill_after(0.0, 0.2 * whole_ms);
  int runs = 0, killed = 0;
  std::string trail;  // points in the checkpoint after each kill
  for (bool finished = false; !finished && runs < 60; ++runs) {
    std::vector<std::string> args{"sweep", file.string(), "-o", out.string(), "--quiet"};
    args.insert(args.end(), {"--threads", runs % 2 ? "1" : "2"});
    if (runs > 0) args.push_back("--resume");  // the first run starts the sweep
    const auto log = dir / ("run-" + std::to_string(runs) + ".txt");
    const pid_t pid = spawn_careabm(args, log);
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(kill_after(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    const bool was_killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    // Killed, or it finished first; never an error (a --resume that needs --force).
    INFO("run " << runs << ": " << test::read_text(log));
    REQUIRE((was_killed || finished));
    killed += was_killed;
    if (was_killed && sweep::inspect_checkpoint(partial))
      trail += " " + std::to_string(completed_in(partial));
  }
  MESSAGE(killed << " of " << runs << " runs killed; points in the checkpoint after each kill:" << trail);

  const auto last = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir);
  REQUIRE_MESSAGE(last.status == 0, last.output);
  CHECK(!fs::exists(partial));
  require_same_datasets(out, dir / "full.h5");
}

TEST_CASE("sweep: a damaged checkpoint costs only its damaged points; --resume needs no --force") {
  const auto dir = test::temp_dir("sweep-damage");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "d.h5", partial = dir / "d.h5.partial", journal = partial / "points";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "full.h5") + " --quiet", dir).status == 0);
  const auto stop =
      test::run_program("sweep " + q(file) + " -o " + q(out) + " --stop-after 8 --threads 1 --quiet", dir);
  REQUIRE(stop.status == 130);
  REQUIRE(fs::file_size(journal) == 8 * kRecord);
  const std::string resume = "sweep " + q(file) + " -o " + q(out) + " --resume --threads 2 --quiet";

  SUBCASE("bytes flipped in two records, and the journal cut inside a record") {
    flip_byte(journal, 1 * kRecord + 40, 0x01);  // a value of record 1
    flip_byte(journal, 3 * kRecord + 16, 0x04);  // the point index of record 3
    fs::resize_file(journal, 6 * kRecord + 17);  // record 6 cut short, record 7 gone
    CHECK(completed_in(partial) == 4);
    const auto r = test::run_program(resume, dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("record 1 (bytes 72-143) is damaged (checksum mismatch)") != std::string::npos);
    CHECK(r.output.find("record 3 (bytes 216-287) is damaged (checksum mismatch)") != std::string::npos);
    CHECK(r.output.find("the last record was cut short (17 of 72 bytes written)") != std::string::npos);
    CHECK(r.output.find("12 points run now") != std::string::npos);
  }
  SUBCASE("the journal overwritten with other bytes") {
    std::string noise(1000, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919) % 251);
    test::write_text(journal, noise);
    CHECK(completed_in(partial) == 0);
    const auto r = test::run_program(resume, dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("is damaged (not a point record)") != std::string::npos);
    CHECK(r.output.find("16 points run now") != std::string::npos);
  }
  SUBCASE("the manifest damaged: written again, every record still checked on its own") {
    flip_byte(partial / "manifest", 40, 0x02);
    const auto r = test::run_program(resume, dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("manifest") != std::string::npos);
    CHECK(r.output.find("damaged (checksum mismatch)") != std::string::npos);
    CHECK(r.output.find("8 points run now") != std::string::npos);
  }
  SUBCASE("a file a killed write left behind is removed") {
    test::write_text(partial / "points.tmp.99999", "half a journal");
    const auto r = test::run_program(resume, dir);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find("8 points run now") != std::string::npos);
  }
  if (fs::exists(out)) {
    CHECK(!fs::exists(partial));
    require_same_datasets(out, dir / "full.h5");
  }
}

TEST_CASE("sweep: a checkpoint whose points belong to another sweep is refused, not overwritten") {
  const auto dir = test::temp_dir("sweep-foreign");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "f.h5", partial = dir / "f.h5.partial";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(out) + " --stop-after 3 --quiet", dir).status ==
          130);
  // Without its manifest the records alone say which sweep they are from.
  fs::remove(partial / "manifest");
  std::string text = small_sweep();
  text.replace(text.find("upper = 0.12"), 12, "upper = 0.13");
  write_sweep(dir, "s.toml", text);
  const auto r = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir);
  CHECK(r.status == 2);
  CHECK(r.output.find("does not match") != std::string::npos);
  CHECK(r.output.find("another sweep") != std::string::npos);
  CHECK(fs::file_size(partial / "points") == 3 * kRecord);

  // --force starts over, but not over files careabm did not write.
  test::write_text(partial / "notes.txt", "mine");
  const auto refused = test::run_program("sweep " + q(file) + " -o " + q(out) + " --force --quiet", dir);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("notes.txt") != std::string::npos);
  fs::remove(partial / "notes.txt");
  CHECK(test::run_program("sweep " + q(file) + " -o " + q(out) + " --force --quiet", dir).status == 0);
  CHECK(!fs::exists(partial));
}

TEST_CASE("sweep: a full disk stops the sweep with exit 1 naming the file, and keeps what was written") {
  const auto dir = test::temp_dir("sweep-full-disk");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "d.h5", partial = dir / "d.h5.partial";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(dir / "full.h5") + " --quiet", dir).status == 0);
  const std::string sweep = "sweep " + q(file) + " -o " + q(out) + " --quiet";

  SUBCASE("while appending points to the journal") {
    // 1024 bytes hold the manifest and 14 of the 16 records; the 15th is cut short.
    const auto r = run_with_file_limit(2, sweep, dir);
    CHECK(r.status == 1);
    CHECK(r.output.find("cannot write the sweep checkpoint " + (partial / "points").string()) !=
          std::string::npos);
    CHECK(r.output.find("--resume") != std::string::npos);
    CHECK(r.output.find("internal error") == std::string::npos);
    CHECK(!fs::exists(out));
    // The cut record was removed again: the journal ends at a record boundary.
    CHECK(fs::file_size(partial / "points") % kRecord == 0);
    const long kept = completed_in(partial);
    CHECK(kept > 0);
    CHECK(kept < 16);
    const auto r2 = test::run_program(sweep + " --resume", dir);
    REQUIRE_MESSAGE(r2.status == 0, r2.output);
    CHECK(r2.output.find(std::to_string(16 - kept) + " points run now") != std::string::npos);
  }
  SUBCASE("while writing the output file") {
    // 4096 bytes hold the checkpoint, not the HDF5 file.
    const auto r = run_with_file_limit(8, sweep, dir);
    CHECK(r.status == 1);
    CHECK(r.output.find("cannot write the sweep's output " + out.string() + ".tmp.") != std::string::npos);
    CHECK(r.output.find("internal error") == std::string::npos);
    CHECK(!fs::exists(out));
    for (const auto& e : fs::directory_iterator(dir)) {
      CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
    }
    CHECK(completed_in(partial) == 16);
    const auto r2 = test::run_program(sweep + " --resume", dir);
    REQUIRE_MESSAGE(r2.status == 0, r2.output);
    CHECK(r2.output.find("0 points run now") != std::string::npos);
  }
  CHECK(!fs::exists(partial));
  require_same_datasets(out, dir / "full.h5");
}

TEST_CASE("sweep: --resume after the output was written tidies a left-over checkpoint") {
  const auto dir = test::temp_dir("sweep-leftover");
  const auto file = write_sweep(dir, "s.toml", small_sweep());
  const auto out = dir / "l.h5", partial = dir / "l.h5.partial";
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(out) + " --stop-after 15 --quiet", dir).status ==
          130);
  // What a kill between writing OUT and removing the checkpoint leaves behind.
  fs::copy(partial, dir / "copy");
  REQUIRE(test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir).status == 0);
  fs::rename(dir / "copy", partial);
  const auto r = test::run_program("sweep " + q(file) + " -o " + q(out) + " --resume --quiet", dir);
  CHECK(r.status == 0);
  CHECK(r.output.find("nothing to resume") != std::string::npos);
  CHECK(!fs::exists(partial));

  // The single partial HDF5 file of earlier versions cannot be checked: --force.
  test::write_text(dir / "old.h5.partial", "an HDF5 file of an earlier careabm");
  const auto old =
      test::run_program("sweep " + q(file) + " -o " + q(dir / "old.h5") + " --resume --quiet", dir);
  CHECK(old.status == 2);
  CHECK(old.output.find("earlier careabm version") != std::string::npos);
  CHECK(test::run_program("sweep " + q(file) + " -o " + q(dir / "old.h5") + " --force --quiet", dir).status ==
        0);
}
