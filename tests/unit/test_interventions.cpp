// Interventions: common random numbers, identity before the start year, what
// each kind changes, cohort sizing against a closed form, validation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "simulation/simulate.h"
#include "experiments/compare.h"
#include "experiments/size_cohorts.h"
#include "test_support.h"

using namespace careabm;
namespace fs = std::filesystem;

namespace {

// pipeline.toml (training and clients) extended by `body`, in a fresh directory.
fs::path pipeline_with(const std::string& tag, const std::string& body) {
  const auto dir = test::temp_dir("interventions-" + tag);
  const auto file = dir / "scenario.toml";
  test::write_text(file, "extends = \"" + test::example("pipeline.toml").string() + "\"\n" + body);
  return file;
}

std::vector<RunResult> run_all(const Params& p) {
  std::vector<RunResult> out;
  for (int rep = 0; rep < p.replications; ++rep) out.push_back(simulate(p, rep));
  return out;
}

double total_shortage(const RunResult& r, int t) {
  double sum = 0;
  for (int c = 0; c < r.cells; ++c) sum += r.shortage_persons[r.at(t, c)];
  return sum;
}

double sd(const std::vector<double>& v) {
  const double m = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / double(v.size() - 1));
}

template <class T>
bool equal_years(const std::vector<T>& a, const std::vector<T>& b, std::size_t per_year, int years) {
  return std::equal(a.begin(), a.begin() + long(per_year * years), b.begin());
}

const char* kAllKinds = R"(
[interventions.a_retention]
kind = "retention"
start_year = 2026
effect = 0.4
tenure_below = 3
[interventions.b_cohort]
kind = "training_cohort"
programme = "mbo3_vig_bol"
start_year = 2026
extra_enrolment = 25
[interventions.c_hours]
kind = "contract_hours"
start_year = 2026
extra_hours = 4
below_hours = 24
uptake = 0.5
[interventions.d_switchers]
kind = "career_switchers"
start_year = 2026
extra_per_year = { vig = 15 }
[interventions.e_technology]
kind = "technology"
start_year = 2026
effect = 0.05
branches = ["home_care"]
[interventions.f_reablement]
kind = "reablement"
start_year = 2026
effect = 0.3
[interventions.g_shift]
kind = "task_shift"
start_year = 2026
effect = 0.1
from = "nurse"
to = "vig"
[interventions.h_places]
kind = "nursing_home_capacity"
start_year = 2026
extra_places = { north = 50 }
[interventions.i_absence]
kind = "absence_reduction"
start_year = 2026
effect = 0.2
[interventions.j_informal]
kind = "informal_care_support"
start_year = 2026
effect = 0.1
)";

}  // namespace

TEST_CASE("interventions: every run is bit-identical to the base before the start year") {
  const Params base = test::load(test::example("pipeline.toml"));
  const Params alt = test::load(pipeline_with("identity", kAllKinds));
  REQUIRE(alt.interventions.size() == 10);
  const int before = 2026 - base.start_year;  // years 2022..2025
  for (int rep = 0; rep < 3; ++rep) {
    const RunResult a = simulate(base, rep), b = simulate(alt, rep);
    const std::size_t cells = std::size_t(a.cells);
    CHECK(equal_years(a.headcount, b.headcount, cells, before));
    CHECK(equal_years(a.reserve, b.reserve, cells, before));
    CHECK(equal_years(a.fte, b.fte, cells, before));
    CHECK(equal_years(a.flows, b.flows, cells * kFlowCount, before));
    CHECK(equal_years(a.demand, b.demand, cells, before));
    CHECK(equal_years(a.shortage_persons, b.shortage_persons, cells, before));
    CHECK(equal_years(a.enrolled, b.enrolled, std::size_t(a.programmes), before));
    CHECK(equal_years(a.students, b.students, std::size_t(a.programmes), before));
    CHECK(equal_years(a.clients, b.clients, a.clients.size() / a.years, before));
    CHECK(equal_years(a.waiting, b.waiting, std::size_t(a.subregions), before));
    // ... and every kind changes something from its start year on.
    CHECK(a.shortage_persons != b.shortage_persons);
    for (int k = 0; k < b.interventions; ++k) {
      CAPTURE(alt.interventions[k].name);
      CHECK(b.intervention_units[b.intervention_at(before - 1, k)] == 0.0);
      CHECK(b.intervention_units[b.intervention_at(before, k)] > 0.0);
    }
  }
}

