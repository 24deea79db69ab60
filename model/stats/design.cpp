#include "stats/design.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace careabm::stats {

namespace {

// Sub-streams of one seed, in the Stream's replication word, so that designs
// drawn from one seed do not share random numbers: Saltelli's A and B must be
// independent (with equal draws every AB_i would equal A).
enum Substream : std::uint32_t { kLatin = 0, kSaltelliA = 1, kSaltelliB = 2, kMorris = 3, kLatinColumn = 4 };

// The generator folds the year into 16 bits; designs put the parameter index there.
constexpr int kMaxParameters = 65535;

void require_positive(int value, const char* what) {
  if (value < 1)
    throw std::invalid_argument(std::string(what) + " must be >= 1, got " + std::to_string(value));
}

void require_parameter_count(int k) {
  require_positive(k, "number of parameters k");
  if (k > kMaxParameters)
    throw std::invalid_argument("number of parameters k must be <= " +
                                std::to_string(kMaxParameters));
}

// An integer uniform on [0, bound) from one 32-bit word (multiply-shift; the bias,
// at most bound / 2^32, is far below anything a design or bootstrap can detect).
std::uint32_t below(std::uint32_t word, std::uint64_t bound) {
  return static_cast<std::uint32_t>((std::uint64_t{word} * bound) >> 32);
}

Eigen::MatrixXd latin_hypercube_from(int n, int k, std::uint64_t seed, Substream substream) {
  require_positive(n, "number of points n");
  require_parameter_count(k);
  const rng::Stream stream(seed, substream);
  Eigen::MatrixXd design(n, k);
  std::vector<int> stratum(static_cast<std::size_t>(n));
  for (int j = 0; j < k; ++j) {
    // Draw (column j, row i): word 0 is Fisher-Yates step i, word 1 row i's offset in its stratum.
    std::iota(stratum.begin(), stratum.end(), 0);
    for (int i = n - 1; i > 0; --i) {
      const auto words = stream.draw(j, static_cast<std::uint64_t>(i), rng::Event::design);
      std::swap(stratum[static_cast<std::size_t>(i)],
                stratum[below(words[0], static_cast<std::uint64_t>(i) + 1)]);
    }
    for (int i = 0; i < n; ++i) {
      const auto words = stream.draw(j, static_cast<std::uint64_t>(i), rng::Event::design);
      design(i, j) = (stratum[static_cast<std::size_t>(i)] + rng::to_unit(words[1])) / n;
    }
  }
  return design;
}

void require_ranges(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& lower,
                    const Eigen::VectorXd& upper, const char* lower_name, const char* upper_name) {
  if (lower.size() != unit_design.cols() || upper.size() != unit_design.cols())
    throw std::invalid_argument(
        std::string("scale: ") + lower_name + " and " + upper_name +
        " need one entry per design column (" + std::to_string(unit_design.cols()) + "), got " +
        std::to_string(lower.size()) + " and " + std::to_string(upper.size()));
  if (!lower.allFinite() || !upper.allFinite())
    throw std::invalid_argument(std::string("scale: ") + lower_name + " and " + upper_name +
                                " must be finite");
}

}  // namespace

Eigen::MatrixXd full_grid(const std::vector<int>& levels) {
  if (levels.empty()) throw std::invalid_argument("full_grid: need at least one parameter");
  long rows = 1;
  for (std::size_t j = 0; j < levels.size(); ++j) {
    if (levels[j] < 2)
      throw std::invalid_argument("full_grid: parameter " + std::to_string(j) +
                                  " needs >= 2 levels, got " + std::to_string(levels[j]));
    if (rows > std::numeric_limits<int>::max() / levels[j])
      throw std::invalid_argument("full_grid: more than 2^31 points");
    rows *= levels[j];
  }
  const auto k = static_cast<Eigen::Index>(levels.size());
  Eigen::MatrixXd design(rows, k);
  // Mixed-radix counting, last parameter fastest.
  std::vector<int> digit(levels.size(), 0);
  for (Eigen::Index row = 0; row < rows; ++row) {
    for (Eigen::Index j = 0; j < k; ++j)
      design(row, j) = static_cast<double>(digit[static_cast<std::size_t>(j)]) /
                       (levels[static_cast<std::size_t>(j)] - 1);
    for (auto j = static_cast<std::size_t>(k); j-- > 0;) {
      if (++digit[j] < levels[j]) break;
      digit[j] = 0;
    }
  }
  return design;
}

