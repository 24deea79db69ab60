#include "experiments/replications.h"

#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/errors.h"
#include "core/interrupt.h"
#include "simulation/simulate.h"

namespace careabm::experiments {

namespace {

// A thread count from an environment variable's text: a whole number in [1, 4096].
int threads_variable(const char* name, const std::string& text) {
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 4096) {
    throw InputError("<environment>", 0, name, "expected a whole number of threads in [1, 4096], got '" + text + "'");
  }
  return n;
}

}  // namespace

int default_threads(const char* slurm_cpus_per_task, const char* omp_num_threads, int affinity) {
  if (slurm_cpus_per_task) return threads_variable("SLURM_CPUS_PER_TASK", slurm_cpus_per_task);
  if (omp_num_threads) {  // "8" or, for nested parallelism, "8,2": the outer level is ours
    const std::string text = omp_num_threads;
    return threads_variable("OMP_NUM_THREADS", text.substr(0, text.find(',')));
  }
  return std::max(1, affinity);
}

int affinity_cpus() {
  // A set as large as the machine's CPU numbers can go (cpu_set_t holds 1024 only).
  for (int size = 1024; size <= 1 << 20; size *= 2) {
    cpu_set_t* set = CPU_ALLOC(size);
    if (!set) break;
    const std::size_t bytes = CPU_ALLOC_SIZE(size);
    const int ok = sched_getaffinity(0, bytes, set);
    const int count = ok == 0 ? CPU_COUNT_S(bytes, set) : 0;
    CPU_FREE(set);
    if (ok == 0) return std::max(1, count);
    if (errno != EINVAL) break;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int default_threads() {
  return default_threads(std::getenv("SLURM_CPUS_PER_TASK"), std::getenv("OMP_NUM_THREADS"), affinity_cpus());
}

int environment_threads() {
  const char* slurm = std::getenv("SLURM_CPUS_PER_TASK");
  const char* omp = std::getenv("OMP_NUM_THREADS");
  return slurm || omp ? default_threads(slurm, omp, 1) : 0;
}

std::vector<RunResult> run_replications(const Params& p, int threads, const ProgressFn& progress,
                                        const FinishedFn& finished, const YearDoneFn& year_done) {
  // Fewer replications than threads: the spare threads split the passes of
  // each replication (simulate's output is the same for any number).
  const int total = p.replications, spare = total > 0 ? std::max(0, threads - total) : 0;
  auto within = [&](int rep) { return 1 + spare / std::max(1, total) + (rep < spare % std::max(1, total) ? 1 : 0); };
  return run_each(
      total,
      [&](int rep) {
        RunResult r;
        try {
          r = simulate(p, rep, within(rep), year_done);
        } catch (...) {
          if (finished) finished(rep, nullptr);
          throw;
        }
        if (finished) finished(rep, &r);
        return r;
      },
      threads, progress);
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
