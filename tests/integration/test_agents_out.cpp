// `careabm run --agents-out`: the microdata streamed into the file a replication at a
// time hold exactly each replication's snapshot, in replication order, whatever the
// thread count, in chunked and compressed columns; and a full disk while streaming
// ends the run with exit 1 and a message, leaving no file.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../unit/test_support.h"
#include "experiments/agents_out.h"
#include "experiments/memory.h"
#include "io/h5_reader.h"
#include "simulation/simulate.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

// Layout and filters of a dataset, read with the HDF5 C API.
struct Storage {
  bool chunked = false, deflate = false, shuffle = false;
};

Storage storage_of(const fs::path& file, const std::string& path) {
  Storage s;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t d = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
  REQUIRE(d >= 0);
  const hid_t plist = H5Dget_create_plist(d);
  s.chunked = H5Pget_layout(plist) == H5D_CHUNKED;
  for (int i = 0; i < H5Pget_nfilters(plist); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    const H5Z_filter_t filter =
        H5Pget_filter2(plist, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, &config);
    s.deflate = s.deflate || filter == H5Z_FILTER_DEFLATE;
    s.shuffle = s.shuffle || filter == H5Z_FILTER_SHUFFLE;
  }
  H5Pclose(plist), H5Dclose(d), H5Fclose(f);
  return s;
}

template <class T>
std::vector<std::int64_t> widened(const std::vector<T>& values) {
  return std::vector<std::int64_t>(values.begin(), values.end());
}

}  // namespace

TEST_CASE("--agents-out streams every replication's snapshot in replication order, chunked and compressed") {
  const auto dir = test::temp_dir("agents-stream");
  const fs::path scenario = test::example("pipeline.toml");
  const Params p = test::load(scenario, {"run.replications=5"});
  const std::vector<int> years = {p.start_year + 1, p.start_year + 4};
  // What the file must hold: each replication's own snapshot, concatenated in order.
  std::vector<AgentSnapshot> expected(years.size());
  std::vector<std::vector<std::int64_t>> replication(years.size());
  Params with_agents = p;
  with_agents.agents_out = years;
  for (int r = 0; r < p.replications; ++r) {
    const RunResult result = simulate(with_agents, r);
    for (std::size_t k = 0; k < years.size(); ++k) {
      const AgentSnapshot& a = result.agents.at(k);
      AgentSnapshot& e = expected[k];
      e.uid.insert(e.uid.end(), a.uid.begin(), a.uid.end());
      e.state.insert(e.state.end(), a.state.begin(), a.state.end());
      e.subregion.insert(e.subregion.end(), a.subregion.begin(), a.subregion.end());
      e.occupation.insert(e.occupation.end(), a.occupation.begin(), a.occupation.end());
      e.qualification.insert(e.qualification.end(), a.qualification.begin(), a.qualification.end());
      e.age.insert(e.age.end(), a.age.begin(), a.age.end());
      e.hours.insert(e.hours.end(), a.hours.begin(), a.hours.end());
      replication[k].insert(replication[k].end(), a.uid.size(), r);
    }
  }
  const std::string agents_out = std::to_string(years[0]) + "," + std::to_string(years[1]);
  for (const char* threads : {"1", "3"}) {
    CAPTURE(threads);
    const fs::path out = dir / (std::string("t") + threads + ".h5");
    REQUIRE(test::run_program("run '" + scenario.string() + "' --quiet -r 5 --threads " + threads +
                                  " --agents-out " + agents_out + " -o '" + out.string() + "'",
                              dir)
                .status == 0);
    const io::H5Reader f(out);
    for (std::size_t k = 0; k < years.size(); ++k) {
      const std::string group = "/agents/" + std::to_string(years[k]) + "/";
      const AgentSnapshot& e = expected[k];
      CHECK(f.read_int64(group + "replication_index") == replication[k]);
      CHECK(f.read_int64(group + "uid") == e.uid);
      CHECK(f.read_int64(group + "state") == widened(e.state));
      CHECK(f.read_int64(group + "subregion_code") == widened(e.subregion));
      CHECK(f.read_int64(group + "occupation_code") == widened(e.occupation));
      CHECK(f.read_int64(group + "qualification_code") == widened(e.qualification));
      CHECK(f.read_int64(group + "age") == widened(e.age));
      CHECK(f.read_double(group + "hours") == e.hours);
      // No column shares a dimension's name (R's ncdf4 refuses such files).
      for (const char* clash : {"replication", "subregion", "branch", "occupation"})
        CHECK(!f.exists(group + clash));
      for (const char* column : {"replication_index", "uid", "state", "hours"}) {
        const Storage s = storage_of(out, group + column);
        CHECK(s.chunked);
        CHECK(s.deflate);
        CHECK(s.shuffle);
      }
      // The dimension stores no index: readers number the rows themselves.
      CHECK(f.shape(group + "agent_" + std::to_string(years[k])) == std::vector<std::size_t>{e.uid.size()});
    }
    // The aggregates are those of a run without microdata.
    const fs::path plain = dir / (std::string("plain") + threads + ".h5");
    REQUIRE(test::run_program("run '" + scenario.string() + "' --quiet -r 5 --threads " + threads + " -o '" +
                                  plain.string() + "'",
                              dir)
                .status == 0);
    const io::H5Reader g(plain);
    CHECK(f.read_int64("/workforce/headcount") == g.read_int64("/workforce/headcount"));
    CHECK(f.read_double("/shortage/persons") == g.read_double("/shortage/persons"));
    CHECK(f.read_double("/summary/shortage/persons") == g.read_double("/summary/shortage/persons"));
  }
}

