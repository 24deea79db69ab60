// A plain hand-written reference for careabm-bench --workers-only: the same
// workforce core written the way a programmer would write it without careabm,
// one scalar loop over the workers per year, g++ -O3, no library code. It is
// what careabm's year loop is measured against side by side
// (tests/bench/side_by_side.sh); its numbers are not a model result.
//
// Per year, in one fused pass over a structure-of-arrays store:
//   ageing; retirement at the pension age; for the active, a leaving hazard
//   by occupation x single year of age x tenure band (split into the reserve,
//   leaving the region, death/disability) and a branch transfer; for the
//   reserve, a return hazard by years since leaving (and leaving it after
//   ten years); the departed compacted away in the same pass; a census of
//   active workers and reserve by subregion x branch x occupation.
// Then the year's graduates are appended (a fixed number per occupation,
// spread over subregions and branches). Random numbers: one 64-bit
// counter-based hash of (seed, year, uid) per worker-year, split into the
// decisions' bits, so the loop has no generator state.
//
// reference_loop() runs it and times it (reference_loop.h); the program
// careabm-reference-loop (reference_main.cpp) prints the same machine-readable
// lines as careabm-bench, and careabm-bench --side-by-side runs it in turn
// with careabm in one process.
#include "reference_loop.h"

#include <sys/resource.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <vector>

namespace {

constexpr int kS = 4, kB = 6, kO = 5, kCells = kS * kB * kO;
constexpr std::uint8_t kActive = 0, kReserve = 1;

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser: a counter-based hash
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

struct Store {
  std::vector<std::uint32_t> uid;
  std::vector<std::uint8_t> age, tenure, since_left, state, subregion, branch, occupation;
  std::size_t size() const { return uid.size(); }
  void reserve(std::size_t n) {
    uid.reserve(n), age.reserve(n), tenure.reserve(n), since_left.reserve(n), state.reserve(n);
    subregion.reserve(n), branch.reserve(n), occupation.reserve(n);
  }
  void add(std::uint32_t u, int a, int t, std::uint8_t st, int s, int b, int o) {
    uid.push_back(u), age.push_back(std::uint8_t(a)), tenure.push_back(std::uint8_t(t)), since_left.push_back(0);
    state.push_back(st), subregion.push_back(std::uint8_t(s)), branch.push_back(std::uint8_t(b));
    occupation.push_back(std::uint8_t(o));
  }
  void resize(std::size_t n) {
    uid.resize(n), age.resize(n), tenure.resize(n), since_left.resize(n), state.resize(n);
    subregion.resize(n), branch.resize(n), occupation.resize(n);
  }
};

}  // namespace

