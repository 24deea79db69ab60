// What careabm does at the edges: a full disk, SIGINT and SIGTERM, leftovers of
// killed runs, inputs that are not regular files, scenarios too large for the
// memory, and outputs that would overwrite inputs (README.md, "Command line").
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../unit/test_support.h"
#include "core/interrupt.h"
#include "experiments/output.h"
#include "experiments/replications.h"
#include "io/atomic_output.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

struct Limits {
  rlim_t file_bytes = 0;     // RLIMIT_FSIZE (writes beyond it fail with EFBIG), 0: none
  rlim_t address_bytes = 0;  // RLIMIT_AS, 0: none
};

// Starts careabm with `args` (no shell), stdout and stderr into `log`.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log, Limits limits = {}) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) ::_exit(126);
    ::dup2(fd, 1), ::dup2(fd, 2), ::close(fd);
    if (limits.file_bytes) {
      const rlimit r{limits.file_bytes, limits.file_bytes};
      ::setrlimit(RLIMIT_FSIZE, &r);
      ::signal(SIGXFSZ, SIG_IGN);  // as a shell's `trap '' XFSZ`: the write fails instead
    }
    if (limits.address_bytes) {
      const rlimit r{limits.address_bytes, limits.address_bytes};
      ::setrlimit(RLIMIT_AS, &r);
    }
    std::vector<char*> argv;
    std::string binary = CAREABM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// The exit status as a shell reports it (128 + signal when killed). A process still
// running after `patience` is killed and reported as -1: a safety net so that a
// command that hangs (as the old code did on a FIFO) fails the test, not the suite.
int wait_for(pid_t pid, std::chrono::seconds patience = std::chrono::seconds(120)) {
  const auto give_up = std::chrono::steady_clock::now() + patience;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// An address-space bound for a child that might read without end. AddressSanitizer
// reserves terabytes of shadow address space at start-up, so under it there is none
// (the sanitized build's tests then rely on the checks' refusing before any read).
#if defined(__SANITIZE_ADDRESS__)
constexpr rlim_t kBoundedAddressSpace = 0;
#else
constexpr rlim_t kBoundedAddressSpace = rlim_t{2} << 30;
#endif

test::Result run_limited(const std::vector<std::string>& args, const fs::path& dir, Limits limits = {}) {
  const auto log = dir / "program-output.txt";
  const int status = wait_for(spawn(args, log, limits));
  return {status, test::read_text(log)};
}

// Files in `dir` whose name contains `part`.
std::vector<std::string> files_with(const fs::path& dir, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.find(part) != std::string::npos) out.push_back(name);
  }
  return out;
}

