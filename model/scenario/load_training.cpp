// [training]: programmes and work-floor supervision (README.md, "The model"; scenarios/README.md, "[training]").
#include <algorithm>
#include <cmath>
#include <string>

#include "scenario/load_sections.h"

namespace careabm::scenario {

namespace {

std::string join_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// FNV-1a of the name folded to 16 bits: a programme's part of its trainees' uids,
// stable when other programmes are added or removed.
std::uint32_t name_tag(const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  return (h >> 16) ^ (h & 0xFFFFu);
}

TraineeOrigin origin_of(const Reader& r, const std::string& key) {
  const std::string text = r.string(key, "school_leaver");
  if (text == "school_leaver") return TraineeOrigin::school_leaver;
  if (text == "career_switcher") return TraineeOrigin::career_switcher;
  if (text == "upgrading_worker") return TraineeOrigin::upgrading_worker;
  fail(r.node(key), key, "unknown origin '" + text +
                             "'; expected school_leaver, career_switcher or upgrading_worker");
}

Programme load_programme(const Reader& r, const Params& p, const std::string& name) {
  const std::string k = "training.programmes." + name;
  const auto& occ = p.cat.occupations;
  Programme g;
  g.name = name;
  g.uid_tag = name_tag(name);
  g.occupation = category_id(r, k + ".occupation", occ);
  g.works_as = r.has(k + ".works_as") ? category_id(r, k + ".works_as", occ) : g.occupation;
  g.duration = static_cast<int>(r.integer(k + ".duration", 1, 10));
  g.origin = origin_of(r, k + ".origin");
  g.dropout = r.number_list(k + ".dropout", 0, 1);
  if (static_cast<int>(g.dropout.size()) != g.duration) {
    fail(r.node(k + ".dropout"), k + ".dropout",
         "expected " + std::to_string(g.duration) + " hazards, one per study year");
  }
  g.bbl = r.boolean(k + ".bbl", false);
  if (g.bbl) {
    g.bbl_fte = r.rate(k + ".bbl_fte");
  } else if (r.has(k + ".bbl_fte")) {
    fail(r.node(k + ".bbl_fte"), k + ".bbl_fte", "only for bbl = true");
  }
  g.supervised = r.boolean(k + ".supervised", true);
  g.cost_per_trainee = r.number(k + ".cost_per_trainee", 0, 1e9, -1.0);

  if (g.is_upgrade()) {
    g.upgrade_from = category_id(r, k + ".upgrade_from", occ);
    if (g.upgrade_from == g.occupation) {
      fail(r.node(k + ".upgrade_from"), k + ".upgrade_from", "an upgrade must lead to another occupation");
    }
    g.upgrade_rate = r.rate(k + ".upgrade_rate");
    g.upgrade_max_age = static_cast<int>(r.integer(k + ".max_age", 0, 120, p.pension_age_whole()));
    return g;
  }
  if (r.has(k + ".upgrade_from")) {
    fail(r.node(k + ".upgrade_from"), k + ".upgrade_from", "only for origin = \"upgrading_worker\"");
  }
  g.enrolment = r.by_category(k + ".enrolment", p.cat.subregions, 0, 1e6);
  g.enrolment_growth = r.number(k + ".enrolment_growth", -1, 1, 0.0);
  g.entry_probability = r.rate(k + ".entry_probability");
  g.branch_share = distribution(r, k + ".branches", p.cat.branches);
  const bool switcher = g.origin == TraineeOrigin::career_switcher;
  g.age_from = static_cast<int>(r.integer(k + ".age_from", 14, 99, switcher ? 25 : 16));
  g.age_to = static_cast<int>(r.integer(k + ".age_to", g.age_from, 99, std::max(g.age_from, switcher ? 50 : 20)));
  for (double e : g.enrolment) {
    if (e * std::pow(1.0 + std::max(0.0, g.enrolment_growth), p.years()) > 65535) {
      fail(r.node(k + ".enrolment"), k + ".enrolment",
           "at most 65535 trainees per subregion and year are supported");
    }
  }
  return g;
}

void load_supervision(const Reader& r, Params& p) {
  auto& s = p.training.supervision;
  if (!r.has("training.supervision")) {
    s.supervises.assign(p.cat.O(), 0);
    return;
  }
  s.enabled = true;
  s.supervises = category_flags(r, "training.supervision.supervisors", p.cat.occupations);
  s.min_tenure = static_cast<int>(r.integer("training.supervision.min_tenure", 0, 60, 0));
  s.trainees_per_supervisor = r.number("training.supervision.trainees_per_supervisor", 0, 100);
  s.dropout_elasticity = r.number("training.supervision.dropout_elasticity", 0, 100);
}

}  // namespace

int category_id(const Reader& r, const std::string& key, const std::vector<std::string>& categories) {
  const std::string name = r.string(key);
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (categories[i] == name) return static_cast<int>(i);
  }
  fail(r.node(key), key, "unknown category '" + name + "'; expected one of " + join_list(categories));
}

