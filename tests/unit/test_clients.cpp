// Clients: balance, placement (capacity, first come first served, priority),
// need progression against the matrix-power expectation, client-driven demand
// and validation of [clients].
#include <doctest/doctest.h>

#include "test_support.h"

#include <unistd.h>

#include <Eigen/Dense>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.h"
#include "experiments/replications.h"
#include "simulation/simulate.h"
#include "processes/placement.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace fs = std::filesystem;
using namespace careabm;

namespace {

fs::path examples() { return fs::path(CAREABM_SOURCE_DIR) / "scenarios" / "examples"; }

// minimal.toml extended by `body`, with the clients' CSVs beside it.
struct ClientScenario : test::ExtendedScenario {
  ClientScenario(const std::string& body, const std::string& population, const std::string& initial)
      : ExtendedScenario(body, {{"population.csv", population}, {"clients.csv", initial}}) {}
};

std::string population_csv(double per_band) {
  std::string s = "# test population\nsource,year,subregion,age_from,population\n";
  for (int y = 2022; y <= 2031; ++y)
    for (const char* sub : {"north", "south"})
      for (int a : {50, 65, 80}) {
        s += "test," + std::to_string(y) + "," + sub + "," + std::to_string(a) + "," +
             std::to_string(a == 50 ? 10000.0 : per_band) + "\n";
      }
  return s;
}

const std::string kInitial =
    "source,subregion,need,age_from,age_to,count\n"
    "test,north,home_light,65,70,1000\n"
    "test,south,home_light,65,70,1000\n";

// No incidence, no mortality: clients only move between needs.
const std::string kClients = R"(
[clients]
nursing_home_needs = ["wlz_somatic", "wlz_pg"]
nursing_home_branch = "nursing_home"
home_care_branch = "home_care"
age_bands = [65, 80]
max_age = 120
population = "population.csv"
initial = "clients.csv"
incidence = [0.0, 0.0]
entry_need = { home_light = 1.0 }
transition = [
  [0.70, 0.20, 0.06, 0.04],
  [0.10, 0.60, 0.15, 0.15],
  [0.00, 0.00, 0.85, 0.15],
  [0.00, 0.00, 0.00, 1.00],
]
[clients.mortality]
home_light = [0.0, 0.0]
home_intensive = [0.0, 0.0]
wlz_somatic = [0.0, 0.0]
wlz_pg = [0.0, 0.0]
[clients.places]
base = { north = 100, south = 50 }
timeline = { south = [[2026, 80]] }
[clients.informal_care]
ratio = [5.0, 20.0]
share = [0.2, 0.4]
[clients.demand]
hours_per_fte = 1400
fte_per_resident = { wlz_somatic = 1.0, wlz_pg = 1.2 }
home_hours.home = { home_light = 60, home_intensive = 250 }
home_hours.home_full_package = { wlz_somatic = 900, wlz_pg = 1000 }
nursing_home_skill_mix = { helper = 0.3, vig = 0.5, nurse = 0.2 }
home_care_skill_mix = { helper = 0.25, vig = 0.45, nurse = 0.3 }
)";

int line_of(const std::string& text, const std::string& needle) {
  int line = 1;
  std::size_t pos = 0;
  for (std::size_t next; (next = text.find('\n', pos)) != std::string::npos; pos = next + 1, ++line) {
    if (text.substr(pos, next - pos).find(needle) != std::string::npos) return line;
  }
  return -1;
}

std::int64_t total_clients(const RunResult& r, int t, int s) {
  std::int64_t n = 0;
  for (int need = 0; need < r.needs; ++need)
    for (int z = 0; z < r.settings; ++z) n += r.clients[r.client_at(t, s, need, z)];
  return n;
}

}  // namespace

