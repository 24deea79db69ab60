// `careabm sweep`: runs every point of a sweep's design (run/sweep_spec.h) over
// threads, or over MPI ranks with rank 0 coordinating, and writes the sweep file
// (analysis/README.md, "Output layouts", sweep).
//
// Output and resume. The file is built as "<OUT>.partial" beside the requested
// output: every dataset is created up front (outputs NaN, /completed 0), and
// each finished point is written (its /outputs/values slice, then its /completed
// flag) and flushed to disk at once. When every point is complete the partial
// file is renamed to OUT, so OUT itself only ever appears complete (README.md, "Command line").
// An interrupted sweep (Ctrl-C or SIGTERM: the points in flight are finished and
// written first; a kill loses them) keeps "<OUT>.partial"; `--resume` reopens it,
// checks that it was made from the same sweep file and base scenario, and runs
// the points whose /completed flag is 0. Every point is a pure function of its
// parameter values and the seeds, so a resumed file is bit-identical, dataset
// for dataset, to an uninterrupted one, for any thread or rank count.
// A process killed in the middle of an HDF5 write can, rarely, leave the partial
// file unreadable; --resume then says so and --force starts over.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "experiments/sweep_mpi.h"
#include "experiments/sweep_spec.h"

namespace careabm::sweep {

struct SweepOptions {
  std::filesystem::path output;  // the final file
  std::string command_line;      // for provenance
  int threads = 1;               // points run at once on this rank
  bool resume = false;
  bool force = false;
  long stop_after = -1;  // for tests: stop handing out points after this many finished (-1: never)
  std::function<void(long done, long total)> progress;  // may be empty
};

struct SweepOutcome {
  bool complete = false;  // false: interrupted, "<OUT>.partial" kept
  long points = 0;
  long completed = 0;     // points complete in the file
  long run_now = 0;       // points run by this invocation
  bool already_done = false;  // --resume found OUT complete and nothing to do
};

// "<OUT>.partial".
std::filesystem::path partial_path(const std::filesystem::path& output);

// Rank 0 (or the only process): prepares or reopens the file, runs the pending
// points locally and on the worker ranks of `session`, writes them as they finish.
// Throws InputError for bad input (existing output without --force, a partial file
// that does not match, a point the scenario rejects).
SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options, const mpi::Session& session);

// Worker ranks: run the points rank 0 sends, `threads` at a time, until told to stop.
void serve_points(const SweepSpec& spec, int threads);

// SIGINT/SIGTERM ask the sweep to stop after the points in flight (a second signal
// kills as usual). interrupt_signal() is the signal received, or 0.
void install_interrupt_handlers();
int interrupt_signal();

}  // namespace careabm::sweep
