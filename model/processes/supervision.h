// Work-floor supervision: who may supervise and how the load of trainees per
// (subregion, branch) compares with the places supervisors offer. Shared by
// the training process (dropout) and the training census (the recorded ratio).
#pragma once

#include <cstdint>
#include <vector>

#include "core/trainee_store.h"
#include "core/worker_store.h"
#include "scenario/params.h"

namespace careabm {

struct SupervisionLoad {
  std::vector<double> trainees, capacity;  // by subregion x branch
};

// Supervision places and supervised upgraders of the worker store, per
// (subregion, branch): active workers of a supervising occupation with the
// minimum tenure, and workers in supervised upgrade training. A worker
// kernel that only counts (processes/year.h), so the year loop counts them
// in a pass it makes anyway; parts of a split pass add up with add().
struct SupervisionTally {
  static constexpr bool draws = false;
  explicit SupervisionTally(const Params& p)
      : enabled(p.training.enabled() && p.training.supervision.enabled),
        B(p.cat.B()),
        min_tenure(p.training.supervision.min_tenure),
        supervises(p.training.supervision.supervises),
        supervisors(enabled ? std::size_t(p.cat.S()) * B : 0, 0),
        upgrading(supervisors.size(), 0) {
    for (std::size_t g = 0; g < p.training.programmes.size(); ++g)
      supervised_programme[g] = p.training.programmes[g].supervised;
  }
  bool active() const { return enabled; }
  // Every worker adds 0 or 1 to both counts of its workplace (no branch on its state).
  bool eligible(const WorkerStore& w, std::size_t i) const {
    count(w, i, 1);
    return false;
  }
  // Adds worker i's 0 or 1 times `sign`: -1 and +1 around a move made after
  // the pass (the seekers step), so the counts follow the worker.
  void count(const WorkerStore& w, std::size_t i, int sign) const {
    const std::size_t sb = std::size_t(w.subregion[i]) * B + w.branch[i];
    const WorkerState state = w.state[i];
    supervisors[sb] += sign * ((state == WorkerState::active) & (supervises[w.occupation[i]] != 0) &
                               (w.tenure[i] >= min_tenure));
    upgrading[sb] += sign * ((state == WorkerState::in_upgrade_training) & supervised_programme[w.programme[i]]);
  }
  void add(const SupervisionTally& other) {
    for (std::size_t sb = 0; sb < supervisors.size(); ++sb)
      supervisors[sb] += other.supervisors[sb], upgrading[sb] += other.upgrading[sb];
  }
  // The load: these workers, and the trainee agents of supervised programmes.
  SupervisionLoad load(const TraineeStore& tr, const Params& p) const {
    const auto& progs = p.training.programmes;
    SupervisionLoad out{std::vector<double>(supervisors.size()), std::vector<double>(supervisors.size())};
    for (std::size_t sb = 0; sb < supervisors.size(); ++sb) {
      out.trainees[sb] = double(upgrading[sb]);
      out.capacity[sb] = double(supervisors[sb]) * p.training.supervision.trainees_per_supervisor;
    }
    for (std::size_t i = 0; i < tr.size(); ++i) {
      if (tr.done[i] || !progs[tr.programme[i]].supervised) continue;
      out.trainees[std::size_t(tr.subregion[i]) * B + tr.branch[i]] += 1.0;
    }
    return out;
  }

  bool enabled;
  int B, min_tenure;
  std::vector<std::uint8_t> supervises;  // by occupation
  bool supervised_programme[256] = {};   // by WorkerStore::programme; kNoProgramme stays false
  mutable std::vector<std::int64_t> supervisors, upgrading;  // by subregion x branch
};

// Dropout multiplier of a workplace: 1 while trainees fit the supervision
// places; above, 1 + elasticity x the share of trainees without a place
// (1 - capacity / trainees), so it binds exactly when trainees exceed capacity
// and stays finite when there is no capacity at all.
inline double supervision_dropout_factor(double trainees, double capacity, double elasticity) {
  if (trainees <= capacity) return 1.0;
  return 1.0 + elasticity * (1.0 - capacity / trainees);
}

}  // namespace careabm
