// Statistics over replications: the summary axis of the HDF5 contract and
// intervals for printed tables. One interval convention everywhere: the "95%
// interval" is the 2.5-97.5% quantiles over replications (p025, p975 on the
// summary axis); p05 and p95 are kept for readers of the 90% band.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace careabm::stats {

// Quantile of sorted values by linear interpolation between order statistics
// (Hyndman & Fan type 7, the default of R and numpy).
double quantile_sorted(const std::vector<double>& sorted, double q);

const std::vector<std::string>& summary_stat_labels();  // mean, p025, p05, p50, p95, p975
constexpr std::size_t kSummaryStats = 6;

// values: [replication][element] flattened (reps x n); result: [stat][element] (kSummaryStats x n).
std::vector<double> summarise(const std::vector<double>& values, int reps);

struct Interval {
  double mean, lo, hi;
};
// Mean and central `level` interval (e.g. 0.95 -> 2.5% and 97.5% quantiles) of values.
Interval interval(std::vector<double> values, double level);

}  // namespace careabm::stats
