// The year loop's fused pass over the worker store: the per-agent kernels of
// several processes (processes/year.h, "A worker kernel") applied chunk by
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

template <class... Kernel>
void worker_pass(WorkerStore& w, const Year& y, const Kernel&... kernel) {
  const std::size_t n = w.size();
  for (std::size_t i0 = 0; i0 < n; i0 += rng::Chunk::kSize) {
    const std::size_t end = std::min(n, i0 + rng::Chunk::kSize);
    (apply_kernel(w, y, kernel, i0, end), ...);
  }
}

}  // namespace careabm
