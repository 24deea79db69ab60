// The year loop's fused pass over the worker store: ageing and the per-agent
// kernels of several processes (processes/year.h, "A worker kernel") applied chunk by
// chunk, so a chunk's rows are read from memory once and stay in cache while
// every kernel in turn selects its eligible rows and decides. One Philox block
// per worker-year (Event::worker_year, expanded to eight words: core/rng.h
// lists which word serves which decision) is drawn for the chunk's rows once
// and feeds every kernel. Each kernel changes only the agent it is called
// for, so this gives exactly the result of running the kernels one after
// another over the whole store, in the order given.
#pragma once

#include <algorithm>

#include "processes/year.h"

namespace careabm {

// Kernels that only look (draws = false, e.g. counting) run their `eligible`
// over the chunk; a kernel whose active() is false this year is skipped.
template <class Kernel>
void apply_kernel(WorkerStore& w, const Kernel& kernel, std::size_t i0, std::size_t end,
                  const rng::WideChunk& words) {
  if (!kernel.active()) return;
  if constexpr (!Kernel::draws) {
    for (std::size_t i = i0; i < end; ++i) kernel.eligible(w, i);
  } else {
    // Branch-free selection: every row is written, only eligible ones are kept
    // (whether an agent is eligible is often as random as the draw itself).
    std::uint32_t index[rng::Chunk::kSize];
    std::size_t m = 0;
    for (std::size_t i = i0; i < end; ++i) {
      index[m] = static_cast<std::uint32_t>(i - i0);
      m += kernel.eligible(w, i) ? 1 : 0;
    }
    for (std::size_t j = 0; j < m; ++j) kernel(w, i0 + index[j], rng::Words{words, index[j]});
  }
}

// Rows [begin, end) of the store (one part of the year's pass, split_rows in
// processes/year.h): ageing, then the kernels in the order given.
template <class... Kernel>
void worker_pass(WorkerStore& w, const Year& y, std::size_t begin, std::size_t end, const Kernel&... kernel) {
  rng::WideChunk words;
  for (std::size_t i0 = begin; i0 < end; i0 += rng::Chunk::kSize) {
    const std::size_t stop = std::min(end, i0 + rng::Chunk::kSize);
    ageing(w, y, i0, stop);
    rng::draw_wide_chunk(y.rng, y.year, rng::Event::worker_year, w.uid.data() + i0, stop - i0, words);
    (apply_kernel(w, kernel, i0, stop, words), ...);
  }
}

}  // namespace careabm
