// io/durable_file.h: the checksum, whole-or-nothing file replacement, and an
// append-only journal that reports how much of a refused write reached the file.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "core/errors.h"
#include "io/durable_file.h"
#include "test_support.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

std::vector<unsigned char> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

std::string read_all(const fs::path& p) {
  std::vector<unsigned char> bytes;
  REQUIRE(io::read_file(p, bytes));
  return {bytes.begin(), bytes.end()};
}


}  // namespace

TEST_CASE("fnv1a64 is the 64-bit FNV-1a hash") {
  CHECK(io::fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(io::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(io::fnv1a64("foobar") == 0x85944171f73967e8ULL);
  // Chained: the hash of a text is the hash of its second part seeded with the first's.
  CHECK(io::fnv1a64("bar", io::fnv1a64("foo")) == io::fnv1a64("foobar"));
}

TEST_CASE("DurableDirectory replaces a file whole and leaves no temporary file") {
  const auto dir = test::temp_dir("durable-dir");
  io::DurableDirectory d(dir);
  CHECK(d.try_lock());
  d.write_file("a", bytes_of("first version"));
  d.write_file("a", bytes_of("second"));
  d.sync();
  CHECK(read_all(dir / "a") == "second");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  CHECK(names == std::vector<std::string>{"a"});
  d.remove_file("a");
  d.remove_file("a");  // a missing file is not an error
  CHECK(!fs::exists(dir / "a"));
  CHECK_THROWS_AS(io::DurableDirectory(dir / "missing"), OutputError);

  SUBCASE("a write the disk refuses keeps the old file and names the new one") {
    d.write_file("b", bytes_of("kept"));
    const test::FileSizeLimit limit(16);
    try {
      d.write_file("b", std::vector<unsigned char>(100, 'x'));
      FAIL("no OutputError");
    } catch (const OutputError& e) {
      CHECK(std::string(e.what()).find((dir / "b").string()) != std::string::npos);
    }
    CHECK(read_all(dir / "b") == "kept");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  }
}

TEST_CASE("AppendFile appends, and says how much of a refused append reached the file") {
  const auto dir = test::temp_dir("append-file");
  const auto path = dir / "journal";
  io::DurableDirectory(dir).write_file("journal", bytes_of("head|"));
  io::AppendFile journal(path);
  CHECK(journal.size() == 5);
  std::size_t reached = 0;
  journal.append(bytes_of("one|"), reached);
  CHECK(reached == 4);
  CHECK(journal.size() == 9);
  CHECK(read_all(path) == "head|one|");

  {
    const test::FileSizeLimit limit(12);  // 3 more bytes fit
    try {
      journal.append(bytes_of("two|three|"), reached);
      FAIL("no OutputError");
    } catch (const OutputError& e) {
      CHECK(std::string(e.what()).find(path.string()) != std::string::npos);
    }
  }
  CHECK(reached == 3);
  CHECK(read_all(path) == "head|one|two");
  CHECK(journal.truncate(9));  // cut the part that reached the file
  CHECK(read_all(path) == "head|one|");
  journal.append(bytes_of("four|"), reached);
  CHECK(read_all(path) == "head|one|four|");
  CHECK_THROWS_AS(io::AppendFile(dir / "missing"), OutputError);
}
