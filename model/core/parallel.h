// A team of threads that one replication's passes are split across, when a
// run has fewer replications than threads (README.md, "Performance"). The
// team only runs parts; which rows a part holds, and how parts' results are
// merged so that the output is the same for any team size, is the caller's
// (processes/year.h, split_rows).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace careabm {

class Team {
 public:
  // threads <= 1: no extra thread; every part runs on the caller's.
  explicit Team(int threads);
  ~Team();
  Team(const Team&) = delete;
  Team& operator=(const Team&) = delete;

  int size() const { return static_cast<int>(helpers_.size()) + 1; }

  // Calls body(part) for part = 0 .. parts-1 on the team's threads (the
  // caller's included) and returns when all are done; the first exception a
  // part throws is rethrown here.
  void run(int parts, const std::function<void(int)>& body);

 private:
  void help();
  void take_parts();

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* body_ = nullptr;
  int parts_ = 0, next_ = 0, running_ = 0;
  unsigned long generation_ = 0;
  bool stop_ = false;
  std::exception_ptr failure_;
};

// Calls fn(column) for each column, the columns spread over the team's
// threads (none: all on the caller's). For work on whole columns that are
// independent of each other: growing, zeroing, compacting a store's arrays.
template <class Fn, class... Column>
void each_column(Team* team, Fn fn, Column&... column) {
  const std::function<void()> job[] = {[&] { fn(column); }...};
  constexpr int n = static_cast<int>(sizeof...(Column));
  if (team) team->run(n, [&](int k) { job[k](); });
  else
    for (const auto& one : job) one();
}

// Rows [begin, end) of part k when n rows are split into `parts` parts of
// nearly equal size, boundaries at multiples of `align`.
struct Rows {
  std::size_t begin, end;
};
inline Rows part_rows(std::size_t n, int parts, int k, std::size_t align) {
  const std::size_t blocks = (n + align - 1) / align;
  auto at = [&](int j) { return std::min(n, blocks * std::size_t(j) / std::size_t(parts) * align); };
  return {at(k), at(k + 1)};
}

// How many parts to split n rows into: one per thread of the team (none: one),
// at most one per `align` rows.
inline int parts_for(const Team* team, std::size_t n, std::size_t align) {
  const std::size_t blocks = (n + align - 1) / align;
  const int threads = team ? team->size() : 1;
  return static_cast<int>(std::max<std::size_t>(1, std::min<std::size_t>(std::size_t(threads), blocks)));
}

}  // namespace careabm
