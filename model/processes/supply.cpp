// Supply: the year-end stocks. Active workers (upgrading ones included) count
// in headcount; FTE = contract hours / full-time hours x (1 - sickness
// absence of the branch). BBL trainees add their working share (the
// programme's bbl_fte, net of the branch's absence like everyone's hours) to
// the FTE of their workplace in the programme's `works_as` occupation, and to
// trainee_fte; they are not in headcount. The reserve is counted separately.
// Interventions (y.adj): contract_hours adds hours to the uptakers' FTE (not
// to their stored contract), absence_reduction lowers a branch's absence.
#include "processes/year.h"

namespace careabm {

namespace {

// Extra contract hours of worker i from contract_hours interventions: an
// employee of the target group below the threshold who takes it up (a fixed
// per-worker draw, so the same workers take it up every year) works the extra
// hours, up to the threshold. Units: extra FTE (hours / full-time hours).
double extra_hours(const WorkerStore& w, std::size_t i, const Year& y) {
  double extra = 0;
  for (const auto& r : y.adj.contract_hours) {
    const Intervention& v = *r.v;
    const double hours = w.hours[i] + extra;
    if (hours >= v.below_hours || w.employment[i] != Employment::employee ||
        !v.occupations[w.occupation[i]] || !v.branches[w.branch[i]] || !v.subregions[w.subregion[i]]) {
      continue;
    }
    if (y.rng.draw(0, w.uid[i], rng::Event::intervention_uptake)[0] >= rng::threshold(v.uptake)) continue;
    const double add = std::fmin(r.amount, v.below_hours - hours);
    extra += add;
    y.add_units(r.k, add / y.p.full_time_hours);
  }
  return extra;
}

}  // namespace

void supply(const WorkerStore& w, const TraineeStore& tr, const Year& y) {
  const Params& p = y.p;
  RunResult& out = y.out;
  std::vector<double> fte_per_hour(p.cat.B());
  // absence_reduction interventions lower a branch's absence (factor 1 without them).
  for (int b = 0; b < p.cat.B(); ++b)
    fte_per_hour[b] = (1.0 - p.absence[b] * y.adj.absence_factor(b)) / p.full_time_hours;
  std::vector<double> hours_in_branch(y.adj.absence.empty() ? 0 : p.cat.B(), 0.0);

  // One pass, no branch on an agent's state: each adds 1 to the tally of its
  // (cell, state, self-employed) and its contract hours, in fixed point
  // (2^-24 hour: a float's hours convert exactly), to its cell's sum. Sums of
  // whole numbers are exact in any order, so four interleaved copies (by row)
  // let consecutive agents of one cell add without waiting for each other.
  // FTE = the cell's hours x its branch's FTE per hour, at the end.
  // Split across threads (split_rows) with a tally per part, added up after;
  // with interventions that add hours or lower absence (their units are
  // fractions, summed in row order) in one part.
  constexpr double kFixed = 16777216.0;          // 2^24
  constexpr std::size_t kLanes = 4, kCodes = 8;  // code = state x 2 + self-employed
  const std::size_t cells = static_cast<std::size_t>(p.cat.cells());
  const bool extra = !y.adj.contract_hours.empty(), by_branch = !hours_in_branch.empty();
  const std::size_t n = w.size();
  const int parts = (extra | by_branch) ? 1 : parts_for(y, n);
  std::vector<std::int64_t> tally(std::size_t(parts) * kLanes * cells * kCodes, 0),
      hours_fixed(std::size_t(parts) * kLanes * cells, 0);
  const WorkerState* const state = w.state.data();
  const float* const contract = w.hours.data();
  const Employment* const employment = w.employment.data();
  auto count_rows = [&](const Year& part, int k, std::size_t begin, std::size_t end) {
    std::int64_t* const tallies = tally.data() + std::size_t(k) * kLanes * cells * kCodes;
    std::int64_t* const hours_sum = hours_fixed.data() + std::size_t(k) * kLanes * cells;
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t at = static_cast<std::size_t>(part.cell_of(w, i)) + (i % kLanes) * cells;
      const bool on = working(state[i]);
      ++tallies[at * kCodes + static_cast<std::size_t>(state[i]) * 2 +
                (employment[i] == Employment::self_employed)];
      if (extra | by_branch) {  // interventions this year (the same for every agent)
        const double hours = on ? contract[i] + (extra ? extra_hours(w, i, part) : 0.0) : 0.0;
        hours_sum[at] += static_cast<std::int64_t>(hours * kFixed + 0.5);
        if (by_branch) hours_in_branch[w.branch[i]] += hours;
      } else {
        // A mask, not a branch: who is working is as mixed as the store.
        hours_sum[at] += static_cast<std::int64_t>(contract[i] * kFixed + 0.5) & -static_cast<std::int64_t>(on);
      }
    }
  };
  if (parts == 1) count_rows(y, 0, 0, n);
  else split_rows(y, n, count_rows);
  const int O = p.cat.O(), B = p.cat.B();
  for (std::size_t c = 0; c < cells; ++c) {
    std::int64_t count[kCodes] = {}, fixed = 0;
    for (std::size_t lane = 0; lane < std::size_t(parts) * kLanes; ++lane) {
      for (std::size_t code = 0; code < kCodes; ++code)
        count[code] += tally[((lane * cells) + c) * kCodes + code];
      fixed += hours_fixed[lane * cells + c];
    }
    auto of = [&](WorkerState st, int self) { return count[static_cast<std::size_t>(st) * 2 + self]; };
    const std::size_t at = out.at(y.t, static_cast<int>(c));
    out.headcount[at] += of(WorkerState::active, 0) + of(WorkerState::active, 1) +
                         of(WorkerState::in_upgrade_training, 0) + of(WorkerState::in_upgrade_training, 1);
    out.self_employed[at] += of(WorkerState::active, 1) + of(WorkerState::in_upgrade_training, 1);
    out.reserve[at] += of(WorkerState::reserve, 0) + of(WorkerState::reserve, 1);
    out.fte[at] += double(fixed) / kFixed * fte_per_hour[(c / O) % B];  // cell = (s x B + b) x O + o
  }
  // absence_reduction units: the workers' FTE regained, each intervention on its own.
  for (const auto& r : y.adj.absence) {
    for (int b = 0; b < p.cat.B(); ++b) {
      if (r.v->branches[b])
        y.add_units(r.k, hours_in_branch[b] * p.absence[b] * (1.0 - r.amount) / p.full_time_hours);
    }
  }
  const auto& progs = p.training.programmes;
  for (std::size_t i = 0; i < tr.size(); ++i) {
    const Programme& g = progs[tr.programme[i]];
    if (tr.done[i] || !g.bbl) continue;
    const std::size_t k = out.at(y.t, p.cat.cell(tr.subregion[i], tr.branch[i], g.works_as));
    const double fte = g.bbl_fte * (1.0 - p.absence[tr.branch[i]] * y.adj.absence_factor(tr.branch[i]));
    out.fte[k] += fte;
    out.trainee_fte[k] += fte;
  }
}

}  // namespace careabm
