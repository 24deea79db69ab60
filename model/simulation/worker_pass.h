// The year loop's fused pass over the worker store: ageing and the per-agent
// kernels of several processes (processes/year.h, "A worker kernel") applied chunk by
// chunk, so a chunk's rows are read from memory once and stay in cache while
// every kernel in turn selects its eligible rows, draws their blocks (each
// kernel its own event) and decides. Each kernel changes only the agent it is
// called for, so this gives exactly the result of running the kernels one
// after another over the whole store, in the order given.
#pragma once

#include <algorithm>

#include "processes/year.h"

namespace careabm {

// Kernels that only look (draws = false, e.g. counting) run their `eligible`
// over the chunk; a kernel whose active() is false this year is skipped.
template <class Kernel>
void apply_kernel(WorkerStore& w, const Year& y, const Kernel& kernel, std::size_t i0, std::size_t end) {
  if (!kernel.active()) return;
  if constexpr (!Kernel::draws) {
    for (std::size_t i = i0; i < end; ++i) kernel.eligible(w, i);
  } else {
    draw_rows(
        w.uid.data(), i0, end, y, Kernel::event, [&](std::size_t i) { return kernel.eligible(w, i); },
        [&](std::size_t i, const rng::Block& block) { kernel(w, i, block); });
  }
}

// Rows [begin, end) of the store (one part of the year's pass, split_rows in
// processes/year.h): ageing, then the kernels in the order given.
template <class... Kernel>
void worker_pass(WorkerStore& w, const Year& y, std::size_t begin, std::size_t end, const Kernel&... kernel) {
  for (std::size_t i0 = begin; i0 < end; i0 += rng::Chunk::kSize) {
    const std::size_t stop = std::min(end, i0 + rng::Chunk::kSize);
    ageing(w, y, i0, stop);
    (apply_kernel(w, y, kernel, i0, stop), ...);
  }
}

}  // namespace careabm