TEST_CASE("--agents-out's memory estimate holds two replications' microdata per simulation, not all of them") {
  const auto doc = scenario::Document::load(test::example("pipeline.toml"));
  const Params plain = scenario::load_params(doc);
  Params with_agents = plain;
  with_agents.agents_out = {plain.start_year + 1, plain.start_year + 2};
  const auto estimate = [&](const Params& p, int replications) {
    return experiments::estimate_run(doc, p, {replications, 2, true});
  };
  for (const int replications : {2, 200}) {
    CAPTURE(replications);
    CHECK(estimate(with_agents, replications).results == estimate(plain, replications).results);
    CHECK(estimate(with_agents, replications).writing == estimate(plain, replications).writing);
    CHECK(estimate(with_agents, replications).simulations > estimate(plain, replications).simulations);
  }
  CHECK(estimate(with_agents, 200).simulations == estimate(with_agents, 2).simulations);
}

TEST_CASE("--agents-out holds at most max_waiting finished replications; a failed one releases the waiters") {
  const auto dir = test::temp_dir("agents-bound");
  Params p = test::load(test::example("minimal.toml"), {"run.replications=4"});
  p.agents_out = {p.start_year + 1};
  const std::vector<AgentSnapshot> one(1);  // an empty snapshot: only the order matters here
  std::atomic<bool> third_in{false};

  SUBCASE("a replication past the bound waits until the writer takes one") {
    io::H5Writer file = io::H5Writer::streamed(dir / "bound.h5");
    experiments::AgentsOut agents(file, p, 1);
    agents.add(2, one);  // waits for its turn: the one place the bound allows
    std::thread third([&] {
      agents.add(3, one);  // one more would exceed the bound: waits for room
      third_in = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(third_in.load());  // still waiting (had it not waited, it would be in by now)
    agents.add(0, one);            // the writer takes 0, then 1 is missing: 2 stays
    agents.add(1, one);            // the writer takes 1, 2, then 3 once it is in
    third.join();
    CHECK(third_in.load());
    agents.finish(4);
    file.close();
  }
  SUBCASE("abandon releases a thread waiting for room") {
    io::H5Writer file = io::H5Writer::streamed(dir / "abandoned.h5");
    experiments::AgentsOut agents(file, p, 1);
    agents.add(2, one);
    std::thread third([&] {
      agents.add(3, one);
      third_in = true;
    });
    agents.abandon();  // replication 0 failed: nobody may wait for it
    third.join();
    CHECK(third_in.load());
  }
}
