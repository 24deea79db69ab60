// Work-floor supervision: who may supervise and how the load of trainees per
// (subregion, branch) compares with the places supervisors offer. Shared by
// the training process (dropout) and the supervision process (the recorded ratio).
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

// Trainees needing supervision (trainee agents of supervised programmes, and
// workers in supervised upgrade training) and supervision places (active
// workers of a supervising occupation with the minimum tenure, x trainees
// per supervisor), per (subregion, branch). One pass over each store.
inline SupervisionLoad supervision_load(const WorkerStore& w, const TraineeStore& tr, const Params& p) {
  const int B = p.cat.B();
  const auto& sup = p.training.supervision;
  const auto& progs = p.training.programmes;
  const std::size_t SB = std::size_t(p.cat.S()) * B;
  // Whole-number counts first (branch-free: every worker adds 0 or 1), then places.
  bool supervised_programme[256] = {};  // by WorkerStore::programme; kNoProgramme stays false
  for (std::size_t g = 0; g < progs.size(); ++g) supervised_programme[g] = progs[g].supervised;
  // Four interleaved tallies (by row), so that consecutive workers of one
  // workplace do not wait for each other's additions; summed at the end.
  constexpr std::size_t kLanes = 4;
  std::vector<std::int64_t> supervisors(kLanes * SB, 0), upgrading(kLanes * SB, 0);
  const WorkerState* const state = w.state.data();
  const std::uint8_t *const subregion = w.subregion.data(), *const branch = w.branch.data();
  const std::uint8_t *const occupation = w.occupation.data(), *const tenure = w.tenure.data();
  const std::uint8_t* const programme = w.programme.data();
  const int min_tenure = sup.min_tenure;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::size_t sb = (i % kLanes) * SB + std::size_t(subregion[i]) * B + branch[i];
    supervisors[sb] +=
        (state[i] == WorkerState::active) & (sup.supervises[occupation[i]] != 0) & (tenure[i] >= min_tenure);
    upgrading[sb] += (state[i] == WorkerState::in_upgrade_training) & supervised_programme[programme[i]];
  }
  SupervisionLoad load{std::vector<double>(SB), std::vector<double>(SB)};
  for (std::size_t sb = 0; sb < SB; ++sb) {
    std::int64_t places = 0, trainees = 0;
    for (std::size_t lane = 0; lane < kLanes; ++lane)
      places += supervisors[lane * SB + sb], trainees += upgrading[lane * SB + sb];
    load.trainees[sb] = double(trainees);
    load.capacity[sb] = double(places) * sup.trainees_per_supervisor;
  }
  for (std::size_t i = 0; i < tr.size(); ++i) {
    if (tr.done[i] || !progs[tr.programme[i]].supervised) continue;
    load.trainees[std::size_t(tr.subregion[i]) * B + tr.branch[i]] += 1.0;
  }
  return load;
}

// Dropout multiplier of a workplace: 1 while trainees fit the supervision
// places; above, 1 + elasticity x the share of trainees without a place
// (1 - capacity / trainees), so it binds exactly when trainees exceed capacity
// and stays finite when there is no capacity at all.
inline double supervision_dropout_factor(double trainees, double capacity, double elasticity) {
  if (trainees <= capacity) return 1.0;
  return 1.0 + elasticity * (1.0 - capacity / trainees);
}

}  // namespace careabm