TEST_CASE("interventions: common random numbers make paired differences far less variable than unpaired ones") {
  const std::string retention = R"(
[interventions.starters]
kind = "retention"
start_year = 2024
effect = 0.5
tenure_below = 3
)";
  const auto file = pipeline_with("crn", retention);
  const Params base = test::load(test::example("pipeline.toml"), {"run.replications=12"});
  const Params paired = test::load(file, {"run.replications=12"});
  const Params unpaired = test::load(file, {"run.replications=12", "run.seed=987654"});
  const auto rb = run_all(base), rp = run_all(paired), ru = run_all(unpaired);
  const int t = 2031 - base.start_year;
  std::vector<double> d_paired, d_unpaired;
  for (int r = 0; r < base.replications; ++r) {
    d_paired.push_back(total_shortage(rp[r], t) - total_shortage(rb[r], t));
    d_unpaired.push_back(total_shortage(ru[r], t) - total_shortage(rb[r], t));
  }
  const double ratio = sd(d_paired) / sd(d_unpaired);
  CAPTURE(sd(d_paired));
  CAPTURE(sd(d_unpaired));
  CHECK(ratio < 0.5);
  // The mean effects agree (both estimate the same difference).
  const auto i = experiments::paired_interval(d_paired);
  CHECK(i.hi < 0);  // retention lowers the shortage, and the paired interval says so
}

TEST_CASE("interventions: more retention never gives a larger expected shortage") {
  std::vector<double> means;
  for (double effect : {0.0, 0.2, 0.4, 0.6, 0.8}) {
    const auto file = pipeline_with("monotone", "[interventions.all]\nkind = \"retention\"\nstart_year = 2024\neffect = " +
                                                    std::to_string(effect) + "\n");
    const Params p = test::load(file);
    double sum = 0;
    for (const auto& r : run_all(p)) sum += total_shortage(r, p.years() - 1);
    means.push_back(sum / p.replications);
  }
  for (std::size_t i = 1; i < means.size(); ++i) {
    CAPTURE(i);
    CHECK(means[i] <= means[i - 1]);
  }
  CHECK(means.back() < means.front() - 50);
}

