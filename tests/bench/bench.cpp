// Benchmark of the year loop at national scale: agent-years per second and
// peak memory per agent. Prints machine-readable lines
//   agent_years_per_second VALUE
//   agent_years_per_second_per_thread VALUE
//   bytes_per_agent VALUE
// The population is synthetic: a national-size copy of the pipeline example
// (workers, trainees and older clients, every process switched on), scaled so
// that the initial workforce has --workers agents; the figures measure speed,
// not any result. Agent-years count every worker (active or reserve),
// trainee and client alive at the end of each simulated year.
// --workers-only drops the trainees and clients (the workforce processes alone).
// --replications R (default: one per thread): e.g. --threads 2 --replications 1
// splits one replication's passes across two threads.
// --labour-market runs scenarios/examples/labour-market.toml instead: the same
// pipeline with every labour-market mechanism on (vacancy-led entrants,
// recruitment, mobility, workload feedback).
// --side-by-side PAIRS runs, in this one process and in turn, the whole
// pipeline, the plain hand-written loop (reference_loop.cpp) and
// --workers-only, PAIRS times each, and prints the medians of their
// agent-years per CPU-second and the ratios to the loop (one thread; run it
// pinned to one core: taskset -c 0). Alternating in one process keeps the
// machine's drift in speed out of the ratios.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "simulation/simulate.h"
#include "experiments/replications.h"
#include "scenario/document.h"
#include "scenario/load.h"
#include "reference_loop.h"

namespace {

long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

double cpu_seconds() {  // of the whole process (every thread)
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

bool flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], name)) return true;
  }
  return false;
}

long arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], name)) return std::atol(argv[i + 1]);
  }
  return fallback;
}

