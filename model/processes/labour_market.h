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

#include "core/flows.h"
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

// Career switchers' occupations this year (labour_market.allocation.
// switchers_may_start). The switchers who may start in several occupations
// (F people in all) are, for each listed occupation, the career-switcher
// source's newcomers of it, or, if a programme of origin career_switcher
// leads to it, that programme's enrolment instead: such an occupation is
// entered through its programme (the work-based route: a switcher without
// the diploma trains on the job), and its direct newcomers are those who
// hold the diploma already, so they stay as given. A share vacancy_weight of
// F picks its occupation in proportion to the open jobs of each listed
// occupation in the region (in persons, at the start of the year, its own
// jobs only); the rest keeps the given numbers. The share of an occupation
// with a programme goes to its programme(s), spread over subregions by that
// occupation's open jobs there and over its programmes by their given
// enrolment (alike if none is given). So the switchers' total stays the
// given one, and the two processes that use it (inflow, training's
// enrolment) read the same split without calling each other.
struct SwitcherSplit {
  std::vector<double> direct;                  // [o]: newcomers of the career-switcher source
  std::vector<std::vector<double>> enrolment;  // [programme][subregion]: expected enrolment
};

inline SwitcherSplit switcher_split(const Params& p, const Vacancies& v, int t) {
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  const auto& progs = p.training.programmes;
  SwitcherSplit out;
  out.direct.assign(O, 0.0);
  for (const auto& source : p.inflows)
    if (source.flow == kInCareerSwitchers)
      for (int o = 0; o < O; ++o) out.direct[o] += source.per_year[o] * std::pow(1.0 + source.growth, t - 1);
  out.enrolment.assign(progs.size(), std::vector<double>(S, 0.0));
  for (std::size_t g = 0; g < progs.size(); ++g)
    if (!progs[g].is_upgrade())
      for (int s = 0; s < S; ++s) out.enrolment[g][s] = progs[g].expected_enrolment(s, t);

  const auto& may = p.labour_market.switchers_may_start;
  const double w = p.labour_market.vacancy_weight;
  if (w <= 0 || v.empty() || may.empty()) return out;
  auto switcher_programme = [&](std::size_t g, int o) {
    return progs[g].origin == TraineeOrigin::career_switcher && progs[g].occupation == o;
  };
  // The flexible switchers by occupation, and the open jobs.
  std::vector<double> open(O, 0.0), programme_total(O, 0.0);
  std::vector<int> programmes(O, 0);
  std::vector<std::vector<double>> open_in(O, std::vector<double>(S, 0.0));
  double flexible = 0, open_total = 0;
  for (int o = 0; o < O; ++o) {
    if (!may[o]) continue;
    for (std::size_t g = 0; g < progs.size(); ++g)
      if (switcher_programme(g, o)) {
        ++programmes[o];
        for (int s = 0; s < S; ++s) programme_total[o] += out.enrolment[g][s];
      }
    flexible += programmes[o] > 0 ? programme_total[o] : out.direct[o];
    for (int s = 0; s < S; ++s)
      for (int b = 0; b < B; ++b) open_in[o][s] += v.persons[p.cat.cell(s, b, o)];
    for (int s = 0; s < S; ++s) open[o] += open_in[o][s];
    open_total += open[o];
  }
  if (flexible <= 0 || open_total <= 0) return out;
  for (int o = 0; o < O; ++o) {
    if (!may[o]) continue;
    const double following = w * flexible * open[o] / open_total;
    if (programmes[o] == 0) {
      out.direct[o] = (1 - w) * out.direct[o] + following;
      continue;
    }
    for (std::size_t g = 0; g < progs.size(); ++g) {
      if (!switcher_programme(g, o)) continue;
      double given_g = 0;
      for (int s = 0; s < S; ++s) given_g += out.enrolment[g][s];
      const double share = programme_total[o] > 0 ? given_g / programme_total[o] : 1.0 / programmes[o];
      for (int s = 0; s < S; ++s) {
        const double where = open[o] > 0 ? open_in[o][s] / open[o] : 0.0;
        out.enrolment[g][s] = (1 - w) * out.enrolment[g][s] + following * share * where;
      }
    }
  }
  return out;
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