TEST_CASE("interventions: each kind changes what it should") {
  const Params base = test::load(test::example("pipeline.toml"), {"run.replications=2"});
  const auto base_runs = run_all(base);
  const int t0 = 2026 - base.start_year;
  auto with = [&](const std::string& tag, const std::string& body) {
    const Params p = test::load(pipeline_with(tag, body), {"run.replications=2"});
    return std::make_pair(p, run_all(p));
  };
  auto sum_cells = [&](const RunResult& r, std::vector<double> RunResult::*m, int t, auto keep) {
    double s = 0;
    for (int sr = 0; sr < base.cat.S(); ++sr)
      for (int b = 0; b < base.cat.B(); ++b)
        for (int o = 0; o < base.cat.O(); ++o)
          if (keep(sr, b, o)) s += (r.*m)[r.at(t, base.cat.cell(sr, b, o))];
    return s;
  };
  const auto all = [](int, int, int) { return true; };

  SUBCASE("retention: fewer leavers of the target group") {
    const auto [p, runs] = with("k-retention", "[interventions.x]\nkind = \"retention\"\nstart_year = 2026\neffect = 1.0\n"
                                                "occupations = [\"vig\"]\n");
    for (std::size_t r = 0; r < runs.size(); ++r) {
      std::int64_t base_out = 0, alt_out = 0;
      const int vig = 1;
      for (int sr = 0; sr < base.cat.S(); ++sr)
        for (int b = 0; b < base.cat.B(); ++b) {
          const int cell = base.cat.cell(sr, b, vig);
          base_out += base_runs[r].flow(t0, cell, kOutToReserve) + base_runs[r].flow(t0, cell, kOutLeftRegion);
          alt_out += runs[r].flow(t0, cell, kOutToReserve) + runs[r].flow(t0, cell, kOutLeftRegion);
        }
      CHECK(base_out > 0);
      CHECK(alt_out == 0);  // effect 1: no vig leaves before the pension age
    }
  }
  SUBCASE("training_cohort: exactly the extra enrolment, ramped up") {
    const auto [p, runs] = with("k-cohort", "[interventions.x]\nkind = \"training_cohort\"\nprogramme = \"mbo2_helper\"\n"
                                             "start_year = 2026\nramp_up_years = 2\nextra_enrolment = 30\n");
    int g = 0;
    while (p.training.programmes[g].name != "mbo2_helper") ++g;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      CHECK(runs[r].enrolled[runs[r].programme_at(t0 - 1, g)] == base_runs[r].enrolled[base_runs[r].programme_at(t0 - 1, g)]);
      CHECK(runs[r].enrolled[runs[r].programme_at(t0, g)] == base_runs[r].enrolled[base_runs[r].programme_at(t0, g)] + 15);
      CHECK(runs[r].enrolled[runs[r].programme_at(t0 + 1, g)] == base_runs[r].enrolled[base_runs[r].programme_at(t0 + 1, g)] + 30);
    }
  }
  SUBCASE("contract_hours: more FTE, the same people") {
    const auto [p, runs] = with("k-hours", "[interventions.x]\nkind = \"contract_hours\"\nstart_year = 2026\nextra_hours = 4\n"
                                            "below_hours = 24\nuptake = 0.5\n");
    for (std::size_t r = 0; r < runs.size(); ++r) {
      CHECK(runs[r].headcount == base_runs[r].headcount);
      const double gained = sum_cells(runs[r], &RunResult::fte, t0, all) - sum_cells(base_runs[r], &RunResult::fte, t0, all);
      CHECK(gained > 0);
      // The FTE gained is the extra contract FTE net of absence (8-9% in pipeline).
      const double units = runs[r].intervention_units[runs[r].intervention_at(t0, 0)];
      CHECK(gained == doctest::Approx(units * 0.915).epsilon(0.02));
    }
  }
  SUBCASE("career_switchers: exactly the extra newcomers") {
    const auto [p, runs] = with("k-switchers", "[interventions.x]\nkind = \"career_switchers\"\nstart_year = 2026\n"
                                                "extra_per_year = { nurse = 12 }\n");
    for (std::size_t r = 0; r < runs.size(); ++r) {
      std::int64_t base_in = 0, alt_in = 0;
      for (int c = 0; c < base.cat.cells(); ++c) {
        base_in += base_runs[r].flow(t0, c, kInCareerSwitchers);
        alt_in += runs[r].flow(t0, c, kInCareerSwitchers);
      }
      CHECK(alt_in == base_in + 12);
    }
  }
  SUBCASE("technology: demand x (1 - effect) in the target branch only") {
    const auto [p, runs] = with("k-technology", "[interventions.x]\nkind = \"technology\"\nstart_year = 2026\neffect = 0.1\n"
                                                 "branches = [\"home_care\"]\n");
    const int home = 1;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      for (int c = 0; c < base.cat.cells(); ++c) {
        const bool target = (c / base.cat.O()) % base.cat.B() == home;
        const double a = base_runs[r].demand[base_runs[r].at(t0, c)], b = runs[r].demand[runs[r].at(t0, c)];
        CHECK(b == doctest::Approx(target ? 0.9 * a : a).epsilon(1e-12));
      }
    }
  }
  SUBCASE("task_shift: a share of one occupation's demand moves to another; the total stays") {
    const auto [p, runs] = with("k-shift", "[interventions.x]\nkind = \"task_shift\"\nstart_year = 2026\neffect = 0.2\n"
                                            "from = \"nurse\"\nto = \"helper\"\n");
    const int helper = 0, nurse = 2;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const double total_a = sum_cells(base_runs[r], &RunResult::demand, t0, all);
      const double total_b = sum_cells(runs[r], &RunResult::demand, t0, all);
      CHECK(total_b == doctest::Approx(total_a).epsilon(1e-12));
      const auto is = [](int o) { return [o](int, int, int oc) { return oc == o; }; };
      CHECK(sum_cells(runs[r], &RunResult::demand, t0, is(nurse)) ==
            doctest::Approx(0.8 * sum_cells(base_runs[r], &RunResult::demand, t0, is(nurse))).epsilon(1e-12));
      CHECK(sum_cells(runs[r], &RunResult::demand, t0, is(helper)) > sum_cells(base_runs[r], &RunResult::demand, t0, is(helper)));
    }
  }
  SUBCASE("absence_reduction: more FTE in the target branch, the same people") {
    const auto [p, runs] = with("k-absence", "[interventions.x]\nkind = \"absence_reduction\"\nstart_year = 2026\neffect = 0.5\n"
                                              "branches = [\"nursing_home\"]\n");
    const auto in = [](int b) { return [b](int, int br, int) { return br == b; }; };
    for (std::size_t r = 0; r < runs.size(); ++r) {
      CHECK(runs[r].headcount == base_runs[r].headcount);
      CHECK(sum_cells(runs[r], &RunResult::fte, t0, in(0)) > sum_cells(base_runs[r], &RunResult::fte, t0, in(0)));
      CHECK(sum_cells(runs[r], &RunResult::fte, t0, in(1)) == sum_cells(base_runs[r], &RunResult::fte, t0, in(1)));
    }
  }
  SUBCASE("nursing_home_capacity: more places, fewer waiting") {
    const auto [p, runs] = with("k-places", "[interventions.x]\nkind = \"nursing_home_capacity\"\nstart_year = 2026\n"
                                             "extra_places = { north = 60 }\n");
    for (std::size_t r = 0; r < runs.size(); ++r) {
      CHECK(runs[r].places[runs[r].subregion_at(t0, 0)] == base_runs[r].places[base_runs[r].subregion_at(t0, 0)] + 60);
      CHECK(runs[r].places[runs[r].subregion_at(t0, 1)] == base_runs[r].places[base_runs[r].subregion_at(t0, 1)]);
      CHECK(runs[r].waiting[runs[r].subregion_at(t0, 0)] < base_runs[r].waiting[base_runs[r].subregion_at(t0, 0)]);
    }
  }
  SUBCASE("reablement: fewer clients with the heaviest needs") {
    const auto [p, runs] = with("k-reablement", "[interventions.x]\nkind = \"reablement\"\nstart_year = 2024\neffect = 0.5\n");
    const int T = base.years() - 1;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      auto wlz = [&](const RunResult& res) {
        std::int64_t n = 0;
        for (int s = 0; s < res.subregions; ++s)
          for (int need = 2; need < res.needs; ++need)
            for (int z = 0; z < res.settings; ++z) n += res.clients[res.client_at(T, s, need, z)];
        return n;
      };
      CHECK(wlz(runs[r]) < wlz(base_runs[r]));
    }
  }
  SUBCASE("informal_care_support: a larger informal share, less home-care demand") {
    const auto [p, runs] = with("k-informal", "[interventions.x]\nkind = \"informal_care_support\"\nstart_year = 2026\n"
                                               "effect = 0.2\n");
    const auto in = [](int b) { return [b](int, int br, int) { return br == b; }; };
    for (std::size_t r = 0; r < runs.size(); ++r) {
      for (int s = 0; s < base.cat.S(); ++s) {
        const double a = base_runs[r].informal_share[base_runs[r].subregion_at(t0, s)];
        CHECK(runs[r].informal_share[runs[r].subregion_at(t0, s)] == doctest::Approx(std::min(1.0, 1.2 * a)));
      }
      CHECK(sum_cells(runs[r], &RunResult::demand, t0, in(1)) < sum_cells(base_runs[r], &RunResult::demand, t0, in(1)));
    }
  }
}

