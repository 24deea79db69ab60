// The program's options as a user meets them: every command's --help lists each
// option the parser accepts, with its default; the default thread count follows
// the CPU affinity and the batch system's variables; progress as a bar, lines or
// nothing; the version with its git commit in --version and in every output.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <map>
#include <regex>
#include <set>

#include "../unit/test_support.h"
#include "cli/help.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "core/errors.h"
#include "core/version.h"
#include "experiments/replications.h"
#include "io/h5_reader.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

// Sets (or, with nullopt, unsets) an environment variable for the scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) setenv(name, value->c_str(), 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// `prefix 'careabm' args` (prefix: e.g. "taskset -c 0"), stdout and stderr together.
test::Result run_with(const std::string& prefix, const std::string& args, const fs::path& dir) {
  const auto log = dir / "program-output.txt";
  const std::string cmd = prefix + " '" + CAREABM_BINARY + "' " + args + " > '" + log.string() + "' 2>&1";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, test::read_text(log)};
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return argv;
}

int this_year() {
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  return static_cast<int>(today.year());
}

}  // namespace

TEST_CASE("help: every option the parser accepts is in its command's --help, with a description and its default") {
  const auto dir = test::temp_dir("help");
  for (const auto& command : cli::commands()) {
    CAPTURE(command.name);
    const auto help = test::run_program(command.name + " --help", dir);
    REQUIRE(help.status == 0);
    CHECK(help.output.find("usage:\n  careabm " + command.name + " ") != std::string::npos);
    CHECK(help.output == test::run_program(command.name + " -h", dir).output);
    for (const auto& option : command.options) {
      // The parser takes it (with a value where it needs one) ...
      for (const auto& spelling : option.spellings) {
        CAPTURE(spelling);
        std::vector<std::string> args = {"careabm", command.name, spelling};
        if (!option.value.empty()) args.push_back(option.value == "KEY=VALUE" ? "a=1" : "1");
        auto argv = argv_of(args);
        CHECK_NOTHROW(cli::parse_command(int(argv.size()), argv.data(), command.name));
        // ... and its help has a line for it, with a description and the default.
        std::istringstream lines(help.output);
        bool found = false;
        for (std::string line; std::getline(lines, line);) {
          if (!std::regex_search(line, std::regex("^  (-[a-z], )?" + std::string(option.spellings.back())))) continue;
          found = line.find(spelling) != std::string::npos && line.find("(default: ") != std::string::npos &&
                  !option.description.empty() && line.find(option.description) != std::string::npos;
        }
        CHECK(found);
      }
    }
    // Nothing else is accepted.
    const auto unknown = test::run_program(command.name + " x --no-such-option", dir);
    CHECK(unknown.status == 2);
    CHECK(unknown.output.find("'--no-such-option'") != std::string::npos);
  }
  // The options that work but were once undocumented.
  for (const auto& [command, option] : {std::pair{"run", "--replications"}, {"run", "--output"}, {"sweep", "--stop-after"},
                                        {"compare", "--progress"}, {"size-cohorts", "--from"}}) {
    CHECK(test::run_program(std::string(command) + " --help", dir).output.find(std::string(option) + " ") != std::string::npos);
  }
  // careabm --help stays the overview: every command, no option list.
  const auto overview = test::run_program("--help", dir);
  CHECK(overview.status == 0);
  for (const auto& command : cli::commands()) CHECK(overview.output.find("careabm " + command.name + " ") != std::string::npos);
  CHECK(overview.output.find("(default: ") == std::string::npos);
}