ReferenceTiming reference_loop(long workers, long years) {
  const std::uint64_t seed = 20220101;

  // Rates in the range of the pipeline example's (per year).
  const double leave[kO] = {0.12, 0.09, 0.07, 0.06, 0.10};
  const double transfer = 0.03, to_reserve = 0.7, left_region = 0.2;  // the rest: death/disability
  const double back[11] = {0.14, 0.14, 0.08, 0.08, 0.08, 0.03, 0.03, 0.03, 0.03, 0.03, 0.0};
  const int pension = 67, entry_age = 17;
  auto threshold = [](double p) { return std::uint32_t(p >= 1 ? 0xffffffffu : p * 4294967296.0); };
  // Leaving hazard thresholds by occupation x age x tenure band (< 2, 2-4, 5+).
  std::vector<std::uint32_t> hazard(std::size_t(kO) * 128 * 3);
  for (int o = 0; o < kO; ++o)
    for (int a = 0; a < 128; ++a)
      for (int k = 0; k < 3; ++k) {
        const double age_mult = a < 25 ? 1.6 : a < 35 ? 1.2 : a < 55 ? 0.8 : 1.1;
        const double tenure_mult = k == 0 ? 1.8 : k == 1 ? 1.1 : 0.8;
        hazard[(std::size_t(o) * 128 + a) * 3 + k] = threshold(leave[o] * age_mult * tenure_mult);
      }
  std::array<std::uint8_t, 256> tenure_band{};
  for (int t = 0; t < 256; ++t) tenure_band[t] = t < 2 ? 0 : t < 5 ? 1 : 2;
  const std::uint32_t t_transfer = threshold(transfer);
  const std::uint32_t t_reserve = threshold(to_reserve), t_region = threshold(to_reserve + left_region);
  std::uint32_t t_back[11];
  for (int k = 0; k < 11; ++k) t_back[k] = threshold(back[k]);
  const long graduates_per_year = workers / 25;

  const long rss_before = peak_rss_bytes();
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();

  // The initial population: ages 18-66, tenure up to the years since entry, a reserve of a quarter.
  Store w;
  w.reserve(std::size_t(double(workers) * 1.6));
  std::uint32_t next_uid = 0;
  for (long i = 0; i < workers; ++i) {
    const std::uint64_t r = mix(seed ^ mix(next_uid));
    const int age = 18 + int(r % 49), tenure = int((r >> 8) % std::uint64_t(age - entry_age));
    w.add(next_uid++, age, tenure, kActive, int((r >> 16) % kS), int((r >> 24) % kB), int((r >> 32) % kO));
  }
  for (long i = 0; i < workers / 4; ++i) {
    const std::uint64_t r = mix(seed ^ mix(next_uid));
    w.add(next_uid++, 25 + int(r % 40), 0, kReserve, int((r >> 16) % kS), int((r >> 24) % kB), int((r >> 32) % kO));
    w.since_left.back() = std::uint8_t((r >> 40) % 10);
  }

  std::vector<std::int64_t> census(std::size_t(years) * kCells * 2, 0), flows(std::size_t(years) * 6, 0);
  double agent_years = 0;
  for (long year = 1; year < years; ++year) {
    const std::uint64_t year_key = mix(seed + std::uint64_t(year) * 0x100000001ULL);
    std::int64_t* cen = census.data() + std::size_t(year) * kCells * 2;
    std::int64_t* fl = flows.data() + std::size_t(year) * 6;
    std::size_t out = 0;
    const std::size_t n = w.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t r = mix(year_key ^ w.uid[i]);
      const std::uint32_t u0 = std::uint32_t(r), u1 = std::uint32_t(r >> 32);
      int age = w.age[i] + 1, tenure = w.tenure[i], since = w.since_left[i];
      std::uint8_t state = w.state[i];
      int branch = w.branch[i];
      bool gone = age >= pension;
      if (gone) {
        ++fl[0];  // retirement
      } else if (state == kActive) {
        if (u0 < hazard[(std::size_t(w.occupation[i]) * 128 + age) * 3 + tenure_band[tenure]]) {
          if (u1 < t_reserve) {
            state = kReserve, since = 0, ++fl[1];
          } else {
            gone = true, ++fl[u1 < t_region ? 2 : 3];
          }
        } else {
          tenure = tenure < 255 ? tenure + 1 : 255;
          if (u1 < t_transfer) branch = int((branch + 1 + (u1 % (kB - 1))) % kB), ++fl[4];
        }
      } else {
        since = since + 1;
        if (since > 10) {
          gone = true;
        } else if (u0 < t_back[since]) {
          state = kActive, ++fl[5];
        }
      }
      if (gone) continue;
      // Compact in the same pass and count.
      w.uid[out] = w.uid[i], w.age[out] = std::uint8_t(age), w.tenure[out] = std::uint8_t(tenure);
      w.since_left[out] = std::uint8_t(since), w.state[out] = state, w.subregion[out] = w.subregion[i];
      w.branch[out] = std::uint8_t(branch), w.occupation[out] = w.occupation[i];
      ++cen[((w.subregion[i] * kB + branch) * kO + w.occupation[i]) * 2 + state];
      ++out;
    }
    w.resize(out);
    // Graduates.
    for (long g = 0; g < graduates_per_year; ++g) {
      const std::uint64_t r = mix(year_key ^ mix(next_uid));
      const int s = int(r % kS), b = int((r >> 8) % kB), o = int((r >> 16) % kO);
      w.add(next_uid++, 19 + int((r >> 24) % 8), 0, kActive, s, b, o);
      ++cen[((s * kB + b) * kO + o) * 2];
    }
    agent_years += double(w.size());
  }

  ReferenceTiming timing;
  timing.cpu_seconds = cpu_seconds() - cpu_start;
  timing.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.agent_years = agent_years;
  timing.bytes = double(peak_rss_bytes() - rss_before);
  timing.agents = double(w.size());
  for (auto c : census) timing.counted += c;  // keep the counts observable
  for (auto f : flows) timing.counted += f;
  return timing;
}