TEST_CASE("interventions: cost = units x cost_per_unit, and the ramp") {
  const auto file = pipeline_with("cost", R"(
[interventions.places]
kind = "nursing_home_capacity"
start_year = 2025
ramp_up_years = 4
extra_places = { north = 100 }
cost_per_unit = 50000
)");
  const Params p = test::load(file, {"run.replications=1"});
  const RunResult r = simulate(p, 0);
  const double expected[] = {0, 0, 0, 25, 50, 75, 100, 100, 100, 100};  // 2022..2031
  for (int t = 0; t < p.years(); ++t) {
    CAPTURE(t);
    CHECK(r.intervention_units[r.intervention_at(t, 0)] == expected[t]);
    CHECK(r.intervention_cost[r.intervention_at(t, 0)] == expected[t] * 50000);
  }
  CHECK(experiments::total_cost(r) == 550 * 50000.0);
}

TEST_CASE("size-cohorts: the closed-form answer of a linear scenario, within one trainee") {
  // cohorts-linear: 2030 shortage of vig = S0 - 6 x extra (six cohorts graduate 2025-2030).
  const Params p = test::load(test::data("cohorts-linear.toml"));
  double s0 = 0;
  const int t = 2030 - p.start_year, vig = 1;
  for (const auto& r : run_all(p))
    for (int s = 0; s < p.cat.S(); ++s)
      for (int b = 0; b < p.cat.B(); ++b) s0 += r.shortage_persons[r.at(t, p.cat.cell(s, b, vig))];
  s0 /= p.replications;
  for (double goal : {0.0, 100.0}) {
    CAPTURE(goal);
    experiments::CohortSettings s;
    s.scenario = test::data("cohorts-linear.toml");
    s.programme = "vig_school";
    s.occupation = "vig";
    s.by_year = 2030;
    s.goal = goal;
    s.current_year = 2022;  // --from's default is then the year after the start year
    const auto result = experiments::size_cohorts(s);
    const double exact = std::ceil((s0 - goal) / 6.0);
    CAPTURE(s0);
    CAPTURE(result.verdict);
    REQUIRE(!std::isnan(result.answer));
    CHECK(std::abs(result.answer - exact) <= 1.0);
    // The answer's mean shortage meets the goal.
    const auto* at = result.at_answer();
    REQUIRE(at != nullptr);
    CHECK(std::accumulate(at->shortage.begin(), at->shortage.end(), 0.0) / p.replications <= goal);
  }
}

