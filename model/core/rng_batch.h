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

// Fills out.word[.][0..n) with stream.draw(year, uids[j], event), n <= Chunk::kSize
// (words past n, up to the next multiple of 16, are overwritten with unused values).
void draw_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n,
                Chunk& out, Kernel_kind kind = Kernel_kind::best);

// A chunk of blocks with four more words each (expand, core/rng.h): what the
// worker pass draws, one block per worker-year for all its decisions.
struct WideChunk {
  static constexpr std::size_t kSize = Chunk::kSize;
  Chunk block;                   // words 0-3: the Philox block
  std::uint32_t more[4][kSize];  // words 4-7: expand(block)
};
// The eight words of row j of a WideChunk (word k < 8).
struct Words {
  const WideChunk& chunk;
  std::size_t j;
  std::uint32_t operator[](std::size_t k) const { return k < 4 ? chunk.block.word[k][j] : chunk.more[k - 4][j]; }
};

// Fills out for uids[0..n) as draw_chunk does, and words 4-7 with expand().
void draw_wide_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n,
                     WideChunk& out, Kernel_kind kind = Kernel_kind::best);

// Calls use(uid, a, b) for uid = uid_of(j), j = 0 .. count-1, where a and b are
// the uid's blocks of events ea and eb in `year`: new agents' attributes, drawn
// a chunk at a time.
template <class UidOf, class Use>
void draw_pairs(const Stream& stream, int year, Event ea, Event eb, std::uint64_t count, UidOf uid_of,
                Use use) {
  Chunk first, second;
  std::uint64_t uids[Chunk::kSize];
  for (std::uint64_t j0 = 0; j0 < count; j0 += Chunk::kSize) {
    const std::size_t m = count - j0 < Chunk::kSize ? std::size_t(count - j0) : Chunk::kSize;
    for (std::size_t k = 0; k < m; ++k) uids[k] = uid_of(j0 + k);
    draw_chunk(stream, year, ea, uids, m, first);
    draw_chunk(stream, year, eb, uids, m, second);
    for (std::size_t k = 0; k < m; ++k) {
      use(uids[k], Block{first.word[0][k], first.word[1][k], first.word[2][k], first.word[3][k]},
          Block{second.word[0][k], second.word[1][k], second.word[2][k], second.word[3][k]});
    }
  }
}

// The same for one event: use(uid, block) for each uid_of(j), j = 0 .. count-1.
template <class UidOf, class Use>
void draw_each(const Stream& stream, int year, Event event, std::uint64_t count, UidOf uid_of, Use use) {
  Chunk chunk;
  std::uint64_t uids[Chunk::kSize];
  for (std::uint64_t j0 = 0; j0 < count; j0 += Chunk::kSize) {
    const std::size_t m = count - j0 < Chunk::kSize ? std::size_t(count - j0) : Chunk::kSize;
    for (std::size_t k = 0; k < m; ++k) uids[k] = uid_of(j0 + k);
    draw_chunk(stream, year, event, uids, m, chunk);
    for (std::size_t k = 0; k < m; ++k)
      use(uids[k], Block{chunk.word[0][k], chunk.word[1][k], chunk.word[2][k], chunk.word[3][k]});
  }
}

}  // namespace careabm::rng