TEST_CASE("clients: balance count[t] = count[t-1] + new - deaths, and places never exceeded (pipeline.toml)") {
  const Params p = scenario::load_params(scenario::Document::load(examples() / "pipeline.toml"));
  const int nh = p.clients.nursing_home_setting;
  for (int rep = 0; rep < 3; ++rep) {
    const RunResult r = simulate(p, rep);
    std::int64_t new_total = 0, deaths = 0;
    for (int t = 0; t < r.years; ++t)
      for (int s = 0; s < r.subregions; ++s) {
        std::int64_t residents = 0, waiting = 0;
        for (int need = 0; need < r.needs; ++need) {
          residents += r.clients[r.client_at(t, s, need, nh)];
          waiting += r.clients[r.client_at(t, s, need, p.clients.waiting_setting)];
          if (!p.clients.nursing_home_eligible[need]) {
            REQUIRE(r.clients[r.client_at(t, s, need, nh)] == 0);
            REQUIRE(r.clients[r.client_at(t, s, need, p.clients.waiting_setting)] == 0);
          }
        }
        REQUIRE(residents <= r.places[r.subregion_at(t, s)]);
        REQUIRE(waiting == r.waiting[r.subregion_at(t, s)]);
        if (waiting > 0) REQUIRE(residents == r.places[r.subregion_at(t, s)]);  // nobody waits for a free place
        if (t == 0) continue;
        const auto k = r.subregion_at(t, s);
        REQUIRE(total_clients(r, t, s) == total_clients(r, t - 1, s) + r.clients_new[k] - r.clients_deaths[k]);
        new_total += r.clients_new[k], deaths += r.clients_deaths[k];
      }
    CHECK(new_total > 0);
    CHECK(deaths > 0);
  }
}

TEST_CASE("clients: placement is first come first served, priority needs first, within capacity") {
  ClientScenario s(kClients, population_csv(0), kInitial);
  Params p = s.load();
  const int nh = p.clients.nursing_home_setting, wait = p.clients.waiting_setting;
  p.clients.places.assign(p.clients.places.size(), 0.0);
  p.clients.places[0] = 2;  // north, start year: two places
  const rng::Stream stream(1, 0);
  RunResult out(p.years(), p.cat.cells());
  out.size_clients(p.cat.S(), p.clients.N(), p.clients.Z());
  const Year y{p, stream, 0, p.start_year, out};

  // needs: 0 home_light, 2 wlz_somatic, 3 wlz_pg
  ClientStore c;
  const std::uint8_t waits[] = {3, 0, 5, 1};
  for (int i = 0; i < 4; ++i) {
    c.add(make_uid(99, 0, i), 0, 2, static_cast<std::uint8_t>(p.clients.home_setting), 80);
    c.waiting[i] = waits[i];
  }
  c.add(make_uid(99, 0, 4), 0, 0, static_cast<std::uint8_t>(p.clients.home_setting), 80);  // not eligible
  placement(c, y);
  CHECK(c.setting[2] == nh);    // waited 5 years
  CHECK(c.setting[0] == nh);    // waited 3 years
  CHECK(c.setting[1] == wait);  // the rest wait, a year longer
  CHECK(c.setting[3] == wait);
  CHECK(c.waiting[1] == 1);
  CHECK(c.waiting[3] == 2);
  CHECK(c.setting[4] == p.clients.home_setting);
  CHECK(out.waiting[out.subregion_at(0, 0)] == 2);

  // Equal waiting: a fixed order by uid. A priority need goes first whatever its wait.
  ClientStore d;
  for (int i = 0; i < 3; ++i) d.add(make_uid(99, 0, 10 + i), 0, 2, static_cast<std::uint8_t>(p.clients.home_setting), 80);
  d.waiting = {4, 4, 4};
  d.add(make_uid(99, 0, 20), 0, 3, static_cast<std::uint8_t>(p.clients.home_setting), 80);  // wlz_pg, waited 0
  p.clients.priority[3] = 1;
  RunResult out2(p.years(), p.cat.cells());
  out2.size_clients(p.cat.S(), p.clients.N(), p.clients.Z());
  placement(d, Year{p, stream, 0, p.start_year, out2});
  CHECK(d.setting[3] == nh);
  CHECK(d.setting[0] == nh);
  CHECK(d.setting[1] == wait);
  CHECK(d.setting[2] == wait);

  // Residents stay when places shrink; nobody new is placed.
  p.clients.places[0] = 1;
  RunResult out3(p.years(), p.cat.cells());
  out3.size_clients(p.cat.S(), p.clients.N(), p.clients.Z());
  placement(d, Year{p, stream, 0, p.start_year, out3});
  CHECK(d.setting[3] == nh);
  CHECK(d.setting[0] == nh);
  CHECK(d.setting[1] == wait);
}

