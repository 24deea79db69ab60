// `careabm sweep`: runs every point of a sweep's design (run/sweep_spec.h) over
// threads, or over MPI ranks with rank 0 coordinating, and writes the sweep file
// (analysis/README.md, "Output layouts", sweep).
//
// Output and resume. While it runs, a sweep keeps its results in a checkpoint
// directory "<OUT>.partial/" beside the requested output (experiments/
// sweep_checkpoint.h): one small file per finished point, each written under a
// temporary name, flushed to disk, renamed and checksummed, so a point on disk is
// whole or absent whatever stops the process (Ctrl-C, a kill, a full disk, a
// crash of the machine). When every point is there, the HDF5 output is written
// once from those files to "<OUT>.tmp.<pid>", flushed, and renamed to OUT, and the
// checkpoint is removed; OUT itself only ever appears complete (README.md,
// "Command line"). Ctrl-C or SIGTERM lets the points in flight finish and be
// written first; a kill loses those only. `--resume` checks the checkpoint (the
// same sweep file, base scenario, design and careabm version) and every point file
// in it, removes the damaged ones with a warning, and runs the points that are
// missing. Every point is a pure function of its parameter values and the seeds,
// so a resumed file is bit-identical, dataset for dataset, to an uninterrupted one,
// for any thread or rank count. A write the disk refuses stops the sweep with a
// OutputError naming the file (exit 1); the points written before are kept.
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
  std::function<void(const std::string&)> warn;         // damaged checkpoint files and the like; may be empty
};

struct SweepOutcome {
  bool complete = false;  // false: interrupted, the checkpoint "<OUT>.partial" kept
  long points = 0;
  long completed = 0;     // points complete (in the checkpoint, or the file when complete)
  long run_now = 0;       // points run by this invocation
  bool already_done = false;  // --resume found OUT complete and nothing to do
};

// "<OUT>.partial": the checkpoint directory.
std::filesystem::path partial_path(const std::filesystem::path& output);

// Rank 0 (or the only process): makes or checks the checkpoint, runs the pending
// points locally and on the worker ranks of `session`, writes each to the
// checkpoint as it finishes, and the output once all are done. Throws InputError
// for bad input (existing output without --force, a checkpoint that does not
// match, a point the scenario rejects), OutputError when the disk refuses a write.
SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options, const mpi::Session& session);

// Worker ranks: run the points rank 0 sends, `threads` at a time, until told to stop.
void serve_points(const SweepSpec& spec, int threads);

// SIGINT/SIGTERM (core/interrupt.h's handlers, installed by the command) ask the
// sweep to stop after the points in flight; a second signal stops at once (the
// journal's last record may then be cut short, which --resume drops).

}  // namespace careabm::sweep
