// The careabm program as a user meets it: exit codes, located error messages,
// output files that are never silently overwritten.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "../unit/test_support.h"
#include "io/h5_reader.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

// A copy of the minimal scenario in `dir`, with `from` replaced by `to` in the TOML
// (or in the CSV when `in_csv`), so each bad input can be made by one edit.
fs::path broken_copy(const fs::path& dir, const std::string& from, const std::string& to, bool in_csv = false) {
  std::string toml = test::read_text(test::example("minimal.toml"));
  std::string csv = test::read_text(test::example("minimal-workforce.csv"));
  std::string& target = in_csv ? csv : toml;
  const auto at = target.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << from << "' not found");
  target.replace(at, from.size(), to);
  test::write_text(dir / "minimal.toml", toml);
  test::write_text(dir / "minimal-workforce.csv", csv);
  return dir / "minimal.toml";
}

int line_of(const fs::path& file, const std::string& text) {
  const std::string content = test::read_text(file);
  const auto at = content.find(text);
  return at == std::string::npos ? 0 : 1 + int(std::count(content.begin(), content.begin() + long(at), '\n'));
}

struct BadInput {
  const char* what;
  const char* from;
  const char* to;
  bool in_csv;
  const char* key;      // the key the message must name
  const char* located;  // text whose line the message must name
};

}  // namespace

TEST_CASE("bad input exits 2 with one message naming file, line and key") {
  const BadInput cases[] = {
      {"malformed TOML", "seed = 20221", "seed = = 20221", false, "", "seed = = 20221"},
      {"wrong type", "pension_age = 67", "pension_age = \"sixty-seven\"", false, "workforce.pension_age",
       "pension_age = \"sixty-seven\""},
      {"unknown key", "entry_age = 16", "entry_age = 16\nentry_agee = 17", false, "workforce.entry_agee",
       "entry_agee = 17"},
      {"rate outside [0,1]", "female_share = 0.9", "female_share = 1.9", false, "workforce.female_share",
       "female_share = 1.9"},
      {"transition row not summing to 1", "[[0.97, 0.03], [0.04, 0.96]]", "[[0.97, 0.03], [0.04, 0.86]]",
       false, "transfer.branch", "branch = [[0.97"},
      {"missing CSV", "\"minimal-workforce.csv\"", "\"no-such-file.csv\"", false, "workforce.initial",
       "no-such-file.csv"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto dir = test::temp_dir("bad");
    const auto scenario = broken_copy(dir, c.from, c.to, c.in_csv);
    const auto result = test::run_program("check '" + scenario.string() + "'", dir);
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find(scenario.string()) != std::string::npos);
    CHECK(result.output.find(":" + std::to_string(line_of(scenario, c.located)) + ":") != std::string::npos);
    if (*c.key) CHECK(result.output.find(std::string("'") + c.key + "'") != std::string::npos);
    CHECK(result.output.find("internal error") == std::string::npos);
  }
}

TEST_CASE("a CSV with a bad cell exits 2 naming the CSV file, its line and the column") {
  const auto dir = test::temp_dir("badcsv");
  const auto scenario = broken_copy(dir, "illustrative,north,nursing_home,vig,18,34,140",
                                    "illustrative,north,nursing_home,vig,18,34,lots", true);
  const auto csv = dir / "minimal-workforce.csv";
  const auto result = test::run_program("run '" + scenario.string() + "' -o '" + (dir / "x.h5").string() + "'", dir);
  CAPTURE(result.output);
  CHECK(result.status == 2);
  CHECK(result.output.find(csv.string() + ":" + std::to_string(line_of(csv, "lots"))) != std::string::npos);
  CHECK(result.output.find("count") != std::string::npos);
  CHECK(!fs::exists(dir / "x.h5"));
}

TEST_CASE("--set overrides a key, and a bad --set value is located at the command line") {
  const auto dir = test::temp_dir("set");
  const auto ok = test::run_program("check '" + test::example("minimal.toml").string() +
                                        "' --set outflow.rate.vig=0.25 --set time.end_year=2025",
                                    dir);
  CHECK(ok.status == 0);
  CHECK(ok.output.find("vig = 0.25") != std::string::npos);
  CHECK(ok.output.find("end_year = 2025") != std::string::npos);
  const auto bad = test::run_program("check '" + test::example("minimal.toml").string() + "' --set outflow.rate.vig=2", dir);
  CHECK(bad.status == 2);
  CHECK(bad.output.find("--set") != std::string::npos);
  CHECK(bad.output.find("'outflow.rate.vig'") != std::string::npos);
  const auto unknown = test::run_program("check '" + test::example("minimal.toml").string() + "' --set outflow.rat=2", dir);
  CHECK(unknown.status == 2);
  CHECK(unknown.output.find("unknown key") != std::string::npos);
}

