// The training pipeline: trainee accounting, the analytic pipeline, supervision,
// upgrades and graduates in the workforce balance, and validation of [training].
#include <doctest/doctest.h>

#include "test_support.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.h"
#include "simulation/initial_population.h"
#include "simulation/simulate.h"
#include "processes/supervision.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace fs = std::filesystem;
using namespace careabm;

namespace {

fs::path examples() { return fs::path(CAREABM_SOURCE_DIR) / "scenarios" / "examples"; }

Params load_file(const fs::path& path, const std::vector<std::string>& sets = {}) {
  return scenario::load_params(scenario::Document::load(path, sets));
}

using TrainingScenario = test::ExtendedScenario;

// The 1-based line of the first line of `text` containing `needle` (after the extends line).
int line_of(const std::string& text, const std::string& needle) {
  int line = 2;
  std::size_t pos = 0;
  for (std::size_t next; (next = text.find('\n', pos)) != std::string::npos; pos = next + 1, ++line) {
    if (text.substr(pos, next - pos).find(needle) != std::string::npos) return line;
  }
  return -1;
}

const std::string kOneProgramme = R"(
[training]
initial_cohorts = false
[training.programmes.vig_bol]
occupation = "vig"
duration = 3
dropout = [0.3, 0.2, 0.1]
enrolment = { north = 200, south = 200 }
entry_probability = 1.0
branches = { nursing_home = 0.5, home_care = 0.5 }
)";


}  // namespace

TEST_CASE("training: exact trainee accounting, every programme and year (pipeline.toml)") {
  const Params p = load_file(examples() / "pipeline.toml");
  REQUIRE(p.training.programmes.size() == 8);
  for (int rep = 0; rep < 3; ++rep) {
    const RunResult r = simulate(p, rep);
    for (int g = 0; g < r.programmes; ++g) {
      CHECK(r.enrolled[r.programme_at(0, g)] == 0);
      for (int t = 1; t < r.years; ++t) {
        // Those studying at the start of the year plus the new ones: continuing + dropped out + graduated.
        const auto before = r.students[r.programme_at(t - 1, g)] + r.enrolled[r.programme_at(t, g)];
        const auto after = r.students[r.programme_at(t, g)] + r.dropouts[r.programme_at(t, g)] +
                           r.graduates[r.programme_at(t, g)];
        REQUIRE(before == after);
      }
    }
  }
}

TEST_CASE("training: workforce stock-flow balance stays exact with graduates and upgrades") {
  const Params p = load_file(examples() / "pipeline.toml");
  for (int rep = 0; rep < 3; ++rep) {
    const RunResult r = simulate(p, rep);
    test::check_balance(r);
    std::int64_t up_in = 0, up_out = 0, grads_in = 0, grads = 0, upgrade_grads = 0;
    for (int t = 0; t < r.years; ++t) {
      for (int cell = 0; cell < r.cells; ++cell) {
        up_in += r.flow(t, cell, kInUpgrade), up_out += r.flow(t, cell, kOutUpgrade);
        grads_in += r.flow(t, cell, kInGraduates);
      }
      for (int g = 0; g < r.programmes; ++g) {
        (p.training.programmes[g].is_upgrade() ? upgrade_grads : grads) += r.graduates[r.programme_at(t, g)];
      }
    }
    CHECK(up_in == up_out);
    CHECK(up_in == upgrade_grads);  // every upgrade graduate changes occupation
    CHECK(up_in > 0);
    CHECK(grads_in > 0);
    CHECK(grads_in <= grads);  // some graduates work elsewhere
    // Supply includes BBL trainees' working share; shortage stays demand - supply exactly.
    double trainee_fte = 0;
    for (std::size_t k = 0; k < r.fte.size(); ++k) {
      trainee_fte += r.trainee_fte[k];
      REQUIRE(r.shortage_fte[k] == doctest::Approx(r.demand[k] - r.fte[k]).epsilon(1e-12));
    }
    CHECK(trainee_fte > 0);
  }
}

TEST_CASE("training: known dropout and duration give the analytic expected graduates (4 standard errors)") {
  const TrainingScenario s(kOneProgramme);
  const Params p = s.load();
  // Enrolled in year index e >= 1, graduates in e + 3 with probability q; 400 enrol a year.
  const double q = 0.7 * 0.8 * 0.9;
  const int reps = 6, cohorts = p.years() - 1 - 3;  // cohorts enrolled at t = 1 .. years-4 graduate in time
  double total = 0, first_year_dropouts = 0;
  for (int rep = 0; rep < reps; ++rep) {
    const RunResult r = simulate(p, rep);
    for (int t = 0; t < r.years; ++t) {
      if (t < 4) REQUIRE(r.graduates[r.programme_at(t, 0)] == 0);
      total += double(r.graduates[r.programme_at(t, 0)]);
      if (t == 2) first_year_dropouts += double(r.dropouts[r.programme_at(t, 0)]);
      std::int64_t entered = 0;
      for (int cell = 0; cell < r.cells; ++cell) entered += r.flow(t, cell, kInGraduates);
      REQUIRE(entered == r.graduates[r.programme_at(t, 0)]);  // entry probability 1
    }
  }
  const double n = double(reps) * cohorts * 400;
  CHECK(std::abs(total - n * q) < 4 * std::sqrt(n * q * (1 - q)));
  // Year 2: the first cohort's first study year only.
  const double m = double(reps) * 400;
  CHECK(std::abs(first_year_dropouts - m * 0.3) < 4 * std::sqrt(m * 0.3 * 0.7));
}