// The bench's scenario: the example scaled to `workers` initial workers.
careabm::Params bench_params(int argc, char** argv, long workers, long years, long replications, bool workers_only) {
  using namespace careabm;
  const std::string scenario = std::string(CAREABM_SOURCE_DIR) + "/scenarios/examples/" +
                               (flag(argc, argv, "--labour-market") ? "labour-market.toml" : "pipeline.toml");
  std::vector<std::string> sets = {"time.end_year=" + std::to_string(2022 + years - 1),
                                   "run.replications=" + std::to_string(replications)};
  for (int i = 1; i + 1 < argc; ++i) {  // --set key=value, as for careabm run (e.g. to switch one mechanism off)
    if (!std::strcmp(argv[i], "--set")) sets.push_back(argv[i + 1]);
  }
  Params p = scenario::load_params(scenario::Document::load(scenario, sets));
  // Scale the initial groups (and the yearly inflows) to the requested population.
  long base = 0;
  for (const auto& g : p.initial) base += g.count;
  const double scale = double(workers) / double(base);
  for (auto& g : p.initial) g.count = static_cast<std::uint32_t>(g.count * scale + 0.5);
  if (workers_only) {  // the workforce processes alone: no trainees, no clients
    p.training.programmes.clear();
    p.clients.enabled = false;
  }
  for (auto& in : p.inflows)
    for (auto& n : in.per_year) n *= scale;
  for (auto& n : p.labour_market.outside_pool) n *= scale;
  for (auto& g : p.training.programmes)
    for (auto& n : g.enrolment) n *= scale;
  for (auto* column : {&p.clients.population, &p.clients.carers, &p.clients.places})
    for (auto& n : *column) n *= scale;
  for (auto& g : p.clients.initial) g.count = static_cast<std::uint32_t>(g.count * scale + 0.5);
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Agent-years: every agent alive in the store (active or reserve) in every simulated year.
struct AgentYears {
  double all = 0, peak = 0, workers = 0, trainees = 0, clients = 0, active = 0;
};
AgentYears agent_years_of(const std::vector<careabm::RunResult>& results) {
  AgentYears n;
  for (const auto& r : results)
    for (int t = 1; t < r.years; ++t) {
      double workers_alive = 0, trainees_alive = 0, clients_alive = 0;
      for (int c = 0; c < r.cells; ++c) {
        workers_alive += double(r.headcount[r.at(t, c)] + r.reserve[r.at(t, c)]);
        n.active += double(r.headcount[r.at(t, c)]);
      }
      for (int g = 0; g < r.programmes; ++g) trainees_alive += double(r.students[r.programme_at(t, g)]);
      for (std::size_t k = 0; k < r.clients.size() / r.years; ++k)
        clients_alive += double(r.clients[t * (r.clients.size() / r.years) + k]);
      const double alive = workers_alive + trainees_alive + clients_alive;
      n.workers += workers_alive, n.trainees += trainees_alive, n.clients += clients_alive;
      n.all += alive;
      n.peak = std::max(n.peak, alive);
    }
  return n;
}

// Agent-years per CPU-second of one run of careabm on one thread.
double careabm_rate(const careabm::Params& p) {
  const double cpu_start = cpu_seconds();
  const auto results = careabm::experiments::run_replications(p, 1);
  const double cpu = cpu_seconds() - cpu_start;
  return agent_years_of(results).all / cpu;
}

int side_by_side(int argc, char** argv, long pairs, long workers, long years) {
  const careabm::Params pipeline = bench_params(argc, argv, workers, years, 1, false);
  const careabm::Params workforce = bench_params(argc, argv, workers, years, 1, true);
  std::vector<double> a, r, w;
  for (long k = 0; k < pairs; ++k) {
    a.push_back(careabm_rate(pipeline));
    const ReferenceTiming t = reference_loop(workers, years);
    r.push_back(t.agent_years / t.cpu_seconds);
    w.push_back(careabm_rate(workforce));
  }
  const double ma = median(a), mr = median(r), mw = median(w);
  std::printf("side_by_side_pairs %ld\n", pairs);
  std::printf("pipeline_agent_years_per_cpu_second %.0f\n", ma);
  std::printf("workers_only_agent_years_per_cpu_second %.0f\n", mw);
  std::printf("reference_loop_agent_years_per_cpu_second %.0f\n", mr);
  std::printf("pipeline_vs_loop %.3f\nworkers_only_vs_loop %.3f\n", ma / mr, mw / mr);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace careabm;
  const long workers = arg(argc, argv, "--workers", 1500000);
  const long years = arg(argc, argv, "--years", 19);
  const long pairs = arg(argc, argv, "--side-by-side", 0);
  if (pairs > 0) return side_by_side(argc, argv, pairs, workers, years);
  const int threads = static_cast<int>(arg(argc, argv, "--threads", 1));
  // Replications: one per thread unless given; fewer than threads split each replication's passes.
  const long replications = arg(argc, argv, "--replications", threads);
  const Params p = bench_params(argc, argv, workers, years, replications, flag(argc, argv, "--workers-only"));
  const long rss_before = peak_rss_bytes();
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  const auto results = experiments::run_replications(p, threads);
  const double cpu = cpu_seconds() - cpu_start;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long rss_after = peak_rss_bytes();

  const AgentYears n = agent_years_of(results);
  std::printf("workers %ld\nyears %ld\nthreads %d\nreplications %zu\nseconds %.3f\n", workers, years, threads,
              results.size(), seconds);
  std::printf("worker_years %.0f\nactive_worker_years %.0f\ntrainee_years %.0f\nclient_years %.0f\n", n.workers,
              n.active, n.trainees, n.clients);
  std::printf("agent_years_per_second %.0f\n", n.all / seconds);
  std::printf("agent_years_per_second_per_thread %.0f\n", n.all / seconds / threads);
  std::printf("cpu_seconds %.3f\nagent_years_per_cpu_second %.0f\n", cpu, n.all / cpu);
  std::printf("bytes_per_agent %.1f\n",
              double(rss_after - rss_before) / (n.peak * double(results.size())));
  return 0;
}