// Waits until a file whose name contains `part` appears in `dir` (or the process ends).
bool appears(const fs::path& dir, const std::string& part, pid_t pid) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < give_up) {
    if (!files_with(dir, part).empty()) return true;
    if (::waitpid(pid, nullptr, WNOHANG) != 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// A process id that no longer runs: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

std::string minimal() { return test::example("minimal.toml").string(); }

// minimal.toml and its CSV copied into `dir`, so that tests may try to overwrite them.
fs::path copy_minimal(const fs::path& dir) {
  fs::copy_file(test::example("minimal.toml"), dir / "minimal.toml");
  fs::copy_file(test::example("minimal-workforce.csv"), dir / "minimal-workforce.csv");
  return dir / "minimal.toml";
}

int line_of(const fs::path& file, const std::string& text) {
  const std::string content = test::read_text(file);
  const auto at = content.find(text);
  return at == std::string::npos ? 0 : 1 + int(std::count(content.begin(), content.begin() + long(at), '\n'));
}

}  // namespace

TEST_CASE("a full disk ends run and calibrate with exit 1 and a message, without a crash or a file left") {
  const auto dir = test::temp_dir("fulldisk");
  // minimal.toml's output with 20 replications is about 300 kB; 100 kB is all it may write.
  const auto ran = run_limited({"run", minimal(), "-r", "20", "--quiet", "-o", (dir / "full.h5").string()}, dir,
                               {100 << 10, 0});
  CAPTURE(ran.output);
  CHECK(ran.status == 1);  // the old code printed this and then crashed in HDF5's exit handler (139)
  CHECK(ran.output.find("cannot write") != std::string::npos);
  CHECK(ran.output.find("File too large") != std::string::npos);
  CHECK(ran.output.find("internal error") == std::string::npos);
  CHECK(files_with(dir, "full.h5").empty());

  // With microdata the file is streamed to disk as the replications finish (a few MB
  // here), through careabm's own writes all the same.
  const auto agents = run_limited({"run", minimal(), "-r", "20", "--quiet", "--agents-out", "2025,2028", "-o",
                                   (dir / "agents.h5").string()},
                                  dir, {100 << 10, 0});
  CAPTURE(agents.output);
  CHECK(agents.status == 1);
  CHECK(agents.output.find("cannot write") != std::string::npos);
  CHECK(agents.output.find("File too large") != std::string::npos);
  CHECK(agents.output.find("internal error") == std::string::npos);
  CHECK(files_with(dir, "agents.h5").empty());

  // The fitted scenario is about 1 kB: 256 bytes are not enough.
  const auto fitted = run_limited({"calibrate", test::data("calibrate-outflow.toml").string(), "--targets",
                                   test::data("calibrate-targets.toml").string(), "-r", "2", "--max-evaluations", "2",
                                   "--quiet", "-o", (dir / "fitted.toml").string()},
                                  dir, {256, 0});
  CAPTURE(fitted.output);
  CHECK(fitted.status == 1);
  CHECK(fitted.output.find("File too large") != std::string::npos);
  CHECK(files_with(dir, "fitted.toml").empty());
}

TEST_CASE("SIGINT and SIGTERM stop run, compare, size-cohorts and calibrate with exit 130 and no file left") {
  // Long enough to be interrupted (minutes if it were not), and a limit the estimate
  // for that many fits on any machine.
  const std::string many = "200000", room = "64G";
  const auto data = [](const char* name) { return test::data(name).string(); };
  struct Case {
    const char* what;
    std::vector<std::string> args;  // the output follows
    int signal;
  };
  const Case cases[] = {
      {"run", {"run", minimal(), "-r", many, "--max-memory", room, "--quiet"}, SIGINT},
      {"run", {"run", minimal(), "-r", many, "--max-memory", room, "--quiet"}, SIGTERM},
      {"compare", {"compare", minimal(), minimal(), "-r", many, "--max-memory", room, "--quiet"}, SIGTERM},
      {"size-cohorts",
       {"size-cohorts", data("cohorts-linear.toml"), "--programme", "vig_school", "--occupation", "vig", "--by",
        "2030", "--from", "2023", "-r", many, "--max-memory", room, "--quiet"},
       SIGINT},
      {"calibrate",
       {"calibrate", data("calibrate-outflow.toml"), "--targets", data("calibrate-targets.toml"), "-r", "100000",
        "--max-memory", room, "--quiet"},
       SIGINT},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.what));
    CAPTURE(c.signal);
    const auto dir = test::temp_dir("signal");
    auto args = c.args;
    const auto out = dir / (std::string(c.what) == "calibrate" ? "out.toml" : "out.h5");
    args.insert(args.end(), {"-o", out.string()});
    const auto log = dir / "log.txt";
    const pid_t pid = spawn(args, log);
    // The temporary output is made before the work starts: the command is at work.
    REQUIRE(appears(dir, ".tmp.", pid));
    ::kill(pid, c.signal);
    const int status = wait_for(pid);
    CAPTURE(test::read_text(log));
    CHECK(status == 130);
    CHECK(files_with(dir, ".tmp.").empty());
    CHECK(!fs::exists(out));
    CHECK(test::read_text(log).find(c.signal == SIGINT ? "SIGINT" : "SIGTERM") != std::string::npos);
  }
}

