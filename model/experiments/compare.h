// `careabm compare BASE ALT...`: paired replications with common random
// numbers. Every scenario runs with the base's seed and the same replication
// count, so replication r of each scenario uses the same random stream and the
// paired difference alternative_r - base_r holds only the intervention's
// effect (and the noise that the intervention itself creates). The file layout
// is analysis/README.md, "Output layouts", compare.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "experiments/replications.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct CompareScenario {
  std::filesystem::path file;
  std::string name;  // unique among the compared scenarios (a repeated name gets "-2", "-3", ...)
  Params p;
  std::string text;  // resolved TOML
  std::vector<RunResult> results;
};

// Loads the base and alternatives: every scenario with the base's seed and
// `replications` (0: the base's). Throws InputError naming the alternative's
// file when it does not share the base's years and categories.
std::vector<CompareScenario> load_compare(const std::filesystem::path& base,
                                          const std::vector<std::filesystem::path>& alternatives, int replications);

// Runs every scenario's replications (progress counts replications over all scenarios).
void run_compare(std::vector<CompareScenario>& scenarios, int threads, const ProgressFn& progress = {});

// Student t quantile t(q, df).
double t_quantile(double q, int df);

struct PairedInterval {
  double mean, lo, hi;  // mean of d and its 95% confidence interval (NaN bounds when fewer than 2 values)
};
// mean(d) -+ t(0.975, n - 1) sd(d) / sqrt(n), sample sd (ddof = 1).
PairedInterval paired_interval(const std::vector<double>& d);

struct CostDifference {
  double total;              // euro: mean over replications of (alternative - base) intervention cost
  double fte_years_gained;   // mean over replications of sum over years and cells of (base - alternative) shortage FTE
  double per_fte_year;       // total / fte_years_gained; NaN when fte_years_gained <= 0
};
CostDifference cost_difference(const CompareScenario& base, const CompareScenario& alternative);

// Total intervention cost of one replication, euro, over the horizon.
double total_cost(const RunResult& r);

// Writes the compare file (the caller passes a temporary name and renames it when done).
void write_compare_file(const std::filesystem::path& path, const std::vector<CompareScenario>& scenarios,
                        const std::string& command_line);

// The printed table: per alternative, the difference in the total shortage in
// persons in 2031 (or the last year) with its paired 95% interval, FTE-years
// gained, cost and cost per FTE-year gained.
void print_compare_table(std::ostream& out, const std::vector<CompareScenario>& scenarios);

}  // namespace careabm::experiments
