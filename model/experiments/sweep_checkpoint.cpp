#include "experiments/sweep_checkpoint.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "core/errors.h"
#include "core/version.h"
#include "experiments/output.h"

namespace careabm::sweep {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "manifest";
constexpr const char* kJournal = "points";
constexpr const char* kManifestTitle = "careabm sweep checkpoint 1";
constexpr char kRecordMagic[8] = {'C', 'A', 'B', 'M', 'P', 'N', 'T', '1'};
constexpr std::size_t kRecordHeader = 32;  // magic, fingerprint, index, count
constexpr std::size_t kChecksumBytes = 8;

// ---- little-endian words

void put_u64(std::vector<unsigned char>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string hex16(std::uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = digits[v & 15];
  return s;
}

std::optional<std::uint64_t> parse_unsigned(const std::string& s, int base) {
  if (s.empty() || s.size() > (base == 16 ? 16u : 19u)) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::uint64_t hash_doubles(const std::vector<double>& values) {
  std::vector<unsigned char> bytes;
  bytes.reserve(values.size() * 8);
  for (const double v : values) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    put_u64(bytes, bits);
  }
  return io::fnv1a64(bytes);
}

// ---- file names

// A temporary file that a write interrupted by a kill or a full disk left behind.
bool is_temporary(const std::string& name) {
  return (name.starts_with(kJournal) || name.starts_with(kManifest)) &&
         name.find(".tmp.") != std::string::npos;
}

bool is_ours(const std::string& name) { return name == kManifest || name == kJournal || is_temporary(name); }

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// ---- journal records

std::size_t record_bytes(std::uint64_t count) { return kRecordHeader + 8 * count + kChecksumBytes; }

void encode_record(std::vector<unsigned char>& bytes, std::uint64_t fingerprint, long point,
                   const std::vector<double>& values) {
  const std::size_t start = bytes.size();
  bytes.insert(bytes.end(), std::begin(kRecordMagic), std::end(kRecordMagic));
  put_u64(bytes, fingerprint);
  put_u64(bytes, static_cast<std::uint64_t>(point));
  put_u64(bytes, values.size());
  for (const double v : values) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    put_u64(bytes, bits);
  }
  put_u64(bytes, io::fnv1a64(std::span(bytes.data() + start, bytes.size() - start)));
}

enum class RecordState { good, damaged, foreign };

struct RecordCheck {
  RecordState state = RecordState::damaged;
  long point = -1;     // good
  std::string reason;  // damaged or foreign: why
};

// Checks one record (record_bytes(count) bytes): whole (magic, checksum), then
// this sweep's (fingerprint, a point index below `points`, count).
RecordCheck check_record(const unsigned char* bytes, std::uint64_t fingerprint, std::uint64_t points,
                         std::uint64_t count) {
  const auto damaged = [](std::string why) { return RecordCheck{RecordState::damaged, -1, std::move(why)}; };
  const std::size_t size = record_bytes(count);
  if (!std::equal(std::begin(kRecordMagic), std::end(kRecordMagic), bytes))
    return damaged("not a point record");
  if (io::fnv1a64(std::span(bytes, size - kChecksumBytes)) != get_u64(bytes + size - kChecksumBytes)) {
    return damaged("checksum mismatch");
  }
  if (get_u64(bytes + 8) != fingerprint) return {RecordState::foreign, -1, "from another sweep"};
  const std::uint64_t point = get_u64(bytes + 16);
  if (get_u64(bytes + 24) != count) return damaged("holds another number of values");
  if (point >= points) return damaged("point " + std::to_string(point) + " is beyond the sweep");
  return {RecordState::good, static_cast<long>(point), ""};
}

void read_values_of(const unsigned char* record, std::uint64_t count, double* out) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t bits = get_u64(record + kRecordHeader + 8 * i);
    std::memcpy(out + i, &bits, sizeof bits);
  }
}

// What a journal holds: the first good record of each point, and what is wrong
// with the rest.
struct JournalScan {
  std::vector<long> first_record;     // per point: its first good record, or -1
  std::vector<std::string> problems;  // one line per record dropped
  bool foreign = false;               // a whole record of another sweep
  bool clean = true;                  // nothing to drop: every record good, once, and no cut-off tail
  std::vector<unsigned char> bytes;   // the journal
};