namespace {

// The option names each function of the command sources reads, and the functions it
// calls among them: a function starts at a line in column 0 with a '(' and ends at
// the next line starting with '}'. An option is read as o.value("--x"), o.flag("--x"),
// o.integer("--x", ...), NAME_option(o, "--x", ...), or through a loop
// `for (const char* name : {"-r", "--replications"})`.
struct ScannedFunction {
  std::set<std::string> options;
  std::set<std::string> calls;
};

std::map<std::string, ScannedFunction> scan_option_reads(const std::vector<fs::path>& files) {
  std::map<std::string, ScannedFunction> functions;
  std::vector<std::pair<std::string, std::string>> bodies;
  const std::regex head(R"(^[A-Za-z].*?(\w+)\s*\()");
  for (const auto& file : files) {
    std::istringstream lines(test::read_text(file));
    std::string name, body;
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (name.empty()) {
        if (line.rfind("namespace", 0) == 0 || line.rfind("using", 0) == 0 || !std::regex_search(line, m, head)) continue;
        name = m[1];
        body = line;
        if (line.back() != '}') continue;
      } else {
        body += "\n" + line;
        if (line.empty() || line[0] != '}') continue;
      }
      bodies.emplace_back(name, body);
      name.clear();
    }
  }
  const std::regex read(R"(\bo\.(?:value|flag|integer)\(\s*\"([^\"]*)\"|_option\(\s*o\s*,\s*\"([^\"]*)\")");
  const std::regex loop(R"(for\s*\(\s*const char\*\s*\w+\s*:\s*\{([^}]*)\})");
  const std::regex literal("\"([^\"]*)\"");
  for (const auto& [name, body] : bodies) {
    auto& f = functions[name];
    for (std::sregex_iterator m(body.begin(), body.end(), read), end; m != end; ++m) {
      f.options.insert((*m)[1].matched ? (*m)[1].str() : (*m)[2].str());
    }
    for (std::sregex_iterator m(body.begin(), body.end(), loop), end; m != end; ++m) {
      const std::string list = (*m)[1];
      for (std::sregex_iterator l(list.begin(), list.end(), literal); l != end; ++l) f.options.insert((*l)[1]);
    }
  }
  // Calls: the names of scanned functions in the body without its comments and strings.
  const std::regex word(R"(\b\w+\b)"), comment("//[^\n]*"), string(R"("([^"\\]|\\.)*")");
  for (const auto& [name, text] : bodies) {
    const std::string body = std::regex_replace(std::regex_replace(text, comment, ""), string, "\"\"");
    for (std::sregex_iterator m(body.begin(), body.end(), word), end; m != end; ++m) {
      if (m->str() != name && functions.count(m->str())) functions[name].calls.insert(m->str());
    }
  }
  return functions;
}

// Every option `function` reads, itself or through the functions it calls.
std::set<std::string> options_read(const std::map<std::string, ScannedFunction>& functions, const std::string& function) {
  std::set<std::string> seen = {function}, options;
  std::vector<std::string> todo = {function};
  while (!todo.empty()) {
    const auto& f = functions.at(todo.back());
    todo.pop_back();
    options.insert(f.options.begin(), f.options.end());
    for (const auto& call : f.calls) {
      if (seen.insert(call).second) todo.push_back(call);
    }
  }
  return options;
}

}  // namespace

TEST_CASE("help: every option a command's code reads is in its command's table, so the parser accepts it") {
  // The parser accepts exactly the table's options (the test above), so a command
  // reading an option its table lacks would never see it given. The command sources
  // are scanned for the options each command_X function reads.
  const auto cli_dir = test::source_dir() / "model" / "cli";
  std::vector<fs::path> files = {cli_dir / "options.cpp", cli_dir / "progress.cpp"};
  for (const auto& entry : fs::directory_iterator(cli_dir)) {
    const auto file = entry.path().filename().string();
    if (file.rfind("commands", 0) == 0 && entry.path().extension() == ".cpp") files.push_back(entry.path());
  }
  files.push_back(cli_dir / "limits.cpp");
  auto functions = scan_option_reads(files);
  // require_memory looks at -r and --replications only to name the key of a memory
  // error, for whichever command gave them; it reads --max-memory (max_memory_option).
  REQUIRE(functions.at("require_memory").calls.count("max_memory_option") == 1);
  functions.at("require_memory").options.clear();
  std::size_t total = 0;
  for (const auto& command : cli::commands()) {
    CAPTURE(command.name);
    std::string function = "command_" + command.name;
    std::replace(function.begin(), function.end(), '-', '_');
    REQUIRE(functions.count(function) == 1);
    const auto options = options_read(functions, function);
    std::set<std::string> table;
    for (const auto& option : command.options) table.insert(option.spellings.begin(), option.spellings.end());
    for (const auto& option : options) {
      CAPTURE(option);
      CHECK(table.count(option) == 1);
    }
    total += options.size();
  }
  // The scan finds the options (run alone reads -o, -r, --seed, --force, ...).
  CHECK(options_read(functions, "command_run").count("--seed") == 1);
  CHECK(options_read(functions, "command_run").count("--progress") == 1);
  CHECK(options_read(functions, "command_size_cohorts").count("--goal") == 1);
  CHECK(options_read(functions, "command_sweep").count("--threads") == 1);
  CHECK(options_read(functions, "command_check").count("--max-memory") == 1);
  CHECK(total > 40);
}

TEST_CASE("threads: SLURM_CPUS_PER_TASK, then OMP_NUM_THREADS, then the CPU affinity") {
  using experiments::default_threads;
  CHECK(default_threads(nullptr, nullptr, 6) == 6);
  CHECK(default_threads(nullptr, "3", 6) == 3);
  CHECK(default_threads(nullptr, "4,2", 6) == 4);  // nested levels: the outer one
  CHECK(default_threads("5", "3", 6) == 5);
  CHECK(default_threads(nullptr, nullptr, 0) == 1);
  for (const char* bad : {"", "0", "-2", "two", "3.5", "5000", "4 "}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(default_threads(bad, nullptr, 2), InputError);
    CHECK_THROWS_AS(default_threads(nullptr, bad, 2), InputError);
  }
  CHECK(experiments::affinity_cpus() >= 1);

  const auto dir = test::temp_dir("threads-default");
  const ScopedEnv no_slurm("SLURM_CPUS_PER_TASK", std::nullopt), no_omp("OMP_NUM_THREADS", std::nullopt);
  const std::string check = "check '" + test::example("minimal.toml").string() + "'";
  const auto pinned = run_with("taskset -c 0", check, dir);
  CAPTURE(pinned.output);
  CHECK(pinned.status == 0);
  CHECK(pinned.output.find("with 1 thread\n") != std::string::npos);
  CHECK(run_with("OMP_NUM_THREADS=3 taskset -c 0", check, dir).output.find("with 3 threads\n") != std::string::npos);
  CHECK(run_with("SLURM_CPUS_PER_TASK=5 OMP_NUM_THREADS=3", check, dir).output.find("with 5 threads\n") !=
        std::string::npos);
  CHECK(run_with("OMP_NUM_THREADS=3", check + " --threads 2", dir).output.find("with 2 threads\n") != std::string::npos);
  for (const char* name : {"SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"}) {
    const auto bad = run_with(std::string(name) + "=lots", check, dir);
    CAPTURE(bad.output);
    CHECK(bad.status == 2);
    CHECK(bad.output.find("'" + std::string(name) + "'") != std::string::npos);
    CHECK(bad.output.find("lots") != std::string::npos);
    // An explicit --threads needs no variable.
    CHECK(run_with(std::string(name) + "=lots", check + " --threads 1", dir).status == 0);
  }
}

TEST_CASE("progress: lines every 10% and every minute, a bar with elapsed time and ETA, or nothing") {
  double now = 0;
  // What a Progress labelled "running" in `mode` writes while `drive` works it.
  const auto output_of = [&](cli::ProgressMode mode, const std::function<void(cli::Progress&)>& drive) {
    std::FILE* f = std::tmpfile();
    now = 0;
    cli::Progress p("running", mode, f, [&] { return now; });
    drive(p);
    p.finish();
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += char(c);
    std::fclose(f);
    return text;
  };
  // 40 of 200 in 40 s: lines at 10% and 20%, none in between; then one a minute later
  // without a 10% step, and the last at the end.
  CHECK(output_of(cli::ProgressMode::lines, [&](cli::Progress& p) {
          for (int done = 1; done <= 40; ++done) now = done, p.update(done, 200);
          now = 100, p.update(41, 200);
          now = 101, p.update(42, 200);
        }) == "running: 20/200 (10%), elapsed 0:20, ETA 3:00\nrunning: 40/200 (20%), elapsed 0:40, ETA 2:40\n"
              "running: 41/200 (20%), elapsed 1:40, ETA 6:28\nrunning: 42/200 (21%), elapsed 1:41, ETA 6:20\n");
  const std::string bar = output_of(cli::ProgressMode::bar, [&](cli::Progress& p) { now = 30, p.update(1, 4); });
  CHECK(bar.find("\rrunning [#######") != std::string::npos);
  CHECK(bar.find("1/4  elapsed 0:30, ETA 1:30") != std::string::npos);
  CHECK(bar.back() == '\n');
  // A bar never wraps (it could not be redrawn in place): on 80 columns (not a terminal)
  // a long label leaves the bar 10 characters and is cut.
  const std::string wide = output_of(cli::ProgressMode::bar, [&](cli::Progress& p) {
    p.stage(std::string(100, 'x'));
    p.update(1, 2);
  });
  CHECK(wide.find('\n') <= 80);
  CHECK(wide.find(" [#####     ] 1/2  elapsed 0:00, ETA 0:00") != std::string::npos);
  // Stages: each its own label, total and ETA; the elapsed time runs on.
  CHECK(output_of(cli::ProgressMode::lines, [&](cli::Progress& p) {
          now = 10, p.update(1, 1);
          p.stage("two");
          now = 20, p.update(1, 2);
        }) == "running: 1/1 (100%), elapsed 0:10, ETA 0:00\ntwo: 1/2 (50%), elapsed 0:20, ETA 0:10\n");
  CHECK(output_of(cli::ProgressMode::none, [&](cli::Progress& p) { p.update(1, 2); }).empty());
  CHECK(cli::format_duration(3725) == "1:02:05");
}

TEST_CASE("progress: --progress, CAREABM_PROGRESS and --quiet choose the mode; without a terminal the default is none") {
  const auto mode = [](std::vector<std::string> args) {
    args.insert(args.begin(), {"careabm", "run"});
    auto argv = argv_of(args);
    return cli::progress_mode(cli::parse_command(int(argv.size()), argv.data(), "run"));
  };
  {
    const ScopedEnv env("CAREABM_PROGRESS", std::nullopt);
    CHECK(mode({"--progress", "lines"}) == cli::ProgressMode::lines);
    CHECK(mode({"--progress=bar"}) == cli::ProgressMode::bar);
    CHECK(mode({"--progress", "lines", "--quiet"}) == cli::ProgressMode::none);
    CHECK_THROWS_AS(mode({"--progress", "loud"}), InputError);
  }
  {
    const ScopedEnv env("CAREABM_PROGRESS", "lines");
    CHECK(mode({}) == cli::ProgressMode::lines);
    CHECK(mode({"--progress", "none"}) == cli::ProgressMode::none);
    CHECK(mode({"--quiet"}) == cli::ProgressMode::none);
  }
  const auto dir = test::temp_dir("progress-modes");
  const ScopedEnv env("CAREABM_PROGRESS", std::nullopt);
  const std::string run = "run '" + test::example("minimal.toml").string() + "' -r 10 --force -o '" + (dir / "o.h5").string() + "'";
  const auto quiet = test::run_program(run, dir);  // stderr is a file here: no progress
  CHECK(quiet.output.find("replications of") == std::string::npos);
  const auto lines = test::run_program(run + " --progress=lines", dir);
  CAPTURE(lines.output);
  CHECK(lines.output.find(": 100/100 (100%), elapsed ") != std::string::npos);  // 10 replications x 10 years
  CHECK(lines.output.find('\r') == std::string::npos);
  CHECK(run_with("CAREABM_PROGRESS=lines", run, dir).output.find(": 100/100 (100%)") != std::string::npos);
  CHECK(run_with("CAREABM_PROGRESS=lines", run + " --quiet", dir).output.find("(100%)") == std::string::npos);
  const auto bad = run_with("CAREABM_PROGRESS=loud", run, dir);
  CHECK(bad.status == 2);
  CHECK(bad.output.find("'CAREABM_PROGRESS'") != std::string::npos);
}

TEST_CASE("progress: run counts replication-years, so one long replication shows lines before its end") {
  const auto dir = test::temp_dir("progress-years");
  const ScopedEnv env("CAREABM_PROGRESS", std::nullopt);
  const auto one = test::run_program("run '" + test::example("minimal.toml").string() + "' -r 1 --progress lines -o '" +
                                         (dir / "o.h5").string() + "'",
                                     dir);
  CAPTURE(one.output);
  REQUIRE(one.status == 0);
  // The minimal scenario simulates 10 years (2022-2031): a line at every 10%, the
  // final one at 100%.
  std::vector<std::string> progress_lines;
  std::istringstream text(one.output);
  for (std::string line; std::getline(text, line);) {
    if (line.rfind("running 1 replications of 10 years on ", 0) == 0) progress_lines.push_back(line);
  }
  REQUIRE(!progress_lines.empty());
  CHECK(progress_lines.back().find(": 10/10 (100%)") != std::string::npos);
  const long before_final = std::count_if(progress_lines.begin(), progress_lines.end() - 1, [](const std::string& line) {
    return line.find("(100%)") == std::string::npos;
  });
  CHECK(progress_lines.front().find(": 1/10 (10%)") != std::string::npos);
  CHECK(before_final >= 2);
}

TEST_CASE("version: the project version with the git commit, in --version and in every output file") {
  const std::string version = careabm::version();
  CHECK(std::regex_match(version, std::regex(R"(\d+\.\d+\.\d+(\+g[0-9a-f]{7,}(-dirty)?)?)")));
  CHECK(version.rfind(CAREABM_PROJECT_VERSION, 0) == 0);
  if (fs::exists(test::source_dir() / ".git")) CHECK(version.find("+g") != std::string::npos);
  const auto dir = test::temp_dir("version");
  CHECK(test::run_program("--version", dir).output == "careabm " + version + "\n");
  const auto out = dir / "v.h5";
  REQUIRE(test::run_program("run '" + test::example("minimal.toml").string() + "' -r 1 --quiet -o '" + out.string() + "'", dir)
              .status == 0);
  CHECK(io::H5Reader(out).root_attr_string("careabm_version") == version);
}

TEST_CASE("version: the build step follows new commits and uncommitted changes, and falls back without git") {
  const auto dir = test::temp_dir("version-script");
  const auto repo = dir / "repo", out = dir / "version.cpp";
  fs::create_directories(repo);
  const auto version_of = [&](const fs::path& source) {
    const std::string cmd = std::string("'") + CAREABM_CMAKE + "' -DSOURCE_DIR='" + source.string() +
                            "' -DPROJECT_VERSION=9.8.7 -DOUTPUT='" + out.string() + "' -P '" +
                            (test::source_dir() / "cmake" / "version.cmake").string() + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string text = test::read_text(out);
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("return \"([^\"]*)\";")));
    return m[1].str();
  };
  CHECK(version_of(repo) == "9.8.7");  // not a git work tree
  const auto git = [&](const std::string& args) {
    const std::string cmd = "git -C '" + repo.string() + "' -c user.name=t -c user.email=t@example.org " + args + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  };
  const auto head = [&] {
    const auto log = dir / "head.txt";
    REQUIRE(std::system(("git -C '" + repo.string() + "' rev-parse --short=7 HEAD > '" + log.string() + "'").c_str()) == 0);
    auto text = test::read_text(log);
    return text.substr(0, text.find('\n'));
  };
  git("init -q");
  test::write_text(repo / "a.txt", "one\n");
  git("add a.txt");
  git("commit -q -m one");
  const std::string first = version_of(repo);
  CHECK(first == "9.8.7+g" + head());
  const auto written = fs::last_write_time(out);
  CHECK(version_of(repo) == first);
  CHECK(fs::last_write_time(out) == written);  // unchanged: not rewritten, nothing recompiles
  test::write_text(repo / "a.txt", "two\n");
  CHECK(version_of(repo) == first + "-dirty");
  git("commit -q -am two");
  CHECK(version_of(repo) == "9.8.7+g" + head());
  CHECK(version_of(repo) != first);
  git("tag v1.0");
  test::write_text(repo / "a.txt", "three\n");
  git("commit -q -am three");
  CHECK(version_of(repo) == "9.8.7+g" + head());  // "v1.0-1-g<commit>": the commit only
  fs::create_directories(repo / "unpacked");
  CHECK(version_of(repo / "unpacked") == "9.8.7");  // a source tree inside another repository
}

