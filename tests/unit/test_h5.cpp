#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.h"
#include "io/atomic_output.h"
#include "io/h5_reader.h"
#include "io/h5_writer.h"
#include "test_support.h"

namespace fs = std::filesystem;
using careabm::io::AtomicOutput;
using careabm::io::H5Reader;
using careabm::io::H5Writer;

namespace {

// A fresh directory per test case, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path =
        fs::temp_directory_path() / ("careabm_test_h5_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

const std::vector<std::string> workforce_dims = {"replication", "year", "subregion", "branch", "occupation"};
const std::vector<std::string> summary_dims = {"stat", "year", "subregion", "branch", "occupation"};
constexpr std::size_t workforce_cells = 3 * 4 * 2 * 2 * 3;
constexpr std::size_t summary_cells = 4 * 4 * 2 * 2 * 3;

std::vector<double> ramp(std::size_t n, double step) {
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<double>(i) * step;
  return values;
}

std::vector<std::int64_t> counts(std::size_t n) {
  std::vector<std::int64_t> values(n);
  std::iota(values.begin(), values.end(), std::int64_t{1000});
  return values;
}

// A small file with the contract's layout: root dimensions, root attributes, the
// scenario text, 5-d variables in a group and a summary in a nested group.
void write_sample(const fs::path& path) {
  H5Writer out(path);
  out.root_attr("careabm_version", "0.1.0");
  out.root_attr("command", "run");
  out.root_attr("scenario_name", "baseline");
  out.root_attr("seed", std::int64_t{42});
  out.root_attr("replications", std::int64_t{3});
  out.root_attr("created_utc", "2024-01-01T00:00:00Z");
  out.string_dataset("/scenario", "name = \"baseline\"\n[years]\nfirst = 2022\n");
  out.dimension("replication", std::vector<std::int64_t>{0, 1, 2});
  out.dimension("year", std::vector<std::int64_t>{2022, 2023, 2024, 2025});
  out.dimension("subregion", {"north", "south"});  // braced literals pick the string overload
  out.dimension("branch", std::vector<std::string>{"nursing_home", "home_care"});
  out.dimension("occupation", std::vector<std::string>{"helper", "vig", "verpleegkundige-ß"});
  out.dimension("stat", std::vector<std::string>{"mean", "p05", "p50", "p95"});
  out.write("/workforce/headcount", workforce_dims, counts(workforce_cells));
  out.write("/workforce/fte", workforce_dims, ramp(workforce_cells, 0.5));
  out.attr("/workforce/fte", "units", "FTE");
  out.attr("/workforce/fte", "long_name", "supply in full-time equivalents");
  out.write("/summary/workforce/fte", summary_dims, ramp(summary_cells, 0.25));
  out.close();
}

}  // namespace

TEST_CASE("a 5-d double and int64 variable round-trip with their dimensions") {
  TempDir dir;
  const fs::path file = dir.path / "out.h5";
  write_sample(file);
  const H5Reader in(file);

  CHECK(in.dims("/workforce/headcount") == workforce_dims);
  CHECK(in.dims("workforce/fte") == workforce_dims);
  CHECK(in.dims("/summary/workforce/fte") == summary_dims);
  CHECK(in.shape("/workforce/fte") == std::vector<std::size_t>{3, 4, 2, 2, 3});
  CHECK(in.read_int64("/workforce/headcount") == counts(workforce_cells));
  CHECK(in.read_double("/workforce/fte") == ramp(workforce_cells, 0.5));
  CHECK(in.read_double("/summary/workforce/fte") == ramp(summary_cells, 0.25));
  // Integers read as doubles too (`careabm summary` prints either).
  CHECK(in.read_double("/workforce/headcount").front() == 1000.0);

  CHECK(in.labels("occupation") == std::vector<std::string>{"helper", "vig", "verpleegkundige-ß"});
  CHECK(in.read_int64("/year") == std::vector<std::int64_t>{2022, 2023, 2024, 2025});
  // Subgroups carry their own copy of each dimension they use (for xarray's group=).
  CHECK(in.read_int64("/workforce/year") == in.read_int64("/year"));
  CHECK(in.exists("/summary/workforce/stat"));
  CHECK(in.datasets("/") ==
        std::vector<std::string>{"/scenario", "/summary/workforce/fte", "/workforce/fte", "/workforce/headcount"});
}

TEST_CASE("attributes and the scenario text round-trip") {
  TempDir dir;
  const fs::path file = dir.path / "out.h5";
  write_sample(file);
  const H5Reader in(file);
  CHECK(in.root_attr_string("command") == "run");
  CHECK(in.root_attr_string("careabm_version") == "0.1.0");
  CHECK(in.root_attr_int64("seed") == 42);
  CHECK(in.root_attr_int64("replications") == 3);
  CHECK(in.attr_string("/workforce/fte", "units") == "FTE");
  CHECK(in.has_attr("/workforce/fte", "long_name"));
  CHECK_FALSE(in.has_attr("/workforce/headcount", "units"));
  CHECK(in.string_dataset("/scenario") == "name = \"baseline\"\n[years]\nfirst = 2022\n");
  CHECK_FALSE(in.exists("/workforce/missing"));
  CHECK_FALSE(in.exists("/nowhere/missing"));
}

TEST_CASE("empty strings and replaced attributes") {
  TempDir dir;
  const fs::path file = dir.path / "out.h5";
  {
    H5Writer out(file);
    out.root_attr("note", "");
    out.root_attr("command", "run");
    out.root_attr("command", "compare");
    out.string_dataset("/scenario", "");
  }  // the destructor closes
  const H5Reader in(file);
  CHECK(in.root_attr_string("note").empty());
  CHECK(in.root_attr_string("command") == "compare");
  CHECK(in.string_dataset("/scenario").empty());
}

TEST_CASE("writing with wrong sizes or unknown dimensions throws") {
  TempDir dir;
  H5Writer out(dir.path / "out.h5");
  out.dimension("year", std::vector<std::int64_t>{2022, 2023});
  out.dimension("branch", std::vector<std::string>{"a", "b", "c"});
  CHECK_THROWS_AS(out.write("/x/too_short", {"year", "branch"}, std::vector<double>(5)), std::invalid_argument);
  CHECK_THROWS_AS(out.write("/x/too_long", {"year"}, std::vector<std::int64_t>(3)), std::invalid_argument);
  CHECK_THROWS_AS(out.write("/x/unknown", {"year", "colour"}, std::vector<double>(6)), std::invalid_argument);
  CHECK_THROWS_AS(out.dimension("year", std::vector<std::int64_t>{2030}), std::invalid_argument);
  CHECK_THROWS_AS(out.attr("/x/none", "units", "FTE"), std::invalid_argument);
  CHECK_NOTHROW(out.write("/x/ok", {"year", "branch"}, std::vector<double>(6)));
  CHECK_THROWS_AS(out.write("/x/ok", {"branch", "year"}, std::vector<double>(6)), std::invalid_argument);
  CHECK_NOTHROW(out.write("/x/scalar", {}, std::vector<double>{1.5}));
}

TEST_CASE("write_slice fills one index of the leading axis of an existing file") {
  TempDir dir;
  const fs::path file = dir.path / "sweep.h5";
  {
    H5Writer out(file);
    out.dimension("point", std::vector<std::int64_t>{0, 1, 2});
    out.dimension("year", std::vector<std::int64_t>{2022, 2023});
    out.write("/sweep/result", {"point", "year"}, std::vector<double>(6, std::nan("")));
    out.write("/sweep/done", {"point"}, std::vector<std::int8_t>(3, 0));
    out.write_slice("/sweep/result", 0, std::vector<double>{1.0, 2.0});
  }
  {
    H5Writer out = H5Writer::open_existing(file);  // as `sweep --resume` would
    out.write_slice("/sweep/result", 2, std::vector<double>{5.0, 6.0});
    out.write_slice("/sweep/done", 2, std::vector<std::int8_t>{1});
    out.write("/sweep/done", {"point"}, std::vector<std::int8_t>{1, 0, 1});  // whole-dataset overwrite
    CHECK_THROWS_AS(out.write_slice("/sweep/result", 3, std::vector<double>{0, 0}), std::invalid_argument);
    CHECK_THROWS_AS(out.write_slice("/sweep/result", 1, std::vector<double>{0}), std::invalid_argument);
  }
  const H5Reader in(file);
  const std::vector<double> result = in.read_double("/sweep/result");
  CHECK(result[0] == 1.0);
  CHECK(result[1] == 2.0);
  CHECK(std::isnan(result[2]));  // point 1 never written
  CHECK(result[4] == 5.0);
  CHECK(result[5] == 6.0);
  CHECK(in.read_int64("/sweep/done") == std::vector<std::int64_t>{1, 0, 1});
  CHECK(in.dims("/sweep/result") == std::vector<std::string>{"point", "year"});
}

TEST_CASE("opening a missing or non-HDF5 file is an input error") {
  TempDir dir;
  CHECK_THROWS_AS(H5Reader(dir.path / "missing.h5"), careabm::InputError);
  std::ofstream(dir.path / "text.h5") << "not hdf5\n";
  CHECK_THROWS_AS(H5Reader(dir.path / "text.h5"), careabm::InputError);
  CHECK_THROWS_AS(H5Writer::open_existing(dir.path / "missing.h5"), careabm::InputError);
}

TEST_CASE("AtomicOutput never overwrites without force and leaves no partial file") {
  TempDir dir;
  const fs::path target = dir.path / "out.h5";

  SUBCASE("a committed output appears under the final name only") {
    AtomicOutput output(target, false);
    CHECK(output.temp_path().parent_path() == target.parent_path());
    write_sample(output.temp_path());
    output.commit();
    CHECK(fs::exists(target));
    CHECK_FALSE(fs::exists(output.temp_path()));
    CHECK(H5Reader(target).root_attr_int64("seed") == 42);
  }
  SUBCASE("an existing output is refused without force") {
    std::ofstream(target) << "precious";
    try {
      AtomicOutput output(target, false);
      FAIL("no InputError");
    } catch (const careabm::InputError& error) {
      CHECK(error.file() == target.string());
      CHECK(error.key() == "-o");
      CHECK(std::string(error.what()).find("--force") != std::string::npos);
    }
    std::ifstream kept(target);
    std::string content;
    kept >> content;
    CHECK(content == "precious");
  }
  SUBCASE("force replaces an existing output") {
    std::ofstream(target) << "old";
    AtomicOutput output(target, true);
    write_sample(output.temp_path());
    output.commit();
    CHECK(H5Reader(target).root_attr_string("command") == "run");
  }
  SUBCASE("an output that is never committed leaves nothing behind") {
    fs::path temp;
    try {
      AtomicOutput output(target, false);
      temp = output.temp_path();
      write_sample(temp);
      throw std::runtime_error("run failed");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(fs::exists(target));
    CHECK_FALSE(fs::exists(temp));
  }
  SUBCASE("a missing directory is an input error") {
    CHECK_THROWS_AS(AtomicOutput(dir.path / "no_such_dir" / "out.h5", true), careabm::InputError);
  }
  SUBCASE("committing before anything was written is an error") {
    AtomicOutput output(target, false);
    CHECK_THROWS_AS(output.commit(), std::runtime_error);
  }
}

#ifdef CAREABM_SOURCE_DIR
// The point of the format: netCDF-C and xarray read the file with labelled axes.
// Skipped (with a message) where ncdump or the Python readers are not installed.
TEST_CASE("ncdump and xarray read the output with labelled dimensions") {
  TempDir dir;
  const fs::path file = dir.path / "out.h5";
  write_sample(file);

  const std::string ncdump = "ncdump -h '" + file.string() + "' > /dev/null 2>&1";
  if (std::system("command -v ncdump > /dev/null 2>&1") == 0) {
    CHECK(std::system(ncdump.c_str()) == 0);
  } else {
    MESSAGE("ncdump not found: netCDF-C check skipped");
  }

  const std::string script = std::string(CAREABM_SOURCE_DIR) + "/tests/python/check_netcdf.py";
  // stdout (the "ok" lines) is dropped; stderr explains a failure.
  const auto check = [&](const std::string& group, const std::string& var, const std::string& dims,
                         const std::string& redirect = "> /dev/null") {
    const std::string command = "/usr/bin/python3 '" + script + "' '" + file.string() + "' '" + group + "' " + var +
                                " " + dims + " " + redirect;
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const int first = check("workforce", "headcount", "replication,year,subregion,branch,occupation");
  if (first == 77) {
    MESSAGE("xarray/h5netcdf not importable: Python check skipped");
    return;
  }
  CHECK(first == 0);
  CHECK(check("workforce", "fte", "replication,year,subregion,branch,occupation") == 0);
  CHECK(check("summary/workforce", "fte", "stat,year,subregion,branch,occupation") == 0);
  CHECK(check("/", "occupation", "occupation") == 0);
  // The checker itself must be able to fail.
  CHECK(check("workforce", "fte", "year,replication,subregion,branch,occupation", "> /dev/null 2>&1") == 1);
  CHECK(check("workforce", "missing", "year", "> /dev/null 2>&1") == 1);
}
#endif

TEST_CASE("an in-memory file's image reads back as the same file written to disk") {
  TempDir dir;
  const fs::path direct = dir.path / "direct.h5", copied = dir.path / "image.h5";
  const auto fill = [](H5Writer& out) {
    out.root_attr("command", "sweep");
    out.dimension("point", std::vector<std::int64_t>{0, 1, 2});
    out.dimension("output", {"a", "b"});
    out.string_dataset("/sweep", "seed = 1\n");
    out.write("/outputs/values", {"point", "output"}, std::vector<double>{1.5, -2, 3, 4, 0.25, 6});
  };
  {
    H5Writer out(direct);
    fill(out);
  }
  H5Writer memory = H5Writer::in_memory();
  fill(memory);
  const std::vector<unsigned char> image = memory.image();
  CHECK_FALSE(image.empty());
  CHECK_THROWS_AS(memory.root_attr("late", std::int64_t{1}), std::logic_error);  // image() closed it
  std::ofstream(copied, std::ios::binary)
      .write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
  const H5Reader a(direct), b(copied);
  CHECK(b.root_attr_string("command") == "sweep");
  CHECK(b.string_dataset("/sweep") == a.string_dataset("/sweep"));
  CHECK(b.dims("/outputs/values") == a.dims("/outputs/values"));
  CHECK(b.read_double("/outputs/values") == a.read_double("/outputs/values"));
  CHECK(b.labels("output") == a.labels("output"));
}

TEST_CASE("a streamed file's failed write is not reported again for the next streamed file") {
  // One process writing several outputs (the tests, the Python module): a full disk
  // for the first must not make the second, written after space came back, fail.
  const auto dir = careabm::test::temp_dir("streamed-failure");
  auto write_columns = [](const fs::path& path, std::size_t rows) {
    careabm::io::H5Writer out = careabm::io::H5Writer::streamed(path);
    careabm::io::H5Columns table(out, "/agents/2031", "agent_2031");
    table.add("age", careabm::io::H5Columns::Type::int32);
    std::vector<std::int32_t> ages(rows);  // values that do not compress (the columns are deflated)
    std::uint32_t x = 12345;
    for (auto& a : ages) a = static_cast<std::int32_t>(x = x * 1664525u + 1013904223u);
    table.append("age", std::span<const std::int32_t>(ages));
    table.finish();
    out.close();
  };
  {
    const careabm::test::FileSizeLimit limit(64 * 1024);
    CHECK_THROWS_AS(write_columns(dir / "full.h5", 1'000'000), careabm::OutputError);
  }
  CHECK_NOTHROW(write_columns(dir / "after.h5", 1'000));
  CHECK(H5Reader(dir / "after.h5").read_int64("/agents/2031/age").size() == 1'000);
}
