// Placement in nursing homes (placement.cpp). Its per-client part, the census
// of the clients by (subregion, need, setting) and the queue of those waiting
// for a place, is counted where the clients' year ends: in the clients pass
// (clients.cpp, for each survivor and each new client), or at the start year
// by count(). Placement then works on the queue alone, not on every client.
#pragma once

#include <cstdint>
#include <vector>

#include "processes/year.h"

namespace careabm {

struct PlacementCensus {
  explicit PlacementCensus(const Year& y)
      : N(y.p.clients.N()),
        Z(y.p.clients.Z()),
        nursing_home(static_cast<std::uint8_t>(y.p.clients.nursing_home_setting)),
        at_home(y.p.clients.at_home_setting),
        eligible(y.p.clients.nursing_home_eligible.data()),
        light(y.p.clients.light_needs.data()),
        priority(y.p.clients.priority.data()),
        census(std::size_t(y.p.cat.S()) * N * Z, 0),
        queue(std::size_t(y.p.cat.S())) {}

  // Client `row` of the store, as it is at the end of the clients' year;
  // `counts` 0 leaves it out (a client who died: no branch on that).
  void add(const ClientStore& c, std::size_t row, bool counts = true) {
    add(c.subregion[row], c.need[row], c.setting[row], c.waiting[row], row, counts);
  }
  // The same from the client's values (the clients pass has them at hand).
  void add(std::uint8_t s, std::uint8_t need, std::uint8_t setting, std::uint8_t waiting, std::size_t row,
           bool counts) {
    census[(std::size_t(s) * N + need) * Z + setting] += counts;
    // Queued: a Wlz need, not in a nursing home, and not served at home by
    // the indication policy while the need is light.
    const bool queued = counts & (setting != nursing_home) & (eligible[need] != 0) &
                        !((int(setting) == at_home) & (light[need] != 0));
    if (queued) queue[s].push_back(key(need, waiting, row));
  }
  // The census and queue of every client in the store (the start year).
  void count(const ClientStore& c, const Year& y);
  // Adds a part's census and queue whose rows have since moved `moved_by` rows down.
  void add_part(const PlacementCensus& part, std::size_t moved_by);
  // Clients in a nursing home in subregion s (from the census).
  std::int64_t residents(int s) const;

  // The queue's order: priority needs first, then the longest waiting, then
  // by uid, which is the store's order (ClientStore keeps rows in uid order).
  std::uint64_t key(std::uint8_t need, std::uint8_t waiting, std::size_t row) const {
    const std::uint64_t first = priority[need] ? 0 : 1;
    return (first << 40) | (std::uint64_t(255 - waiting) << 32) | std::uint64_t(row);
  }

  int N, Z;
  std::uint8_t nursing_home;
  int at_home;
  const std::uint8_t *eligible, *light, *priority;  // by need
  std::vector<std::int64_t> census;  // [(subregion x N + need) x Z + setting]
  std::vector<std::vector<std::uint64_t>> queue;  // [subregion]: keys of the queued clients
};

// Places queued clients where the census leaves free places, and records the
// year-end census. The first form counts the census itself (a pass over the store).
void placement(ClientStore& c, const Year& y);
void placement(ClientStore& c, const Year& y, PlacementCensus& census);

}  // namespace careabm
