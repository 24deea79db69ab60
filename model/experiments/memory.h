// How much memory a command will need, estimated from the scenario before anything
// large is allocated, so that a scenario the machine cannot hold is refused with
// exit 2 naming the key responsible (README.md, "Command line", --max-memory)
// rather than failing with bad_alloc, or being killed, after minutes of work.
//
// The estimate counts what grows with the input:
// - results: every replication's arrays that are held at once, years x cells x
//   (10 stocks + 16 flows) x 8 bytes, plus the training, client and intervention
//   tables;
// - writing: the copies made while writing the output file (the largest variable
//   gathered over replications, twice, and the file's image, at most half the results);
// - simulations: per simulation running at once (one per thread), the agent stores
//   (workers with the initial reserve, trainees, clients, with room to grow), the
//   per-cell work arrays and the --agents-out microdata of two replications (the
//   rest is written to the file as each replication finishes);
// - a sweep's design: points x (replications x outputs + parameters).
// The peak is results + the larger of writing and simulations (they do not overlap).
// It is an estimate: the point is to refuse what cannot fit, not to predict the
// resident size to the byte.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/document.h"
#include "scenario/params.h"

namespace careabm::sweep {
struct SweepSpec;
}

namespace careabm::experiments {

// The machine's physical memory in bytes (0 when the system does not say).
std::uint64_t physical_memory();

struct MemoryLimit {
  std::uint64_t bytes = 0;
  bool from_option = false;  // --max-memory given; otherwise the physical memory
};

// `--max-memory` when given (already parsed), else the physical memory.
MemoryLimit memory_limit(std::uint64_t option_bytes);

// "1.5 GiB", "812 MiB", "96 KiB", "512 bytes".
std::string format_bytes(std::uint64_t bytes);

// What one command does with one scenario.
struct RunShape {
  std::int64_t replications = 1;  // replication results held at once
  int simulations = 1;            // simulations running at once (threads, at most the replications)
  bool writes_file = true;        // the results are written to an HDF5 output
};

struct MemoryEstimate {
  std::uint64_t results = 0, writing = 0, simulations = 0;
  std::uint64_t peak() const;
  // The key whose value makes the estimate large, and where it was set (file, line;
  // line 0 when unknown or set on the command line), and a few words on what to change.
  std::string key, file, advice;
  int line = 0;
};

// The estimate for running `p` (loaded from `doc`) with `shape`.
MemoryEstimate estimate_run(const scenario::Document& doc, const Params& p, const RunShape& shape);

// Several scenarios run one after the other whose results are all kept (compare):
// results and writing add up, simulations take the largest; the key is that of the
// scenario contributing most.
MemoryEstimate combine(const std::vector<MemoryEstimate>& estimates);

// A sweep: the design's points with their outputs, and `threads` points running at
// once, each one replication at a time. `sweep_doc` is the sweep file, `base_doc`
// and `base` its base scenario.
MemoryEstimate estimate_sweep(const sweep::SweepSpec& spec, const scenario::Document& sweep_doc,
                              const scenario::Document& base_doc, const Params& base, int threads);

// Throws InputError located at the estimate's key when its peak exceeds the limit.
void require_memory(const MemoryEstimate& estimate, const MemoryLimit& limit);

}  // namespace careabm::experiments
