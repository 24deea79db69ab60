// Supply: the year-end stocks. Active workers (upgrading ones included) count
// in headcount; FTE = contract hours / full-time hours x (1 - sickness
// absence of the branch). BBL trainees add their working share (the
// programme's bbl_fte, net of the branch's absence like everyone's hours) to
// the FTE of their workplace in the programme's `works_as` occupation, and to
// trainee_fte; they are not in headcount. The reserve is counted separately.
#include "processes/year.h"

namespace careabm {

void supply(const WorkerStore& w, const TraineeStore& tr, const Year& y) {
  const Params& p = y.p;
  RunResult& out = y.out;
  std::vector<double> fte_per_hour(p.cat.B());
  for (int b = 0; b < p.cat.B(); ++b) fte_per_hour[b] = (1.0 - p.absence[b]) / p.full_time_hours;

  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = out.at(y.t, y.cell_of(w, i));
    switch (w.state[i]) {
      case WorkerState::active:
      case WorkerState::in_upgrade_training:
        ++out.headcount[k];
        out.fte[k] += w.hours[i] * fte_per_hour[w.branch[i]];
        if (w.employment[i] == Employment::self_employed) ++out.self_employed[k];
        break;
      case WorkerState::reserve:
        ++out.reserve[k];
        break;
      case WorkerState::gone:
        break;
    }
  }
  const auto& progs = p.training.programmes;
  for (std::size_t i = 0; i < tr.size(); ++i) {
    const Programme& g = progs[tr.programme[i]];
    if (tr.done[i] || !g.bbl) continue;
    const std::size_t k = out.at(y.t, p.cat.cell(tr.subregion[i], tr.branch[i], g.works_as));
    const double fte = g.bbl_fte * (1.0 - p.absence[tr.branch[i]]);
    out.fte[k] += fte;
    out.trainee_fte[k] += fte;
  }
}

}  // namespace careabm
