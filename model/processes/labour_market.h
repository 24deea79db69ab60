// The labour market's view of one year (README.md, "The labour market"): the
// open vacancies that entrants follow, and how entrants take them (OpenJobs).
// The vacancies process (vacancies.cpp) measures them once a year, after
// this year's demand is known and before any worker flows; the entrant
// streams (transfer and reentry through the seekers step, inflow, training's
// graduates) take them one by one from what the year's earlier flows left
// (open_left), and mobility and recruitment read them.
#pragma once

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/flows.h"
#include "core/run_result.h"
#include "core/rng.h"
#include "scenario/params.h"

namespace careabm {

struct Vacancies {
  // [cell], at the start of the year: open = max(0, this year's demand - last
  // year-end supply), in FTE and in persons (FTE / the FTE one worker of the
  // cell supplied last year); rate = open FTE / demand (0 without demand).
  std::vector<double> fte, persons, rate;
  // [cell]: the same gap in persons before the floor at 0 (negative: staff
  // above this year's demand, a surplus the year's leavers work off first).
  std::vector<double> gap;
  // [cell]: the FTE one worker of the cell supplied last year (persons x
  // this = FTE): followers pick cells in proportion to open FTE, as before
  // jobs were taken one by one.
  std::vector<double> fte_per_person;
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

// The persons still open per cell at this point of the year: the gap at its
// start (signed: a cell in surplus opens jobs only once its leavers have
// worked the surplus off) less the net inflow of the year so far into the
// cell (entries minus exits, as counted in out.flows), floored at 0.
inline std::vector<double> open_left(const Params& p, const Vacancies& v, const RunResult& out, int t) {
  std::vector<double> left(std::size_t(p.cat.cells()), 0.0);
  if (v.empty()) return left;
  for (int c = 0; c < p.cat.cells(); ++c) {
    std::int64_t net = 0;
    for (int f = 0; f < kFlowCount; ++f) net += is_inflow(f) ? out.flow(t, c, f) : -out.flow(t, c, f);
    left[std::size_t(c)] = std::fmax(0.0, v.gap[std::size_t(c)] - double(net));
  }
  return left;
}

// The open jobs that entrants following vacancies take, one by one
// (labour_market.allocation.vacancy_weight w). An entrant whose stream's own
// rule gives rule_cell looks for an open job with probability w (one word
// decides both whether, u < w, and, rescaled, which): among its candidate
// cells, in proportion to the FTE still open there (persons still open x
// the FTE a worker of the cell supplies; a fraction of a job open counts as
// a whole one); where none is open, it takes its rule
// cell. Every entrant placed, by either route, takes a job of its cell, so
// no cell receives more followers than its open jobs rounded up: a cell
// short at the start of the year draws its open jobs' worth, not every
// follower of every stream at once (which made the split by branch swing
// from year to year). Placements happen in a fixed order (the callers'), so
// the result does not depend on threads.
class OpenJobs {
 public:
  // start: the open jobs at the start of the year (they decide whether a
  // qualification looks at its own level or below it); left: persons still
  // open by cell (open_left). by_subregion: candidates in the entrant's
  // subregion only (graduates, returners), or anywhere in the region
  // (newcomers).
  OpenJobs(const Params& p, const Vacancies& start, std::vector<double> left, bool by_subregion)
      : p_(p), O_(p.cat.O()), B_(p.cat.B()), left_(std::move(left)), fte_per_person_(start.fte_per_person), own_(std::size_t(by_subregion ? p.cat.S() : 1) * O_),
        below_(own_.size()), look_below_(own_.size(), 0) {
    // The cells of q's own occupation, and of the occupations below it that
    // q may hold (labour_market.may_fill), by (subregion x O + q).
    const int S = p.cat.S();
    for (int s = 0; s < (by_subregion ? S : 1); ++s)
      for (int q = 0; q < O_; ++q)
        for (int t = by_subregion ? s : 0; t < (by_subregion ? s + 1 : S); ++t)
          for (int b = 0; b < B_; ++b)
            for (int o = 0; o < O_; ++o) {
              const int c = p.cat.cell(t, b, o);
              if (o == q) own_[std::size_t(s) * O_ + q].push_back(c);
              if (p.labour_market.fills(q, o, O_)) below_[std::size_t(s) * O_ + q].push_back(c);
            }
    // A qualification looks below its level only where no job of its own
    // level was open at the start of the year (and then only once no job of
    // its own level has come open since); where its own jobs were open and
    // have been taken, its followers take their rule cell (they do not step
    // down because others came first).
    for (std::size_t key = 0; key < own_.size(); ++key) {
      double open_own = 0;
      for (int c : own_[key]) open_own += start.persons.empty() ? 0.0 : start.persons[std::size_t(c)];
      look_below_[key] = open_own <= 0;
    }
  }

