// Derivative-free minimisation by the Nelder-Mead simplex method (Nelder &
// Mead 1965; adaptive coefficients of Gao & Han 2012 for higher dimensions),
// within box bounds (points are clamped to the box). Used by `careabm
// calibrate`, whose objective is a noisy-but-smooth simulation mean.
#pragma once

#include <functional>

#include <Eigen/Dense>

namespace careabm::stats {

struct NelderMeadOptions {
  int max_evaluations = 200;
  double x_tolerance = 1e-4;  // stop when the simplex is this small (in the box's units)
  double f_tolerance = 1e-8;  // ... and its values this close
  double initial_step = 0.1;  // first simplex: start + step x (upper - lower) along each axis
};

struct NelderMeadResult {
  Eigen::VectorXd x;
  double f;
  int evaluations;
  bool converged;
};

// Called after each evaluation with (evaluations so far, best value so far).
using NelderMeadProgress = std::function<void(int, double)>;

NelderMeadResult nelder_mead(const std::function<double(const Eigen::VectorXd&)>& objective,
                             const Eigen::VectorXd& start, const Eigen::VectorXd& lower,
                             const Eigen::VectorXd& upper, const NelderMeadOptions& options = {},
                             const NelderMeadProgress& progress = {});

}  // namespace careabm::stats