TEST_CASE("size-cohorts: says when the goal is out of reach") {
  experiments::CohortSettings s;
  s.scenario = test::data("cohorts-linear.toml");
  s.programme = "vig_school";
  s.occupation = "vig";
  s.current_year = 2022;  // --from's default is then the year after the start year, 2023
  SUBCASE("graduates arrive after the target year") {
    s.by_year = 2024;
    const auto result = experiments::size_cohorts(s);
    CHECK(std::isnan(result.answer));
    CHECK(result.verdict.find("graduate from 2025") != std::string::npos);
  }
  SUBCASE("the cap on extra enrolment") {
    s.by_year = 2030;
    s.goal = -100000;
    s.max_extra = 200;
    const auto result = experiments::size_cohorts(s);
    CHECK(std::isnan(result.answer));
    CHECK(result.verdict.find("cap of 200") != std::string::npos);
  }
}

TEST_CASE("bad intervention input exits 2 with a located message") {
  using Bad = test::BadInput;
  const std::string head = "[interventions.x]\nkind = \"retention\"\nstart_year = 2025\n";
  const Bad cases[] = {
      {"unknown key", head + "effect = 0.3\ntenure_belov = 2\n", "interventions.x.tenure_belov", "tenure_belov"},
      {"key of another kind", head + "effect = 0.3\nprogramme = \"mbo2_helper\"\n", "interventions.x.programme", "programme ="},
      {"effect outside [0,1]", head + "effect = 1.5\n", "interventions.x.effect", "effect = 1.5"},
      {"wrong type", head + "effect = \"half\"\n", "interventions.x.effect", "effect = \"half\""},
      {"unknown occupation", head + "effect = 0.3\noccupations = [\"vig\", \"dentist\"]\n", "interventions.x.occupations",
       "dentist"},
      {"unknown kind", "[interventions.x]\nkind = \"magic\"\nstart_year = 2025\n", "interventions.x.kind", "magic"},
      {"start in the start year", "[interventions.x]\nkind = \"retention\"\nstart_year = 2022\neffect = 0.1\n",
       "interventions.x.start_year", "start_year = 2022"},
      {"unknown programme", "[interventions.x]\nkind = \"training_cohort\"\nstart_year = 2025\nprogramme = \"mbo9\"\n"
                            "extra_enrolment = 5\n", "interventions.x.programme", "mbo9"},
      {"unknown subregion", "[interventions.x]\nkind = \"nursing_home_capacity\"\nstart_year = 2025\n"
                            "extra_places = { east = 5 }\n", "interventions.x.extra_places.east", "east"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto file = pipeline_with("bad", c.body);
    const std::string text = test::read_text(file);
    const auto at = text.find(c.located);
    REQUIRE(at != std::string::npos);
    const int line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
    const auto result = test::run_program("check '" + file.string() + "'", file.parent_path());
    CAPTURE(result.output);
    CHECK(result.status == 2);
    CHECK(result.output.find(file.string() + ":" + std::to_string(line) + ":") != std::string::npos);
    CHECK(result.output.find(std::string("'") + c.key + "'") != std::string::npos);
  }
}

TEST_CASE("interventions: the shipped examples are valid and extend the baseline") {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(test::source_dir() / "scenarios" / "interventions")) {
    if (entry.path().extension() != ".toml") continue;
    CAPTURE(entry.path().string());
    const Params p = test::load(entry.path());
    // An intervention of a kind, or a change of the baseline's own levers
    // (light-care-at-home: the indication policy).
    const Params base = test::load(test::source_dir() / "scenarios" / "zwconnect-2022.toml");
    const int last = p.years() - 1;
    const bool lever = p.at(last).clients.at_home_share != base.at(last).clients.at_home_share;
    CHECK((!p.interventions.empty() || lever));
    CHECK(p.cat.subregions.size() == 4);
    ++files;
  }
  CHECK(files >= 6);
}

