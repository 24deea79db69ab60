#include "scenario/load.h"

#include <algorithm>
#include <cmath>

#include "scenario/csv.h"
#include "scenario/load_sections.h"
#include "scenario/series.h"
#include "scenario/toml_text.h"

namespace careabm::scenario {

namespace {

std::vector<std::string> category_list(const Reader& r, const std::string& key) {
  auto names = r.string_list(key);
  if (names.empty()) fail(r.node(key), key, "at least one category is needed");
  if (names.size() > 250) fail(r.node(key), key, "at most 250 categories are supported");
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (names[i] == names[j]) fail(r.node(key), key, "category '" + names[i] + "' is listed twice");
    }
  }
  return names;
}

Bands bands(const Reader& r, const std::string& key, int first) {
  Bands out;
  out.lower = whole_number_list(r, key, 0, 200);
  if (out.lower.empty() || out.lower.front() != first) {
    fail(r.node(key), key, "band lower bounds must start at " + std::to_string(first));
  }
  for (std::size_t i = 1; i < out.lower.size(); ++i) {
    if (out.lower[i] <= out.lower[i - 1]) fail(r.node(key), key, "band lower bounds must increase");
  }
  return out;
}

std::vector<double> per_band(const Reader& r, const std::string& key, const Bands& b, double lo,
                             double hi) {
  auto values = r.number_list(key, lo, hi);
  if (static_cast<int>(values.size()) != b.count()) {
    fail(r.node(key), key, "expected " + std::to_string(b.count()) + " values, one per band");
  }
  return values;
}

void load_time(const Reader& r, Params& p) {
  p.name = r.string("name");
  p.description = r.string("description", "");
  p.start_year = static_cast<int>(r.integer("time.start_year", 1900, 2200));
  p.end_year = static_cast<int>(r.integer("time.end_year", p.start_year, p.start_year + 200));
  p.replications = static_cast<int>(r.integer("run.replications", 1, 1000000, 10));
  p.seed = static_cast<std::uint64_t>(r.integer("run.seed", 0, INT64_MAX, 1));
}

void load_initial(const Reader& r, Params& p) {
  const std::string key = "workforce.initial";
  const auto table = CsvTable::read(r.file(key),
                                    {"subregion", "branch", "occupation", "age_from", "age_to", "count"}, key);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    InitialGroup g{};
    g.subregion = static_cast<std::uint8_t>(table.category(row, "subregion", p.cat.subregions));
    g.branch = static_cast<std::uint8_t>(table.category(row, "branch", p.cat.branches));
    g.occupation = static_cast<std::uint8_t>(table.category(row, "occupation", p.cat.occupations));
    g.age_from = static_cast<std::uint8_t>(table.integer(row, "age_from", p.entry_age, 99));
    g.age_to = static_cast<std::uint8_t>(table.integer(row, "age_to", g.age_from, 99));
    g.count = static_cast<std::uint32_t>(table.integer(row, "count", 0, 100000000));
    p.initial.push_back(g);
  }
}

