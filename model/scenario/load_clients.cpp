// [clients]: older clients, nursing-home places, informal care and the
// client-driven demand of the nursing-home and home-care branches.
#include <algorithm>
#include <cmath>
#include <string>

#include "scenario/csv.h"
#include "scenario/load_sections.h"

namespace careabm::scenario {

namespace {

const std::vector<std::string> kDefaultNeeds = {"home_light", "home_intensive", "wlz_somatic", "wlz_pg"};
const std::vector<std::string> kDefaultSettings = {"home", "home_full_package", "nursing_home"};

std::vector<std::string> names_or(const Reader& r, const std::string& key,
                                  const std::vector<std::string>& fallback) {
  if (!r.has(key)) return fallback;
  auto names = r.string_list(key);
  if (names.empty() || names.size() > 250) fail(r.node(key), key, "expected 1 to 250 categories");
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j]) fail(r.node(key), key, "category '" + names[i] + "' is listed twice");
  return names;
}

int role(const Reader& r, const std::string& key, const std::string& fallback,
         const std::vector<std::string>& categories) {
  const std::string name = r.string(key, fallback);
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (categories[i] == name) return static_cast<int>(i);
  }
  if (r.has(key)) fail(r.node(key), key, "unknown category '" + name + "'");
  throw InputError(r.document().path().string(), 0, key,
                   "default '" + name + "' is not among the listed categories; set it");
}

void load_categories(const Reader& r, Params& p) {
  auto& c = p.clients;
  c.needs = names_or(r, "clients.needs", kDefaultNeeds);
  c.settings = names_or(r, "clients.settings", kDefaultSettings);
  c.home_setting = role(r, "clients.home_setting", "home", c.settings);
  c.waiting_setting = role(r, "clients.waiting_setting", "home_full_package", c.settings);
  c.nursing_home_setting = role(r, "clients.nursing_home_setting", "nursing_home", c.settings);
  if (c.home_setting == c.waiting_setting || c.home_setting == c.nursing_home_setting ||
      c.waiting_setting == c.nursing_home_setting) {
    throw InputError(r.document().path().string(), 0, "clients.settings",
                     "home, waiting and nursing-home settings must be different categories");
  }
  c.nursing_home_eligible = category_flags(r, "clients.nursing_home_needs", c.needs);
  c.priority = r.has("clients.priority_needs") ? category_flags(r, "clients.priority_needs", c.needs)
                                                : std::vector<std::uint8_t>(c.needs.size(), 0);
  c.nursing_home_branch = category_id(r, "clients.nursing_home_branch", p.cat.branches);
  c.home_care_branch = category_id(r, "clients.home_care_branch", p.cat.branches);
  if (c.nursing_home_branch == c.home_care_branch) {
    fail(r.node("clients.home_care_branch"), "clients.home_care_branch",
         "must differ from clients.nursing_home_branch");
  }
}

void load_bands(const Reader& r, Params& p) {
  auto& c = p.clients;
  const std::string key = "clients.age_bands";
  c.age_bands.lower = whole_number_list(r, key, 0, 120);
  if (c.age_bands.lower.empty()) fail(r.node(key), key, "at least one age band is needed");
  for (std::size_t i = 1; i < c.age_bands.lower.size(); ++i) {
    if (c.age_bands.lower[i] <= c.age_bands.lower[i - 1]) fail(r.node(key), key, "band lower bounds must increase");
  }
  c.max_age = static_cast<int>(r.integer("clients.max_age", c.age_bands.lower.back() + 1, 120, 105));
}

