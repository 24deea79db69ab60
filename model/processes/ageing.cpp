// Ageing: everyone is a year older; active workers gain a year of tenure,
// reserve members a year since leaving.
#include "processes/year.h"

namespace careabm {

void ageing(WorkerStore& w, const Year&) {
  // Branch-free (saturating at 255) so the pass vectorises.
  const std::size_t n = w.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = w.state[i];
    const bool in_sector = working(s);
    w.age[i] = static_cast<std::uint8_t>(w.age[i] + (w.age[i] < 255));
    w.tenure[i] = static_cast<std::uint8_t>(w.tenure[i] + (in_sector & (w.tenure[i] < 255)));
    w.since_left[i] =
        static_cast<std::uint8_t>(w.since_left[i] + ((s == WorkerState::reserve) & (w.since_left[i] < 255)));
  }
}

}  // namespace careabm