TEST_CASE("size-cohorts: --from defaults to the first year a cohort can still start; the answer's interval and cost") {
  const auto dir = test::temp_dir("cohorts-from");
  const int year = this_year();
  // The linear scenario (tests/data/cohorts-linear.toml), moved so that it started four years ago.
  const auto scenario = dir / "linear.toml";
  test::write_text(scenario, "extends = \"" + test::data("cohorts-linear.toml").string() + "\"\n[time]\nstart_year = " +
                                 std::to_string(year - 4) + "\nend_year = " + std::to_string(year + 4) +
                                 "\n[training.programmes.vig_school]\ncost_per_trainee = 1000\n");
  const auto out = dir / "c.h5";
  const auto ran = test::run_program("size-cohorts '" + scenario.string() + "' --programme vig_school --occupation vig --by " +
                                         std::to_string(year + 4) + " --goal 10 -r 2 --progress lines -o '" + out.string() + "'",
                                     dir);
  CAPTURE(ran.output);
  REQUIRE(ran.status == 0);
  const io::H5Reader f(out);
  CHECK(f.root_attr_int64("from_year") == year);
  CHECK(f.root_attr_string("from_year_rule").find("not before the current year " + std::to_string(year)) != std::string::npos);
  CHECK(ran.output.find("from " + std::to_string(year) + " (the first simulated year") != std::string::npos);
  // The default follows today's date: a line says so and how to pin it.
  const std::string note = "note: --from not given: the start year " + std::to_string(year) +
                           " follows from today's date (UTC); give --from " + std::to_string(year) +
                           " to pin it for a reproducible answer\n";
  CHECK(ran.output.find(note) != std::string::npos);
  CHECK(test::run_program("size-cohorts --help", dir).output.find("give --from for a reproducible answer") != std::string::npos);
  // Enrolled from `year`, two-year programme: three cohorts have graduated by year + 4,
  // so the shortage is S0 - 3 x extra exactly.
  const double s0 = f.read_double("/cohorts/shortage_replications").front();
  const double answer = f.root_attr_double("answer");
  CHECK(answer == std::ceil((s0 - 10) / 3));
  // No noise in this scenario: the interval is the answer itself.
  CHECK(f.root_attr_double("answer_lo95") == answer);
  CHECK(f.root_attr_double("answer_hi95") == answer);
  // The cost: answer trainees a year x EUR 1000, year .. year + 4.
  CHECK(f.root_attr_double("cost_per_trainee") == 1000);
  CHECK(f.root_attr_double("cost") == doctest::Approx(answer * 1000 * 5));
  CHECK(f.dims("/cohorts/cost") == std::vector<std::string>{"candidate"});
  CHECK(ran.output.find("cost EUR ") != std::string::npos);
  // The progress: every candidate's replications run to the end, stage by stage.
  CHECK(ran.output.find("1/3 bracketing, #1: +0 a year: 2/2 (100%)") != std::string::npos);
  CHECK(ran.output.find("2/3 bisecting, #") != std::string::npos);
  for (int c = 1; c <= 3; ++c) {
    const auto at = ran.output.find(", #" + std::to_string(c) + ": ");
    REQUIRE(at != std::string::npos);
    CHECK(ran.output.find("2/2 (100%)", at) != std::string::npos);
    CHECK(ran.output.find("0/2 (0%)") == std::string::npos);
  }

  // A goal year before the first year a cohort can still start is bad input; --from may
  // still ask about the past.
  const std::string past = "size-cohorts '" + scenario.string() + "' --programme vig_school --occupation vig --by " +
                           std::to_string(year - 1) + " -r 1 --quiet --force -o '" + (dir / "p.h5").string() + "'";
  const auto refused = test::run_program(past, dir);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("'--by'") != std::string::npos);
  const auto pinned = test::run_program(past + " --from " + std::to_string(year - 3), dir);
  CHECK(pinned.status == 0);
  CHECK(pinned.output.find("note: --from not given") == std::string::npos);
  // Without a cost per trainee there is no cost.
  const auto no_cost = test::run_program("size-cohorts '" + test::data("cohorts-linear.toml").string() +
                                             "' --programme vig_school --occupation vig --by 2030 --from 2023 -r 1 --quiet -o '" +
                                             (dir / "n.h5").string() + "'",
                                         dir);
  REQUIRE(no_cost.status == 0);
  CHECK(std::isnan(io::H5Reader(dir / "n.h5").root_attr_double("cost")));
  CHECK(!io::H5Reader(dir / "n.h5").exists("/cohorts/cost"));
  const auto negative = test::run_program("check '" + test::data("cohorts-linear.toml").string() +
                                              "' --set training.programmes.vig_school.cost_per_trainee=-5",
                                          dir);
  CHECK(negative.status == 2);
  CHECK(negative.output.find("'training.programmes.vig_school.cost_per_trainee'") != std::string::npos);
}