// Population by year, subregion and age band (rows whose age_from is a client
// band), and potential informal carers (rows whose age_from lies in the carer range).
void load_population(const Reader& r, Params& p, int carer_from, int carer_to) {
  auto& c = p.clients;
  const std::string key = "clients.population";
  const auto path = r.file(key);
  const auto table = CsvTable::read(path, {"source", "year", "subregion", "age_from", "population"}, key);
  const int S = p.cat.S(), A = c.A(), T = p.years();
  c.population.assign(std::size_t(T) * S * A, -1.0);
  c.carers.assign(std::size_t(T) * S, 0.0);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const int year = static_cast<int>(table.integer(row, "year", 1900, 2300));
    const int s = static_cast<int>(table.category(row, "subregion", p.cat.subregions));
    const int age = static_cast<int>(table.integer(row, "age_from", 0, 120));
    const double n = table.number(row, "population", 0, 1e9);
    if (year < p.start_year || year > p.end_year) continue;
    const int t = year - p.start_year;
    const auto band = std::find(c.age_bands.lower.begin(), c.age_bands.lower.end(), age);
    const bool carer = age >= carer_from && age <= carer_to;
    if (band == c.age_bands.lower.end() && !carer) {
      table.fail(row, "age_from", "is neither a client age band nor in the carer age range");
    }
    if (carer) c.carers[std::size_t(t) * S + s] += n;
    if (band != c.age_bands.lower.end()) {
      double& cell = c.population[(std::size_t(t) * S + s) * A + (band - c.age_bands.lower.begin())];
      if (cell >= 0) table.fail(row, "age_from", "a second row for this year, subregion and age band");
      cell = n;
    }
  }
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < S; ++s)
      for (int a = 0; a < A; ++a)
        if (c.population[(std::size_t(t) * S + s) * A + a] < 0) {
          throw InputError(path.string(), 0, key,
                           "no row for year " + std::to_string(p.start_year + t) + ", subregion " +
                               p.cat.subregions[s] + ", age_from " + std::to_string(c.age_bands.lower[a]));
        }
}

void load_initial_clients(const Reader& r, Params& p) {
  auto& c = p.clients;
  const std::string key = "clients.initial";
  const auto table = CsvTable::read(r.file(key), {"source", "subregion", "need", "age_from", "age_to", "count"}, key);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    Clients::InitialGroup g{};
    g.subregion = static_cast<std::uint8_t>(table.category(row, "subregion", p.cat.subregions));
    g.need = static_cast<std::uint8_t>(table.category(row, "need", c.needs));
    g.age_from = static_cast<std::uint8_t>(table.integer(row, "age_from", c.age_bands.lower.front(), c.max_age));
    g.age_to = static_cast<std::uint8_t>(table.integer(row, "age_to", g.age_from, c.max_age));
    g.count = static_cast<std::uint32_t>(table.integer(row, "count", 0, 10000000));
    c.initial.push_back(g);
  }
}

void load_dynamics(const Reader& r, Params& p) {
  auto& c = p.clients;
  c.incidence = r.number_list("clients.incidence", 0, 1);
  if (static_cast<int>(c.incidence.size()) != c.A()) {
    fail(r.node("clients.incidence"), "clients.incidence", "expected one rate per age band");
  }
  // One number that scales every age band's incidence: the handle calibration
  // and sweeps use for the level of new care need (a list element cannot be --set).
  const double scale = r.number("clients.incidence_scale", 0, 10, 1.0);
  for (double& rate : c.incidence) {
    rate *= scale;
    if (rate > 1) fail(r.node("clients.incidence_scale"), "clients.incidence_scale", "scaled incidence exceeds 1");
  }
  c.entry_need = distribution(r, "clients.entry_need", c.needs);
  c.transition = r.stochastic_matrix("clients.transition", c.needs.size());
  r.node("clients.mortality");
  for (const auto& need : c.needs) {
    const std::string key = "clients.mortality." + need;
    const auto rates = r.number_list(key, 0, 1);
    if (static_cast<int>(rates.size()) != c.A()) fail(r.node(key), key, "expected one rate per age band");
    c.mortality.insert(c.mortality.end(), rates.begin(), rates.end());
  }
  // One number that scales every mortality rate (a calibration and sweep handle, like incidence_scale).
  const double mortality_scale = r.number("clients.mortality_scale", 0, 10, 1.0);
  for (double& rate : c.mortality) {
    rate *= mortality_scale;
    if (rate > 1) fail(r.node("clients.mortality_scale"), "clients.mortality_scale", "scaled mortality exceeds 1");
  }
}