JournalScan scan_journal(const fs::path& path, const Fingerprint& f) {
  JournalScan scan;
  scan.first_record.assign(f.points, -1);
  if (!fs::exists(path)) {
    scan.clean = false;  // a kill before the new checkpoint's journal was made: made now
    return scan;
  }
  if (!io::read_file(path, scan.bytes)) {
    scan.clean = false;
    scan.problems.push_back("cannot be read; all its points will be run again");
    scan.bytes.clear();
    return scan;
  }
  const std::size_t size = record_bytes(f.replications * f.outputs);
  const std::size_t records = scan.bytes.size() / size;
  const std::uint64_t whole = f.value();
  for (std::size_t k = 0; k < records; ++k) {
    const auto check =
        check_record(scan.bytes.data() + k * size, whole, f.points, f.replications * f.outputs);
    const std::string where = "record " + std::to_string(k) + " (bytes " + std::to_string(k * size) + "-" +
                              std::to_string((k + 1) * size - 1) + ")";
    if (check.state == RecordState::good) {
      if (scan.first_record[check.point] < 0) {
        scan.first_record[check.point] = static_cast<long>(k);
      } else {
        scan.clean = false;  // a second copy of a point: harmless, dropped
      }
      continue;
    }
    scan.clean = false;
    if (check.state == RecordState::foreign) scan.foreign = true;
    scan.problems.push_back(where + " is damaged (" + check.reason + "); its point will be run again");
  }
  if (const std::size_t tail = scan.bytes.size() - records * size; tail > 0) {
    scan.clean = false;
    scan.problems.push_back("the last record was cut short (" + std::to_string(tail) + " of " +
                            std::to_string(size) + " bytes written); its point will be run again");
  }
  return scan;
}

// ---- the manifest

struct Manifest {
  Fingerprint fingerprint;
  std::string created_utc, command_line;
};

std::string manifest_text(const Manifest& m) {
  const Fingerprint& f = m.fingerprint;
  std::string command_line = m.command_line;
  std::replace(command_line.begin(), command_line.end(), '\n', ' ');
  std::string text = std::string(kManifestTitle) + "\n";
  text += "careabm_version = " + f.careabm_version + "\n";
  text += "fingerprint = " + hex16(f.value()) + "\n";
  text += "sweep_text = " + hex16(f.sweep_text) + "\n";
  text += "scenario = " + hex16(f.scenario) + "\n";
  text += "design = " + hex16(f.design) + "\n";
  text += "points = " + std::to_string(f.points) + "\n";
  text += "replications = " + std::to_string(f.replications) + "\n";
  text += "outputs = " + std::to_string(f.outputs) + "\n";
  text += "created_utc = " + m.created_utc + "\n";
  text += "command_line = " + command_line + "\n";
  text += "checksum = " + hex16(io::fnv1a64(text)) + "\n";
  return text;
}

// The manifest at `dir`, or why it cannot be used ("missing", "damaged (...)").
std::optional<Manifest> read_manifest(const fs::path& dir, std::string& problem) {
  std::vector<unsigned char> bytes;
  if (!fs::exists(dir / kManifest)) {
    problem = "missing";
    return std::nullopt;
  }
  if (!io::read_file(dir / kManifest, bytes)) {
    problem = "unreadable";
    return std::nullopt;
  }
  const std::string text(bytes.begin(), bytes.end());
  const auto damaged = [&](const std::string& why) {
    problem = "damaged (" + why + ")";
    return std::nullopt;
  };
  const auto sum_at = text.rfind("checksum = ");
  if (sum_at == std::string::npos || (sum_at > 0 && text[sum_at - 1] != '\n'))
    return damaged("no checksum line");
  const auto stored = parse_unsigned(text.substr(sum_at + 11, text.size() - sum_at - 12), 16);
  if (!text.ends_with('\n') || !stored || *stored != io::fnv1a64(std::string_view(text).substr(0, sum_at))) {
    return damaged("checksum mismatch");
  }
  std::map<std::string, std::string> fields;
  std::size_t at = text.find('\n');
  if (text.substr(0, at) != kManifestTitle) return damaged("not a careabm sweep checkpoint of this format");
  while (at + 1 < sum_at) {
    const auto end = text.find('\n', at + 1);
    const std::string line = text.substr(at + 1, end - at - 1);
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) return damaged("a line without ' = '");
    fields[line.substr(0, eq)] = line.substr(eq + 3);
    at = end;
  }
  Manifest m;
  Fingerprint& f = m.fingerprint;
  const auto field = [&](const char* key) -> const std::string* {
    const auto it = fields.find(key);
    return it == fields.end() ? nullptr : &it->second;
  };
  const auto number = [&](const char* key, int base, std::uint64_t& v) {
    const std::string* s = field(key);
    const auto parsed = s ? parse_unsigned(*s, base) : std::nullopt;
    if (parsed) v = *parsed;
    return parsed.has_value();
  };
  std::uint64_t whole = 0;
  if (!field("careabm_version") || !field("created_utc") || !field("command_line") ||
      !number("fingerprint", 16, whole) || !number("sweep_text", 16, f.sweep_text) ||
      !number("scenario", 16, f.scenario) || !number("design", 16, f.design) ||
      !number("points", 10, f.points) || !number("replications", 10, f.replications) ||
      !number("outputs", 10, f.outputs)) {
    return damaged("a missing or malformed line");
  }
  f.careabm_version = *field("careabm_version");
  m.created_utc = *field("created_utc");
  m.command_line = *field("command_line");
  if (whole != f.value()) return damaged("its fingerprint does not agree with its fields");
  return m;
}

