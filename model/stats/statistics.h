// Statistics over replications: the summary axis of the HDF5 contract
// (mean, p05, p50, p95) and intervals for printed tables.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace careabm::stats {

// Quantile of sorted values by linear interpolation between order statistics
// (Hyndman & Fan type 7, the default of R and numpy).
double quantile_sorted(const std::vector<double>& sorted, double q);

const std::vector<std::string>& summary_stat_labels();  // mean, p05, p50, p95

// values: [replication][element] flattened (reps x n); result: [stat][element] (4 x n).
std::vector<double> summarise(const std::vector<double>& values, int reps);

struct Interval {
  double mean, lo, hi;
};
// Mean and central `level` interval (e.g. 0.95 -> 2.5% and 97.5% quantiles) of values.
Interval interval(std::vector<double> values, double level);

}  // namespace careabm::stats
