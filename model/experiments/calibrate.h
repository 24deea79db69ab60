// `careabm calibrate`: fits the scenario's declared free parameters to targets
// (selections of output variables with target values) by minimising the
// weighted squared relative error of the mean over replications. Every
// evaluation uses the same seed, so candidates are compared on common random
// numbers and the objective is smooth enough for Nelder-Mead.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "experiments/selection.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct Target {
  std::string name;
  Selection selection;
  double value = 0, weight = 1;
};

// Reads a targets file: [[target]] tables with name, variable, year, filters, value,
// weight. Validated against the scenario's dimensions (InputError, located).
std::vector<Target> load_targets(const std::filesystem::path& path, const Params& p);

struct CalibrationSettings {
  std::filesystem::path scenario;
  std::vector<std::string> overrides;  // --set of the command line, applied first
  int replications = 0;                // 0: the scenario's
  int threads = 1;
  int max_evaluations = 120;
  // Fit only these of the declared free parameters (empty: all). Lets a fit go
  // in stages, e.g. the client module's parameters to the client targets first.
  std::vector<std::string> only;
};

// The declared free parameters that `settings.only` selects (all when empty);
// InputError for a key that is not declared free.
std::vector<FreeParameter> selected_free(const CalibrationSettings& settings, const Params& p);

struct TargetFit {
  double achieved_mean, lo95, hi95;
};

struct CalibrationResult {
  std::vector<double> start, fitted;  // per free parameter
  std::vector<TargetFit> fits;        // per target, at the fitted values
  double objective = 0;
  int evaluations = 0;
  bool converged = false;
};

using CalibrationProgress = std::function<void(int evaluations, int max_evaluations, double best)>;

CalibrationResult calibrate(const CalibrationSettings& settings, const std::vector<Target>& targets,
                            const CalibrationProgress& progress = {});

// The fitted scenario: extends the original, sets the fitted values, and records
// in [calibration] and in comments what was fitted, to what, and when.
std::string fitted_scenario_text(const CalibrationSettings& settings, const Params& original,
                                 const std::vector<Target>& targets, const std::filesystem::path& targets_path,
                                 const CalibrationResult& result, const std::filesystem::path& fitted_path);

}  // namespace careabm::experiments
