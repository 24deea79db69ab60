#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "stats/design.h"

using namespace careabm;

TEST_CASE("full grid: every combination of levels, endpoints included, last parameter fastest") {
  const Eigen::MatrixXd grid = stats::full_grid({2, 3});
  Eigen::MatrixXd expected(6, 2);
  expected << 0, 0, 0, 0.5, 0, 1, 1, 0, 1, 0.5, 1, 1;
  CHECK(grid == expected);

  const Eigen::MatrixXd big = stats::full_grid({4, 2, 5});
  CHECK(big.rows() == 40);
  std::set<std::vector<double>> distinct;
  for (Eigen::Index i = 0; i < big.rows(); ++i) distinct.insert({big(i, 0), big(i, 1), big(i, 2)});
  CHECK(distinct.size() == 40);
  CHECK(big.minCoeff() == 0.0);
  CHECK(big.maxCoeff() == 1.0);

  CHECK_THROWS_AS(stats::full_grid({3, 1}), std::invalid_argument);
  CHECK_THROWS_AS(stats::full_grid({}), std::invalid_argument);
}

TEST_CASE("latin hypercube: each stratum of each parameter holds exactly one point") {
  const int n = 97, k = 6;
  const Eigen::MatrixXd lhs = stats::latin_hypercube(n, k, 2024);
  REQUIRE(lhs.rows() == n);
  REQUIRE(lhs.cols() == k);
  for (int j = 0; j < k; ++j) {
    std::vector<int> hits(n, 0);
    for (int i = 0; i < n; ++i) {
      REQUIRE(lhs(i, j) > 0.0);
      REQUIRE(lhs(i, j) < 1.0);
      ++hits[static_cast<std::size_t>(std::floor(lhs(i, j) * n))];
    }
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  }
  // Strata are paired by independent permutations, not the same one in every column.
  std::vector<int> order0(n), order1(n);
  for (int i = 0; i < n; ++i) {
    order0[static_cast<std::size_t>(i)] = static_cast<int>(lhs(i, 0) * n);
    order1[static_cast<std::size_t>(i)] = static_cast<int>(lhs(i, 1) * n);
  }
  CHECK(order0 != order1);
  // Sample correlation between columns is small (|r| < 4 / sqrt(n) ~ 0.4, a loose bound).
  const Eigen::VectorXd c0 = lhs.col(0).array() - lhs.col(0).mean(),
                        c1 = lhs.col(1).array() - lhs.col(1).mean();
  CHECK(std::abs(c0.dot(c1) / (c0.norm() * c1.norm())) < 0.4);

  CHECK_THROWS_AS(stats::latin_hypercube(0, 3, 1), std::invalid_argument);
  CHECK_THROWS_AS(stats::latin_hypercube(10, 0, 1), std::invalid_argument);
}

TEST_CASE("designs are pure functions of their arguments and seed") {
  CHECK(stats::latin_hypercube(50, 4, 7) == stats::latin_hypercube(50, 4, 7));
  CHECK(stats::latin_hypercube(50, 4, 7) != stats::latin_hypercube(50, 4, 8));
  CHECK(stats::saltelli(32, 3, 7) == stats::saltelli(32, 3, 7));
  CHECK(stats::saltelli(32, 3, 7) != stats::saltelli(32, 3, 8));
  CHECK(stats::morris(10, 5, 4, 7) == stats::morris(10, 5, 4, 7));
  CHECK(stats::morris(10, 5, 4, 7) != stats::morris(10, 5, 4, 8));
  CHECK(stats::morris(5, 5, 4, 7, 20) == stats::morris(5, 5, 4, 7, 20));
}

TEST_CASE("saltelli: rows are A, B, AB_1 .. AB_k, and AB_i is A with column i from B") {
  const int n = 64, k = 5;
  const Eigen::MatrixXd design = stats::saltelli(n, k, 11);
  REQUIRE(design.rows() == stats::saltelli_rows(n, k));
  REQUIRE(design.rows() == n * (k + 2));
  REQUIRE(design.cols() == k);
  const Eigen::MatrixXd a = design.topRows(n), b = design.middleRows(n, n);
  // A and B are independent Latin hypercubes.
  for (const Eigen::MatrixXd* base : {&a, &b})
    for (int j = 0; j < k; ++j) {
      std::vector<int> hits(n, 0);
      for (int i = 0; i < n; ++i) ++hits[static_cast<std::size_t>(std::floor((*base)(i, j) * n))];
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
  for (int j = 0; j < k; ++j) CHECK(a.col(j) != b.col(j));
  for (int i = 0; i < k; ++i) {
    const Eigen::MatrixXd ab = design.middleRows(static_cast<Eigen::Index>(2 + i) * n, n);
    for (int j = 0; j < k; ++j) CHECK(ab.col(j) == (j == i ? b.col(j) : a.col(j)));
  }
  CHECK_THROWS_AS(stats::saltelli(0, 3, 1), std::invalid_argument);
}

namespace {

// Checks the Morris trajectory structure and returns how many steps went up and down.
void check_trajectories(const Eigen::MatrixXd& design, int r, int k, int levels, int& ups,
                        int& downs) {
  const double delta = stats::morris_delta(levels);
  REQUIRE(design.rows() == stats::morris_rows(r, k));
  REQUIRE(design.cols() == k);
  ups = downs = 0;
  for (Eigen::Index i = 0; i < design.rows(); ++i)
    for (int j = 0; j < k; ++j) {
      REQUIRE(design(i, j) >= 0.0);
      REQUIRE(design(i, j) <= 1.0);
      const double level = design(i, j) * (levels - 1);  // on the p-level grid
      REQUIRE(std::abs(level - std::round(level)) < 1e-12);
    }
  for (int t = 0; t < r; ++t) {
    std::vector<int> moves(static_cast<std::size_t>(k), 0);
    for (int s = 0; s < k; ++s) {
      const Eigen::Index row = static_cast<Eigen::Index>(t) * (k + 1) + s;
      const Eigen::RowVectorXd change = design.row(row + 1) - design.row(row);
      int changed = 0;
      for (int j = 0; j < k; ++j) {
        if (change(j) == 0.0) continue;
        ++changed;
        ++moves[static_cast<std::size_t>(j)];
        CHECK(std::abs(std::abs(change(j)) - delta) < 1e-12);
        (change(j) > 0 ? ups : downs) += 1;
      }
      CHECK(changed == 1);
    }
    CHECK(std::all_of(moves.begin(), moves.end(), [](int m) { return m == 1; }));
  }
}

double trajectory_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& z) {
  double d = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index q = 0; q < z.rows(); ++q) d += (x.row(i) - z.row(q)).norm();
  return d;
}

