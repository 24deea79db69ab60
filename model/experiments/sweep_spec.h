// A sweep file (TOML): which scenario parameters to vary over which ranges, the
// experimental design, replications per point and the scalar outputs to record.
// `careabm sweep` runs it (run/sweep.h); scenarios/sweeps/ has commented examples.
//
//   scenario = "../examples/minimal.toml"   # base scenario, relative to this file
//   seed = 7                                # seed of the design (replications use
//                                           # the scenario's run.seed: common random numbers)
//   replications = 4                        # per point (default: the scenario's run.replications)
//   threads = 2                             # optional default for --threads
//   [design]
//   kind = "saltelli"                       # grid | lhs | saltelli | morris
//   base_samples = 8                        # saltelli: n, giving n (k + 2) points
//   [[parameters]]
//   key = "outflow.rate.vig"                # a --set key path of the scenario
//   lower = 0.07
//   upper = 0.11
//   distribution = "uniform"                # uniform | log_uniform | normal (mean, sd;
//                                           # truncated to [lower, upper])
//   [[outputs]]
//   name = "vig_shortage_2031"
//   variable = "shortage/persons"           # a run/selection.h selection
//   year = 2031
//   occupation = "vig"
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiments/selection.h"

namespace careabm::sweep {

enum class Distribution { uniform, log_uniform, normal };

struct SweepParameter {
  std::string key;  // scenario key path, set with an override "key=value"
  double lower = 0, upper = 0;
  Distribution distribution = Distribution::uniform;
  double mean = 0, sd = 0;  // normal only
  bool integer = false;     // the base scenario holds an integer there: values are rounded
  std::string file;         // where it was written, for messages
  int line = 0;
};

enum class DesignKind { grid, lhs, saltelli, morris };
const char* design_name(DesignKind kind);

struct SweepOutput {
  std::string name;
  std::string units;
  experiments::Selection selection;
};

struct SweepSpec {
  std::filesystem::path path;      // the sweep file
  std::string text;                // its text, stored in the output as /sweep
  std::filesystem::path scenario;  // the base scenario
  std::string scenario_text;       // the base scenario resolved (no overrides), for /scenario
  std::string scenario_name;
  std::uint64_t scenario_seed = 0;  // drives the replications of every point

  std::vector<SweepParameter> parameters;
  DesignKind design = DesignKind::lhs;
  std::vector<int> grid_levels;  // grid: per parameter
  int lhs_points = 0;            // lhs
  int base_samples = 0;          // saltelli: n
  int trajectories = 0;          // morris: r
  int morris_levels = 4;         // morris: p (even)
  int morris_candidates = 0;     // morris: trajectories drawn before selecting r (0: none)
  std::uint64_t seed = 0;        // design seed
  int replications = 0;
  int threads = 0;  // 0: not set in the file

  std::vector<SweepOutput> outputs;

  int k() const { return static_cast<int>(parameters.size()); }
  long points() const;
};

// Reads and validates a sweep file: unknown keys, wrong types, empty or inverted
// ranges, design sizes, output selections (against the base scenario), and every
// parameter key (the base scenario is loaded with all parameters at their
// midpoints, lower and upper bounds, so the scenario loader rejects keys and
// values it does not accept). Throws InputError naming file, line and key.
SweepSpec load_sweep(const std::filesystem::path& path);

// The design on the unit hypercube, [points, parameters]: a pure function of the spec.
Eigen::MatrixXd unit_design(const SweepSpec& spec);

// Unit design -> parameter values (distribution per parameter, integers rounded):
// the values actually run.
Eigen::MatrixXd parameter_values(const SweepSpec& spec, const Eigen::MatrixXd& unit);

// "key=value" overrides for one point (values printed so that they read back exactly).
std::vector<std::string> point_overrides(const SweepSpec& spec, const std::vector<double>& values);

// Runs one point: the base scenario with the point's overrides, replications
// 0..R-1 with the scenario's seed; returns [replication, output] row-major.
// A pure function of (spec, values).
std::vector<double> run_point(const SweepSpec& spec, const std::vector<double>& values);

// Shortest decimal text of v that reads back as exactly v, as a TOML float.
std::string exact_float_text(double v);

}  // namespace careabm::sweep