InputError locked(const fs::path& dir) {
  return InputError(
      dir.string(), 0, "",
      "another careabm process is running this sweep now (its checkpoint is locked); wait for it or "
      "stop it first");
}

}  // namespace

// ------------------------------------------------------------ fingerprint

std::uint64_t Fingerprint::value() const {
  std::string text = std::string(kManifestTitle) + "\n" + careabm_version + "\n";
  text += hex16(sweep_text) + hex16(scenario) + hex16(design) + "\n";
  text += std::to_string(points) + " " + std::to_string(replications) + " " + std::to_string(outputs);
  return io::fnv1a64(text);
}

Fingerprint fingerprint_of(const std::string& careabm_version, const std::string& sweep_text,
                           const std::string& scenario_text, const std::vector<double>& design_row_major,
                           std::uint64_t points, std::uint64_t replications, std::uint64_t outputs) {
  Fingerprint f;
  f.careabm_version = careabm_version;
  f.sweep_text = io::fnv1a64(sweep_text);
  f.scenario = io::fnv1a64(scenario_body(scenario_text));
  f.design = hash_doubles(design_row_major);
  f.points = points;
  f.replications = replications;
  f.outputs = outputs;
  return f;
}

Fingerprint fingerprint_of(const SweepSpec& spec, const Eigen::MatrixXd& values) {
  std::vector<double> design;
  design.reserve(values.size());
  for (Eigen::Index i = 0; i < values.rows(); ++i) {
    for (Eigen::Index j = 0; j < values.cols(); ++j) design.push_back(values(i, j));
  }
  return fingerprint_of(careabm::version(), spec.text, spec.scenario_text, design,
                        static_cast<std::uint64_t>(spec.points()),
                        static_cast<std::uint64_t>(spec.replications), spec.outputs.size());
}

std::string mismatch(const Fingerprint& stored, const Fingerprint& current) {
  if (stored.careabm_version != current.careabm_version) {
    return "it was started by careabm " + stored.careabm_version + ", this is careabm " +
           current.careabm_version;
  }
  if (stored.sweep_text != current.sweep_text) return "the sweep file has changed";
  if (stored.scenario != current.scenario) return "the base scenario has changed";
  if (stored.design != current.design) return "the design differs";
  if (stored.points != current.points || stored.replications != current.replications ||
      stored.outputs != current.outputs) {
    return "it has another number of points, replications or outputs";
  }
  return "";
}

std::string scenario_body(const std::string& text) {
  const auto eol = text.find('\n');
  return text.rfind("# careabm resolved scenario", 0) == 0 && eol != std::string::npos ? text.substr(eol + 1)
                                                                                       : text;
}

fs::path checkpoint_path(const fs::path& output) { return fs::path(output.string() + ".partial"); }

// ------------------------------------------------------------ Checkpoint

Checkpoint::Checkpoint(io::DurableDirectory dir, const Fingerprint& fingerprint)
    : dir_(std::move(dir)), fingerprint_(fingerprint), completed_(fingerprint.points, false) {}

std::size_t Checkpoint::record_size() const {
  return record_bytes(fingerprint_.replications * fingerprint_.outputs);
}

Checkpoint Checkpoint::create(const fs::path& dir, const Fingerprint& fingerprint,
                              const std::string& command_line) {
  if (::mkdir(dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) {
      throw InputError(
          dir.string(), 0, "",
          "an interrupted sweep left this checkpoint: continue it with --resume, or start over with "
          "--force");
    }
    throw OutputError("cannot create the sweep checkpoint " + dir.string() + ": " + std::strerror(errno));
  }
  io::sync_directory(io::directory_of(dir));
  Checkpoint c(io::DurableDirectory(dir), fingerprint);
  if (!c.dir_.try_lock()) throw locked(dir);
  c.created_utc_ = experiments::utc_now();
  c.command_line_ = command_line;
  c.write_manifest();
  c.dir_.write_file(kJournal, {});
  c.dir_.sync();
  c.journal_.emplace(dir / kJournal);
  return c;
}

