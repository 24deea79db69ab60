// Passes split across threads within one replication (core/parallel.h;
// processes/year.h, split_rows): the team runs every part once, the parts
// cover the rows, and a replication gives the same numbers, bit for bit, on
// any number of threads.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/parallel.h"
#include "processes/year.h"
#include "simulation/initial_population.h"
#include "simulation/simulate.h"
#include "test_support.h"

using namespace careabm;

namespace {

// Every stock, flow and counter of two runs, exactly (NaN equal to NaN).
void check_identical(const RunResult& a, const RunResult& b) {
  auto same = [](const auto& x, const auto& y, const char* what) {
    CAPTURE(what);
    REQUIRE(x.size() == y.size());
    for (std::size_t k = 0; k < x.size(); ++k) {
      if (x[k] != x[k] && y[k] != y[k]) continue;
      REQUIRE(x[k] == y[k]);
    }
  };
  same(a.headcount, b.headcount, "headcount"), same(a.reserve, b.reserve, "reserve");
  same(a.self_employed, b.self_employed, "self_employed"), same(a.fte, b.fte, "fte");
  same(a.flows, b.flows, "flows"), same(a.demand, b.demand, "demand");
  same(a.shortage_fte, b.shortage_fte, "shortage_fte"), same(a.shortage_persons, b.shortage_persons, "persons");
  same(a.trainee_fte, b.trainee_fte, "trainee_fte");
  same(a.enrolled, b.enrolled, "enrolled"), same(a.graduates, b.graduates, "graduates");
  same(a.dropouts, b.dropouts, "dropouts"), same(a.students, b.students, "students");
  same(a.supervision_ratio, b.supervision_ratio, "supervision_ratio");
  same(a.clients, b.clients, "clients"), same(a.clients_new, b.clients_new, "clients_new");
  same(a.clients_deaths, b.clients_deaths, "clients_deaths"), same(a.waiting, b.waiting, "waiting");
  same(a.informal_share, b.informal_share, "informal_share");
  same(a.intervention_units, b.intervention_units, "intervention_units");
  same(a.intervention_cost, b.intervention_cost, "intervention_cost");
}

}  // namespace

TEST_CASE("team: every part runs exactly once, across threads, and a part's exception reaches the caller") {
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    Team team(threads);
    CHECK(team.size() == threads);
    std::size_t most_threads = 0;
    for (int round = 0; round < 50; ++round) {  // the same team, many passes (as in a year loop)
      std::vector<std::atomic<int>> ran(7);
      std::mutex mutex;
      std::set<std::thread::id> ids;
      team.run(7, [&](int k) {
        ++ran[k];
        std::this_thread::sleep_for(std::chrono::microseconds(300));
        const std::lock_guard lock(mutex);
        ids.insert(std::this_thread::get_id());
      });
      for (auto& r : ran) REQUIRE(r == 1);
      if (threads == 1) REQUIRE(ids.size() == 1);
      most_threads = std::max(most_threads, ids.size());
    }
    if (threads > 1) CHECK(most_threads > 1);  // the helpers do take parts
    CHECK_THROWS_AS(team.run(4, [](int k) { if (k == 2) throw std::runtime_error("part 2"); }), std::runtime_error);
    std::atomic<int> after{0};
    team.run(3, [&](int) { ++after; });  // still usable after a failure
    CHECK(after == 3);
  }
}

TEST_CASE("part_rows: the parts cover the rows in order, boundaries at multiples of the alignment") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{255}, std::size_t{256}, std::size_t{1000},
                        std::size_t{100000}}) {
    for (int parts : {1, 2, 3, 7}) {
      std::size_t at = 0;
      for (int k = 0; k < parts; ++k) {
        const Rows r = part_rows(n, parts, k, 256);
        CHECK(r.begin == at);
        CHECK(r.end >= r.begin);
        if (r.end != n) CHECK(r.end % 256 == 0);
        at = r.end;
      }
      CHECK(at == n);
    }
  }
}