  // The cell of an entrant qualified as q (in subregion s; 0 when not by
  // subregion): a job of q's own occupation, or, where none was open at the
  // start of the year, one of an occupation below it that q may hold.
  int place(int rule_cell, int s, int q, double w, std::uint32_t word) {
    int cell = rule_cell;
    if (follows(w, word)) {
      const std::size_t key = std::size_t(s) * O_ + q;
      int open = pick(own_[key], rng::to_unit(word) / w);
      if (open < 0 && look_below_[key]) open = pick(below_[key], rng::to_unit(word) / w);
      if (open >= 0) cell = open;
    }
    take(cell);
    return cell;
  }
  // Whether an entrant with this word looks for an open job (the worker
  // pass's kernels decide the same with the same threshold).
  static bool follows(double w, std::uint32_t word) { return w > 0 && word < rng::threshold(w); }
  // The cell of a worker of occupation o changing branch (from branch
  // `from`) into subregion s, whose matrix row gives rule_cell: a job of o
  // in another branch of s.
  int place_branch_changer(int rule_cell, int s, int o, int from, double w, std::uint32_t word) {
    int cell = rule_cell;
    if (follows(w, word)) {
      other_.clear();
      for (int b = 0; b < B_; ++b)
        if (b != from) other_.push_back(p_.cat.cell(s, b, o));
      const int open = pick(other_, rng::to_unit(word) / w);
      if (open >= 0) cell = open;
    }
    take(cell);
    return cell;
  }
  // A worker who left cell c this year frees its job.
  void release(int c) { left_[std::size_t(c)] += 1.0; }
  double left(int c) const { return left_[std::size_t(c)]; }

 private:
  void take(int c) { left_[std::size_t(c)] = std::fmax(0.0, left_[std::size_t(c)] - 1.0); }
  // A cell in proportion to its FTE left, u in (0, 1); -1 when none is open.
  double weight(int c) const {
    const double per_person = fte_per_person_.empty() ? 1.0 : fte_per_person_[std::size_t(c)];
    return left_[std::size_t(c)] * per_person;
  }
  int pick(const std::vector<int>& cells, double u) const {
    double total = 0;
    for (int c : cells) total += weight(c);
    if (total <= 0) return -1;
    double target = u * total;
    int last = -1;
    for (int c : cells) {
      if (weight(c) <= 0) continue;
      last = c;
      target -= weight(c);
      if (target < 0) return c;
    }
    return last;
  }

  const Params& p_;
  int O_, B_;
  std::vector<double> left_;           // persons still open, by cell
  std::vector<double> fte_per_person_;  // by cell (Vacancies::fte_per_person); empty: 1
  std::vector<std::vector<int>> own_, below_;
  std::vector<std::uint8_t> look_below_;  // by key: no job of the own level open at the start of the year
  std::vector<int> other_;
};

// An entrant of the worker pass (a returner, or a branch changer) who
// follows open jobs: the pass records it, and the year loop places them all
// after the pass (processes/seekers.cpp), when the pass's other flows are
// known, in the order recorded: chunk by chunk of the store (a chunk's
// branch changers, then its returners), the same for any number of threads.
struct Seeker {
  std::uint32_t row;
  std::uint32_t word;         // the word that decided to follow open jobs (u < w), rescaled to pick one
  std::int16_t to_subregion;  // -1: a returner; else a branch changer's new subregion (its matrix's)
  std::uint8_t rule_branch;   // a branch changer's new branch by its matrix
};

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