TEST_CASE("training: graduates enter with tenure 0, or the programme's duration for BBL (worked while training)") {
  Params p = load_file(examples() / "pipeline.toml");
  for (int year = p.start_year + 1; year <= p.start_year + 6; ++year) p.agents_out.push_back(year);
  const RunResult r = simulate(p, 0);
  int bbl_seen = 0, bol_seen = 0;
  for (const AgentSnapshot& a : r.agents) {
    for (std::size_t k = 0; k < a.uid.size(); ++k) {
      const auto uid = static_cast<std::uint64_t>(a.uid[k]);
      if ((uid >> 56) != kTraineeOrigin || a.state[k] == static_cast<std::int8_t>(WorkerState::reserve)) continue;
      const int enrolled = static_cast<int>((uid >> 40) & 0xFFFF);
      const auto tag = static_cast<std::uint32_t>((uid >> 24) & 0xFFFF);
      for (const Programme& g : p.training.programmes) {
        if (g.is_upgrade() || (g.uid_tag & 0xFFFF) != tag || enrolled + g.duration != a.year) continue;
        CAPTURE(g.name);
        CHECK(a.tenure[k] == (g.bbl ? g.duration : 0));  // graduated this year: no ageing since
        ++(g.bbl ? bbl_seen : bol_seen);
      }
    }
  }
  CHECK(bbl_seen > 0);
  CHECK(bol_seen > 0);
}

TEST_CASE("training: the supervision multiplier binds exactly when trainees exceed capacity") {
  CHECK(supervision_dropout_factor(0, 0, 2.0) == 1.0);
  CHECK(supervision_dropout_factor(10, 10, 2.0) == 1.0);
  CHECK(supervision_dropout_factor(9.5, 10, 2.0) == 1.0);
  CHECK(supervision_dropout_factor(11, 10, 2.0) == doctest::Approx(1.0 + 2.0 / 11));
  CHECK(supervision_dropout_factor(10.001, 10, 2.0) > 1.0);
  CHECK(supervision_dropout_factor(5, 0, 2.0) == 3.0);  // no places at all: finite
  CHECK(supervision_dropout_factor(20, 10, 0.0) == 1.0);

  // In a run: ample places leave every draw and count as without supervision (common random
  // numbers); scarce places raise dropout.
  const TrainingScenario s(kOneProgramme);
  const std::string sup = "training.supervision.";
  const std::vector<std::string> base = {sup + "supervisors=[\"vig\",\"nurse\"]", sup + "min_tenure=2",
                                         sup + "dropout_elasticity=1.0"};
  auto with = [&](const std::string& per) {
    auto sets = base;
    sets.push_back(sup + "trainees_per_supervisor=" + per);
    return sets;
  };
  const RunResult none = simulate(s.load(), 0);
  const RunResult ample = simulate(s.load(with("100.0")), 0);
  const RunResult scarce = simulate(s.load(with("0.05")), 0);
  CHECK(ample.dropouts == none.dropouts);
  CHECK(ample.graduates == none.graduates);
  for (double ratio : ample.supervision_ratio) CHECK(ratio <= 1.0);
  std::int64_t d_none = 0, d_scarce = 0;
  for (std::size_t k = 0; k < none.dropouts.size(); ++k) d_none += none.dropouts[k], d_scarce += scarce.dropouts[k];
  CHECK(d_scarce > d_none);
  bool over = false;
  for (double ratio : scarce.supervision_ratio) over = over || ratio > 1.0;
  CHECK(over);
}

TEST_CASE("training: adding a programme does not change another programme's draws") {
  const TrainingScenario one(kOneProgramme);
  const TrainingScenario two(kOneProgramme + R"(
[training.programmes.aaa_first_in_order]
occupation = "helper"
duration = 2
dropout = [0.2, 0.1]
enrolment = { north = 30, south = 30 }
entry_probability = 0.5
branches = { nursing_home = 1.0 }
)");
  const Params p1 = one.load(), p2 = two.load();
  REQUIRE(p2.training.programmes[1].name == "vig_bol");  // ids follow the names' order
  const RunResult a = simulate(p1, 0), b = simulate(p2, 0);
  for (int t = 0; t < a.years; ++t) {
    CHECK(a.enrolled[a.programme_at(t, 0)] == b.enrolled[b.programme_at(t, 1)]);
    CHECK(a.dropouts[a.programme_at(t, 0)] == b.dropouts[b.programme_at(t, 1)]);
    CHECK(a.graduates[a.programme_at(t, 0)] == b.graduates[b.programme_at(t, 1)]);
  }
}