double spread(const Eigen::MatrixXd& design, int r, int k) {
  double sum = 0;
  for (int m = 0; m < r; ++m)
    for (int l = m + 1; l < r; ++l) {
      const double d = trajectory_distance(design.middleRows(m * (k + 1), k + 1),
                                           design.middleRows(l * (k + 1), k + 1));
      sum += d * d;
    }
  return std::sqrt(sum);
}

}  // namespace

TEST_CASE("morris: one parameter at a time by +-delta, on the grid, inside [0,1]") {
  int ups = 0, downs = 0;
  for (const int levels : {2, 4, 6, 8}) {
    const int r = 25, k = 7;
    check_trajectories(stats::morris(r, k, levels, 99), r, k, levels, ups, downs);
    CHECK(ups > 0);
    CHECK(downs > 0);
  }
  CHECK(stats::morris_delta(4) == doctest::Approx(2.0 / 3.0));
  CHECK(stats::morris_delta(2) == 1.0);
  CHECK_THROWS_AS(stats::morris(10, 3, 5, 1), std::invalid_argument);  // odd p: delta off the grid
  CHECK_THROWS_AS(stats::morris(10, 3, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(stats::morris(0, 3, 4, 1), std::invalid_argument);
}

TEST_CASE(
    "morris: Campolongo selection keeps r of the candidate trajectories, spread further apart") {
  const int r = 8, k = 4, levels = 4, candidates = 40;
  const Eigen::MatrixXd selected = stats::morris(r, k, levels, 5, candidates);
  int ups = 0, downs = 0;
  check_trajectories(selected, r, k, levels, ups, downs);
  // The candidates are the trajectories morris() draws without selection.
  const Eigen::MatrixXd all = stats::morris(candidates, k, levels, 5);
  for (int t = 0; t < r; ++t) {
    bool found = false;
    for (int c = 0; c < candidates && !found; ++c)
      found = selected.middleRows(t * (k + 1), k + 1) == all.middleRows(c * (k + 1), k + 1);
    CHECK(found);
  }
  CHECK(spread(selected, r, k) > spread(stats::morris(r, k, levels, 5), r, k));
}

TEST_CASE("scaling the unit design to parameter ranges") {
  Eigen::MatrixXd unit(3, 2);
  unit << 0, 0.5, 0.25, 1, 1, 0;
  const Eigen::Vector2d lower(10, -1), upper(20, 1);
  Eigen::MatrixXd expected(3, 2);
  expected << 10, 0, 12.5, 1, 20, -1;
  CHECK(stats::scale(unit, lower, upper).isApprox(expected));
  CHECK_THROWS_AS(stats::scale(unit, Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(1, 1, 1)),
                  std::invalid_argument);
  CHECK_THROWS_AS(stats::scale(unit, upper, lower), std::invalid_argument);

  const Eigen::MatrixXd log_scaled =
      stats::scale_log_uniform(unit, Eigen::Vector2d(0.01, 1), Eigen::Vector2d(1, 100));
  CHECK(log_scaled(0, 0) == 0.01);
  CHECK(log_scaled(2, 0) == 1.0);
  CHECK(log_scaled(0, 1) == doctest::Approx(10.0));
  CHECK(log_scaled(1, 1) == 100.0);
  CHECK_THROWS_AS(stats::scale_log_uniform(unit, Eigen::Vector2d(0, 1), Eigen::Vector2d(1, 2)),
                  std::invalid_argument);

  Eigen::MatrixXd inner(2, 2);
  inner << 0.5, 0.975, 0.025, 0.5;
  const Eigen::MatrixXd normal =
      stats::scale_normal(inner, Eigen::Vector2d(3, 100), Eigen::Vector2d(2, 10));
  CHECK(normal(0, 0) == doctest::Approx(3.0));
  CHECK(normal(0, 1) == doctest::Approx(100 + 1.959964 * 10).epsilon(1e-6));
  CHECK(normal(1, 0) == doctest::Approx(3 - 1.959964 * 2).epsilon(1e-6));
  CHECK_THROWS_AS(stats::scale_normal(unit, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1)),
                  std::invalid_argument);
  CHECK_THROWS_AS(stats::scale_normal(inner, Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 0)),
                  std::invalid_argument);
}
