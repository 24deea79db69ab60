// One replication split across threads (README.md, "Performance"): the
// shipped example scenarios, run with one replication on 1, 2 and 3 threads,
// give identical output files, every dataset.
#include <doctest/doctest.h>

#include <filesystem>

#include "../unit/test_support.h"
#include "io/h5_reader.h"

using namespace careabm;
namespace fs = std::filesystem;

TEST_CASE("cli: one replication on 1, 2 and 3 threads gives identical output files (every example scenario)") {
  const auto dir = test::temp_dir("threads-within");
  for (const char* name : {"minimal", "pipeline", "labour-market"}) {
    CAPTURE(name);
    const std::string base = "run '" + test::example(std::string(name) + ".toml").string() + "' --quiet -r 1 ";
    auto out = [&](int threads) { return dir / (std::string(name) + "-" + std::to_string(threads) + ".h5"); };
    for (int threads : {1, 2, 3}) {
      REQUIRE(test::run_program(base + "--threads " + std::to_string(threads) + " -o '" + out(threads).string() + "'", dir)
                  .status == 0);
    }
    const io::H5Reader one(out(1));
    const auto datasets = one.datasets("/");
    CHECK(datasets.size() >= 16);
    for (int threads : {2, 3}) {
      const io::H5Reader more(out(threads));
      CHECK(more.datasets("/") == datasets);
      for (const auto& path : datasets) {
        CAPTURE(path);
        CAPTURE(threads);
        if (path == "/scenario") continue;  // string
        const auto a = one.read_double(path), b = more.read_double(path);
        REQUIRE(a.size() == b.size());
        for (std::size_t k = 0; k < a.size(); ++k) {
          if (a[k] != a[k] && b[k] != b[k]) continue;  // NaN in both
          REQUIRE(a[k] == b[k]);
        }
      }
    }
  }
  fs::remove_all(dir);
}
