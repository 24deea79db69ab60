#include "io/atomic_output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "core/errors.h"
#include "core/interrupt.h"
#include "io/durable_file.h"

namespace careabm::io {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTempMarker = ".tmp.";

std::string reason(int error) { return std::strerror(error); }

// The directory exists, the path is no directory and no input.
void require_distinct_target(const fs::path& final_path, const std::vector<fs::path>& inputs,
                             const std::string& key = "-o") {
  const std::string file = final_path.string();
  const fs::path directory = directory_of(final_path);
  std::error_code error;
  if (!fs::is_directory(directory, error))
    throw InputError(file, 0, key, "directory " + directory.string() + " does not exist");
  if (fs::is_directory(final_path, error)) throw InputError(file, 0, key, "is a directory, not an output file");
  if (!fs::exists(final_path, error)) return;  // then it is no input either
  for (const auto& input : inputs) {
    if (fs::equivalent(final_path, input, error)) {
      throw InputError(file, 0, key,
                       "is an input of this command (" + input.string() +
                           "); writing the output there would destroy it, so choose another output file");
    }
  }
}

void require_writable_target(const fs::path& final_path, bool force, const std::vector<fs::path>& inputs,
                             const std::string& key) {
  require_distinct_target(final_path, inputs, key);
  const std::string file = final_path.string();
  std::error_code error;
  if (fs::exists(final_path, error)) {
    if (!force) throw InputError(file, 0, key, "exists; pass --force to overwrite");
    if (!fs::is_regular_file(final_path, error))
      throw InputError(file, 0, key, "exists and is not a regular file; careabm only replaces regular files");
  }
}

// The process id at the end of "<name>.tmp.<pid>", or 0 when the name is not of that form.
pid_t temp_owner(const std::string& name) {
  const auto at = name.rfind(kTempMarker);
  if (at == std::string::npos || at == 0) return 0;
  const char* first = name.data() + at + kTempMarker.size();
  const char* last = name.data() + name.size();
  if (first == last || last - first > 10) return 0;
  long long pid = 0;
  const auto [end, ec] = std::from_chars(first, last, pid);
  if (ec != std::errc() || end != last || pid <= 0 || pid > INT32_MAX) return 0;
  return static_cast<pid_t>(pid);
}

bool process_runs(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// What careabm writes under a temporary name: nothing yet (the placeholder made
// before the work), an HDF5 file, or a fitted scenario. Anything else is left alone.
bool looks_like_careabm_output(int fd, const struct stat& info) {
  if (info.st_size == 0) return true;
  static const char hdf5[] = "\x89HDF\r\n\x1a\n";
  static const char fitted[] = "# Fitted by `careabm calibrate`";
  char head[sizeof fitted] = {};
  const ssize_t n = ::pread(fd, head, sizeof head - 1, 0);
  if (n <= 0) return false;
  const auto starts = [&](const char* magic, std::size_t length) {
    return static_cast<std::size_t>(n) >= length && std::memcmp(head, magic, length) == 0;
  };
  return starts(hdf5, sizeof hdf5 - 1) || starts(fitted, sizeof fitted - 1);
}

}  // namespace

void require_output_path(const fs::path& final_path, const std::vector<fs::path>& inputs) {
  require_distinct_target(final_path, inputs);
  // A real file, made and removed at once: permissions alone do not tell (root, a
  // read-only or special file system).
  fs::path probe = final_path;
  probe += std::string(kTempMarker) + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0 && errno != EEXIST) {
    const int error = errno;
    throw InputError(final_path.string(), 0, "-o",
                     "cannot create a file in directory " + directory_of(final_path).string() + ": " + reason(error));
  }
  if (fd >= 0) {
    ::close(fd);
    ::unlink(probe.c_str());
  }
}

int remove_stale_temporaries(const fs::path& directory) {
  int removed = 0;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const fs::path path = it->path();
    const pid_t pid = temp_owner(path.filename().string());
    if (pid == 0 || pid == ::getpid() || process_runs(pid)) continue;
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat info {};
    const bool stale = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == ::geteuid() &&
                       looks_like_careabm_output(fd, info);
    ::close(fd);
    if (stale && ::unlink(path.c_str()) == 0) ++removed;
  }
  return removed;
}

AtomicOutput::AtomicOutput(fs::path final_path, bool force, const std::vector<fs::path>& inputs,
                           const std::string& key)
    : final_path_(std::move(final_path)) {
  require_writable_target(final_path_, force, inputs, key);
  const fs::path directory = directory_of(final_path_);
  remove_stale_temporaries(directory);
  temp_path_ = final_path_;
  temp_path_ += std::string(kTempMarker) + std::to_string(::getpid());
  // Made now, empty, so that a directory that takes no new files (read-only, no
  // permission, no such file system) fails before the work rather than after it.
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    throw InputError(final_path_.string(), 0, key,
                     "cannot create a file in directory " + directory.string() + ": " + reason(error));
  }
  ::close(fd);
  slot_ = register_temporary(fs::absolute(temp_path_).string());
}

AtomicOutput::~AtomicOutput() {
  unregister_temporary(slot_);
  if (committed_) return;
  std::error_code ignored;  // nothing useful to do if cleanup fails while unwinding
  fs::remove(temp_path_, ignored);
}

void AtomicOutput::commit() {
  if (committed_) throw std::logic_error("output " + final_path_.string() + " committed twice");
  throw_if_interrupted();  // the last point at which a signal stops the command
  std::error_code error;
  if (!fs::exists(temp_path_, error) || fs::file_size(temp_path_, error) == 0 || error)
    throw std::runtime_error("cannot commit " + final_path_.string() + ": " + temp_path_.string() + " was not written");
  sync_file(temp_path_);  // its data on the disk before the name points at it
  fs::rename(temp_path_, final_path_, error);  // rename(2): atomic replace
  if (error)
    throw OutputError("cannot rename " + temp_path_.string() + " to " + final_path_.string() + ": " + error.message());
  committed_ = true;
  unregister_temporary(slot_);
  slot_ = -1;
  sync_directory(directory_of(final_path_));  // and the new name too
}

}  // namespace careabm::io