// The initial tenure's mean: one number, a table by occupation
// (initial_tenure_mean), or a CSV by occupation and age band (initial_tenure)
// whose bands cover every age from entry_age to 99 for every occupation.
void load_initial_tenure(const Reader& r, Params& p) {
  const auto& c = p.cat;
  const std::string by_age = "workforce.initial_tenure", flat = "workforce.initial_tenure_mean";
  p.initial_tenure_mean.assign(std::size_t(c.O()) * 256, -1.0);
  if (r.has(by_age) && r.has(flat)) {
    fail(r.node(by_age), by_age,
         "give either workforce.initial_tenure_mean (a number or a table by occupation) or "
         "workforce.initial_tenure (a CSV by occupation and age band), not both (a scenario extending one "
         "that sets one of them must keep that form)");
  }
  if (!r.has(by_age) && !r.has(flat)) {
    fail(r.node("workforce"), flat,
         "missing: give workforce.initial_tenure_mean (a number or a table by occupation) or "
         "workforce.initial_tenure (a CSV by occupation and age band)");
  }
  if (r.has(flat)) {
    const auto means = r.number_or_by_category(flat, c.occupations, 0, 50, -1);
    for (int o = 0; o < c.O(); ++o) {
      if (means[o] < 0) fail(r.node(flat), flat, "missing value for occupation '" + c.occupations[o] + "'");
      for (int age = 0; age < 256; ++age) p.initial_tenure_mean[std::size_t(o) * 256 + age] = means[o];
    }
    return;
  }
  const auto path = r.file(by_age);
  const auto table = CsvTable::read(path, {"occupation", "age_from", "age_to", "mean_tenure"}, by_age);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const auto o = table.category(row, "occupation", c.occupations);
    const auto from = table.integer(row, "age_from", 0, 120), to = table.integer(row, "age_to", from, 120);
    const double mean = table.number(row, "mean_tenure", 0, 50);
    for (auto age = from; age <= to; ++age) {
      double& cell = p.initial_tenure_mean[o * 256 + std::size_t(age)];
      if (cell >= 0) table.fail(row, "age_from", "overlaps another row of this occupation");
      cell = mean;
    }
  }
  for (int o = 0; o < c.O(); ++o)
    for (int age = p.entry_age; age < 100; ++age) {
      if (p.initial_tenure_mean[std::size_t(o) * 256 + age] < 0) {
        fail(r.node(by_age), by_age,
             path.filename().string() + " has no row for occupation '" + c.occupations[o] + "' at age " + std::to_string(age));
      }
    }
}

void load_workforce(const Reader& r, Params& p) {
  const auto& c = p.cat;
  p.entry_age = static_cast<int>(r.integer("workforce.entry_age", 14, 30, 16));
  p.pension_age = r.number("workforce.pension_age", 50, 90);
  load_initial_tenure(r, p);
  p.female_share = r.rate("workforce.female_share", 0.9);
  p.full_time_hours = r.number("workforce.full_time_hours", 1, 60);
  p.hours_mean = r.by_category("workforce.hours_mean", c.branches, 1, 60);
  p.hours_sd = r.number("workforce.hours_sd", 0, 30, 0);
  p.hours_min = r.number("workforce.hours_min", 1, 60, 4);
  p.hours_max = r.number("workforce.hours_max", p.hours_min, 60, 40);
  p.self_employed_hours = r.number("workforce.self_employed_hours", 1, 60, 32);
  p.self_employed_share = r.by_category("workforce.self_employed_share", c.occupations, 0, 1, 0);
  p.absence = r.by_category("workforce.absence", c.branches, 0, 1, 0);
  load_initial(r, p);
}

void load_outflow(const Reader& r, Params& p) {
  const auto& c = p.cat;
  p.age_bands = bands(r, "outflow.age_bands", 0);
  p.tenure_bands = bands(r, "outflow.tenure_bands", 0);
  p.outflow_rate = r.by_category("outflow.rate", c.occupations, 0, 1);
  // One number that scales every occupation's rate: the level of leaving, a
  // calibration handle that keeps the rates' ratios (a table entry's ratio
  // to the others is data; their level is pinned by the sector's exits).
  const double rate_scale = r.number("outflow.rate_scale", 0, 10, 1.0);
  for (double& rate : p.outflow_rate) {
    rate *= rate_scale;
    if (rate > 1) fail(r.node("outflow.rate_scale"), "outflow.rate_scale", "a scaled rate exceeds 1");
  }
  p.outflow_age_mult = per_band(r, "outflow.age_multiplier", p.age_bands, 0, 100);
  p.outflow_tenure_mult = per_band(r, "outflow.tenure_multiplier", p.tenure_bands, 0, 100);
  p.outflow_branch_mult = r.by_category("outflow.branch_multiplier", c.branches, 0, 100, 1.0);
  p.share_to_reserve = r.rate("outflow.destination.to_reserve");
  p.share_left_region = r.rate("outflow.destination.left_region");
  p.share_death_disability = r.rate("outflow.destination.death_disability");
  p.share_retirement = r.rate("outflow.destination.early_retirement", 0.0);
  const double sum =
      p.share_to_reserve + p.share_left_region + p.share_death_disability + p.share_retirement;
  if (std::abs(sum - 1.0) > 1e-9) {
    fail(r.node("outflow.destination"), "outflow.destination",
         "destination shares sum to " + std::to_string(sum) + ", not 1");
  }
  // The hazard is a product of factors; every combination must still be a probability.
  const double worst = *std::max_element(p.outflow_rate.begin(), p.outflow_rate.end()) *
                       *std::max_element(p.outflow_age_mult.begin(), p.outflow_age_mult.end()) *
                       *std::max_element(p.outflow_tenure_mult.begin(), p.outflow_tenure_mult.end()) *
                       *std::max_element(p.outflow_branch_mult.begin(), p.outflow_branch_mult.end());
  if (worst > 1.0) {
    fail(r.node("outflow.rate"), "outflow.rate",
         "rate x multipliers reaches " + std::to_string(worst) + " for some group; it must stay <= 1");
  }
}