TEST_CASE("size-cohorts: the answer's 95% interval holds the enrolments whose goal holds within the Monte Carlo error") {
  const auto dir = test::temp_dir("cohorts-interval");
  const auto out = dir / "c.h5";
  const auto ran = test::run_program("size-cohorts '" + test::example("pipeline.toml").string() +
                                         "' --programme mbo3_vig_bbl --occupation vig --by 2031 --from 2024 -r 4 --quiet -o '" +
                                         out.string() + "'",
                                     dir);
  CAPTURE(ran.output);
  REQUIRE(ran.status == 0);
  const io::H5Reader f(out);
  const double goal = f.root_attr_double("goal"), answer = f.root_attr_double("answer");
  const double lo = f.root_attr_double("answer_lo95"), hi = f.root_attr_double("answer_hi95");
  REQUIRE(!std::isnan(answer));
  CHECK(lo <= answer);
  CHECK(answer <= hi);
  CHECK(lo < hi);
  CHECK(ran.output.find("95% interval " + std::to_string(long(lo)) + "-" + std::to_string(long(hi))) != std::string::npos);
  // The mean's 95% confidence interval (t(0.975, 3) = 3.182) at each candidate.
  const auto extra = f.read_double("/cohorts/extra_enrolment");
  const auto reps = f.read_double("/cohorts/shortage_replications");
  const auto ends = [&](std::size_t c) {
    double m = 0, ss = 0;
    for (int r = 0; r < 4; ++r) m += reps[c * 4 + r] / 4;
    for (int r = 0; r < 4; ++r) ss += (reps[c * 4 + r] - m) * (reps[c * 4 + r] - m);
    const double half = 3.182446305284263 * std::sqrt(ss / 3) / 2;
    return std::pair{m - half, m + half};
  };
  for (std::size_t c = 0; c < extra.size(); ++c) {
    CAPTURE(extra[c]);
    if (extra[c] == lo) CHECK(ends(c).first <= goal);
    if (extra[c] == lo - 1) CHECK(ends(c).first > goal);
    if (extra[c] == hi) CHECK(ends(c).second <= goal);
    if (extra[c] == hi - 1) CHECK(ends(c).second > goal);
  }
}
