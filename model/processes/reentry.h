// The reserve: qualified people who left the sector. Each year a member may
// return (hazard by years since leaving) or leave the reserve for good (at
// the pension age, rounded up to whole years, or after the maximum years
// away). A returner goes back to the former cell, or, with a labour market,
// for a share vacancy_weight, looks for an open job in the former subregion
// that the qualification may hold: the pass records it (seekers), and the
// year loop places it after the pass, taking open jobs one by one
// (processes/labour_market.h, OpenJobs; processes/seekers.cpp). A worker
// kernel (processes/year.h); tables in reentry.cpp.
#pragma once

#include <vector>

#include "processes/year.h"

namespace careabm {

class Reentry {
 public:
  static constexpr bool draws = true;
  // spare_word: as Outflow's (word 3 of a returner's block), null: nowhere.
  // seekers: as Transfer's, for the returners who follow open jobs.
  explicit Reentry(const Year& y, std::uint32_t* spare_word = nullptr, std::vector<Seeker>* seekers = nullptr);
  bool active() const { return true; }

  // Selecting the members who may return also retires the others for good
  // (no draw needed), computed without branches.
  bool eligible(WorkerStore& w, std::size_t i) const {
    const WorkerState state = w.state[i];
    const std::uint8_t since_left = w.since_left[i];
    const bool waiting = (state == WorkerState::reserve) & (since_left != 0);  // not left this year
    const bool leaves = waiting & ((w.age[i] >= pension_age_) | (since_left > max_years_));
    w.state[i] = leaves ? WorkerState::gone : state;
    return bool(waiting & !leaves);
  }

  // Words (rng::Event::worker_year; a reserve member is not in the workforce,
  // so the workers' kernels leave them unused): 0 returning, 1 whether (and
  // which) open job, 3 kept for the upgrade enrolment.
  void operator()(WorkerStore& w, std::size_t i, const rng::Words& draw) const {
    if (draw[0] >= by_years_[w.since_left[i]]) return;
    if (spare_word_) spare_word_[i] = draw[3];
    w.state[i] = WorkerState::active;
    w.since_left[i] = 0;
    if (seekers_ != nullptr && OpenJobs::follows(w_, draw[1])) {  // its cell waits for the seekers step
      seekers_->push_back({static_cast<std::uint32_t>(i), draw[1], -1, 0});
      return;
    }
    y_.count(y_.cell_of(w, i), kInReentry);
  }

 private:
  const Year& y_;
  std::uint32_t* spare_word_;
  std::vector<Seeker>* seekers_;
  double w_;  // vacancy_weight
  int pension_age_, max_years_;
  std::uint64_t by_years_[256];  // re-entry threshold by years since leaving
};

}  // namespace careabm