std::vector<std::vector<double>> identity(int n) {
  std::vector<std::vector<double>> m(n, std::vector<double>(n, 0.0));
  for (int i = 0; i < n; ++i) m[i][i] = 1.0;
  return m;
}

void load_transfer(const Reader& r, Params& p) {
  p.branch_transfer = r.has("transfer.branch") ? r.stochastic_matrix("transfer.branch", p.cat.B())
                                               : identity(p.cat.B());
  p.subregion_transfer = r.has("transfer.subregion")
                             ? r.stochastic_matrix("transfer.subregion", p.cat.S())
                             : identity(p.cat.S());
  p.to_self_employed = r.rate("transfer.to_self_employed", 0.0);
  p.to_employee = r.rate("transfer.to_employee", 0.0);
}

void load_reentry(const Reader& r, Params& p) {
  if (!r.has("reentry")) {
    p.reserve_bands.lower = {1};
    p.reentry_hazard = {0.0};
    p.initial_reserve_ratio.assign(p.cat.O(), 0.0);
    return;
  }
  p.reserve_bands = bands(r, "reentry.years_since_leaving_bands", 1);
  p.reentry_hazard = per_band(r, "reentry.hazard", p.reserve_bands, 0, 1);
  // One number that scales every re-entry hazard (a calibration handle, like outflow.rate_scale).
  const double hazard_scale = r.number("reentry.hazard_scale", 0, 10, 1.0);
  for (double& h : p.reentry_hazard) {
    h *= hazard_scale;
    if (h > 1) fail(r.node("reentry.hazard_scale"), "reentry.hazard_scale", "a scaled hazard exceeds 1");
  }
  p.reserve_max_years = static_cast<int>(r.integer("reentry.max_years_in_reserve", 1, 60, 10));
  p.initial_reserve_ratio = r.number_or_by_category("reentry.initial_reserve_ratio", p.cat.occupations, 0, 5, 0.0);
}

void load_inflow(const Reader& r, Params& p) {
  const struct {
    const char* key;
    int flow;
  } sources[] = {{"inflow.outside_region", kInOutsideRegion},
                 {"inflow.career_switchers", kInCareerSwitchers}};
  for (const auto& src : sources) {
    const std::string k = src.key;
    if (!r.has(k)) continue;
    InflowSource in;
    in.flow = src.flow;
    in.per_year = r.by_category(k + ".per_year", p.cat.occupations, 0, 1e7, 0.0);
    in.growth = r.number(k + ".growth", -1, 1, 0.0);
    in.age_from = static_cast<int>(r.integer(k + ".age_from", p.entry_age, 99, 20));
    in.age_to = static_cast<int>(r.integer(k + ".age_to", in.age_from, 99, std::max(in.age_from, 45)));
    p.inflows.push_back(in);
  }
}

void load_demand(const Reader& r, Params& p) {
  p.vacancy_ratio = r.by_category("demand.vacancy_ratio", p.cat.branches, 0, 1, 0.0);
  p.demand_growth = r.by_category("demand.growth", p.cat.branches, -0.5, 0.5, 0.0);
  // One number that scales every branch's yearly growth (a calibration handle,
  // like outflow.rate_scale): the branches' ratios stay the scenario's.
  const double growth_scale = r.number("demand.growth_scale", 0, 10, 1.0);
  for (double& g : p.demand_growth) {
    g *= growth_scale;
    if (g > 0.5 || g < -0.5) fail(r.node("demand.growth_scale"), "demand.growth_scale", "a scaled growth rate is outside -0.5..0.5");
  }
  p.calibrate_demand = r.boolean("demand.calibrate_to_base_year", true);
}

}  // namespace