// Places: the base level per subregion, changed from a year on by the timeline.
void load_places(const Reader& r, Params& p) {
  auto& c = p.clients;
  const int S = p.cat.S(), T = p.years();
  const auto base = r.by_category("clients.places.base", p.cat.subregions, 0, 1e7);
  c.places.assign(std::size_t(T) * S, 0.0);
  for (int t = 0; t < T; ++t)
    for (int s = 0; s < S; ++s) c.places[std::size_t(t) * S + s] = std::round(base[s]);
  if (!r.has("clients.places.timeline")) return;
  const auto names = r.keys("clients.places.timeline");
  for (const auto& name : names) {
    const std::string key = "clients.places.timeline." + name;
    const auto& n = r.node(key);
    int s = -1;
    for (int i = 0; i < S; ++i)
      if (p.cat.subregions[i] == name) s = i;
    if (s < 0) fail(n, key, "unknown subregion '" + name + "'");
    const auto* steps = n.as_array();
    if (!steps) fail(n, key, "expected an array of [year, places] pairs");
    int last_year = 0;
    for (const auto& step : *steps) {
      const auto* pair = step.as_array();
      if (!pair || pair->size() != 2 || !pair->get(0)->is_integer() || !pair->get(1)->is_number()) {
        fail(step, key, "expected [year, places] with a whole year");
      }
      // Checked as written (a 64-bit integer), before it is narrowed to a year.
      const std::int64_t written = pair->get(0)->as_integer()->get();
      if (written < p.start_year || written > p.end_year) {
        fail(step, key, "year " + std::to_string(written) + " is outside the scenario's time (" +
                            std::to_string(p.start_year) + "-" + std::to_string(p.end_year) + ")");
      }
      const int year = static_cast<int>(written);
      const double places = pair->get(1)->value<double>().value_or(-1);
      if (year <= last_year) fail(step, key, "years must increase");
      if (places < 0 || places > 1e7) fail(step, key, "places outside [0, 1e7]");
      last_year = year;
      for (int t = year - p.start_year; t < T; ++t) c.places[std::size_t(t) * S + s] = std::round(places);
    }
  }
}

void load_informal_care(const Reader& r, Params& p, int& carer_from, int& carer_to) {
  auto& c = p.clients;
  carer_from = 1000, carer_to = -1;  // no carer rows unless the section says so
  if (!r.has("clients.informal_care")) return;
  const std::string k = "clients.informal_care";
  carer_from = static_cast<int>(r.integer(k + ".carer_age_from", 0, 120, 50));
  carer_to = static_cast<int>(r.integer(k + ".carer_age_to", carer_from, 120, 74));
  c.informal_ratio = r.number_list(k + ".ratio", 0, 1e6);
  c.informal_share = r.number_list(k + ".share", 0, 1);
  if (c.informal_ratio.empty() || c.informal_ratio.size() != c.informal_share.size()) {
    fail(r.node(k + ".share"), k + ".share", "expected one share per ratio (and at least one)");
  }
  for (std::size_t i = 1; i < c.informal_ratio.size(); ++i) {
    if (c.informal_ratio[i] <= c.informal_ratio[i - 1]) fail(r.node(k + ".ratio"), k + ".ratio", "ratios must increase");
  }
}

