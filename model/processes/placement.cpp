// Placement in nursing homes, and the year-end census of clients.
// Clients whose need a nursing home takes (the scenario's nursing_home_needs)
// and who are not yet in one queue per subregion: first the priority needs
// (scenario flag), then the longest waiting, then by uid (a fixed, arbitrary
// order among equals). Each is placed while the subregion has a free place
// (places of the year minus residents); the rest wait at home in the waiting
// setting (full package) and their waiting time grows by a year. Nobody is
// moved out when places shrink below the residents: placements then stop
// until residents fall below the places.
#include <algorithm>
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {
// Places of subregion s this year: the scenario's, plus those that
// nursing_home_capacity interventions add (y.adj).
std::int64_t places_in(const Year& y, int s) {
  const auto base = static_cast<std::int64_t>(y.p.clients.places[std::size_t(y.t) * y.p.cat.S() + s]);
  return base + (y.adj.extra_places.empty() ? 0 : y.adj.extra_places[s]);
}
}  // namespace

void placement(ClientStore& c, const Year& y) {
  const Params& p = y.p;
  const Clients& cp = p.clients;
  if (!cp.enabled) return;
  RunResult& out = y.out;
  const int S = p.cat.S();
  std::vector<std::int64_t> residents(S, 0);
  std::vector<std::vector<std::uint32_t>> queue(S);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.dead[i]) continue;
    if (c.setting[i] == cp.nursing_home_setting) {
      ++residents[c.subregion[i]];
    } else if (cp.nursing_home_eligible[c.need[i]]) {
      queue[c.subregion[i]].push_back(static_cast<std::uint32_t>(i));
    }
  }
  // Queue order: priority needs, then longest waiting, then uid (a strict total order).
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    if (cp.priority[c.need[a]] != cp.priority[c.need[b]]) return cp.priority[c.need[a]] > cp.priority[c.need[b]];
    if (c.waiting[a] != c.waiting[b]) return c.waiting[a] > c.waiting[b];
    return c.uid[a] < c.uid[b];
  };
  for (int s = 0; s < S; ++s) {
    auto& q = queue[s];
    const auto places = places_in(y, s);
    const auto free = static_cast<std::size_t>(std::clamp<std::int64_t>(places - residents[s], 0, std::int64_t(q.size())));
    // Only which clients are the first `free` in queue order matters, not their order
    // among themselves: a selection (linear time), not a sort.
    if (free < q.size()) std::nth_element(q.begin(), q.begin() + long(free), q.end(), before);
    for (std::size_t k = 0; k < q.size(); ++k) {
      const std::uint32_t i = q[k];
      if (k < free) {
        c.setting[i] = static_cast<std::uint8_t>(cp.nursing_home_setting);
        c.waiting[i] = 0;
      } else {
        c.setting[i] = static_cast<std::uint8_t>(cp.waiting_setting);
        if (c.waiting[i] < 255) ++c.waiting[i];
      }
    }
  }

  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.dead[i]) continue;
    ++out.clients[out.client_at(y.t, c.subregion[i], c.need[i], c.setting[i])];
    if (c.setting[i] == cp.waiting_setting) ++out.waiting[out.subregion_at(y.t, c.subregion[i])];
  }
  for (int s = 0; s < S; ++s) {
    out.places[out.subregion_at(y.t, s)] = places_in(y, s);
  }
}

}  // namespace careabm
