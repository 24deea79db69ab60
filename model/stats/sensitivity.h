// Global sensitivity analysis of sweep outputs: Sobol' indices from a
// saltelli() design and Morris elementary effects from a morris() design
// (run/design.h). Pure computations on one scalar output per design row; the
// caller picks the output (e.g. the 2031 VIG shortage) and loops over outputs.
//
// Bad input (sizes that do not match the design, non-finite outputs, an
// output with zero variance) throws std::invalid_argument.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace careabm::stats {

struct SobolIndices {
  Eigen::VectorXd first;     // S_i, first-order index of each parameter
  Eigen::VectorXd total;     // S_Ti, total-order index
  Eigen::VectorXd first_lo;  // bootstrap percentile interval of S_i
  Eigen::VectorXd first_hi;
  Eigen::VectorXd total_lo;  // bootstrap percentile interval of S_Ti
  Eigen::VectorXd total_hi;
  double variance = 0;    // Var(Y) estimated from the 2n rows of A and B
  double confidence = 0;  // the intervals' nominal coverage
  int resamples = 0;      // bootstrap resamples used (NaN intervals when 0)
};

// y holds the output of each row of saltelli(n, k, seed), in that row order
// ([A; B; AB_1; ...; AB_k], n(k+2) values).
//   S_i  = mean(f(B) (f(AB_i) - f(A))) / V     Saltelli et al. (2010)
//   S_Ti = mean((f(A) - f(AB_i))^2) / 2 / V    Jansen (1999), recommended by Saltelli et al. (2010)
// with V the variance (divisor 2n) of the outputs of A and B. Estimates carry
// Monte Carlo noise: first-order indices of unimportant parameters can come out
// slightly negative, and nothing is clipped.
//
// Intervals: percentile bootstrap (Efron) over the n base samples: each
// resample draws n base rows with replacement, keeping each base row's A, B
// and AB_i outputs together, and re-estimates V and the indices. Resampling
// draws come from rng::Stream(seed, 0) with Event::bootstrap, so intervals are
// reproducible. bootstrap_resamples = 0 skips the bootstrap (intervals NaN);
// about 1000 is usual.
SobolIndices sobol_indices(const Eigen::VectorXd& y, int n, int k, int bootstrap_resamples,
                           std::uint64_t seed, double confidence = 0.95);

struct MorrisEffects {
  Eigen::VectorXd mu;  // mean elementary effect (signed; cancels for non-monotone effects)
  Eigen::VectorXd
      mu_star;            // mean |elementary effect| (Campolongo et al. 2007): the ranking measure
  Eigen::VectorXd sigma;  // standard deviation (divisor r-1) of the elementary effects: interaction
                          // or non-linearity; NaN when r = 1
  Eigen::MatrixXd effects;  // r x k: the elementary effect of parameter j in trajectory t
};

// Elementary effects (Morris 1991) of y over a morris(r, k, levels, ...) design:
// EE = (y[next] - y[this]) / step, where step = +-delta is read from the
// design itself (the one column in which consecutive rows of a trajectory
// differ), per unit of the [0,1] range. Pass the unit design, not a scaled one:
// a step that is not +-delta, or a trajectory that does not move every
// parameter exactly once, is rejected.
MorrisEffects morris_effects(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, int r, int k,
                             int levels);

}  // namespace careabm::stats
