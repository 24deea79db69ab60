// Workers as a structure of arrays: one contiguous array per attribute, no
// object per agent. A year is a few linear passes over these arrays.
#pragma once

#include <cstdint>
#include <vector>

#include "core/compact.h"

namespace careabm {

enum class WorkerState : std::uint8_t { active, in_upgrade_training, reserve, gone };
// Active or in upgrade training: in the sector's headcount (one comparison, no branch).
inline bool working(WorkerState s) {
  return static_cast<std::uint8_t>(s) <= static_cast<std::uint8_t>(WorkerState::in_upgrade_training);
}
enum class Employment : std::uint8_t { employee, self_employed };

// Agent uids derive from where the agent came from, so that agents added in
// one scenario never shift the uids (and so the random draws) of others:
// origin 0 = initial population (index = row in the expanded initial table);
// other origins = an inflow source or training programme, with the year and
// an index within that source and year.
// Origin of the members of the reserve at the start (reentry.initial_reserve_ratio).
constexpr std::uint32_t kInitialReserveOrigin = 31;

inline std::uint64_t make_uid(std::uint32_t origin, int year, std::uint64_t index) {
  return (std::uint64_t{origin} << 56) | (std::uint64_t(static_cast<std::uint16_t>(year)) << 40) |
         (index & ((std::uint64_t{1} << 40) - 1));
}

struct WorkerStore {
  std::vector<std::uint64_t> uid;
  std::vector<float> hours;  // contract hours per week
  std::vector<WorkerState> state;
  std::vector<Employment> employment;
  std::vector<std::uint8_t> subregion, branch, occupation;  // occupation = the job held
  // The occupation the worker is qualified for (its diploma): the job's own
  // occupation, unless the labour market lets the worker hold a job below it.
  std::vector<std::uint8_t> qualification;
  std::vector<std::uint8_t> age, tenure;  // years; tenure = years in the sector
  std::vector<std::uint8_t> since_left;   // years in the reserve
  std::vector<std::uint8_t> female;
  // Upgrade training (state in_upgrade_training): programme id, kNoProgramme otherwise.
  static constexpr std::uint8_t kNoProgramme = 255;
  std::vector<std::uint8_t> programme, study_year;

  std::size_t size() const { return uid.size(); }

  struct New {
    std::uint64_t uid;
    float hours;
    Employment employment;
    std::uint8_t subregion, branch, occupation, age, tenure, female;
    std::uint8_t qualification = kSameAsJob;  // kSameAsJob: the occupation
  };
  static constexpr std::uint8_t kSameAsJob = 255;
  void add(const New& w) {
    uid.push_back(w.uid);
    hours.push_back(w.hours);
    state.push_back(WorkerState::active);
    employment.push_back(w.employment);
    subregion.push_back(w.subregion);
    branch.push_back(w.branch);
    occupation.push_back(w.occupation);
    qualification.push_back(w.qualification == kSameAsJob ? w.occupation : w.qualification);
    age.push_back(w.age);
    tenure.push_back(w.tenure);
    since_left.push_back(0);
    female.push_back(w.female);
    programme.push_back(kNoProgramme);
    study_year.push_back(0);
  }

  // Row i of a store resized to hold it (resize): the same as add() there.
  void set(std::size_t i, const New& w) {
    uid[i] = w.uid, hours[i] = w.hours, state[i] = WorkerState::active, employment[i] = w.employment;
    subregion[i] = w.subregion, branch[i] = w.branch, occupation[i] = w.occupation;
    qualification[i] = w.qualification == kSameAsJob ? w.occupation : w.qualification;
    age[i] = w.age, tenure[i] = w.tenure, since_left[i] = 0, female[i] = w.female;
    programme[i] = kNoProgramme, study_year[i] = 0;
  }
  // n rows; with a team, the columns grow (and their new pages are first
  // touched) on its threads.
  void resize(std::size_t n, Team* team = nullptr) {
    each_column(
        team, [n](auto& column) { column.resize(n); }, uid, hours, state, employment, subregion, branch, occupation,
        qualification, age, tenure, since_left, female, programme, study_year);
  }

  void reserve(std::size_t n) {
    uid.reserve(n), hours.reserve(n), state.reserve(n), employment.reserve(n);
    subregion.reserve(n), branch.reserve(n), occupation.reserve(n), qualification.reserve(n);
    age.reserve(n), tenure.reserve(n), since_left.reserve(n), female.reserve(n);
    programme.reserve(n), study_year.reserve(n);
  }

  // Drops agents that are gone, keeping the order of the rest. Processes skip
  // gone agents, so this only saves passes: it runs once an eighth is gone.
  // With a team, the columns are compacted on its threads.
  void compact_if_worthwhile(Team* team = nullptr) {
    std::size_t gone = 0;
    for (auto s : state) gone += s == WorkerState::gone;
    if (gone * 8 > size()) compact(team);
  }
  void compact(Team* team = nullptr) {
    const WorkerState* st = state.data();
    compact_columns(
        team, size(), [st](std::size_t i) { return st[i] != WorkerState::gone; }, uid, hours, state, employment,
        subregion, branch, occupation, qualification, age, tenure, since_left, female, programme, study_year);
  }
};

}  // namespace careabm