TEST_CASE("compare: cost per FTE-year gained is the ratio of means with a delta-method 95% interval") {
  // Cost exactly proportional to the gain: the ratio is that factor, with no width.
  const auto exact = experiments::ratio_interval({200, 400, 300}, {2, 4, 3});
  CHECK(exact.mean == doctest::Approx(100));
  CHECK(exact.lo == doctest::Approx(100));
  CHECK(exact.hi == doctest::Approx(100));
  // With noise: ratio of means; half width t(0.975, n-1) sd(c - ratio g) / (sqrt(n) mean g).
  const std::vector<double> cost = {210, 380, 330, 270}, gain = {2, 4, 3, 3};
  const auto i = experiments::ratio_interval(cost, gain);
  const double ratio = (1190.0 / 4) / (12.0 / 4);
  double ss = 0;
  for (int r = 0; r < 4; ++r) ss += std::pow(cost[r] - ratio * gain[r], 2);
  const double half = experiments::t_quantile(0.975, 3) * std::sqrt(ss / 3) / 2.0 / 3.0;
  CHECK(i.mean == doctest::Approx(ratio));
  CHECK(i.hi - i.mean == doctest::Approx(half));
  CHECK(i.mean - i.lo == doctest::Approx(half));
  // No gain on average: no ratio.
  CHECK(std::isnan(experiments::ratio_interval({100, 100}, {1, -2}).mean));
}
