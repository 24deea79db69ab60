// Shared helpers for the tests: paths, loading scenarios, running the program.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/flows.h"
#include "core/run_result.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace careabm::test {

inline std::filesystem::path source_dir() { return CAREABM_SOURCE_DIR; }
inline std::filesystem::path data(const std::string& name) { return source_dir() / "tests" / "data" / name; }
inline std::filesystem::path example(const std::string& name) {
  return source_dir() / "scenarios" / "examples" / name;
}

inline Params load(const std::filesystem::path& path, const std::vector<std::string>& sets = {}) {
  return scenario::load_params(scenario::Document::load(path, sets));
}

// A bad-input case: a scenario body (extending minimal.toml), the key the
// error must name, and the text on the line it must point at.
struct BadInput {
  const char* what;
  std::string body;
  const char* key;
  const char* located;
};

// The exact stock balance: headcount[t] = headcount[t-1] + sum(in.*) - sum(out.*), every cell and year.
inline void check_balance(const RunResult& r) {
  for (int t = 1; t < r.years; ++t)
    for (int cell = 0; cell < r.cells; ++cell) {
      std::int64_t net = 0;
      for (int f = 0; f < kFlowCount; ++f) net += is_inflow(f) ? r.flow(t, cell, f) : -r.flow(t, cell, f);
      REQUIRE(r.headcount[r.at(t, cell)] == r.headcount[r.at(t - 1, cell)] + net);
    }
}

// A fresh empty directory under the system temp dir.
inline std::filesystem::path temp_dir(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("careabm-test-" + tag + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

// A scenario in a fresh directory: scenarios/examples/minimal.toml extended by
// `body`, with `files` (name, text) beside it; the directory goes with the object.
struct ExtendedScenario {
  std::filesystem::path dir, file;
  explicit ExtendedScenario(const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& files = {}) {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          ("careabm-scenario-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    file = dir / "scenario.toml";
    write_text(file, "extends = \"" + example("minimal.toml").string() + "\"\n" + body);
    for (const auto& [name, text] : files) write_text(dir / name, text);
  }
  ExtendedScenario(const ExtendedScenario&) = delete;
  ExtendedScenario& operator=(const ExtendedScenario&) = delete;
  ~ExtendedScenario() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  Params load(const std::vector<std::string>& sets = {}) const { return test::load(file, sets); }
};

struct Result {
  int status;
  std::string output;  // stdout and stderr together
};

// Runs the careabm program with `args` (a shell-quoted string).
inline Result run_program(const std::string& args, const std::filesystem::path& dir) {
  const auto log = dir / "program-output.txt";
  const std::string cmd = std::string("'") + CAREABM_BINARY + "' " + args + " > '" + log.string() + "' 2>&1";
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_text(log)};
}

// `careabm check FILE` exits 2 with one message naming FILE, the line where
// `located` stands in it, and 'key'.
inline void check_located_error(const std::filesystem::path& file, const std::string& key, const std::string& located) {
  const std::string text = read_text(file);
  const auto at = text.find(located);
  REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << located << "' not in " << file.string());
  const int line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
  const auto result = run_program("check '" + file.string() + "'", file.parent_path());
  CAPTURE(result.output);
  CHECK(result.status == 2);
  CHECK(result.output.find(file.string() + ":" + std::to_string(line) + ":") != std::string::npos);
  CHECK(result.output.find("'" + key + "'") != std::string::npos);
  CHECK(result.output.find("internal error") == std::string::npos);
}

// Lowers this process's file size limit for the scope (writes beyond it fail
// with EFBIG instead of raising SIGXFSZ), as a disk that is full would stop them.
struct FileSizeLimit {
  rlimit saved{};
  void (*saved_handler)(int) = nullptr;
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved);
    saved_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved;
    lower.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, saved_handler);
  }
};

}  // namespace careabm::test
