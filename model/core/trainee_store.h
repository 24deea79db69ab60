// Trainees as a structure of arrays: students and certificate trainees of the
// programmes that bring new people into care (school leavers, career
// switchers). Upgrading workers are not here: they stay workers (state
// in_upgrade_training, WorkerStore::programme), so headcount keeps them.
#pragma once

#include <cstdint>
#include <vector>

#include "core/compact.h"

namespace careabm {

// Trainee uids: origin 32 (see make_uid), the year of enrolment, and an index
// made of the programme's 16-bit name tag, the subregion and a counter. A
// graduate who enters the sector keeps this uid as a worker, so extra trainees
// (an extra cohort, a new programme) never shift anyone else's draws.
constexpr std::uint32_t kTraineeOrigin = 32;
inline std::uint64_t trainee_index(std::uint32_t programme_tag, int subregion, std::uint64_t j) {
  return (std::uint64_t{programme_tag & 0xFFFFu} << 24) | (std::uint64_t(subregion & 0xFF) << 16) |
         (j & 0xFFFFu);
}

struct TraineeStore {
  std::vector<std::uint64_t> uid;
  std::vector<std::uint8_t> programme;   // id into Params::training.programmes
  std::vector<std::uint8_t> study_year;  // 1 .. duration
  std::vector<std::uint8_t> subregion;
  std::vector<std::uint8_t> branch;  // workplace (BBL) or placement branch; entry branch
  std::vector<std::uint8_t> age;
  std::vector<std::uint8_t> done;  // 1 once graduated or dropped out (removed by compact)

  std::size_t size() const { return uid.size(); }

  void add(std::uint64_t id, std::uint8_t prog, std::uint8_t year_of_study, std::uint8_t sub, std::uint8_t br,
           std::uint8_t years_of_age) {
    uid.push_back(id);
    programme.push_back(prog);
    study_year.push_back(year_of_study);
    subregion.push_back(sub);
    branch.push_back(br);
    age.push_back(years_of_age);
    done.push_back(0);
  }

  // Drops trainees who are done, keeping the order of the rest.
  void compact() {
    const std::uint8_t* finished = done.data();
    compact_columns(
        nullptr, size(), [finished](std::size_t i) { return !finished[i]; }, uid, programme, study_year, subregion,
        branch, age, done);
  }
};

}  // namespace careabm
