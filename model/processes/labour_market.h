// The labour market's view of one year (README.md, "The labour market"): the
// open vacancies that entrants follow, and the choice of a cell by weights
// that mix an entrant stream's own rule with those vacancies. The vacancies
// process (vacancies.cpp) measures them once a year, after this year's
// demand is known and before any worker flows; the entrant streams (transfer,
// reentry, inflow, training's graduates) and the mobility and recruitment
// processes only read them.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "scenario/params.h"

namespace careabm {

struct Vacancies {
  // [cell], at the start of the year: open = max(0, this year's demand - last
  // year-end supply), in FTE and in persons (FTE / the FTE one worker of the
  // cell supplied last year); rate = open FTE / demand (0 without demand).
  std::vector<double> fte, persons, rate;
  bool empty() const { return fte.empty(); }
};

// No labour market (the default of a Year).
inline const Vacancies& no_vacancies() {
  static const Vacancies none;
  return none;
}

// Candidate cells with cumulative weights (last = total).
struct CellWeights {
  std::vector<int> cell;
  std::vector<double> cum;
  void add(int c, double weight) {
    if (weight <= 0) return;
    cell.push_back(c);
    cum.push_back((cum.empty() ? 0.0 : cum.back()) + weight);
  }
  double total() const { return cum.empty() ? 0.0 : cum.back(); }
  // The cell whose share of the total holds u in (0, 1); call only when total() > 0.
  int pick(double u) const {
    const double target = u * cum.back();
    std::size_t i = 0;
    while (i + 1 < cum.size() && target >= cum[i]) ++i;
    return cell[i];
  }
};

// The open jobs a worker qualified as q looks for: the cells (in subregion s,
// or anywhere when by_subregion is false) of q's own occupation, weighted by
// their open vacancies in FTE; only where none of them is open, the cells of
// the occupations below it that q may hold (labour_market.may_fill): a
// qualified worker takes a job of its own level when there is one. [q] when
// not by subregion, [s * O + q] otherwise.
inline std::vector<CellWeights> open_jobs(const Params& p, const Vacancies& v, bool by_subregion) {
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  std::vector<CellWeights> out(std::size_t(by_subregion ? S : 1) * O);
  if (v.empty()) return out;
  auto scope = [&](int s, bool own_level, int q, CellWeights& into) {
    for (int t = by_subregion ? s : 0; t < (by_subregion ? s + 1 : S); ++t)
      for (int b = 0; b < B; ++b)
        for (int o = 0; o < O; ++o) {
          const bool fits = own_level ? o == q : p.labour_market.fills(q, o, O);
          if (fits) into.add(p.cat.cell(t, b, o), v.fte[p.cat.cell(t, b, o)]);
        }
  };
  for (int s = 0; s < (by_subregion ? S : 1); ++s)
    for (int q = 0; q < O; ++q) {
      CellWeights& jobs = out[std::size_t(s) * O + q];
      scope(s, true, q, jobs);
      if (jobs.total() <= 0) scope(s, false, q, jobs = CellWeights{});
    }
  return out;
}

// An entrant's cell from the mixture (1 - w) x rule + w x vacancies: one word
// decides both the component (u < w: vacancies) and, rescaled, the cell in it.
// Falls back to the rule when w is 0 or no candidate cell has a vacancy.
inline int mix_with_vacancies(int rule_cell, const CellWeights& open, double w, std::uint32_t word) {
  if (w <= 0 || open.total() <= 0) return rule_cell;
  const double u = rng::to_unit(word);
  return u < w ? open.pick(u / w) : rule_cell;
}

// Demand-pulled hires from a pool of U people for V open jobs:
// min(U, V, A U^beta V^(1 - beta)), 0 when either is 0.
inline double matching_hires(double efficiency, double beta, double pool, double open) {
  if (pool <= 0 || open <= 0) return 0.0;
  const double h = efficiency * std::pow(pool, beta) * std::pow(open, 1.0 - beta);
  return std::fmin(h, std::fmin(pool, open));
}

// The workload-feedback factor of an outflow hazard: 1 + elasticity x the
// shortage rate (floored at 0), at most cap.
inline double feedback_factor(double elasticity, double cap, double shortage_rate) {
  return std::fmin(cap, 1.0 + elasticity * std::fmax(0.0, shortage_rate));
}

}  // namespace careabm
