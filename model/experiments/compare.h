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
#include "experiments/memory.h"
#include "experiments/replications.h"
#include "io/h5_writer.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct CompareScenario {
  std::filesystem::path file;
  std::string name;  // unique among the compared scenarios (a repeated name gets "-2", "-3", ...)
  Params p;
  std::string text;  // resolved TOML
  std::vector<std::string> overrides;  // applied when loading (the base's seed and replications)
  std::vector<RunResult> results;
  std::vector<std::vector<double>> draws;  // with --uncertainty: [replication][parameter] of p.uncertainty
};

// Loads the base and alternatives: every scenario with the base's seed and
// `replications` (0: the base's). Throws InputError naming the alternative's
// file when it does not share the base's years and categories.
std::vector<CompareScenario> load_compare(const std::filesystem::path& base,
                                          const std::vector<std::filesystem::path>& alternatives, int replications);

// Runs every scenario's replications (progress counts replications over all
// scenarios). With `uncertainty`, each replication of every scenario runs with
// its draw of the scenario's [uncertainty] parameters (experiments/uncertainty.h):
// the draws depend on the seed, the replication count and each key only, so a
// key the scenarios share takes the same value in replication r of each, and
// the paired differences hold the parameters' effect on the difference.
void run_compare(std::vector<CompareScenario>& scenarios, int threads, const ProgressFn& progress = {},
                 bool uncertainty = false);

// Student t quantile t(q, df).
double t_quantile(double q, int df);

struct PairedInterval {
  double mean, lo, hi;  // mean of d and its 95% confidence interval (NaN bounds when fewer than 2 values)
};
// mean(d) -+ t(0.975, n - 1) sd(d) / sqrt(n), sample sd (ddof = 1).
PairedInterval paired_interval(const std::vector<double>& d);

// The cost side of a comparison, per replication r (paired): the
// intervention cost over the horizon (alternative - base), and the FTE-years
// gained: the unfilled demand removed, sum over years and cells of
// max(0, base shortage FTE) - max(0, alternative shortage FTE). A cell in
// surplus counts as 0 in both, so a larger surplus gains nothing.
struct CostDifference {
  std::vector<double> cost, gained;  // per replication
  PairedInterval total;              // of cost: mean and 95% confidence interval
  PairedInterval fte_years_gained;   // of gained
  // Cost per FTE-year gained: the ratio of the means, with a 95% interval by
  // the delta method (linearisation: the paired residuals cost_r - ratio x
  // gained_r, their sample sd / (sqrt(R) x mean gain), times t(0.975, R-1)).
  // NaN when the mean gain is not positive.
  PairedInterval per_fte_year;
};
CostDifference cost_difference(const CompareScenario& base, const CompareScenario& alternative);

// Unfilled demand of one run over the horizon: sum over years and cells of max(0, shortage FTE).
double unfilled_fte_years(const RunResult& r);

// Total intervention cost of one replication, euro, over the horizon.
double total_cost(const RunResult& r);

// Cost per FTE-year from paired per-replication costs and gains (see CostDifference).
PairedInterval ratio_interval(const std::vector<double>& cost, const std::vector<double>& gained);

// Writes the compare file into `out` (a file on disk, or H5Writer::in_memory()).
void write_compare(io::H5Writer& out, const std::vector<CompareScenario>& scenarios, const std::string& command_line);
// write_compare() into a new file at `path` (the caller passes a temporary name and
// renames it when done).
void write_compare_file(const std::filesystem::path& path, const std::vector<CompareScenario>& scenarios,
                        const std::string& command_line);

// The memory the comparison needs (experiments/memory.h: every scenario's results
// are kept until the file is written); appends every scenario's input files to `inputs`.
MemoryEstimate estimate_compare(const std::vector<CompareScenario>& scenarios, int threads,
                                std::vector<std::filesystem::path>& inputs);

// The printed table: per alternative, the difference in the total shortage in
// persons in 2031 (or the last year) and in the unfilled demand, with paired
// 95% intervals, FTE-years gained, cost and cost per FTE-year gained.
void print_compare_table(std::ostream& out, const std::vector<CompareScenario>& scenarios);

}  // namespace careabm::experiments
