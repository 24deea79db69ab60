// [labour_market]: who fills which job (README.md, "The labour market";
// scenarios/README.md lists every key with its unit and default).
//
//   [labour_market]
//   may_fill = { vig = ["helper"], mbo_nurse = ["vig", "helper"] }  # qualification -> other jobs it may hold
//   frictional_share = 1.0     # of the base year's vacancy rate: always open, not pulling anyone
//   [labour_market.allocation]
//   vacancy_weight = 0.5        # entrants: (1 - w) x today's rule + w x open vacancies
//   switchers_may_start = ["helper", "vig", "other"]  # career switchers' occupations that follow open jobs
//   [labour_market.recruitment]
//   efficiency = 0.4            # A in hires = A U^beta V^(1-beta)
//   pool_elasticity = 0.5       # beta
//   outside_pool = { vig = 300 }  # people a year outside the sector and region, by qualification
//   age_from = 20
//   age_to = 55
//   [labour_market.mobility]
//   matrix = [[...]]            # yearly job changes between occupations, rows from, columns to
//   vacancy_elasticity = 1.0
//   [labour_market.feedback]
//   elasticity = 0.5            # outflow hazard x (1 + e x last year's shortage rate, floored at 0)
//   cap = 1.5                   # ... at most this factor
#include <string>

#include "scenario/load_sections.h"

namespace careabm::scenario {

namespace {

void load_may_fill(const Reader& r, Params& p) {
  const int O = p.cat.O();
  auto& lm = p.labour_market;
  lm.may_fill.assign(std::size_t(O) * O, 0);
  for (int o = 0; o < O; ++o) lm.may_fill[std::size_t(o) * O + o] = 1;
  const std::string key = "labour_market.may_fill";
  if (!r.has(key)) return;
  const auto* table = r.node(key).as_table();
  if (!table) fail(r.node(key), key, "expected a table: qualification = [jobs it may hold besides its own]");
  for (const auto& name : r.keys(key)) {
    const std::string entry = key + "." + name;
    int q = -1;
    for (int o = 0; o < O; ++o)
      if (p.cat.occupations[o] == name) q = o;
    if (q < 0) fail(r.node(entry), entry, "unknown occupation '" + name + "' (a qualification is an occupation)");
    const auto jobs = category_flags(r, entry, p.cat.occupations);
    for (int o = 0; o < O; ++o) lm.may_fill[std::size_t(q) * O + o] |= jobs[o];
  }
}

void load_recruitment(const Reader& r, Params& p) {
  auto& lm = p.labour_market;
  const std::string k = "labour_market.recruitment";
  lm.outside_pool.assign(p.cat.O(), 0.0);
  if (!r.has(k)) return;
  lm.recruitment = true;
  lm.efficiency = r.number(k + ".efficiency", 0, 100);
  lm.pool_elasticity = r.number(k + ".pool_elasticity", 0, 1);
  lm.outside_pool = r.by_category(k + ".outside_pool", p.cat.occupations, 0, 1e7, 0.0);
  lm.outside_age_from = static_cast<int>(r.integer(k + ".age_from", p.entry_age, 99, 20));
  lm.outside_age_to = static_cast<int>(r.integer(k + ".age_to", lm.outside_age_from, 99,
                                                 std::max(lm.outside_age_from, 55)));
}

void load_mobility(const Reader& r, Params& p) {
  auto& lm = p.labour_market;
  const std::string k = "labour_market.mobility";
  if (!r.has(k)) return;
  lm.mobility = r.stochastic_matrix(k + ".matrix", p.cat.occupations.size());
  lm.mobility_vacancy_elasticity = r.number(k + ".vacancy_elasticity", 0, 100, 0.0);
}

}  // namespace

void load_labour_market(const Reader& r, Params& p) {
  auto& lm = p.labour_market;
  load_may_fill(r, p);  // the diagonal even without the section: everyone may hold their own job
  lm.outside_pool.assign(p.cat.O(), 0.0);
  if (!r.has("labour_market")) return;
  if (!r.node("labour_market").is_table()) fail(r.node("labour_market"), "labour_market", "expected a table");
  lm.enabled = true;
  lm.frictional_share = r.rate("labour_market.frictional_share", 0.0);
  lm.vacancy_weight = r.rate("labour_market.allocation.vacancy_weight", 0.0);
  lm.switchers_may_start.assign(p.cat.O(), 0);
  if (r.has("labour_market.allocation.switchers_may_start")) {
    lm.switchers_may_start = category_flags(r, "labour_market.allocation.switchers_may_start", p.cat.occupations);
  }
  load_recruitment(r, p);
  load_mobility(r, p);
  lm.feedback_elasticity = r.number("labour_market.feedback.elasticity", 0, 100, 0.0);
  lm.feedback_cap = r.number("labour_market.feedback.cap", 1, 100, 2.0);
}

}  // namespace careabm::scenario