std::vector<double> latin_column(int n, std::uint64_t seed, std::uint32_t column) {
  require_positive(n, "number of points n");
  const rng::Stream stream(seed, kLatinColumn);
  // Draw for row i: word 0 is Fisher-Yates step i, word 1 row i's offset in its stratum.
  auto words_of = [&](int i) {
    return stream.draw(0, (std::uint64_t{column} << 32) | static_cast<std::uint32_t>(i), rng::Event::design);
  };
  std::vector<int> stratum(static_cast<std::size_t>(n));
  std::iota(stratum.begin(), stratum.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    std::swap(stratum[static_cast<std::size_t>(i)], stratum[below(words_of(i)[0], static_cast<std::uint64_t>(i) + 1)]);
  }
  std::vector<double> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = (stratum[static_cast<std::size_t>(i)] + rng::to_unit(words_of(i)[1])) / n;
  return out;
}

Eigen::MatrixXd latin_hypercube(int n, int k, std::uint64_t seed) {
  return latin_hypercube_from(n, k, seed, kLatin);
}

Eigen::MatrixXd saltelli(int n, int k, std::uint64_t seed) {
  const Eigen::MatrixXd a = latin_hypercube_from(n, k, seed, kSaltelliA);
  const Eigen::MatrixXd b = latin_hypercube_from(n, k, seed, kSaltelliB);
  Eigen::MatrixXd design(saltelli_rows(n, k), k);
  design.topRows(n) = a;
  design.middleRows(n, n) = b;
  for (int i = 0; i < k; ++i) {
    auto ab = design.middleRows(static_cast<Eigen::Index>(2 + i) * n, n);
    ab = a;
    ab.col(i) = b.col(i);
  }
  return design;
}

Eigen::MatrixXd morris(int r, int k, int levels, std::uint64_t seed, int candidates) {
  require_positive(r, "number of trajectories r");
  require_parameter_count(k);
  if (levels < 2 || levels % 2 != 0)
    // With odd p, delta = p/(2(p-1)) is not a multiple of the grid spacing 1/(p-1).
    throw std::invalid_argument("morris: levels must be even and >= 2, got " +
                                std::to_string(levels));
  const int drawn = std::max(r, candidates);
  const double last_level = levels - 1;
  const rng::Stream stream(seed, kMorris);

  // Each trajectory as a (k+1) x k block. Draw (parameter j, trajectory t):
  // word 0 picks the start level among the p/2 levels in [0, 1 - delta],
  // word 1 the direction, word 2 Fisher-Yates step j of the order of moves.
  std::vector<Eigen::MatrixXd> trajectory(static_cast<std::size_t>(drawn));
  std::vector<int> order(static_cast<std::size_t>(k));
  for (int t = 0; t < drawn; ++t) {
    // Grid levels as integers, so both ends of each move are exact grid values.
    Eigen::RowVectorXd point(k), low(k), high(k);
    std::vector<bool> up(static_cast<std::size_t>(k));
    std::iota(order.begin(), order.end(), 0);
    for (int j = 0; j < k; ++j) {
      const auto words = stream.draw(j, static_cast<std::uint64_t>(t), rng::Event::design);
      const auto start_level = below(words[0], static_cast<std::uint64_t>(levels / 2));
      low(j) = start_level / last_level;
      high(j) = (start_level + levels / 2) / last_level;  // = low + delta
      up[static_cast<std::size_t>(j)] = (words[1] >> 31) == 0;
      point(j) = up[static_cast<std::size_t>(j)] ? low(j) : high(j);
      if (j > 0)
        std::swap(order[static_cast<std::size_t>(j)],
                  order[below(words[2], static_cast<std::uint64_t>(j) + 1)]);
    }
    Eigen::MatrixXd& block = trajectory[static_cast<std::size_t>(t)];
    block.resize(k + 1, k);
    block.row(0) = point;
    for (int step = 0; step < k; ++step) {
      const int j = order[static_cast<std::size_t>(step)];
      point(j) = up[static_cast<std::size_t>(j)] ? high(j) : low(j);
      block.row(step + 1) = point;
    }
  }

  std::vector<int> keep(static_cast<std::size_t>(drawn));
  std::iota(keep.begin(), keep.end(), 0);
  if (drawn > r) {
    // Campolongo et al. (2007): the distance of two trajectories is the sum of
    // Euclidean distances between all their pairs of points.
    Eigen::MatrixXd distance = Eigen::MatrixXd::Zero(drawn, drawn);
    for (int m = 0; m < drawn; ++m)
      for (int l = m + 1; l < drawn; ++l) {
        double d = 0;
        for (int i = 0; i <= k; ++i)
          for (int q = 0; q <= k; ++q)
            d += (trajectory[static_cast<std::size_t>(m)].row(i) -
                  trajectory[static_cast<std::size_t>(l)].row(q))
                     .norm();
        distance(m, l) = distance(l, m) = d * d;
      }
    // Greedy: start from the farthest pair, then add the trajectory that adds the
    // most squared distance to those kept (ties go to the lowest index).
    std::vector<bool> chosen(static_cast<std::size_t>(drawn), false);
    Eigen::Index first = 0, second = 0;
    distance.maxCoeff(&first, &second);
    if (first == second) second = (first + 1) % drawn;  // all candidates identical
    chosen[static_cast<std::size_t>(first)] = chosen[static_cast<std::size_t>(second)] = true;
    Eigen::VectorXd gain = distance.col(first) + distance.col(second);
    for (int count = 2; count < r; ++count) {
      int best = -1;
      for (int m = 0; m < drawn; ++m)
        if (!chosen[static_cast<std::size_t>(m)] && (best < 0 || gain(m) > gain(best))) best = m;
      chosen[static_cast<std::size_t>(best)] = true;
      gain += distance.col(best);
    }
    keep.clear();
    for (int m = 0; m < drawn; ++m)
      if (chosen[static_cast<std::size_t>(m)]) keep.push_back(m);
    keep.resize(static_cast<std::size_t>(r));  // r == 1: only the first of the pair
  }

  Eigen::MatrixXd design(morris_rows(r, k), k);
  for (int t = 0; t < r; ++t)
    design.middleRows(static_cast<Eigen::Index>(t) * (k + 1), k + 1) =
        trajectory[static_cast<std::size_t>(keep[static_cast<std::size_t>(t)])];
  return design;
}