std::vector<std::uint8_t> category_flags(const Reader& r, const std::string& key,
                                         const std::vector<std::string>& categories) {
  std::vector<std::uint8_t> flags(categories.size(), 0);
  for (const auto& name : r.string_list(key)) {
    bool found = false;
    for (std::size_t i = 0; i < categories.size(); ++i) {
      if (categories[i] == name) flags[i] = 1, found = true;
    }
    if (!found) {
      fail(r.node(key), key, "unknown category '" + name + "'; expected one of " + join_list(categories));
    }
  }
  return flags;
}

std::vector<double> distribution(const Reader& r, const std::string& key,
                                 const std::vector<std::string>& categories) {
  auto shares = r.by_category(key, categories, 0, 1, 0.0);
  const auto& node = r.node(key);  // required: reports a missing key
  if (const auto* table = node.as_table()) {
    for (const auto& [name, value] : *table) {
      if (std::find(categories.begin(), categories.end(), name.str()) == categories.end()) {
        fail(value, key + "." + std::string(name.str()),
             "unknown category '" + std::string(name.str()) + "'; expected one of " + join_list(categories));
      }
    }
  }
  double sum = 0;
  for (double v : shares) sum += v;
  if (std::abs(sum - 1.0) > 1e-9) {
    fail(r.node(key), key, "shares sum to " + std::to_string(sum) + ", not 1");
  }
  return shares;
}

void load_training(const Reader& r, Params& p) {
  if (!r.has("training")) return;
  auto& tr = p.training;
  tr.initial_cohorts = r.boolean("training.initial_cohorts", true);
  const auto names = r.keys("training.programmes");
  if (names.empty()) fail(r.node("training.programmes"), "training.programmes", "at least one programme is needed");
  if (names.size() > 250) fail(r.node("training.programmes"), "training.programmes", "at most 250 programmes");
  for (const auto& name : names) {
    tr.programmes.push_back(load_programme(r, p, name));
    for (std::size_t j = 0; j + 1 < tr.programmes.size(); ++j) {
      if (tr.programmes[j].uid_tag == tr.programmes.back().uid_tag) {
        fail(r.node("training.programmes." + name), "training.programmes." + name,
             "programme name clashes with '" + tr.programmes[j].name + "' in trainee uids; rename one");
      }
    }
  }
  // An eligible worker enrols in at most one upgrade a year: the rates from one occupation are shares.
  std::vector<double> rate_sum(p.cat.O(), 0.0);
  for (const auto& g : tr.programmes) {
    if (!g.is_upgrade()) continue;
    rate_sum[g.upgrade_from] += g.upgrade_rate;
    if (rate_sum[g.upgrade_from] > 1.0 + 1e-12) {
      const std::string key = "training.programmes." + g.name + ".upgrade_rate";
      fail(r.node(key), key, "upgrade rates from one occupation sum to more than 1");
    }
  }
  load_supervision(r, p);
}

}  // namespace careabm::scenario
