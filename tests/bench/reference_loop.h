// The plain hand-written reference loop (reference_loop.cpp): the workforce
// core as one scalar loop a year, no careabm code, compiled -O3.
#pragma once

#include <cstdint>

struct ReferenceTiming {
  double agent_years = 0, seconds = 0, cpu_seconds = 0;
  double bytes = 0, agents = 0;  // growth of the peak resident set during the run; agents at the end
  std::int64_t counted = 0;      // the sum of its counts (keeps them observable)
};

// Runs the loop over `workers` initial workers for `years` years and times it.
ReferenceTiming reference_loop(long workers, long years);
