// The checkpoint of a running sweep: a directory "<OUT>.partial/" beside the
// output, holding a manifest and a journal of the completed points. The HDF5
// output is written once, from the journal, when every point is complete
// (experiments/sweep.h).
//
//   manifest    text: which sweep this is (careabm version, hashes of the sweep
//               file, the base scenario and the design, points x replications x
//               outputs, their fingerprint), when it started, the command line;
//               the last line is a checksum of the lines above. Written once,
//               under a temporary name, flushed and renamed.
//   points      the journal: one record per completed point, appended in the order
//               the points finish, all of one size, binary, little-endian:
//                 "CABMPNT1"                     8 bytes
//                 fingerprint                    uint64
//                 point index                    uint64
//                 n = replications x outputs     uint64
//                 values [replication, output]   n x float64 (IEEE bits)
//                 FNV-1a 64 of all bytes above   uint64
//
// Records that finish together are appended in one write and flushed to the disk
// (fdatasync) before they count as done, so the disk's flushes are shared by the
// points of a batch. A record is good when its magic, fingerprint, index, count
// and checksum agree; each is checked on its own, at its place in the file (k x
// the record size), so a damaged record costs only its point. A kill can cut the
// last record short, a full disk likewise (the cut record is removed at once when
// possible); `--resume` keeps the good records, warns about the others, writes
// the journal again without them, and runs their points again. The fingerprint
// ties each record to its sweep on its own, so the records can be checked even
// when the manifest is lost.
#pragma once

#include <Eigen/Dense>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "experiments/sweep_spec.h"
#include "io/durable_file.h"

namespace careabm::sweep {

// What a sweep's results depend on. Two runs with equal fingerprints compute
// bit-identical points.
struct Fingerprint {
  std::string careabm_version;
  std::uint64_t sweep_text = 0;  // hash of the sweep file's text
  std::uint64_t scenario = 0;    // hash of the resolved base scenario (without its path line)
  std::uint64_t design = 0;      // hash of the parameter values' bits, [point, parameter]
  std::uint64_t points = 0, replications = 0, outputs = 0;

  // All of the above in one number, stored in every record.
  std::uint64_t value() const;
};

// The fingerprint of a sweep whose parameter values are `values` [point, parameter].
Fingerprint fingerprint_of(const SweepSpec& spec, const Eigen::MatrixXd& values);
// The same from the texts and design a sweep file holds (careabm_version: the file's).
Fingerprint fingerprint_of(const std::string& careabm_version, const std::string& sweep_text,
                           const std::string& scenario_text, const std::vector<double>& design_row_major,
                           std::uint64_t points, std::uint64_t replications, std::uint64_t outputs);
// Why a checkpoint made for `stored` cannot continue as `current` (e.g. "the sweep
// file has changed"); "" when they match.
std::string mismatch(const Fingerprint& stored, const Fingerprint& current);

// The resolved scenario text without its first line, which names the path the
// scenario was loaded by (that differs with the working directory).
std::string scenario_body(const std::string& text);

// "<OUT>.partial".
std::filesystem::path checkpoint_path(const std::filesystem::path& output);

class Checkpoint {
 public:
  using Warn = std::function<void(const std::string&)>;

  // Makes a new checkpoint directory (it must not exist) and its manifest.
  // `command_line` and the start time go into the final file's attributes.
  static Checkpoint create(const std::filesystem::path& dir, const Fingerprint& fingerprint,
                           const std::string& command_line);
  // Opens an interrupted sweep's checkpoint and checks it: a manifest of another
  // sweep is an InputError (naming `sweep_file`); every journal record is checked,
  // damaged or cut-short ones are dropped (each with a warning: their points count
  // as not done, and the journal is written again without them); a lost or
  // damaged manifest is written again.
  static Checkpoint resume(const std::filesystem::path& dir, const Fingerprint& fingerprint,
                           const std::filesystem::path& sweep_file, const Warn& warn);

  // The points whose records were found good (resume) or written since.
  const std::vector<bool>& completed() const { return completed_; }
  long completed_count() const;

  // Appends the points' records to the journal and flushes it. `points` is how
  // many are now on the disk (the whole records of a write the disk cut short);
  // `error` ("<file>: <reason>") is set when the disk refused the write.
  struct Written {
    long points = 0;
    std::string error;
  };
  Written write_points(const std::vector<std::pair<long, std::vector<double>>>& batch);

  // Reads every point back from the journal, checking each record, as [point,
  // replication, output] values; throws OutputError when a point is missing.
  std::vector<double> read_values() const;

  const std::string& created_utc() const { return created_utc_; }
  const std::string& command_line() const { return command_line_; }
  const std::filesystem::path& path() const { return dir_.path(); }

  // Removes the checkpoint's files and the directory (after the output is in place).
  // Files careabm did not write are left, and so is the directory then.
  void remove();

 private:
  Checkpoint(io::DurableDirectory dir, const Fingerprint& fingerprint);
  void write_manifest();
  std::size_t record_size() const;

  io::DurableDirectory dir_;
  Fingerprint fingerprint_;
  std::optional<io::AppendFile> journal_;
  std::vector<bool> completed_;
  std::string created_utc_, command_line_;
};

// Removes the checkpoint at `dir` to start over (--force): a left-over checkpoint,
// or the single HDF5 file that earlier careabm versions kept there. Throws
// InputError when another process holds it or it holds files careabm did not write.
void discard_checkpoint(const std::filesystem::path& dir);

// True when the checkpoint at `dir` holds nothing that a sweep with this
// fingerprint, finished, could still need: its manifest is whole and has this
// fingerprint, or it has neither manifest nor journal (what a kill while it was
// being removed leaves).
bool checkpoint_adds_nothing(const std::filesystem::path& dir, const Fingerprint& fingerprint);

// Appends finished points to a checkpoint from a thread of its own, so computing
// goes on while the disk flushes; what finishes during one flush is written by the
// next (one write and one flush for all of them). After a failed write nothing
// more is written.
class CheckpointWriter {
 public:
  explicit CheckpointWriter(Checkpoint& checkpoint);
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;
  ~CheckpointWriter();

  void submit(long point, std::vector<double> values);
  // Points written since the last call.
  long take_written();
  bool failed() const { return failed_; }
  // Waits until every submitted point is written (or a write failed); then
  // error() says why a write failed ("" if none did).
  void finish();
  const std::string& error() const { return error_; }

 private:
  void work();

  Checkpoint& checkpoint_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::pair<long, std::vector<double>>> queue_;
  long written_ = 0;
  bool stop_ = false;
  std::atomic<bool> failed_ = false;
  std::string error_;
  std::thread thread_;
};

// For `careabm analyze` pointed at a checkpoint: its points and how many of them
// have good records; nullopt when `dir` is not a checkpoint with a whole manifest.
struct CheckpointStatus {
  long points = 0;
  long completed = 0;
};
std::optional<CheckpointStatus> inspect_checkpoint(const std::filesystem::path& dir);

}  // namespace careabm::sweep