TEST_CASE("SIGTERM stops a sweep with exit 130, as SIGINT does, keeping its partial file") {
  const auto dir = test::temp_dir("sweepterm");
  test::write_text(dir / "sweep.toml", "scenario = \"" + minimal() +
                                           "\"\nseed = 3\nreplications = 50\n[design]\nkind = \"lhs\"\npoints = 100000\n"
                                           "[[parameters]]\nkey = \"outflow.rate.vig\"\nlower = 0.06\nupper = 0.12\n"
                                           "[[outputs]]\nname = \"s\"\nvariable = \"shortage/persons\"\nyear = 2031\n");
  const pid_t pid = spawn({"sweep", (dir / "sweep.toml").string(), "-o", (dir / "s.h5").string(), "--threads", "1",
                           "--quiet"},
                          dir / "log.txt");
  REQUIRE(appears(dir, ".partial", pid));
  ::kill(pid, SIGTERM);
  CHECK(wait_for(pid) == 130);  // the old code: 143
  CHECK(fs::exists(dir / "s.h5.partial"));
}

TEST_CASE("a signal during the final write, or just before the rename, removes the temporary file") {
  const auto dir = test::temp_dir("signalwrite");
  const Params p = test::load(test::example("minimal.toml"), {"run.replications=2"});
  const auto results = experiments::run_replications(p, 1);
  install_interrupt_handlers();
  std::raise(SIGINT);  // the first signal only asks the command to stop
  REQUIRE(interrupt_signal() == SIGINT);
  fs::path temp;
  CHECK_THROWS_AS(
      [&] {
        io::AtomicOutput output(dir / "run.h5", false);
        temp = output.temp_path();
        CHECK(fs::exists(temp));
        experiments::write_run_file(output.temp_path(), p, results, {"test", "name = \"minimal\""});
        output.commit();
      }(),
      Interrupted);
  CHECK(!fs::exists(temp));
  CHECK(!fs::exists(dir / "run.h5"));

  // Written whole, then the signal: commit refuses, and nothing is left either.
  clear_interrupt();
  {
    io::AtomicOutput output(dir / "late.h5", false);
    temp = output.temp_path();
    experiments::write_run_file(output.temp_path(), p, results, {"test", "name = \"minimal\""});
    std::raise(SIGTERM);
    CHECK_THROWS_AS(output.commit(), Interrupted);
  }
  CHECK(!fs::exists(temp));
  CHECK(!fs::exists(dir / "late.h5"));
  clear_interrupt();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

TEST_CASE("temporary files of processes that no longer run are removed by the next output into the directory") {
  const auto dir = test::temp_dir("stale");
  const pid_t dead = dead_pid();
  const auto stale = dir / ("old.h5.tmp." + std::to_string(dead));
  const auto stale_hdf5 = dir / ("other.h5.tmp." + std::to_string(dead));
  const auto not_ours = dir / ("notes.txt.tmp." + std::to_string(dead));
  const auto running = dir / ("live.h5.tmp." + std::to_string(::getpid()));
  test::write_text(stale, "");
  test::write_text(stale_hdf5, std::string("\x89HDF\r\n\x1a\n", 8) + "rest of a half-written file");
  test::write_text(not_ours, "someone else's notes");
  test::write_text(running, "");
  const auto ran = test::run_program("run '" + minimal() + "' -r 1 --quiet -o '" + (dir / "new.h5").string() + "'", dir);
  REQUIRE(ran.status == 0);
  CHECK(!fs::exists(stale));
  CHECK(!fs::exists(stale_hdf5));
  CHECK(fs::exists(not_ours));  // not what careabm writes
  CHECK(fs::exists(running));   // its process runs
  CHECK(fs::exists(dir / "new.h5"));
}

TEST_CASE("inputs that are not regular files exit 2 naming the file and the key, without opening them") {
  const auto dir = test::temp_dir("special");
  REQUIRE(::mkfifo((dir / "fifo.csv").c_str(), 0644) == 0);
  REQUIRE(::mkfifo((dir / "fifo.toml").c_str(), 0644) == 0);
  fs::create_directories(dir / "folder.csv");
  const std::string extends = "extends = \"" + minimal() + "\"\n";
  struct Case {
    const char* what;
    std::string text;
    const char* key;
    const char* named;
  };
  const Case cases[] = {
      {"a character device as the initial workforce", extends + "[workforce]\ninitial = \"/dev/zero\"\n",
       "workforce.initial", "/dev/zero"},
      {"a FIFO as the initial workforce", extends + "[workforce]\ninitial = \"fifo.csv\"\n", "workforce.initial",
       "fifo.csv"},
      {"a directory as the initial workforce", extends + "[workforce]\ninitial = \"folder.csv\"\n",
       "workforce.initial", "folder.csv"},
      {"a FIFO as a yearly series", extends + "[workforce]\npension_age = { series = \"fifo.csv\" }\n",
       "workforce.pension_age", "fifo.csv"},
      {"a FIFO to extend", "extends = \"fifo.toml\"\n", "extends", "fifo.toml"},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.what));
    test::write_text(dir / "scenario.toml", c.text);
    // Bounded, so that the old code (which read /dev/zero until memory ran out, and
    // waited on a FIFO for ever) fails here rather than taking the machine down.
    const auto result = run_limited({"check", (dir / "scenario.toml").string()}, dir, {0, kBoundedAddressSpace});
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find("key '" + std::string(c.key)) != std::string::npos);
    CHECK(result.output.find(c.named) != std::string::npos);
    CHECK(result.output.find("regular file") != std::string::npos);
  }
  const auto scenario = run_limited({"check", (dir / "fifo.toml").string()}, dir, {0, kBoundedAddressSpace});
  CHECK(scenario.status == 2);
  CHECK(scenario.output.find("regular file") != std::string::npos);
}

