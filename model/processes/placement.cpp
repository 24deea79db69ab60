// Placement in nursing homes, and the year-end census of clients.
// Clients whose need a nursing home takes (the scenario's nursing_home_needs)
// and who are not yet in one (nor served at home by the indication policy
// with a light need) queue per subregion: first the priority needs
// (scenario flag), then the longest waiting, then by uid (a fixed, arbitrary
// order among equals). Each is placed while the subregion has a free place
// (places of the year minus residents); the rest wait at home in the waiting
// setting (full package) and their waiting time grows by a year. Nobody is
// moved out when places shrink below the residents: placements then stop
// until residents fall below the places.
#include <algorithm>
#include <stdexcept>
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
  const int S = p.cat.S(), N = cp.N(), Z = cp.Z();
  const std::size_t n = c.size();
  if (n >> 32) throw std::length_error("placement: more than 2^32 clients in one replication");  // keys hold 32-bit rows
  const auto nursing_home = static_cast<std::uint8_t>(cp.nursing_home_setting);
  const auto waiting_setting = static_cast<std::uint8_t>(cp.waiting_setting);
  const std::uint8_t *const subregion = c.subregion.data(), *const need = c.need.data();
  std::uint8_t *const setting = c.setting.data(), *const waiting = c.waiting.data();

  // Pass 1: residents, queue sizes and the census before placement, per subregion.
  // census[(s * N + need) * Z + setting] is then moved along with every queued client.
  std::vector<std::int64_t> census(std::size_t(S) * N * Z, 0), residents(S, 0);
  std::vector<std::size_t> queued(S, 0);
  // Served at home by the indication policy: not queued while the need is light.
  const int at_home = cp.at_home_setting;
  const std::uint8_t* const light = cp.light_needs.data();
  auto in_queue = [&](std::size_t i) {
    return bool((setting[i] != nursing_home) & (cp.nursing_home_eligible[need[i]] != 0) &
                !((setting[i] == at_home) & (light[need[i]] != 0)));
  };
  for (std::size_t i = 0; i < n; ++i) {
    const bool resident = setting[i] == nursing_home;
    ++census[(std::size_t(subregion[i]) * N + need[i]) * Z + setting[i]];
    residents[subregion[i]] += resident;
    queued[subregion[i]] += in_queue(i);
  }
  // Pass 2: the queues, one block per subregion (with a spare slot, so rows not
  // queued can be written and overwritten without a branch). A client's key
  // orders the queue: priority needs first, then the longest waiting, then the
  // uid, which is the store's order (ClientStore keeps rows in uid order).
  std::vector<std::size_t> start(S + 1, 0);
  for (int s = 0; s < S; ++s) start[s + 1] = start[s] + queued[s] + 1;
  std::vector<std::uint64_t> keys(start[S]);
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t first = cp.priority[need[i]] ? 0 : 1;
    keys[next[subregion[i]]] = (first << 40) | (std::uint64_t(255 - waiting[i]) << 32) | std::uint64_t(i);
    next[subregion[i]] += in_queue(i);
  }
  for (int s = 0; s < S; ++s) {
    const auto begin = keys.begin() + long(start[s]), end = begin + long(queued[s]);
    const auto places = places_in(y, s);
    const auto free =
        static_cast<std::size_t>(std::clamp<std::int64_t>(places - residents[s], 0, std::int64_t(queued[s])));
    // Only which clients are the first `free` in queue order matters, not their order
    // among themselves: a selection (linear time), not a sort; none when all or none fit.
    if (free > 0 && free < queued[s]) std::nth_element(begin, begin + long(free), end);
    for (std::size_t k = 0; k < queued[s]; ++k) {
      const auto i = static_cast<std::uint32_t>(begin[long(k)]);
      const bool placed = k < free;
      const std::uint8_t to = placed ? nursing_home : waiting_setting;
      const std::size_t row = (std::size_t(s) * N + need[i]) * Z;
      --census[row + setting[i]];
      ++census[row + to];
      setting[i] = to;
      waiting[i] = placed ? std::uint8_t{0} : static_cast<std::uint8_t>(waiting[i] + (waiting[i] < 255));
    }
  }

  for (int s = 0; s < S; ++s) {
    for (int k = 0; k < N * Z; ++k)
      out.clients[out.client_at(y.t, s, 0, 0) + k] = census[std::size_t(s) * N * Z + k];
    for (int k = 0; k < N; ++k)
      out.waiting[out.subregion_at(y.t, s)] += census[(std::size_t(s) * N + k) * Z + waiting_setting];
    out.places[out.subregion_at(y.t, s)] = places_in(y, s);
  }
}

}  // namespace careabm