Checkpoint Checkpoint::resume(const fs::path& dir, const Fingerprint& fingerprint, const fs::path& sweep_file,
                              const Warn& warn) {
  if (!fs::is_directory(dir)) {
    throw InputError(
        dir.string(), 0, "--resume",
        "this is the single-file partial output of an earlier careabm version, whose points cannot be "
        "checked; start over with --force instead of --resume");
  }
  Checkpoint c(io::DurableDirectory(dir), fingerprint);
  if (!c.dir_.try_lock()) throw locked(dir);

  std::string problem;
  const auto manifest = read_manifest(dir, problem);
  if (manifest) {
    if (const auto why = mismatch(manifest->fingerprint, fingerprint); !why.empty()) {
      throw InputError(dir.string(), 0, "--resume",
                       "this interrupted sweep does not match " + sweep_file.string() + " (" + why +
                           "); start over with --force instead of --resume");
    }
    c.created_utc_ = manifest->created_utc;
    c.command_line_ = manifest->command_line;
  }

  const fs::path journal = dir / kJournal;
  JournalScan scan = scan_journal(journal, fingerprint);
  if (scan.foreign && !manifest) {
    // Without a manifest only the records say which sweep this was: not this one.
    throw InputError(dir.string(), 0, "--resume",
                     "this interrupted sweep does not match " + sweep_file.string() + " (" +
                         journal.string() +
                         " holds points of another sweep, and the checkpoint's manifest is " + problem +
                         "); start over with --force instead of --resume");
  }
  constexpr std::size_t shown = 10;  // a journal of noise would otherwise give a warning per record
  for (std::size_t i = 0; i < std::min(shown, scan.problems.size()); ++i) {
    warn(journal.string() + ": " + scan.problems[i]);
  }
  if (scan.problems.size() > shown) {
    warn(journal.string() + ": " + std::to_string(scan.problems.size() - shown) +
         " more records are damaged; their points will be run again");
  }
  for (const auto& name : entries(dir)) {
    if (is_temporary(name)) c.dir_.remove_file(name);
  }
  if (!manifest) {
    warn("the checkpoint's manifest " + (dir / kManifest).string() + " is " + problem +
         "; written again (every record in the journal is checked on its own)");
    c.created_utc_ = experiments::utc_now();
    c.write_manifest();
  }

  const std::size_t size = c.record_size();
  std::vector<unsigned char> kept;
  for (long i = 0; i < static_cast<long>(fingerprint.points); ++i) {
    if (scan.first_record[i] < 0) continue;
    c.completed_[i] = true;
    if (!scan.clean) {
      const auto* record = scan.bytes.data() + static_cast<std::size_t>(scan.first_record[i]) * size;
      kept.insert(kept.end(), record, record + size);
    }
  }
  // The good records only, written anew (atomically) so that appends continue at a
  // record boundary after good records.
  if (!scan.clean) c.dir_.write_file(kJournal, kept);
  c.dir_.sync();
  c.journal_.emplace(journal);
  return c;
}

long Checkpoint::completed_count() const { return std::count(completed_.begin(), completed_.end(), true); }

