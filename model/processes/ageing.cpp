// Ageing: everyone is a year older; active workers gain a year of tenure,
// reserve members a year since leaving.
#include "processes/year.h"

namespace careabm {

void ageing(WorkerStore& w, const Year&, std::size_t begin, std::size_t end) {
  // Branch-free (saturating at 255) over distinct arrays (restrict), so the pass vectorises.
  const WorkerState* __restrict state = w.state.data();
  std::uint8_t* __restrict age = w.age.data();
  std::uint8_t* __restrict tenure = w.tenure.data();
  std::uint8_t* __restrict since_left = w.since_left.data();
  for (std::size_t i = begin; i < end; ++i) {
    const auto s = static_cast<std::uint8_t>(state[i]);
    const bool in_sector = s <= static_cast<std::uint8_t>(WorkerState::in_upgrade_training);
    const bool in_reserve = s == static_cast<std::uint8_t>(WorkerState::reserve);
    age[i] = static_cast<std::uint8_t>(age[i] + (age[i] < 255));
    tenure[i] = static_cast<std::uint8_t>(tenure[i] + (in_sector & (tenure[i] < 255)));
    since_left[i] = static_cast<std::uint8_t>(since_left[i] + (in_reserve & (since_left[i] < 255)));
  }
}

}  // namespace careabm
