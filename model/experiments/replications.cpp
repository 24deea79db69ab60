#include "experiments/replications.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/interrupt.h"
#include "simulation/simulate.h"

namespace careabm::experiments {

int default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::vector<RunResult> run_replications(const Params& p, int threads, const ProgressFn& progress) {
  // Fewer replications than threads: the spare threads split the passes of
  // each replication (simulate's output is the same for any number).
  const int total = p.replications, spare = total > 0 ? std::max(0, threads - total) : 0;
  auto within = [&](int rep) { return 1 + spare / std::max(1, total) + (rep < spare % std::max(1, total) ? 1 : 0); };
  return run_each(total, [&](int rep) { return simulate(p, rep, within(rep)); }, threads, progress);
}

std::vector<RunResult> run_each(int total, const std::function<RunResult(int)>& one, int threads,
                                const ProgressFn& progress) {
  std::vector<RunResult> results(total);
  std::atomic<int> next{0};
  int finished = 0;
  std::mutex mutex;
  std::exception_ptr failure;

  auto worker = [&] {
    for (int rep = next++; rep < total; rep = next++) {
      if (interrupt_signal()) {  // SIGINT/SIGTERM: start no more replications
        next = total;
        return;
      }
      try {
        results[rep] = one(rep);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        next = total;
        return;
      }
      const std::lock_guard lock(mutex);
      ++finished;
      if (progress) progress(finished, total);
    }
  };
  const int n = std::clamp(threads, 1, std::max(1, total));
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  throw_if_interrupted();  // the results are incomplete: the caller must not use them
  return results;
}

}  // namespace careabm::experiments
