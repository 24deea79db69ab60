// Training census: the year-end stocks of the training pipeline. Students per
// programme (trainee agents and workers in upgrade training), and, when the
// scenario has [training.supervision], the supervision ratio per (subregion,
// branch): trainees needing supervision per supervision place (0 without
// trainees; +inf with trainees and no places).
#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "processes/supervision.h"
#include "processes/year.h"

namespace careabm {

void training_census(const WorkerStore& w, const TraineeStore& tr, const Year& y) {
  const Params& p = y.p;
  if (!p.training.enabled()) return;
  RunResult& out = y.out;
  for (std::size_t i = 0; i < tr.size(); ++i) {
    if (!tr.done[i]) ++out.students[out.programme_at(y.t, tr.programme[i])];
  }
  // Workers in upgrade training, counted branch-free by programme (slot
  // kNoProgramme collects the rest), and the workers' part of the supervision
  // load: one pass, split across threads, the parts added up after.
  const int parts = parts_for(y, w.size());
  std::vector<std::array<std::int64_t, 256>> by_programme(parts);
  std::vector<SupervisionTally> supervision(parts, SupervisionTally(p));
  split_rows(y, w.size(), [&](const Year&, int k, std::size_t begin, std::size_t end) {
    std::int64_t* const tally = by_programme[k].data();
    std::fill(tally, tally + 256, 0);
    for (std::size_t i = begin; i < end; ++i) tally[w.programme[i]] += w.state[i] == WorkerState::in_upgrade_training;
    if (supervision[k].active())
      for (std::size_t i = begin; i < end; ++i) supervision[k].eligible(w, i);
  });
  for (int k = 1; k < parts; ++k) supervision[0].add(supervision[k]);
  for (std::size_t g = 0; g < p.training.programmes.size(); ++g) {
    for (int k = 0; k < parts; ++k) out.students[out.programme_at(y.t, static_cast<int>(g))] += by_programme[k][g];
  }
  if (!p.training.supervision.enabled) return;
  const auto load = supervision[0].load(tr, p);
  for (std::size_t sb = 0; sb < load.trainees.size(); ++sb) {
    const double t = load.trainees[sb], c = load.capacity[sb];
    out.supervision_trainees[out.workplace_at(y.t, static_cast<int>(sb))] = t;
    out.supervision_places[out.workplace_at(y.t, static_cast<int>(sb))] = c;
    out.supervision_ratio[out.workplace_at(y.t, static_cast<int>(sb))] =
        t == 0  ? 0.0
        : c > 0 ? t / c
                : std::numeric_limits<double>::infinity();
  }
}

}  // namespace careabm
