#include <doctest/doctest.h>

#include <cmath>

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
