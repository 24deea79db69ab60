// Placement in nursing homes, and the year-end census of clients
// (placement.h: the census and the queue are counted in the clients pass).
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

#include "processes/placement.h"

namespace careabm {

namespace {
// Places of subregion s this year: the scenario's, plus those that
// nursing_home_capacity interventions add (y.adj).
std::int64_t places_in(const Year& y, int s) {
  const auto base = static_cast<std::int64_t>(y.p.clients.places[std::size_t(y.t) * y.p.cat.S() + s]);
  return base + (y.adj.extra_places.empty() ? 0 : y.adj.extra_places[s]);
}
}  // namespace

void PlacementCensus::count(const ClientStore& c, const Year& y) {
  const int parts = parts_for(y, c.size());
  std::vector<PlacementCensus> part(parts, PlacementCensus(y));
  split_rows(y, c.size(), [&](const Year&, int k, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) part[k].add(c, i);
  });
  for (const auto& one : part) add_part(one, 0);
}

void PlacementCensus::add_part(const PlacementCensus& part, std::size_t moved_by) {
  for (std::size_t k = 0; k < census.size(); ++k) census[k] += part.census[k];
  for (std::size_t s = 0; s < queue.size(); ++s) {
    for (const std::uint64_t key : part.queue[s]) queue[s].push_back(key - moved_by);  // the row is the low bits
  }
}

std::int64_t PlacementCensus::residents(int s) const {
  std::int64_t n = 0;
  for (int need = 0; need < N; ++need) n += census[(std::size_t(s) * N + need) * Z + nursing_home];
  return n;
}

void placement(ClientStore& c, const Year& y) {
  if (!y.p.clients.enabled) return;
  PlacementCensus census(y);
  census.count(c, y);
  placement(c, y, census);
}

void placement(ClientStore& c, const Year& y, PlacementCensus& pc) {
  const Params& p = y.p;
  const Clients& cp = p.clients;
  if (!cp.enabled) return;
  RunResult& out = y.out;
  const int S = p.cat.S(), N = cp.N(), Z = cp.Z();
  if (c.size() >> 32) throw std::length_error("placement: more than 2^32 clients in one replication");  // keys hold 32-bit rows
  const auto nursing_home = static_cast<std::uint8_t>(cp.nursing_home_setting);
  const auto waiting_setting = static_cast<std::uint8_t>(cp.waiting_setting);
  const std::uint8_t* const need = c.need.data();
  std::uint8_t *const setting = c.setting.data(), *const waiting = c.waiting.data();
  std::vector<std::int64_t>& census = pc.census;
  // Subregions are independent (their own queue, census rows and clients),
  // so they are placed on the replication's threads.
  auto place_in = [&](int s) {
    auto& keys = pc.queue[s];
    const std::size_t queued = keys.size();
    const auto places = places_in(y, s);
    const auto free =
        static_cast<std::size_t>(std::clamp<std::int64_t>(places - pc.residents(s), 0, std::int64_t(queued)));
    // Only which clients are the first `free` in queue order matters, not their order
    // among themselves: a selection (linear time), not a sort; none when all or none fit.
    if (free > 0 && free < queued) std::nth_element(keys.begin(), keys.begin() + long(free), keys.end());
    for (std::size_t k = 0; k < queued; ++k) {
      const auto i = static_cast<std::uint32_t>(keys[k]);
      const bool placed = k < free;
      const std::uint8_t to = placed ? nursing_home : waiting_setting;
      const std::size_t row = (std::size_t(s) * N + need[i]) * Z;
      --census[row + setting[i]];
      ++census[row + to];
      setting[i] = to;
      waiting[i] = placed ? std::uint8_t{0} : static_cast<std::uint8_t>(waiting[i] + (waiting[i] < 255));
    }
  };
  if (y.team) y.team->run(S, place_in);
  else
    for (int s = 0; s < S; ++s) place_in(s);

  for (int s = 0; s < S; ++s) {
    for (int k = 0; k < N * Z; ++k)
      out.clients[out.client_at(y.t, s, 0, 0) + k] = census[std::size_t(s) * N * Z + k];
    for (int k = 0; k < N; ++k)
      out.waiting[out.subregion_at(y.t, s)] += census[(std::size_t(s) * N + k) * Z + waiting_setting];
    out.places[out.subregion_at(y.t, s)] = places_in(y, s);
  }
}

}  // namespace careabm