TEST_CASE("--set KEY VALUE (a space for the '=') is refused naming --set and the value given") {
  const auto dir = test::temp_dir("set-space");
  const auto spaced =
      test::run_program("check '" + test::example("minimal.toml").string() + "' --set outflow.rate.vig 0.08", dir);
  CHECK(spaced.status == 2);
  CHECK(spaced.output.find("'--set'") != std::string::npos);
  CHECK(spaced.output.find("KEY=VALUE") != std::string::npos);
  CHECK(spaced.output.find("'outflow.rate.vig'") != std::string::npos);
  CHECK(spaced.output.find("--set outflow.rate.vig=0.08") != std::string::npos);
  CHECK(spaced.output.find("exactly one") == std::string::npos);
  // The same at the end of the command line, with no value after it.
  const auto last = test::run_program("check '" + test::example("minimal.toml").string() + "' --set outflow.rate.vig", dir);
  CHECK(last.status == 2);
  CHECK(last.output.find("--set outflow.rate.vig=VALUE") != std::string::npos);
}

TEST_CASE("an existing default output (no -o given) is named as the default, not as -o") {
  const auto dir = test::temp_dir("default-output");
  const std::string run = "cd '" + dir.string() + "' && '" + CAREABM_BINARY + "' run '" +
                          test::example("minimal.toml").string() + "' -r 2 --quiet > '" +
                          (dir / "log.txt").string() + "' 2>&1";
  const auto status = [](int raw) { return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1; };
  REQUIRE(status(std::system(run.c_str())) == 0);
  REQUIRE(fs::exists(dir / "minimal.h5"));
  CHECK(status(std::system(run.c_str())) == 2);
  const auto refused = test::read_text(dir / "log.txt");
  CHECK(refused.find("minimal.h5: key '-o (default: SCENARIO.h5)': exists; pass --force") != std::string::npos);
  // Given -o, the key is -o.
  const auto explicit_o = test::run_program(
      "run '" + test::example("minimal.toml").string() + "' -r 2 --quiet -o '" + (dir / "minimal.h5").string() + "'", dir);
  CHECK(explicit_o.status == 2);
  CHECK(explicit_o.output.find("key '-o': exists") != std::string::npos);
}

TEST_CASE("extends: a scenario inherits every key and overrides some") {
  const auto dir = test::temp_dir("extends");
  test::write_text(dir / "child.toml", "extends = \"" + test::example("minimal.toml").string() +
                                           "\"\nname = \"child\"\n[outflow.rate]\nvig = 0.2\n");
  const Params child = test::load(dir / "child.toml");
  const Params parent = test::load(test::example("minimal.toml"));
  CHECK(child.name == "child");
  CHECK(child.outflow_rate[1] == 0.2);
  CHECK(child.outflow_rate[0] == parent.outflow_rate[0]);
  CHECK(child.initial.size() == parent.initial.size());  // CSV path resolved relative to the parent file
}

TEST_CASE("run writes the output, and an existing file is kept unless --force") {
  const auto dir = test::temp_dir("force");
  const auto out = dir / "out.h5";
  const std::string run = "run '" + test::example("minimal.toml").string() + "' -r 3 --quiet -o '" + out.string() + "'";
  const auto first = test::run_program(run, dir);
  REQUIRE(first.status == 0);
  CHECK(first.output.find("Shortage in persons") != std::string::npos);
  const auto size = fs::file_size(out);
  const auto stamp = fs::last_write_time(out);

  const auto refused = test::run_program(run, dir);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("--force") != std::string::npos);
  CHECK(fs::file_size(out) == size);
  CHECK(fs::last_write_time(out) == stamp);

  CHECK(test::run_program(run + " --force", dir).status == 0);
  for (const auto& entry : fs::directory_iterator(dir)) {
    CHECK(entry.path().string().find(".tmp") == std::string::npos);  // no temporary left behind
  }
}

TEST_CASE("output files are identical with 1 and 2 threads, and carry the contract's metadata") {
  const auto dir = test::temp_dir("threads");
  const std::string base = "run '" + test::example("minimal.toml").string() + "' --quiet -r 4 ";
  REQUIRE(test::run_program(base + "--threads 1 -o '" + (dir / "t1.h5").string() + "'", dir).status == 0);
  REQUIRE(test::run_program(base + "--threads 2 -o '" + (dir / "t2.h5").string() + "'", dir).status == 0);
  const io::H5Reader a(dir / "t1.h5"), b(dir / "t2.h5");
  const auto datasets = a.datasets("/");
  CHECK(datasets.size() >= 16);
  for (const auto& path : datasets) {
    CAPTURE(path);
    if (path == "/scenario") continue;  // string
    CHECK(a.read_double(path) == b.read_double(path));
  }
  CHECK(a.root_attr_string("command") == "run");
  CHECK(a.root_attr_string("scenario_name") == "minimal");
  CHECK(a.root_attr_int64("seed") == 20221);
  CHECK(a.root_attr_int64("replications") == 4);
  CHECK(a.string_dataset("/scenario").find("[outflow]") != std::string::npos);
  CHECK(a.dims("/workforce/flows") ==
        std::vector<std::string>{"replication", "year", "subregion", "branch", "occupation", "flow"});
  CHECK(a.dims("/summary/shortage/persons") ==
        std::vector<std::string>{"stat", "year", "subregion", "branch", "occupation"});
  CHECK(a.labels("stat") == std::vector<std::string>{"mean", "p025", "p05", "p50", "p95", "p975"});
}