TEST_CASE("extends is at most 64 files deep, and a cycle is still found") {
  const auto dir = test::temp_dir("deep");
  test::write_text(dir / "c0.toml", "extends = \"" + minimal() + "\"\n");
  for (int i = 1; i <= 64; ++i)
    test::write_text(dir / ("c" + std::to_string(i) + ".toml"), "extends = \"c" + std::to_string(i - 1) + ".toml\"\n");
  // c63 extends c62 ... c0 and minimal.toml: 64 files; c64 one more.
  CHECK(test::run_program("check '" + (dir / "c63.toml").string() + "'", dir).status == 0);
  const auto deep = test::run_program("check '" + (dir / "c64.toml").string() + "'", dir);
  CAPTURE(deep.output);
  CHECK(deep.status == 2);
  CHECK(deep.output.find("'extends'") != std::string::npos);
  CHECK(deep.output.find("longer than 64") != std::string::npos);

  test::write_text(dir / "a.toml", "extends = \"b.toml\"\n");
  test::write_text(dir / "b.toml", "extends = \"a.toml\"\n");
  const auto cycle = test::run_program("check '" + (dir / "a.toml").string() + "'", dir);
  CHECK(cycle.status == 2);
  CHECK(cycle.output.find("circular") != std::string::npos);
}