Eigen::MatrixXd scale(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& lower,
                      const Eigen::VectorXd& upper) {
  require_ranges(unit_design, lower, upper, "lower", "upper");
  if ((upper.array() < lower.array()).any())
    throw std::invalid_argument("scale: upper below lower");
  Eigen::MatrixXd out = unit_design;
  for (Eigen::Index j = 0; j < out.cols(); ++j)
    out.col(j) = lower(j) + (upper(j) - lower(j)) * out.col(j).array();
  return out;
}

Eigen::MatrixXd scale_log_uniform(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& lower,
                                  const Eigen::VectorXd& upper) {
  require_ranges(unit_design, lower, upper, "lower", "upper");
  if ((lower.array() <= 0).any() || (upper.array() < lower.array()).any())
    throw std::invalid_argument("scale_log_uniform: need 0 < lower <= upper");
  const Eigen::VectorXd log_lower = lower.array().log(), log_upper = upper.array().log();
  Eigen::MatrixXd out = scale(unit_design, log_lower, log_upper).array().exp();
  // exp(log(x)) may miss the end points by an ulp; a grid's 0 and 1 must give them exactly.
  for (Eigen::Index j = 0; j < out.cols(); ++j)
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      if (unit_design(i, j) == 0.0) out(i, j) = lower(j);
      if (unit_design(i, j) == 1.0) out(i, j) = upper(j);
    }
  return out;
}

Eigen::MatrixXd scale_normal(const Eigen::MatrixXd& unit_design, const Eigen::VectorXd& mean,
                             const Eigen::VectorXd& sd) {
  require_ranges(unit_design, mean, sd, "mean", "sd");
  if ((sd.array() <= 0).any()) throw std::invalid_argument("scale_normal: sd must be > 0");
  if (!((unit_design.array() > 0).all() && (unit_design.array() < 1).all()))
    throw std::invalid_argument(
        "scale_normal: unit values must lie strictly inside (0,1) (a grid or Morris design has 0 "
        "and 1)");
  Eigen::MatrixXd out(unit_design.rows(), unit_design.cols());
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const boost::math::normal_distribution<double> normal(mean(j), sd(j));
    for (Eigen::Index i = 0; i < out.rows(); ++i)
      out(i, j) = boost::math::quantile(normal, unit_design(i, j));
  }
  return out;
}

}  // namespace careabm::stats