std::vector<int> whole_number_list(const Reader& r, const std::string& key, int lo, int hi) {
  const auto values = r.number_list(key, lo, hi);  // types and range, each located at its element
  const auto& list = *r.node(key).as_array();
  std::vector<int> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] != std::floor(values[i])) {
      fail(*list.get(i), key, "expected whole numbers (years), got " + std::string(toml_float(values[i])) +
                                  " (element " + std::to_string(i + 1) + ")");
    }
    out.push_back(static_cast<int>(values[i]));
  }
  return out;
}

namespace {

Params load_one(const Document& doc) {
  Reader r(doc);
  Params p;
  load_time(r, p);
  p.cat.subregions = category_list(r, "categories.subregions");
  p.cat.branches = category_list(r, "categories.branches");
  p.cat.occupations = category_list(r, "categories.occupations");
  load_workforce(r, p);
  load_outflow(r, p);
  load_transfer(r, p);
  load_reentry(r, p);
  load_inflow(r, p);
  load_demand(r, p);
  load_training(r, p);
  load_clients(r, p);
  load_interventions(r, p);
  load_labour_market(r, p);
  load_calibration(r, p);
  load_uncertainty(r, p);
  r.finish();
  return p;
}

}  // namespace

Params load_params(const Document& doc) {
  const auto series = find_series(doc);
  if (series.empty()) return load_one(doc);
  // The base year's vacancy ratios set base-year demand and the frictional
  // level of open jobs for every later year: one number per branch, not a series.
  for (const auto& s : series)
    if (s.path.size() >= 2 && s.path[0] == "demand" && s.path[1] == "vacancy_ratio") {
      throw InputError(s.points.front().file, s.points.front().line, "demand.vacancy_ratio",
                       "the base year's vacancy ratio cannot be a yearly series (it sets base-year demand)");
    }
  // One load per simulated year, each series at its value of that year. The
  // years come from [time] (never a series); load_one validates them.
  const auto year_of = [&](const char* key) { return doc.root().at_path(key).value<std::int64_t>(); };
  const auto first = year_of("time.start_year"), last = year_of("time.end_year");
  // Out of range (load_one reports it) before any arithmetic on them: a 64-bit year could overflow it.
  if (!first || !last || *first < 1900 || *first > 2200 || *last < *first || *last > *first + 200) {
    return load_one(doc);
  }
  auto years = std::make_shared<std::vector<Params>>();
  Document work = doc.reload();
  for (auto year = *first; year <= *last; ++year) {
    set_year(work, series, int(year));
    years->push_back(load_one(work));
  }
  // Demand growth may change by year: the cumulative index (the plain power while it is constant).
  const int B = years->front().cat.B();
  for (std::size_t t = 0; t < years->size(); ++t) {
    auto& index = (*years)[t].demand_index;
    index.assign(B, 1.0);
    for (int b = 0; b < B; ++b) {
      bool constant = true;
      double product = 1.0;
      for (std::size_t k = 1; k <= t; ++k) {
        const double g = (*years)[k].demand_growth[b];
        constant = constant && g == (*years)[t].demand_growth[b];
        product *= 1.0 + g;
      }
      index[b] = constant ? std::pow(1.0 + (*years)[t].demand_growth[b], double(t)) : product;
    }
  }
  // An uncertain parameter is one number (its draw replaces it whole): a
  // series cannot be drawn, which only `--uncertainty` refuses (UncertainParameter).
  for (auto& year : *years)
    for (auto& u : year.uncertainty)
      for (const auto& s : series) {
        std::string path;
        for (const auto& part : s.path) path += (path.empty() ? "" : ".") + part;
        if (u.key == path || u.key.rfind(path + ".", 0) == 0) {
          u.problem = "the scenario gives '" + u.key + "' as a yearly series (" + s.points.front().file + ":" +
                      std::to_string(s.points.front().line) + "), which --uncertainty cannot draw; remove its band";
        }
      }
  Params p = years->front();
  p.by_year = years;
  return p;
}

}  // namespace careabm::scenario