TEST_CASE("split_rows: counts and intervention units from the parts equal those of one pass") {
  Params p = test::load(test::example("minimal.toml"));
  const rng::Stream stream(p.seed, 0);
  WorkerStore w;
  for (std::uint64_t i = 0; i < 5000; ++i) {
    WorkerStore::New n{};
    n.uid = i, n.hours = 30, n.subregion = std::uint8_t(i % p.cat.S()), n.branch = std::uint8_t(i % p.cat.B());
    n.occupation = std::uint8_t((i / 7) % p.cat.O()), n.age = 40;
    w.add(n);
  }
  p.interventions.resize(1);
  p.interventions[0].cost_per_unit = 0.1;  // not a binary fraction: a sum of costs depends on its order
  auto run = [&](int threads) {
    RunResult out(p.years(), p.cat.cells());
    out.size_interventions(1);
    Team team(threads);
    const Year y{p, stream, 1, p.start_year + 1, out, no_adjustments(), no_vacancies(), &team};
    std::atomic<int> parts{0};
    split_rows(y, w.size(), [&](const Year& part, int, std::size_t begin, std::size_t end) {
      ++parts;
      for_each_draw(w.uid, part, rng::Event::outflow, [&](std::size_t i) { return i >= begin && i < end; },
                    [&](std::size_t i, const rng::Block& d) {
                      if (d[0] < rng::threshold(0.3)) part.count(part.cell_of(w, i), kOutToReserve);
                      if (d[1] < rng::threshold(0.2)) part.add_unit(0);
                    });
    });
    CHECK(parts == std::min(threads, 20));
    return out;
  };
  const RunResult one = run(1);
  std::int64_t counted = 0;
  for (auto f : one.flows) counted += f;
  CHECK(counted > 1000);
  CHECK(one.intervention_units[one.intervention_at(1, 0)] > 500);
  for (int threads : {2, 3}) {
    const RunResult more = run(threads);
    CHECK(more.flows == one.flows);
    CHECK(more.intervention_units == one.intervention_units);
    CHECK(more.intervention_cost == one.intervention_cost);
  }
}

TEST_CASE("simulate: one replication split across 2 and 3 threads equals 1 thread, bit for bit") {
  const std::vector<std::filesystem::path> scenarios = {
      test::example("minimal.toml"), test::example("pipeline.toml"), test::example("labour-market.toml"),
      test::source_dir() / "scenarios" / "interventions" / "retention-starters.toml",
      test::source_dir() / "scenarios" / "interventions" / "reablement.toml"};
  for (const auto& file : scenarios) {
    CAPTURE(file);
    const Params p = test::load(file);
    const RunResult one = simulate(p, 1, 1);
    for (int threads : {2, 3}) {
      CAPTURE(threads);
      check_identical(one, simulate(p, 1, threads));
    }
  }
}

TEST_CASE("initial populations filled in parts across threads equal those filled in one") {
  const Params p = test::load(test::example("pipeline.toml"));
  Team team(3);
  const WorkerStore one = initial_workforce(p, 2), split = initial_workforce(p, 2, &team);
  CHECK(one.size() > 1000);
  CHECK(split.uid == one.uid);
  CHECK(split.hours == one.hours);
  CHECK(split.state == one.state);
  CHECK(split.age == one.age);
  CHECK(split.tenure == one.tenure);
  CHECK(split.since_left == one.since_left);
  CHECK(split.programme == one.programme);
  CHECK(split.study_year == one.study_year);
  CHECK(split.occupation == one.occupation);
  CHECK(split.female == one.female);
  const ClientStore clients_one = initial_clients(p, 2), clients_split = initial_clients(p, 2, &team);
  CHECK(clients_one.size() > 1000);
  CHECK(clients_split.uid == clients_one.uid);
  CHECK(clients_split.age == clients_one.age);
  CHECK(clients_split.need == clients_one.need);
  CHECK(clients_split.subregion == clients_one.subregion);
}