TEST_CASE("check and run refuse a scenario larger than the memory, naming the key responsible") {
  const auto dir = test::temp_dir("memory");

  // 2 x 10^10 initial workers: more than any machine holds.
  {
    std::string csv = "source,subregion,branch,occupation,age_from,age_to,count\n";
    for (int i = 0; i < 200; ++i) csv += "x,north,nursing_home,helper,20,60,100000000\n";
    test::write_text(dir / "huge.csv", csv);
    test::write_text(dir / "huge.toml", "extends = \"" + minimal() + "\"\n[workforce]\ninitial = \"huge.csv\"\n");
    const auto result = test::run_program("check '" + (dir / "huge.toml").string() + "'", dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    const int line = line_of(dir / "huge.toml", "initial = ");
    CHECK(result.output.find((dir / "huge.toml").string() + ":" + std::to_string(line) + ": key 'workforce.initial'") !=
          std::string::npos);
    CHECK(result.output.find("memory") != std::string::npos);
  }

  // 250 subregions, branches and occupations: 15.6 million cells a year.
  {
    std::string names;
    for (int i = 0; i < 250; ++i) names += std::string(i ? ", " : "") + "\"c" + std::to_string(i) + "\"";
    const auto table = [](const std::string& value) {
      std::string t = "{ ";
      for (int i = 0; i < 250; ++i) t += (i ? ", c" : "c") + std::to_string(i) + " = " + value;
      return t + " }";
    };
    std::string identity = "[";
    for (int i = 0; i < 250; ++i) {
      identity += i ? ", [" : "[";
      for (int j = 0; j < 250; ++j) identity += std::string(j ? ", " : "") + (i == j ? "1.0" : "0.0");
      identity += "]";
    }
    identity += "]";
    test::write_text(dir / "wide.csv", "source,subregion,branch,occupation,age_from,age_to,count\nx,c0,c0,c0,20,60,10\n");
    // minimal.toml's keys with every category table widened (not extended: tables merge).
    test::write_text(
        dir / "wide.toml",
        "name = \"wide\"\n[time]\nstart_year = 2022\nend_year = 2031\n[categories]\nsubregions = [" + names +
            "]\nbranches = [" + names + "]\noccupations = [" + names +
            "]\n[workforce]\ninitial = \"wide.csv\"\nentry_age = 16\npension_age = 67\ninitial_tenure_mean = 8.0\n"
            "female_share = 0.9\nfull_time_hours = 36.0\nhours_sd = 6.0\nhours_min = 4.0\nhours_max = 40.0\n"
            "self_employed_hours = 32.0\nhours_mean = " +
            table("22.0") + "\nself_employed_share = " + table("0.02") + "\nabsence = " + table("0.08") +
            "\n[outflow]\nage_bands = [0, 25, 35, 45, 55, 60]\ntenure_bands = [0, 2, 5, 10]\n"
            "age_multiplier = [1.4, 1.1, 0.9, 0.8, 0.9, 1.3]\ntenure_multiplier = [1.8, 1.2, 1.0, 0.7]\nrate = " +
            table("0.1") + "\nbranch_multiplier = " + table("1.0") +
            "\ndestination = { to_reserve = 0.6, left_region = 0.2, death_disability = 0.05, early_retirement = 0.15 }"
            "\n[transfer]\nbranch = " +
            identity + "\nsubregion = " + identity +
            "\nto_self_employed = 0.01\nto_employee = 0.05\n[reentry]\nyears_since_leaving_bands = [1, 2, 4]\n"
            "hazard = [0.15, 0.08, 0.03]\nmax_years_in_reserve = 10\n[inflow.outside_region]\nper_year = " +
            table("1") + "\nage_from = 20\nage_to = 50\n[inflow.career_switchers]\nper_year = " + table("1") +
            "\ngrowth = 0.02\nage_from = 25\nage_to = 50\n[demand]\nvacancy_ratio = " + table("0.05") +
            "\ngrowth = " + table("0.03") + "\n");
    // The scenario itself is valid: a limit is what refuses it.
    REQUIRE(test::run_program("check '" + (dir / "wide.toml").string() + "' --max-memory 1000T", dir).status == 0);
    const auto result = test::run_program("check '" + (dir / "wide.toml").string() + "'", dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find("key 'categories.occupations'") != std::string::npos);
    CHECK(result.output.find("memory") != std::string::npos);
  }

  // 10^6 replications against a stated limit: refused before anything runs.
  {
    const auto result = test::run_program("run '" + minimal() + "' -r 1000000 --max-memory 1G -o '" +
                                              (dir / "many.h5").string() + "'",
                                          dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find("key '-r'") != std::string::npos);
    CHECK(result.output.find("--max-memory") != std::string::npos);
    CHECK(files_with(dir, "many.h5").empty());
  }

  // The option's forms.
  CHECK(test::run_program("check '" + minimal() + "' --max-memory 8G", dir).status == 0);
  CHECK(test::run_program("check '" + minimal() + "' --max-memory 512MiB", dir).status == 0);
  const auto tiny = test::run_program("check '" + minimal() + "' --max-memory 10K", dir);
  CHECK(tiny.status == 2);
  CHECK(tiny.output.find("10 KiB") != std::string::npos);
  for (const std::string bad : {"lots", "0", "-5G", "8X"}) {
    CAPTURE(bad);
    const auto result = test::run_program("check '" + minimal() + "' --max-memory " + bad, dir);
    CHECK(result.status == 2);
    CHECK(result.output.find("'--max-memory'") != std::string::npos);
  }
}

TEST_CASE("compare, size-cohorts, calibrate and sweep estimate their memory before they start") {
  const auto dir = test::temp_dir("memorycmds");
  const auto data = [](const char* name) { return "'" + test::data(name).string() + "'"; };
  const auto out = [&](const char* name) { return " -o '" + (dir / name).string() + "'"; };
  const std::vector<std::string> commands = {
      "compare '" + minimal() + "' '" + minimal() + "' -r 100000 --max-memory 100M" + out("c.h5"),
      "size-cohorts " + data("cohorts-linear.toml") +
          " --programme vig_school --occupation vig --by 2030 --from 2023 -r 100000 --max-memory 10M" + out("s.h5"),
      "calibrate " + data("calibrate-outflow.toml") + " --targets " + data("calibrate-targets.toml") +
          " -r 100000 --max-memory 10M" + out("f.toml"),
  };
  for (const auto& command : commands) {
    CAPTURE(command);
    const auto result = test::run_program(command, dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find("key '-r'") != std::string::npos);
    CHECK(result.output.find("memory") != std::string::npos);
  }
  // 10^8 points: the design alone is gigabytes.
  test::write_text(dir / "sweep.toml", "scenario = \"" + minimal() +
                                           "\"\nseed = 3\nreplications = 2\n[design]\nkind = \"lhs\"\npoints = 100000000\n"
                                           "[[parameters]]\nkey = \"outflow.rate.vig\"\nlower = 0.06\nupper = 0.12\n"
                                           "[[outputs]]\nname = \"s\"\nvariable = \"shortage/persons\"\nyear = 2031\n");
  const auto sweep = test::run_program("sweep '" + (dir / "sweep.toml").string() + "' --max-memory 1G" + out("w.h5"), dir);
  CAPTURE(sweep.output);
  CHECK(sweep.status == 2);
  CHECK(sweep.output.find((dir / "sweep.toml").string() + ":6: key 'design.points'") != std::string::npos);
  CHECK(files_with(dir, "w.h5").empty());
}

TEST_CASE("an output that is one of the inputs, or in a directory that takes no files, exits 2 before the work") {
  const auto dir = test::temp_dir("overwrite");
  const auto scenario = copy_minimal(dir);
  const std::string original = test::read_text(scenario), csv = test::read_text(dir / "minimal-workforce.csv");
  const auto q = [](const fs::path& p) { return "'" + p.string() + "'"; };

  const auto onto_scenario = test::run_program("run " + q(scenario) + " -r 1 -o " + q(scenario) + " --force", dir);
  CAPTURE(onto_scenario.output);
  CHECK(onto_scenario.status == 2);
  CHECK(onto_scenario.output.find("is an input") != std::string::npos);
  CHECK(test::read_text(scenario) == original);

  const auto onto_csv =
      test::run_program("run " + q(scenario) + " -r 1 -o " + q(dir / "minimal-workforce.csv") + " --force", dir);
  CHECK(onto_csv.status == 2);
  CHECK(test::read_text(dir / "minimal-workforce.csv") == csv);

  // Through another name for the same file.
  fs::create_symlink(scenario, dir / "link.toml");
  CHECK(test::run_program("run " + q(scenario) + " -r 1 -o " + q(dir / "link.toml") + " --force", dir).status == 2);
  CHECK(test::read_text(scenario) == original);

  test::write_text(dir / "alt.toml", "extends = \"minimal.toml\"\nname = \"alt\"\n");
  const std::string alt = test::read_text(dir / "alt.toml");
  CHECK(test::run_program("compare " + q(scenario) + " " + q(dir / "alt.toml") + " -r 1 -o " + q(dir / "alt.toml") +
                              " --force",
                          dir)
            .status == 2);
  CHECK(test::read_text(dir / "alt.toml") == alt);

  // calibrate X.toml -o X.toml would write a scenario that extends itself.
  fs::copy_file(test::data("calibrate-outflow.toml"), dir / "fit.toml");
  fs::copy_file(test::data("pure-outflow.csv"), dir / "pure-outflow.csv");
  fs::copy_file(test::data("pure-outflow.toml"), dir / "pure-outflow.toml");
  fs::copy_file(test::data("calibrate-targets.toml"), dir / "targets.toml");
  const std::string fit = test::read_text(dir / "fit.toml"), targets = test::read_text(dir / "targets.toml");
  for (const std::string onto : {"fit.toml", "targets.toml", "pure-outflow.toml"}) {
    CAPTURE(onto);
    const auto result = test::run_program("calibrate " + q(dir / "fit.toml") + " --targets " + q(dir / "targets.toml") +
                                              " -r 1 --max-evaluations 1 -o " + q(dir / onto) + " --force",
                                          dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find("is an input") != std::string::npos);
  }
  CHECK(test::read_text(dir / "fit.toml") == fit);
  CHECK(test::read_text(dir / "targets.toml") == targets);

  test::write_text(dir / "sweep.toml", "scenario = \"minimal.toml\"\nseed = 3\nreplications = 1\n[design]\nkind = "
                                       "\"lhs\"\npoints = 2\n[[parameters]]\nkey = \"outflow.rate.vig\"\nlower = "
                                       "0.06\nupper = 0.12\n[[outputs]]\nname = \"s\"\nvariable = "
                                       "\"shortage/persons\"\nyear = 2031\n");
  const std::string sweep = test::read_text(dir / "sweep.toml");
  CHECK(test::run_program("sweep " + q(dir / "sweep.toml") + " -o " + q(dir / "sweep.toml") + " --force", dir).status ==
        2);
  CHECK(test::run_program("sweep " + q(dir / "sweep.toml") + " -o " + q(scenario) + " --force", dir).status == 2);
  CHECK(test::read_text(dir / "sweep.toml") == sweep);
  CHECK(test::read_text(scenario) == original);

  // A directory that takes no new files: refused before the simulation, not after it.
  const auto proc = test::run_program("run " + q(scenario) + " -r 1 -o /proc/careabm-test.h5", dir);
  CAPTURE(proc.output);
  CHECK(proc.status == 2);
  CHECK(proc.output.find("cannot create a file in directory /proc") != std::string::npos);
  if (::geteuid() != 0) {  // root writes into read-only directories all the same
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
    const auto locked = test::run_program("run " + q(scenario) + " -r 1 -o " + q(dir / "locked" / "out.h5"), dir);
    fs::permissions(dir / "locked", fs::perms::owner_all);
    CHECK(locked.status == 2);
  }
}
