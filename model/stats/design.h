// Experimental designs for parameter sweeps, on the unit hypercube [0,1]^k.
//
// Every design is an Eigen::MatrixXd with one row per point (one model run) and
// one column per parameter. Designs are drawn from the counter-based generator
// (core/rng.h, Event::design), so a design is a pure function of its arguments
// and seed: the same call gives a bit-identical matrix on any machine, thread
// or rank count. scale*() maps unit designs to parameter values.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace careabm::stats {

// All combinations of levels[j] equally spaced values in [0,1] (endpoints
// included, so levels[j] >= 2). Rows are in lexicographic order: the last
// parameter varies fastest, the first slowest.
Eigen::MatrixXd full_grid(const std::vector<int>& levels);

// Latin hypercube: each of the n strata [s/n, (s+1)/n) of every parameter holds
// exactly one point, at a uniform random position inside the stratum; the
// strata are paired across parameters by an independent random permutation
// per column (McKay, Beckman & Conover 1979).
Eigen::MatrixXd latin_hypercube(int n, int k, std::uint64_t seed);

// One column of a Latin hypercube of n points, keyed by the seed and a 32-bit
// column key (e.g. a hash of a parameter's name), so a column does not change
// when other columns are added or removed: each of the n strata [i/n, (i+1)/n)
// holds exactly one point.
std::vector<double> latin_column(int n, std::uint64_t seed, std::uint32_t column);

// Saltelli (2010) design for first- and total-order Sobol' indices
// (Saltelli et al., "Variance based sensitivity analysis of model output.
// Design and estimator for the total sensitivity index", CPC 181).
//
// Rows, n(k+2) in total, in this order:
//   rows [0, n)                 A     base matrix
//   rows [n, 2n)                B     second, independent base matrix
//   rows [(2+i)n, (3+i)n)       AB_i  = A with column i taken from B, i = 0..k-1
// Row m of every block belongs to base sample m: row (2+i)n + m equals row m
// except in column i, where it equals row n + m.
//
// A and B are two independent Latin hypercubes (not a Sobol' sequence): this
// works for any n and k (no direction-number table, no power-of-two n), keeps
// the rows exchangeable so that resampling base rows (the bootstrap in
// sensitivity.h) is justified, and stratifies each margin, which helps the
// additive part of the model. Convergence is the Monte Carlo rate, n^-1/2.
Eigen::MatrixXd saltelli(int n, int k, std::uint64_t seed);
inline long saltelli_rows(int n, int k) { return static_cast<long>(n) * (k + 2); }

// Morris (1991) elementary-effects design: r trajectories of k+1 points each
// on the p-level grid {0, 1/(p-1), ..., 1} (p = levels, even), with step
// delta = p / (2(p-1)), the choice of Morris (1991) and Campolongo, Cariboni &
// Saltelli (2007) that makes every grid level equally likely. Rows are grouped
// by trajectory: rows [t(k+1), (t+1)(k+1)) are trajectory t. Within a
// trajectory consecutive rows differ in exactly one parameter, by +delta or
// -delta, and every parameter moves exactly once, in a random order from a
// random grid start.
//
// candidates > r applies the trajectory selection of Campolongo et al. (2007):
// draw that many trajectories and keep r of them that are spread far apart
// (greedily maximising the sum of squared inter-trajectory distances, a
// tractable stand-in for their exhaustive search), for better coverage of the
// input space. candidates <= r (the default) keeps the r drawn trajectories.
Eigen::MatrixXd morris(int r, int k, int levels, std::uint64_t seed, int candidates = 0);
inline long morris_rows(int r, int k) { return static_cast<long>(r) * (k + 1); }
inline double morris_delta(int levels) { return levels / (2.0 * (levels - 1)); }

// Uniform on [lower_j, upper_j] for column j (lower_j <= upper_j).
Eigen::MatrixXd scale(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& lower,
                      const Eigen::VectorXd& upper);

// Log-uniform on [lower_j, upper_j] (0 < lower_j <= upper_j): for rates and
// multipliers whose plausible range spans orders of magnitude.
Eigen::MatrixXd scale_log_uniform(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& lower,
                                  const Eigen::VectorXd& upper);

// Normal(mean_j, sd_j) for column j, through the inverse normal CDF. Unit
// values must lie strictly inside (0,1): the grid and Morris designs contain 0
// and 1 (infinite quantiles) and are rejected; use them with scale() instead.
Eigen::MatrixXd scale_normal(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& mean,
                             const Eigen::VectorXd& sd);

}  // namespace careabm::stats
