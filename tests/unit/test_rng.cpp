#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <vector>

#include "core/rng.h"

using careabm::rng::Block;
using careabm::rng::philox4x32_10;

// Known-answer vectors published with Random123 (kat_vectors, philox4x32 10 rounds).
TEST_CASE("philox4x32-10 reproduces the published known-answer vectors") {
  CHECK(philox4x32_10({0, 0, 0, 0}, {0, 0}) == Block{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        Block{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        Block{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("streams are pure functions of seed, replication, year, uid and event") {
  using namespace careabm::rng;
  const Stream a(42, 3), b(42, 3), other_rep(42, 4), other_seed(43, 3);
  CHECK(a.draw(2025, 17, Event::outflow) == b.draw(2025, 17, Event::outflow));
  CHECK(a.draw(2025, 17, Event::outflow) != other_rep.draw(2025, 17, Event::outflow));
  CHECK(a.draw(2025, 17, Event::outflow) != other_seed.draw(2025, 17, Event::outflow));
  CHECK(a.draw(2025, 17, Event::outflow) != a.draw(2026, 17, Event::outflow));
  CHECK(a.draw(2025, 17, Event::outflow) != a.draw(2025, 18, Event::outflow));
  CHECK(a.draw(2025, 17, Event::outflow) != a.draw(2025, 17, Event::transfer));
}

TEST_CASE("uniform words have the moments of U(0,1) (4 standard errors)") {
  using namespace careabm::rng;
  const Stream s(7, 0);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double u = to_unit(s.draw(2030, static_cast<std::uint64_t>(i), Event::outflow)[i % 4]);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n, var = sum_sq / n - mean * mean;
  CHECK(std::abs(mean - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(var - 1.0 / 12) < 4 * std::sqrt(1.0 / 180 / n));
}

#include "core/rng_batch.h"

TEST_CASE("chunked drawing gives exactly the words of Stream::draw") {
  using namespace careabm::rng;
  const Stream s(0x123456789abcdefULL, 17);
  std::uint64_t uids[Chunk::kSize];
  for (std::size_t j = 0; j < Chunk::kSize; ++j) uids[j] = j * 0x9E3779B97F4A7C15ULL + (j << 56);
  Chunk chunk;
  for (auto kind : {Kernel_kind::best, Kernel_kind::scalar, Kernel_kind::avx2, Kernel_kind::avx512}) {
    if (!kernel_available(kind)) {
      MESSAGE("kernel " << int(kind) << " not supported by this CPU: not tested");
      continue;
    }
    for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{23}, std::size_t{200}, Chunk::kSize}) {
      draw_chunk(s, 2031, Event::transfer, uids, n, chunk, kind);
      for (std::size_t j = 0; j < n; ++j) {
        const Block b = s.draw(2031, uids[j], Event::transfer);
        for (int k = 0; k < 4; ++k) REQUIRE(chunk.word[k][j] == b[k]);
      }
    }
  }
}

TEST_CASE("draw_each and draw_pairs give each uid its Stream::draw blocks, across chunk boundaries") {
  using namespace careabm::rng;
  const Stream s(20220101, 3);
  const std::uint64_t count = 2 * Chunk::kSize + 37;
  auto uid_of = [](std::uint64_t j) { return 1000 + 7 * j; };
  std::uint64_t seen = 0;
  draw_each(s, 2022, Event::client_incidence, count, uid_of, [&](std::uint64_t uid, const Block& b) {
    REQUIRE(uid == uid_of(seen++));
    REQUIRE(b == s.draw(2022, uid, Event::client_incidence));
  });
  CHECK(seen == count);
  seen = 0;
  draw_pairs(s, 2022, Event::init_age, Event::init_hours, count, uid_of,
             [&](std::uint64_t uid, const Block& a, const Block& h) {
               REQUIRE(uid == uid_of(seen++));
               REQUIRE(a == s.draw(2022, uid, Event::init_age));
               REQUIRE(h == s.draw(2022, uid, Event::init_hours));
             });
  CHECK(seen == count);
}

// The worker pass's eight words a worker-year (Event::worker_year, core/rng.h).
TEST_CASE("expand: known answers, computed independently (Python, 64-bit integer arithmetic)") {
  using careabm::rng::expand;
  CHECK(expand(0, 0, 0, 0) == std::array<std::uint32_t, 4>{0xe8ddc491, 0x952f14f1, 0x564daeaa, 0x6db6ca64});
  CHECK(expand(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8) ==
        std::array<std::uint32_t, 4>{0x00d4f137, 0x7bb11260, 0x8d58c545, 0xd93b2fc3});
}

TEST_CASE("draw_wide_chunk: words 0-3 are Stream::draw's block, 4-7 its expand(), for every kernel") {
  using namespace careabm::rng;
  const Stream s(99, 5);
  std::uint64_t uids[Chunk::kSize];
  for (std::size_t j = 0; j < Chunk::kSize; ++j) uids[j] = (j * 31 + 7) | (std::uint64_t{3} << 56);
  WideChunk chunk;
  for (auto kind : {Kernel_kind::best, Kernel_kind::scalar, Kernel_kind::avx2, Kernel_kind::avx512}) {
    if (!kernel_available(kind)) continue;
    for (std::size_t n : {std::size_t{1}, std::size_t{45}, Chunk::kSize}) {
      draw_wide_chunk(s, 2027, Event::worker_year, uids, n, chunk, kind);
      for (std::size_t j = 0; j < n; ++j) {
        const Block b = s.draw(2027, uids[j], Event::worker_year);
        const auto more = expand(b[0], b[1], b[2], b[3]);
        const Words words{chunk, j};
        for (std::size_t k = 0; k < 4; ++k) REQUIRE(words[k] == b[k]);
        for (std::size_t k = 0; k < 4; ++k) REQUIRE(words[4 + k] == more[k]);
      }
    }
  }
}

// Each decision of the worker pass has its own word: the eight words must be
// uniform and pairwise independent. Over 2^19 blocks: each word's mean and
// variance within 4 standard errors of U(0,1)'s; for every pair of words, a
// chi-square test of the 16 x 16 table of their leading four bits against
// equal counts (255 degrees of freedom; bound 255 + 5 sqrt(2 x 255)); and the joint frequency of two rare events (each
// word below 5%, as an outflow hazard and a transfer are) within 4 standard
// errors of 0.25%.
TEST_CASE("the eight words of a worker-year are uniform and pairwise independent") {
  using namespace careabm::rng;
  const Stream s(20220101, 11);
  const int n = 1 << 19;
  std::vector<std::array<std::uint32_t, 8>> words(n);
  for (int i = 0; i < n; ++i) {
    const Block b = s.draw(2030, std::uint64_t(i) * 0x10001ull, Event::worker_year);
    const auto more = expand(b[0], b[1], b[2], b[3]);
    words[i] = {b[0], b[1], b[2], b[3], more[0], more[1], more[2], more[3]};
  }
  for (int k = 0; k < 8; ++k) {
    double sum = 0, sum_sq = 0;
    for (const auto& w : words) {
      const double u = to_unit(w[k]);
      sum += u, sum_sq += u * u;
    }
    const double mean = sum / n, var = sum_sq / n - mean * mean;
    CHECK_MESSAGE(std::abs(mean - 0.5) < 4 * std::sqrt(1.0 / 12 / n), "word " << k);
    CHECK_MESSAGE(std::abs(var - 1.0 / 12) < 4 * std::sqrt(1.0 / 180 / n), "word " << k);
  }
  const std::uint64_t rare = threshold(0.05);
  const double p = 0.05 * 0.05;
  for (int a = 0; a < 8; ++a)
    for (int b = a + 1; b < 8; ++b) {
      std::vector<double> table(256, 0);
      double both = 0;
      for (const auto& w : words) {
        ++table[(w[a] >> 28) * 16 + (w[b] >> 28)];
        both += (w[a] < rare) & (w[b] < rare);
      }
      const double expected = double(n) / 256;
      double chi2 = 0;
      for (double o : table) chi2 += (o - expected) * (o - expected) / expected;
      CHECK_MESSAGE(chi2 < 255 + 5 * std::sqrt(2.0 * 255), "words " << a << " and " << b << ": chi2 " << chi2);
      CHECK_MESSAGE(std::abs(both / n - p) < 4 * std::sqrt(p * (1 - p) / n), "words " << a << " and " << b);
    }
}