void load_client_demand(const Reader& r, Params& p) {
  auto& c = p.clients;
  const std::string k = "clients.demand";
  c.hours_per_fte = r.number(k + ".hours_per_fte", 1, 8760);
  // Share of each client-driven branch's base-year demand that moves with the
  // modelled clients (65+ in long-term care); the rest follows the branch's
  // demand.growth like other branches (e.g. younger home-care clients).
  auto share = [&](const std::string& key) {
    if (r.has(key) && r.node(key).is_string()) {
      if (r.string(key) != "from_norms") fail(r.node(key), key, "expected a share in [0, 1] or \"from_norms\"");
      return Clients::kFromNorms;
    }
    return r.rate(key, 1.0);
  };
  c.nursing_home_client_share = share(k + ".nursing_home_client_share");
  c.home_care_client_share = share(k + ".home_care_client_share");
  c.fte_per_resident = r.by_category(k + ".fte_per_resident", c.needs, 0, 10, 0.0);
  c.home_hours.assign(std::size_t(c.Z()) * c.N(), 0.0);
  for (int z = 0; z < c.Z(); ++z) {
    if (z == c.nursing_home_setting) continue;
    const auto hours = r.by_category(k + ".home_hours." + c.settings[z], c.needs, 0, 8760, 0.0);
    std::copy(hours.begin(), hours.end(), c.home_hours.begin() + std::size_t(z) * c.N());
  }
  if (r.has(k + ".wlz_at_home_hours_per_week")) {
    const std::string key = k + ".wlz_at_home_hours_per_week";
    c.wlz_at_home_hours_per_week = r.by_category(key, c.needs, 0, 168, 0.0);
    for (int n = 0; n < c.N(); ++n) {
      if (c.wlz_at_home_hours_per_week[n] > 0 && !c.nursing_home_eligible[n]) {
        fail(r.node(key + "." + c.needs[n]), key + "." + c.needs[n], "'" + c.needs[n] + "' is not a Wlz need (clients.nursing_home_needs)");
      }
      // One norm per client: the Wlz needs' home hours would be a second one.
      for (int z = 0; z < c.Z(); ++z) {
        const std::string hours = k + ".home_hours." + c.settings[z] + "." + c.needs[n];
        if (c.nursing_home_eligible[n] && r.has(hours)) {
          fail(r.node(hours), hours, "a Wlz need at home is staffed by " + key + ", not by home_hours");
        }
      }
    }
  }
  c.nursing_home_skill_mix = distribution(r, k + ".nursing_home_skill_mix", p.cat.occupations);
  c.home_care_skill_mix = distribution(r, k + ".home_care_skill_mix", p.cat.occupations);
}

void load_indication_policy(const Reader& r, Params& p) {
  auto& c = p.clients;
  const std::string k = "clients.indication_policy";
  c.light_needs.assign(c.N(), 0);
  if (!r.has(k)) return;
  c.at_home_setting = category_id(r, k + ".at_home_setting", c.settings);
  if (c.at_home_setting == c.home_setting || c.at_home_setting == c.waiting_setting ||
      c.at_home_setting == c.nursing_home_setting) {
    fail(r.node(k + ".at_home_setting"), k + ".at_home_setting",
         "must be a setting of its own (not home, waiting or nursing-home)");
  }
  c.light_needs = category_flags(r, k + ".light_needs", c.needs);
  for (int n = 0; n < c.N(); ++n) {
    if (c.light_needs[n] && !c.nursing_home_eligible[n]) {
      fail(r.node(k + ".light_needs"), k + ".light_needs", "'" + c.needs[n] + "' is not a Wlz need (clients.nursing_home_needs)");
    }
  }
  c.at_home_share = r.rate(k + ".at_home_share");
}

}  // namespace

void load_clients(const Reader& r, Params& p) {
  if (!r.has("clients")) return;
  p.clients.enabled = true;
  load_categories(r, p);
  load_bands(r, p);
  int carer_from = 0, carer_to = 0;
  load_informal_care(r, p, carer_from, carer_to);
  load_population(r, p, carer_from, carer_to);
  load_initial_clients(r, p);
  load_dynamics(r, p);
  load_places(r, p);
  load_client_demand(r, p);
  load_indication_policy(r, p);
}

}  // namespace careabm::scenario
