// Ageing: everyone is a year older; active workers gain a year of tenure,
// reserve members a year since leaving.
#include "processes/year.h"

namespace careabm {

void ageing(WorkerStore& w, const Year&) {
  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (w.age[i] < 255) ++w.age[i];
    const bool active = w.state[i] == WorkerState::active || w.state[i] == WorkerState::in_upgrade_training;
    if (active && w.tenure[i] < 255) ++w.tenure[i];
    if (w.state[i] == WorkerState::reserve && w.since_left[i] < 255) ++w.since_left[i];
  }
}

}  // namespace careabm
