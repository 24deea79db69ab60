// `careabm analyze`: sensitivity indices of a finished sweep, from the mean over
// replications of each point's outputs: Sobol' first and total indices with
// bootstrap intervals for a saltelli design, Morris mu* and sigma for a morris
// design (run/sensitivity.h). Stored in the sweep file under /sensitivity
// (analysis/README.md, "Output layouts", sweep); the file is updated through a
// temporary copy and a rename, so it is never left half-written.
#pragma once

#include <Eigen/Dense>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "io/output_readers.h"

namespace careabm::sweep {

struct AnalyzeOptions {
  int bootstrap = 1000;  // Sobol' bootstrap resamples (0: no intervals)
  bool force = false;    // replace existing /sensitivity results
};

struct SensitivityResults {
  std::string design;  // "saltelli" or "morris"
  std::vector<std::string> outputs, parameters;
  long points = 0;
  int replications = 0;
  int bootstrap = 0;
  // [output, parameter]; NaN rows for an output the estimator rejected (see warnings).
  Eigen::MatrixXd first, total, first_lo, first_hi, total_lo, total_hi;  // saltelli
  Eigen::MatrixXd mu_star, sigma;                                        // morris
  std::vector<std::string> warnings;
};

// Computes the indices and writes them into `sweep_file` (read through
// io::read_sweep, which checks the file). InputError (exit 2) when the file is not a
// sweep or fails a check, the sweep is incomplete, the design has no estimator (grid,
// lhs), or results exist and !force (with force they are replaced).
SensitivityResults analyze_sweep(const std::filesystem::path& sweep_file, const AnalyzeOptions& options);

// The indices as a table per output.
void print_sensitivity(std::ostream& out, const SensitivityResults& results);

// Per output: the mean, lowest and highest point mean (over replications) of the
// completed points.
void print_sweep_outputs(std::ostream& out, const io::SweepContents& sweep);

// `careabm summary` of a sweep file: what was swept, how far it got, the outputs
// table, and the sensitivity results when the file holds them (read with
// SweepParts::sensitivity).
void print_sweep_summary(std::ostream& out, const io::SweepContents& sweep, const std::string& file);

}  // namespace careabm::sweep