void Checkpoint::write_manifest() {
  const std::string text = manifest_text({fingerprint_, created_utc_, command_line_});
  dir_.write_file(kManifest, std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
  dir_.sync();
}

Checkpoint::Written Checkpoint::write_points(const std::vector<std::pair<long, std::vector<double>>>& batch) {
  const std::uint64_t count = fingerprint_.replications * fingerprint_.outputs;
  std::vector<unsigned char> bytes;
  bytes.reserve(batch.size() * record_size());
  for (const auto& [point, values] : batch) {
    if (values.size() != count || point < 0 || point >= static_cast<long>(fingerprint_.points)) {
      throw std::logic_error("sweep checkpoint: point " + std::to_string(point) + " with " +
                             std::to_string(values.size()) + " values does not fit the sweep");
    }
    encode_record(bytes, fingerprint_.value(), point, values);
  }
  Written out;
  const std::uint64_t start = journal_->size();
  std::size_t reached = 0;
  try {
    journal_->append(bytes, reached);
  } catch (const OutputError& e) {
    out.error = e.what();
    // A record the disk took only part of is cut off again, so that the journal
    // ends at a record boundary (if even that fails, --resume drops it).
    if (reached % record_size() != 0) journal_->truncate(start + reached / record_size() * record_size());
  }
  out.points = static_cast<long>(reached / record_size());
  for (long i = 0; i < out.points; ++i) completed_[batch[i].first] = true;
  return out;
}

std::vector<double> Checkpoint::read_values() const {
  const std::uint64_t count = fingerprint_.replications * fingerprint_.outputs;
  const fs::path journal = dir_ / kJournal;
  const JournalScan scan = scan_journal(journal, fingerprint_);
  std::vector<double> values(fingerprint_.points * count);
  for (long i = 0; i < static_cast<long>(fingerprint_.points); ++i) {
    if (scan.first_record[i] < 0) {
      throw OutputError("cannot read point " + std::to_string(i) + " back from " + journal.string() +
                        "; the checkpoint is kept: continue with --resume, which runs that point again");
    }
    read_values_of(scan.bytes.data() + static_cast<std::size_t>(scan.first_record[i]) * record_size(), count,
                   values.data() + i * count);
  }
  return values;
}

void Checkpoint::remove() {
  // The journal first and the manifest last: a kill in between leaves a checkpoint
  // that is still recognisably this sweep's.
  journal_.reset();
  bool foreign_files = false;
  for (const auto& name : entries(dir_.path())) {
    if (name == kJournal || is_temporary(name)) {
      dir_.remove_file(name);
    } else if (name != kManifest) {
      foreign_files = true;
    }
  }
  dir_.remove_file(kManifest);
  if (foreign_files) return;
  std::error_code error;
  fs::remove(dir_.path(), error);
  if (!error) io::sync_directory(io::directory_of(dir_.path()));
}

// ------------------------------------------------------------ writer thread

CheckpointWriter::CheckpointWriter(Checkpoint& checkpoint)
    : checkpoint_(checkpoint), thread_([this] { work(); }) {}

CheckpointWriter::~CheckpointWriter() { finish(); }

void CheckpointWriter::submit(long point, std::vector<double> values) {
  {
    const std::lock_guard lock(mutex_);
    if (failed_ || stop_) return;
    queue_.emplace_back(point, std::move(values));
  }
  wake_.notify_one();
}

long CheckpointWriter::take_written() {
  const std::lock_guard lock(mutex_);
  return std::exchange(written_, 0);
}

void CheckpointWriter::finish() {
  {
    const std::lock_guard lock(mutex_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void CheckpointWriter::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    auto batch = std::move(queue_);
    queue_.clear();
    lock.unlock();
    Checkpoint::Written w;
    try {
      w = checkpoint_.write_points(batch);
    } catch (const std::exception& e) {
      w.error = e.what();
    }
    lock.lock();
    written_ += w.points;
    if (!w.error.empty()) {
      error_ = w.error;
      failed_ = true;
      queue_.clear();
      return;
    }
  }
}

// ------------------------------------------------------------ helpers

void discard_checkpoint(const fs::path& dir) {
  if (!fs::is_directory(fs::symlink_status(dir))) {
    fs::remove(dir);  // an earlier version's single partial file
    return;
  }
  io::DurableDirectory d(dir);
  if (!d.try_lock()) throw locked(dir);
  const auto names = entries(dir);
  for (const auto& name : names) {
    if (!is_ours(name)) {
      throw InputError(dir.string(), 0, "--force",
                       "holds " + name +
                           ", which careabm did not write; move it away or remove the directory "
                           "yourself");
    }
  }
  // The manifest last, as in Checkpoint::remove().
  for (const auto& name : names) {
    if (name != kManifest) d.remove_file(name);
  }
  d.remove_file(kManifest);
  fs::remove(dir);
  io::sync_directory(io::directory_of(dir));
}

bool checkpoint_adds_nothing(const fs::path& dir, const Fingerprint& fingerprint) {
  if (!fs::is_directory(fs::symlink_status(dir))) return false;
  if (!fs::exists(dir / kManifest) && !fs::exists(dir / kJournal)) {
    const auto names = entries(dir);
    return std::all_of(names.begin(), names.end(), is_temporary);
  }
  std::string problem;
  const auto manifest = read_manifest(dir, problem);
  return manifest && manifest->fingerprint.value() == fingerprint.value();
}

std::optional<CheckpointStatus> inspect_checkpoint(const fs::path& dir) {
  if (!fs::is_directory(dir)) return std::nullopt;
  std::string problem;
  const auto manifest = read_manifest(dir, problem);
  if (!manifest) return std::nullopt;
  const auto scan = scan_journal(dir / kJournal, manifest->fingerprint);
  CheckpointStatus status;
  status.points = static_cast<long>(manifest->fingerprint.points);
  status.completed =
      std::count_if(scan.first_record.begin(), scan.first_record.end(), [](long k) { return k >= 0; });
  return status;
}

}  // namespace careabm::sweep