TEST_CASE("training: a scenario without [training] loads and runs without trainees") {
  const Params p = load_file(examples() / "minimal.toml");
  CHECK_FALSE(p.training.enabled());
  CHECK_FALSE(p.clients.enabled);
  const RunResult r = simulate(p, 0);
  CHECK(r.enrolled.empty());
  CHECK(r.clients.empty());
  test::check_balance(r);
}

TEST_CASE("training: bad input names file, line and key") {
  struct Case {
    const char* what;
    std::string replace, with, key;
  };
  const std::vector<Case> cases = {
      {"wrong type", "duration = 3", "duration = \"three\"", "training.programmes.vig_bol.duration"},
      {"rate outside [0,1]", "entry_probability = 1.0", "entry_probability = 1.5",
       "training.programmes.vig_bol.entry_probability"},
      {"one hazard per study year", "dropout = [0.3, 0.2, 0.1]", "dropout = [0.3, 0.2]",
       "training.programmes.vig_bol.dropout"},
      {"unknown key", "duration = 3", "duration = 3\ndurration = 4", "training.programmes.vig_bol.durration"},
      {"unknown occupation", "occupation = \"vig\"", "occupation = \"vigg\"",
       "training.programmes.vig_bol.occupation"},
      {"branch shares", "branches = { nursing_home = 0.5, home_care = 0.5 }",
       "branches = { nursing_home = 0.5, home_care = 0.4 }", "training.programmes.vig_bol.branches"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    std::string body = kOneProgramme;
    body.replace(body.find(c.replace), c.replace.size(), c.with);
    const TrainingScenario s(body);
    const std::string needle = c.with.substr(c.with.rfind('\n') + 1);
    try {
      s.load();
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(fs::path(e.file()).filename() == "scenario.toml");
      CHECK(e.line() == line_of(body, needle));
      CHECK(e.key() == c.key);
    }
  }
}

TEST_CASE("training: the initial workforce holds the upgrade programmes' steady state (4 standard errors)") {
  // The year loop's steady state: each year 12% of the active helpers not in
  // training enrol, and survive study years with 0.7, 0.8: with A not in
  // training, 0.12 A are in study year 1, 0.12 x 0.7 A in year 2 and
  // 0.12 x 0.7 x 0.8 A in year 3, so a helper is in study year k with
  // probability 0.12 S_k / (1 + 0.12 (1 + 0.7 + 0.56)) (if it was below
  // max_age when it enrolled k - 1 years ago); other occupations never.
  const TrainingScenario s(R"(
[training]
[training.programmes.upgrade_helper_vig]
origin = "upgrading_worker"
upgrade_from = "helper"
occupation = "vig"
duration = 3
upgrade_rate = 0.12
max_age = 45
dropout = [0.3, 0.2, 0.1]
)");
  const Params p = s.load();
  const double total = 1 + 0.12 * (1 + 0.7 + 0.7 * 0.8);
  const double share[3] = {0.12 / total, 0.12 * 0.7 / total, 0.12 * 0.7 * 0.8 / total};
  double eligible[3] = {0, 0, 0}, in_year[3] = {0, 0, 0};
  for (int rep = 0; rep < 20; ++rep) {
    const WorkerStore w = initial_workforce(p, rep);
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w.state[i] == WorkerState::reserve) continue;
      if (w.occupation[i] != 0) {
        REQUIRE(w.state[i] == WorkerState::active);
        continue;
      }
      for (int k = 1; k <= 3; ++k) eligible[k - 1] += w.age[i] - (k - 1) < 45;
      if (w.state[i] == WorkerState::in_upgrade_training) {
        REQUIRE(w.programme[i] == 0);
        REQUIRE(w.study_year[i] >= 1);
        REQUIRE(w.study_year[i] <= 3);
        REQUIRE(w.age[i] - (w.study_year[i] - 1) < 45);
        in_year[w.study_year[i] - 1] += 1;
      }
    }
  }
  for (int k = 0; k < 3; ++k) {
    CAPTURE(k);
    const double n = eligible[k], q = share[k];
    CHECK(std::abs(in_year[k] - n * q) < 4 * std::sqrt(n * q * (1 - q)));
  }
  // So upgrades graduate from the first simulated year on.
  const RunResult r = simulate(p, 0);
  std::int64_t first = 0;
  for (int cell = 0; cell < r.cells; ++cell) first += r.flow(1, cell, kInUpgrade);
  CHECK(first > 0);
}
