#include "stats/statistics.h"

#include <algorithm>
#include <cmath>

namespace careabm::stats {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nan("");
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

const std::vector<std::string>& summary_stat_labels() {
  static const std::vector<std::string> labels = {"mean", "p025", "p05", "p50", "p95", "p975"};
  return labels;
}

std::vector<double> summarise(const std::vector<double>& values, int reps) {
  // p025 and p975 exactly as interval(values, 0.95) computes them, so the
  // file's 95% interval is the printed one to the last bit.
  constexpr double tail95 = (1.0 - 0.95) / 2.0;
  static const double quantiles[] = {tail95, 0.05, 0.50, 0.95, 1.0 - tail95};
  const std::size_t n = reps > 0 ? values.size() / reps : 0, S = kSummaryStats;
  std::vector<double> out(S * n);
  std::vector<double> column(reps);
  for (std::size_t e = 0; e < n; ++e) {
    double sum = 0;
    for (int r = 0; r < reps; ++r) {
      column[r] = values[std::size_t(r) * n + e];
      sum += column[r];
    }
    std::sort(column.begin(), column.end());
    out[e] = sum / reps;
    for (std::size_t q = 0; q + 1 < S; ++q) out[(q + 1) * n + e] = quantile_sorted(column, quantiles[q]);
  }
  return out;
}

Interval interval(std::vector<double> values, double level) {
  double sum = 0;
  for (double v : values) sum += v;
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - level) / 2.0;
  return {values.empty() ? std::nan("") : sum / double(values.size()), quantile_sorted(values, tail),
          quantile_sorted(values, 1.0 - tail)};
}

}  // namespace careabm::stats
