// Clients (older people receiving formal long-term care) as a structure of
// arrays. Need level and setting are ids into the scenario's categories.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/parallel.h"

namespace careabm {

// Client uids: origin 64 for the initial population (year 0, index = row in the
// expanded initial table), 65 for new clients (the year they arrive, index from
// subregion, age band and a counter).
constexpr std::uint32_t kInitialClientOrigin = 64, kNewClientOrigin = 65;
inline std::uint64_t new_client_index(int subregion, int age_band, std::uint64_t j) {
  return (std::uint64_t(subregion & 0xFFF) << 28) | (std::uint64_t(age_band & 0xFF) << 20) | (j & 0xFFFFFu);
}

struct ClientStore {
  std::vector<std::uint64_t> uid;
  std::vector<std::uint8_t> subregion, need, setting, age;
  std::vector<std::uint8_t> waiting;  // whole years waiting for a nursing-home place
  // Everyone in the store is alive: the clients process removes those who die
  // in the same pass that decides it.

  std::size_t size() const { return uid.size(); }

  // Room for n clients without moving the columns (claims address space;
  // pages are touched when used).
  void reserve(std::size_t n) {
    for (auto* column : {&subregion, &need, &setting, &age, &waiting}) column->reserve(n);
    uid.reserve(n);
  }

  // n rows (new rows to be filled with set(), in uid order); with a team, the
  // columns grow on its threads.
  void resize(std::size_t n, Team* team = nullptr) {
    each_column(team, [n](auto& column) { column.resize(n); }, uid, subregion, need, setting, age, waiting);
  }
  // Row i of a resized store: a new client, not waiting. Callers keep the uids increasing.
  void set(std::size_t i, std::uint64_t id, std::uint8_t sub, std::uint8_t need_level, std::uint8_t where,
           std::uint8_t years_of_age) {
    uid[i] = id, subregion[i] = sub, need[i] = need_level, setting[i] = where, age[i] = years_of_age, waiting[i] = 0;
  }

  // Rows stay in uid order (placement relies on it to break ties by uid):
  // clients must be added in increasing uid order, and removal keeps the order.
  void add(std::uint64_t id, std::uint8_t sub, std::uint8_t need_level, std::uint8_t where,
           std::uint8_t years_of_age) {
    if (!uid.empty() && id <= uid.back()) throw std::logic_error("ClientStore::add: uids out of order");
    uid.push_back(id);
    subregion.push_back(sub);
    need.push_back(need_level);
    setting.push_back(where);
    age.push_back(years_of_age);
    waiting.push_back(0);
  }
};

}  // namespace careabm