TEST_CASE("summary prints the key table of an output file, and a non-careabm file exits 2") {
  const auto dir = test::temp_dir("summary");
  const auto out = dir / "s.h5";
  REQUIRE(test::run_program("run '" + test::example("minimal.toml").string() + "' --quiet -r 2 -o '" + out.string() + "'", dir).status == 0);
  const auto shown = test::run_program("summary '" + out.string() + "'", dir);
  CHECK(shown.status == 0);
  CHECK(shown.output.find("2031") != std::string::npos);
  test::write_text(dir / "not.h5", "plain text");
  CHECK(test::run_program("summary '" + (dir / "not.h5").string() + "'", dir).status == 2);
  CHECK(test::run_program("summary '" + (dir / "missing.h5").string() + "'", dir).status == 2);
}

TEST_CASE("run and summary show the unfilled total (cells short of staff only) beside the net total") {
  const auto dir = test::temp_dir("unfilled");
  const auto out = dir / "lm.h5";
  const auto ran = test::run_program("run '" + test::example("labour-market.toml").string() + "' --quiet -r 3 -o '" +
                                         out.string() + "'", dir);
  REQUIRE(ran.status == 0);
  const io::H5Reader f(out);
  const auto unfilled = f.read_double("/shortage/unfilled"), persons = f.read_double("/shortage/persons");
  CHECK(f.dims("/shortage/unfilled") == std::vector<std::string>{"replication", "year", "subregion", "branch", "occupation"});
  CHECK(f.exists("/summary/shortage/surplus"));
  // The last year's unfilled total, mean over replications, as the table prints it.
  const std::size_t per_rep = unfilled.size() / 3, per_year = per_rep / 10;
  double total_unfilled = 0, total_net = 0;
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t k = 0; k < per_year; ++k) {
      total_unfilled += unfilled[r * per_rep + 9 * per_year + k] / 3;
      total_net += persons[r * per_rep + 9 * per_year + k] / 3;
    }
  CHECK(total_unfilled > total_net);  // the example has surplus cells
  char text[32];
  std::snprintf(text, sizeof text, " %.0f [", total_unfilled);
  for (const auto& output : {ran.output, test::run_program("summary '" + out.string() + "'", dir).output}) {
    CAPTURE(output);
    CHECK(output.find("unfilled") != std::string::npos);
    const auto line = output.find("\n2031 ");
    REQUIRE(line != std::string::npos);
    CHECK(output.substr(line, output.find('\n', line + 1) - line).find(text) != std::string::npos);
  }
}

TEST_CASE("usage errors exit 2, --help and --version exit 0") {
  const auto dir = test::temp_dir("usage");
  CHECK(test::run_program("--help", dir).status == 0);
  const auto calibrate_help = test::run_program("calibrate --help", dir);
  CHECK(calibrate_help.status == 0);
  CHECK(calibrate_help.output.find("--targets") != std::string::npos);
  CHECK(calibrate_help.output.find("careabm sweep") == std::string::npos);  // that command's lines only
  CHECK(test::run_program("--version", dir).output.find("careabm") != std::string::npos);
  CHECK(test::run_program("frobnicate", dir).status == 2);
  CHECK(test::run_program("run", dir).status == 2);
  CHECK(test::run_program("run '" + test::example("minimal.toml").string() + "' --threads zero", dir).status == 2);
  CHECK(test::run_program("run '" + test::example("minimal.toml").string() + "' --bogus", dir).status == 2);
}

TEST_CASE("--agents-out writes the workers of the asked years, consistent with the headcount") {
  const auto dir = test::temp_dir("agents");
  const auto out = dir / "a.h5";
  REQUIRE(test::run_program("run '" + test::example("minimal.toml").string() + "' --quiet -r 2 --agents-out 2025 -o '" +
                                out.string() + "'",
                            dir)
              .status == 0);
  const io::H5Reader f(out);
  REQUIRE(f.exists("/agents/2025/uid"));
  CHECK(!f.exists("/agents/2026"));
  const auto state = f.read_int64("/agents/2025/state"), rep = f.read_int64("/agents/2025/replication_index");
  const auto head = f.read_int64("/workforce/headcount");  // [rep][year][cells]
  const std::size_t per_rep = head.size() / 2, per_year = per_rep / 10;
  for (std::int64_t r = 0; r < 2; ++r) {
    std::int64_t working = 0, expected = 0;
    for (std::size_t i = 0; i < state.size(); ++i) working += rep[i] == r && state[i] < 2;
    for (std::size_t c = 0; c < per_year; ++c) expected += head[std::size_t(r) * per_rep + 3 * per_year + c];
    CHECK(working == expected);
  }
  CHECK(test::run_program("run '" + test::example("minimal.toml").string() + "' --agents-out 1999 -o '" +
                              (dir / "b.h5").string() + "'", dir).status == 2);
}