TEST_CASE("clients: expected clients per need follow the matrix power of the transition matrix") {
  ClientScenario s(kClients, population_csv(0), kInitial);
  const Params p = s.load();
  const int N = p.clients.N(), reps = 8;
  Eigen::MatrixXd P(N, N);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) P(i, j) = p.clients.transition[i][j];
  std::vector<std::vector<double>> observed(p.years(), std::vector<double>(N, 0.0));
  for (int rep = 0; rep < reps; ++rep) {
    const RunResult r = simulate(p, rep);
    for (int t = 0; t < r.years; ++t)
      for (int s2 = 0; s2 < r.subregions; ++s2)
        for (int need = 0; need < N; ++need)
          for (int z = 0; z < r.settings; ++z) observed[t][need] += double(r.clients[r.client_at(t, s2, need, z)]);
  }
  const double n = 2000.0 * reps;  // everyone starts at need 0 (home_light)
  Eigen::RowVectorXd dist = Eigen::RowVectorXd::Zero(N);
  dist(0) = 1.0;
  for (int t = 0; t < p.years(); ++t) {
    if (t > 0) dist = dist * P;
    for (int need = 0; need < N; ++need) {
      const double expected = n * dist(need);
      const double se = std::sqrt(n * dist(need) * (1 - dist(need)));
      CAPTURE(t);
      CAPTURE(need);
      CHECK(std::abs(observed[t][need] - expected) <= 4 * se + 1e-9);
    }
  }
}

TEST_CASE("clients: demand is calibrated to base-year supply plus vacancies and moves with clients") {
  ClientScenario s(kClients, population_csv(0), kInitial);
  const Params p = s.load();
  const RunResult r = simulate(p, 0);
  const int nhb = p.clients.nursing_home_branch, hcb = p.clients.home_care_branch;
  for (int sub = 0; sub < p.cat.S(); ++sub)
    for (int o = 0; o < p.cat.O(); ++o)
      for (int b : {nhb, hcb}) {
        const auto k0 = r.at(0, p.cat.cell(sub, b, o));
        CHECK(r.demand[k0] == doctest::Approx(r.fte[k0] * (1 + p.vacancy_ratio[b])));
      }
  // Everyone starts at home_light, so no residents in the start year: the nursing-home
  // branch stays at base (no client-driven base to scale), home care rises as needs grow.
  for (int t = 0; t < r.years; ++t)
    for (int sub = 0; sub < p.cat.S(); ++sub) {
      const double share = r.informal_share[r.subregion_at(t, sub)];
      CHECK(share >= 0.2);
      CHECK(share <= 0.4);
    }
  const auto k_last = r.at(r.years - 1, p.cat.cell(0, hcb, 1)), k_first = r.at(0, p.cat.cell(0, hcb, 1));
  CHECK(r.demand[k_last] > r.demand[k_first]);

  // Uncalibrated: residents x FTE per resident x skill mix, exactly.
  const Params raw = s.load({"demand.calibrate_to_base_year=false"});
  const RunResult u = simulate(raw, 0);
  const int t = u.years - 1;
  double fte = 0;
  for (int need = 0; need < raw.clients.N(); ++need) {
    fte += double(u.clients[u.client_at(t, 0, need, raw.clients.nursing_home_setting)]) *
           raw.clients.fte_per_resident[need];
  }
  CHECK(fte > 0);
  CHECK(u.demand[u.at(t, raw.cat.cell(0, nhb, 1))] == doctest::Approx(fte * 0.5));
}

