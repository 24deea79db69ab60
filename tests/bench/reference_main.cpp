// careabm-reference-loop: runs the plain hand-written loop (reference_loop.cpp)
// once and prints the same machine-readable lines as careabm-bench:
//   agent_years, seconds, cpu_seconds, agent_years_per_cpu_second, bytes_per_agent.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "reference_loop.h"

namespace {
long arg(int argc, char** argv, const char* name, long fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], name)) return std::atol(argv[i + 1]);
  return fallback;
}
}  // namespace

int main(int argc, char** argv) {
  const long workers = arg(argc, argv, "--workers", 1500000);
  const long years = arg(argc, argv, "--years", 19);
  const ReferenceTiming t = reference_loop(workers, years);
  std::printf("workers %ld\nyears %ld\nagent_years %.0f\ncounted %lld\n", workers, years, t.agent_years,
              static_cast<long long>(t.counted));
  std::printf("seconds %.3f\ncpu_seconds %.3f\n", t.seconds, t.cpu_seconds);
  std::printf("agent_years_per_second %.0f\nagent_years_per_cpu_second %.0f\n", t.agent_years / t.seconds,
              t.agent_years / t.cpu_seconds);
  std::printf("bytes_per_agent %.1f\n", t.bytes / t.agents);
  return 0;
}
