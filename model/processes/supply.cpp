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

  // Branch-free: every agent adds to its cell's counters, zero where it does not count
  // (adding +0.0 leaves a sum of non-negative terms bit-identical).
  const std::size_t year0 = out.at(y.t, 0);
  std::int64_t *const headcount = &out.headcount[year0], *const self_employed = &out.self_employed[year0];
  std::int64_t* const reserve = &out.reserve[year0];
  double* const fte = &out.fte[year0];
  const bool extra = !y.adj.contract_hours.empty(), by_branch = !hours_in_branch.empty();
  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(y.cell_of(w, i));
    const bool on = working(w.state[i]);
    const double hours = (extra && on) ? w.hours[i] + extra_hours(w, i, y) : w.hours[i];
    headcount[k] += on;
    fte[k] += on ? hours * fte_per_hour[w.branch[i]] : 0.0;
    self_employed[k] += on & (w.employment[i] == Employment::self_employed);
    reserve[k] += w.state[i] == WorkerState::reserve;
    if (by_branch && on) hours_in_branch[w.branch[i]] += hours;
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
