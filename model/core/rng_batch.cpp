#include "core/rng_batch.h"

namespace careabm::rng {

namespace {

// The Philox rounds of rng.h, written over lanes (agents) so the lane loop
// vectorises: counter words 2 and 3 are the same for every lane.
__attribute__((target_clones("avx2", "default")))
void philox_lanes(const std::uint64_t* uids, std::size_t n, std::uint32_t word2, std::uint32_t word3, Key key,
                  std::uint32_t* out0, std::uint32_t* out1, std::uint32_t* out2, std::uint32_t* out3) {
  constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  std::uint32_t k0[10], k1[10];
  for (int r = 0; r < 10; ++r) {
    k0[r] = key[0] + static_cast<std::uint32_t>(r) * kWeyl0;
    k1[r] = key[1] + static_cast<std::uint32_t>(r) * kWeyl1;
  }
  for (std::size_t j = 0; j < n; ++j) {
    std::uint32_t c0 = static_cast<std::uint32_t>(uids[j]), c1 = static_cast<std::uint32_t>(uids[j] >> 32);
    std::uint32_t c2 = word2, c3 = word3;
#pragma GCC unroll 10
    for (int r = 0; r < 10; ++r) {
      const std::uint64_t p0 = std::uint64_t{kMul0} * c0;
      const std::uint64_t p1 = std::uint64_t{kMul1} * c2;
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      c0 = hi1 ^ c1 ^ k0[r];
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1[r];
      c3 = lo0;
    }
    out0[j] = c0, out1[j] = c1, out2[j] = c2, out3[j] = c3;
  }
}

}  // namespace

void draw_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n, Chunk& out) {
  philox_lanes(uids, n, Stream::counter_word(year, event), stream.replication(), stream.key(), out.word[0],
               out.word[1], out.word[2], out.word[3]);
}

}  // namespace careabm::rng