TEST_CASE("clients: bad input names file, line and key") {
  struct Case {
    const char* what;
    std::string replace, with, key;
  };
  const std::vector<Case> cases = {
      {"transition row not summing to 1", "[0.10, 0.60, 0.15, 0.15]", "[0.10, 0.60, 0.15, 0.10]",
       "clients.transition"},
      {"rate outside [0,1]", "incidence = [0.0, 0.0]", "incidence = [0.0, 1.2]", "clients.incidence"},
      {"wrong type", "max_age = 120", "max_age = \"old\"", "clients.max_age"},
      {"unknown key", "max_age = 120", "max_age = 120\nmax_agee = 110", "clients.max_agee"},
      {"missing CSV", "population = \"population.csv\"", "population = \"nowhere.csv\"", "clients.population"},
      {"unknown need", "home_light = 1.0 }", "home_lite = 1.0 }", "clients.entry_need.home_lite"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    std::string body = kClients;
    body.replace(body.find(c.replace), c.replace.size(), c.with);
    const ClientScenario s(body, population_csv(100), kInitial);
    const std::string needle = c.with.substr(c.with.rfind('\n') + 1);
    try {
      s.load();
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(fs::path(e.file()).filename() == "scenario.toml");
      CHECK(e.line() == line_of("extends\n" + body, needle));
      CHECK(e.key() == c.key);
    }
  }

  // A bad cell in the CSV: the CSV file, its line, the key and column.
  std::string population = population_csv(100);
  const std::string good = "test,2024,south,65,100";
  population.replace(population.find(good), good.size(), "test,2024,south,65,many");
  const ClientScenario s(kClients, population, kInitial);
  try {
    s.load();
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(fs::path(e.file()).filename() == "population.csv");
    CHECK(e.line() == line_of(population, "many"));
    CHECK(e.key().find("clients.population") == 0);
    CHECK(e.key().find("population'") != std::string::npos);
  }
}

TEST_CASE("clients: a Wlz client at home is staffed by the profile norm, not by home-care hours") {
  const Params p = test::load(test::data("wlz-at-home.toml"));
  const auto& cp = p.clients;
  const RunResult r = simulate(p, 0);
  const int hc = cp.home_care_branch;
  for (int t = 0; t < p.years(); ++t)
    for (int s = 0; s < p.cat.S(); ++s) {
      double hours = 0, wlz = 0;
      for (int n = 0; n < cp.N(); ++n)
        for (int z = 0; z < cp.Z(); ++z) {
          const double count = double(r.clients[r.client_at(t, s, n, z)]);
          if (cp.nursing_home_eligible[n]) {
            if (z != cp.nursing_home_setting) wlz += count * cp.wlz_at_home_hours_per_week[n] * 52;
          } else {
            hours += count * cp.home_hours[std::size_t(z) * cp.N() + n];
          }
        }
      const double informal = r.informal_share[r.subregion_at(t, s)];
      const double expected = hours / cp.hours_per_fte * (1 - informal) + wlz / cp.hours_per_fte;
      double demand = 0;
      for (int o = 0; o < p.cat.O(); ++o) demand += r.demand[r.at(t, p.cat.cell(s, hc, o))];
      CAPTURE(t);
      CHECK(demand == doctest::Approx(expected).epsilon(1e-12));
    }
  // A waiting heavy client costs 20 h x 52 / 1400 = 0.74 FTE, near a resident's 1.1; at 100 home hours
  // a light home client costs 0.07.
  CHECK(20.0 * 52 / cp.hours_per_fte > 0.6 * cp.fte_per_resident[2]);
}

TEST_CASE("clients: the indication-policy lever serves its share of new light Wlz indications at home (4 SE)") {
  const Params p = test::load(test::data("wlz-at-home.toml"), {"run.replications=30"});
  const auto& cp = p.clients;
  const auto results = experiments::run_replications(p, 2);
  const int light = 1, home = cp.home_setting, at_home = cp.at_home_setting;
  double observed = 0, expected = 0, variance = 0;
  for (const auto& r : results)
    for (int s = 0; s < p.cat.S(); ++s) {
      // Year 1: light indications = 20% of last year's light home clients + half the new clients
      // (no deaths): the policy's 0.4 of them live at home in its own setting, none queued.
      const double moved = 0.2 * double(r.clients[r.client_at(0, s, 0, home)]);
      const double arrived = 0.5 * double(r.clients_new[r.subregion_at(1, s)]);
      expected += 0.4 * (moved + arrived);
      variance += (moved + arrived) * 0.4 * 0.6;
      observed += double(r.clients[r.client_at(1, s, light, at_home)]);
      for (int t = 0; t < p.years(); ++t)  // served at home: never placed, never waiting
        for (int n = 0; n < cp.N(); ++n) {
          if (n == light) continue;
          CHECK(r.clients[r.client_at(t, s, n, at_home)] == 0);  // only light needs there (no progression here)
        }
    }
  const double R = double(results.size());
  CHECK(std::abs(observed / R - expected / R) <= 4 * std::sqrt(variance) / R + 1e-9);
  // Without the lever (share 0) nobody is in the policy's setting and all light clients queue.
  const Params off = test::load(test::data("wlz-at-home.toml"), {"clients.indication_policy.at_home_share=0"});
  const RunResult r = simulate(off, 0);
  for (int s = 0; s < p.cat.S(); ++s) CHECK(r.clients[r.client_at(1, s, light, at_home)] == 0);
}

TEST_CASE("clients: bad Wlz-at-home and indication-policy input exits 2 located") {
  const std::string base = test::read_text(test::data("wlz-at-home.toml"));
  struct Bad {
    const char* what;
    std::string from, to;
    const char* key;
    const char* located;
  };
  const Bad cases[] = {
      {"norm for a need that is not Wlz", "wlz_at_home_hours_per_week = { wlz_light = 13, wlz_heavy = 20 }",
       "wlz_at_home_hours_per_week = { home_light = 13, wlz_heavy = 20 }",
       "clients.demand.wlz_at_home_hours_per_week.home_light", "home_light = 13"},
      {"two norms for one client", "home_hours.home = { home_light = 100 }",
       "home_hours.home = { home_light = 100, wlz_light = 300 }", "clients.demand.home_hours.home.wlz_light",
       "wlz_light = 300"},
      {"policy setting that is the waiting one", "at_home_setting = \"home_wlz\"", "at_home_setting = \"waiting\"",
       "clients.indication_policy.at_home_setting", "at_home_setting = \"waiting\""},
      {"share above 1", "at_home_share = 0.4", "at_home_share = 1.4", "clients.indication_policy.at_home_share",
       "at_home_share = 1.4"},
      {"light need that is not Wlz", "light_needs = [\"wlz_light\"]", "light_needs = [\"home_light\"]",
       "clients.indication_policy.light_needs", "light_needs = [\"home_light\"]"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    const auto dir = test::temp_dir("wlz-bad");
    std::string text = base;
    const auto at = text.find(c.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, c.from.size(), c.to);
    // The copy lives in a temporary folder: the example files it names become absolute paths.
    const std::string examples = "../../scenarios/examples/";
    for (auto k = text.find(examples); k != std::string::npos; k = text.find(examples, k + 1)) {
      text.replace(k, examples.size(), (test::source_dir() / "scenarios" / "examples").string() + "/");
    }
    const auto file = dir / "wlz.toml";
    test::write_text(file, text);
    std::filesystem::copy_file(test::data("wlz-at-home-clients.csv"), dir / "wlz-at-home-clients.csv");
    test::check_located_error(file, c.key, c.located);
  }
}
