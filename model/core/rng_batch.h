// Philox blocks for many agents at once: the same numbers as Stream::draw,
// computed lane-parallel so the compiler can use SIMD (with a runtime-chosen
// AVX2 version where the CPU has it; integer arithmetic, so every version
// gives identical words). Processes draw in chunks with this.
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

// Fills out.word[.][0..n) with stream.draw(year, uids[j], event), n <= Chunk::kSize.
void draw_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n, Chunk& out);

}  // namespace careabm::rng
