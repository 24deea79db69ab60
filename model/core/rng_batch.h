// Philox blocks for many agents at once: the same numbers as Stream::draw,
// computed lane-parallel with SIMD (AVX-512 or AVX2, chosen at run time from
// what the CPU has; integer arithmetic, so every kernel gives identical
// words). Processes draw in chunks with this.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/rng.h"

namespace careabm::rng {

// Words of one chunk: word[k][j] is word k of agent j's block.
struct Chunk {
  static constexpr std::size_t kSize = 256;
  std::uint32_t word[4][kSize];
};

// The kernels; `best` is the fastest the CPU supports. Others are for tests and benchmarks.
enum class Kernel_kind { best, scalar, avx2, avx512 };
bool kernel_available(Kernel_kind kind);

// Fills out.word[.][0..n) with stream.draw(year, uids[j], event), n <= Chunk::kSize.
void draw_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n,
                Chunk& out, Kernel_kind kind = Kernel_kind::best);

}  // namespace careabm::rng
