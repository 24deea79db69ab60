// [interventions.<name>]: one table per intervention (scenarios/README.md,
// "Interventions"). Every key is checked against the keys of its kind, so a
// key that belongs to another kind is reported where it was written.
#include <algorithm>
#include <string>

#include "scenario/load_sections.h"

namespace careabm::scenario {

namespace {

struct KindInfo {
  const char* name;
  InterventionKind kind;
  std::vector<std::string> keys;  // besides the common ones
};

const std::vector<std::string> kCommonKeys = {"kind", "description", "start_year", "ramp_up_years", "cost_per_unit"};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> list = {
      {"retention", InterventionKind::retention,
       {"effect", "occupations", "branches", "subregions", "tenure_below", "age_from", "age_to"}},
      {"training_cohort", InterventionKind::training_cohort, {"programme", "extra_enrolment"}},
      {"contract_hours", InterventionKind::contract_hours,
       {"extra_hours", "below_hours", "uptake", "occupations", "branches", "subregions"}},
      {"career_switchers", InterventionKind::career_switchers, {"extra_per_year", "age_from", "age_to"}},
      {"technology", InterventionKind::technology, {"effect", "branches", "occupations", "subregions"}},
      {"reablement", InterventionKind::reablement, {"effect", "needs"}},
      {"task_shift", InterventionKind::task_shift, {"effect", "from", "to", "branches", "subregions"}},
      {"nursing_home_capacity", InterventionKind::nursing_home_capacity, {"extra_places"}},
      {"absence_reduction", InterventionKind::absence_reduction, {"effect", "branches"}},
      {"informal_care_support", InterventionKind::informal_care_support, {"effect", "subregions"}},
  };
  return list;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const KindInfo& kind_of(const Reader& r, const std::string& key) {
  const std::string text = r.string(key);
  std::vector<std::string> names;
  for (const auto& k : kinds()) {
    if (text == k.name) return k;
    names.push_back(k.name);
  }
  fail(r.node(key), key, "unknown intervention kind '" + text + "'; expected one of " + join_names(names));
}

// Flags per category: the listed names, or every category when the key is absent.
std::vector<std::uint8_t> target(const Reader& r, const std::string& key, const std::vector<std::string>& categories) {
  if (!r.has(key)) return std::vector<std::uint8_t>(categories.size(), 1);
  auto flags = category_flags(r, key, categories);
  if (std::find(flags.begin(), flags.end(), 1) == flags.end()) {
    fail(r.node(key), key, "an empty list targets nobody; leave the key out to target every category");
  }
  return flags;
}

// Every key of the table at `key` names a category.
void known_categories(const Reader& r, const std::string& key, const std::vector<std::string>& categories) {
  const auto* table = r.node(key).as_table();
  if (!table) return;
  for (const auto& [name, value] : *table) {
    if (std::find(categories.begin(), categories.end(), name.str()) == categories.end()) {
      fail(value, key + "." + std::string(name.str()),
           "unknown category '" + std::string(name.str()) + "'; expected one of " + join_names(categories));
    }
  }
}

void require_clients(const Reader& r, const Params& p, const std::string& key, const std::string& kind) {
  if (!p.clients.enabled) fail(r.node(key), key, "a '" + kind + "' intervention needs the scenario's [clients]");
}

void load_amounts(const Reader& r, const Params& p, const std::string& k, Intervention& v) {
  const auto& c = p.cat;
  switch (v.kind) {
    case InterventionKind::retention:
      v.effect = r.rate(k + ".effect");
      v.occupations = target(r, k + ".occupations", c.occupations);
      v.branches = target(r, k + ".branches", c.branches);
      v.subregions = target(r, k + ".subregions", c.subregions);
      v.tenure_below = static_cast<int>(r.integer(k + ".tenure_below", 1, 100, 256));
      v.age_from = static_cast<int>(r.integer(k + ".age_from", 0, 120, 0));
      v.age_to = static_cast<int>(r.integer(k + ".age_to", v.age_from, 255, 255));
      break;
    case InterventionKind::training_cohort: {
      const std::string key = k + ".programme";
      const std::string name = r.string(key);
      const auto& progs = p.training.programmes;
      std::vector<std::string> names;
      for (std::size_t g = 0; g < progs.size(); ++g) {
        if (!progs[g].is_upgrade()) names.push_back(progs[g].name);
        if (progs[g].name == name) v.programme = static_cast<int>(g);
      }
      if (v.programme < 0) {
        fail(r.node(key), key, "unknown programme '" + name + "'; expected one of " +
                                   (names.empty() ? std::string("(none: the scenario has no [training])") : join_names(names)));
      }
      if (progs[v.programme].is_upgrade()) {
        fail(r.node(key), key, "'" + name + "' is an upgrade programme (its enrolment is a rate); expected one of " +
                                   join_names(names));
      }
      const std::string amount = k + ".extra_enrolment";
      if (r.node(amount).is_table()) {
        v.extra_enrolment = r.by_category(amount, c.subregions, 0, 65535, 0.0);
        known_categories(r, amount, c.subregions);
      } else {
        v.extra_enrolment_total = r.number(amount, 0, 65535);
      }
      v.subregions = std::vector<std::uint8_t>(c.S(), 1);
      break;
    }
    case InterventionKind::contract_hours:
      v.extra_hours = r.number(k + ".extra_hours", 0, 60);
      v.below_hours = r.number(k + ".below_hours", 0, 60);
      v.uptake = r.rate(k + ".uptake", 1.0);
      v.occupations = target(r, k + ".occupations", c.occupations);
      v.branches = target(r, k + ".branches", c.branches);
      v.subregions = target(r, k + ".subregions", c.subregions);
      break;
    case InterventionKind::career_switchers: {
      r.node(k + ".extra_per_year");  // required
      v.extra_per_year = r.by_category(k + ".extra_per_year", c.occupations, 0, 1e6, 0.0);
      known_categories(r, k + ".extra_per_year", c.occupations);
      int from = 25, to = 50;
      for (const auto& src : p.inflows) {
        if (src.flow == kInCareerSwitchers) from = src.age_from, to = src.age_to;
      }
      v.inflow_age_from = static_cast<int>(r.integer(k + ".age_from", p.entry_age, 99, from));
      v.inflow_age_to = static_cast<int>(r.integer(k + ".age_to", v.inflow_age_from, 99, std::max(v.inflow_age_from, to)));
      break;
    }
    case InterventionKind::technology:
      v.effect = r.rate(k + ".effect");
      v.branches = target(r, k + ".branches", c.branches);
      v.occupations = target(r, k + ".occupations", c.occupations);
      v.subregions = target(r, k + ".subregions", c.subregions);
      break;
    case InterventionKind::reablement:
      require_clients(r, p, k + ".kind", "reablement");
      v.effect = r.rate(k + ".effect");
      v.needs = target(r, k + ".needs", p.clients.needs);
      break;
    case InterventionKind::task_shift:
      v.effect = r.rate(k + ".effect");
      v.from_occupation = category_id(r, k + ".from", c.occupations);
      v.to_occupation = category_id(r, k + ".to", c.occupations);
      if (v.from_occupation == v.to_occupation) fail(r.node(k + ".to"), k + ".to", "must differ from 'from'");
      v.branches = target(r, k + ".branches", c.branches);
      v.subregions = target(r, k + ".subregions", c.subregions);
      break;
    case InterventionKind::nursing_home_capacity:
      require_clients(r, p, k + ".kind", "nursing_home_capacity");
      r.node(k + ".extra_places");  // required
      v.extra_places = r.by_category(k + ".extra_places", c.subregions, 0, 1e7, 0.0);
      known_categories(r, k + ".extra_places", c.subregions);
      break;
    case InterventionKind::absence_reduction:
      v.effect = r.rate(k + ".effect");
      v.branches = target(r, k + ".branches", c.branches);
      break;
    case InterventionKind::informal_care_support:
      require_clients(r, p, k + ".kind", "informal_care_support");
      if (p.clients.informal_ratio.empty()) {
        fail(r.node(k + ".kind"), k + ".kind", "needs the scenario's [clients.informal_care] (without it informal care covers nothing)");
      }
      v.effect = r.number(k + ".effect", 0, 10);
      v.subregions = target(r, k + ".subregions", c.subregions);
      break;
  }
}

}  // namespace

void load_interventions(const Reader& r, Params& p) {
  if (!r.has("interventions")) return;
  const auto names = r.keys("interventions");
  if (static_cast<int>(names.size()) > kMaxInterventions) {
    fail(r.node("interventions"), "interventions", "at most " + std::to_string(kMaxInterventions) + " interventions");
  }
  for (const auto& name : names) {
    const std::string k = "interventions." + name;
    const auto& node = r.node(k);
    const auto* table = node.as_table();
    if (!table) fail(node, k, "expected a table ([interventions." + name + "] with kind, start_year, ...)");
    const KindInfo& info = kind_of(r, k + ".kind");
    // Keys of another kind are reported here, with the keys this kind has.
    for (const auto& [key, value] : *table) {
      const std::string text(key.str());
      if (std::find(kCommonKeys.begin(), kCommonKeys.end(), text) != kCommonKeys.end()) continue;
      if (std::find(info.keys.begin(), info.keys.end(), text) != info.keys.end()) continue;
      std::vector<std::string> all = kCommonKeys;
      all.insert(all.end(), info.keys.begin(), info.keys.end());
      fail(value, k + "." + text, std::string("not a key of a '") + info.name + "' intervention; its keys are " + join_names(all));
    }
    Intervention v;
    v.name = name;
    v.kind = info.kind;
    r.string(k + ".description", "");
    v.start_year = static_cast<int>(r.integer(k + ".start_year", p.start_year, p.end_year));
    if (v.start_year == p.start_year) {
      fail(r.node(k + ".start_year"), k + ".start_year",
           "must be after the start year " + std::to_string(p.start_year) + " (it holds the initial population, without flows)");
    }
    v.ramp_up_years = static_cast<int>(r.integer(k + ".ramp_up_years", 0, 100, 0));
    v.cost_per_unit = r.number(k + ".cost_per_unit", 0, 1e9, 0.0);
    load_amounts(r, p, k, v);
    p.interventions.push_back(std::move(v));
  }
}

}  // namespace careabm::scenario
