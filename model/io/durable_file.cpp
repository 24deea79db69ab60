#include "io/durable_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include "core/errors.h"

namespace careabm::io {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

[[noreturn]] void fail(const fs::path& path, int error) {
  throw OutputError(path.string() + ": " + std::strerror(error));
}

// fsync of an open descriptor, retried when a signal interrupts it.
int sync_descriptor(int fd, bool data_only) {
  int status;
  do {
    status = data_only ? ::fdatasync(fd) : ::fsync(fd);
  } while (status != 0 && errno == EINTR);
  return status;
}

void sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail(path, errno);
  if (sync_descriptor(fd, false) != 0) {
    const int error = errno;
    ::close(fd);
    // Some file systems cannot flush a directory; that loses nothing they could keep.
    if ((flags & O_DIRECTORY) && (error == EINVAL || error == ENOTSUP)) return;
    fail(path, error);
  }
  ::close(fd);
}

}  // namespace

std::uint64_t fnv1a64(std::span<const unsigned char> bytes, std::uint64_t hash) {
  for (const unsigned char b : bytes) {
    hash ^= b;
    hash *= kFnvPrime;
  }
  return hash;
}

std::uint64_t fnv1a64(std::string_view text, std::uint64_t hash) {
  return fnv1a64(std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size()), hash);
}

DurableDirectory::DurableDirectory(fs::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) fail(path_, errno);
}

DurableDirectory::DurableDirectory(DurableDirectory&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

DurableDirectory& DurableDirectory::operator=(DurableDirectory&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

DurableDirectory::~DurableDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

bool DurableDirectory::try_lock() {
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
  return errno != EWOULDBLOCK;
}

void DurableDirectory::write_file(const std::string& name, std::span<const unsigned char> bytes) {
  const std::string temp = name + ".tmp." + std::to_string(::getpid());
  const int fd = ::openat(fd_, temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path_ / name, errno);
  const auto give_up = [&](int error) {
    ::close(fd);
    ::unlinkat(fd_, temp.c_str(), 0);
    fail(path_ / name, error);
  };
  if (const int error = write_all(fd, bytes.data(), bytes.size()); error != 0) give_up(error);
  if (sync_descriptor(fd, true) != 0) give_up(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlinkat(fd_, temp.c_str(), 0);
    fail(path_ / name, error);
  }
  if (::renameat(fd_, temp.c_str(), fd_, name.c_str()) != 0) {
    const int error = errno;
    ::unlinkat(fd_, temp.c_str(), 0);
    fail(path_ / name, error);
  }
}

void DurableDirectory::sync() {
  if (sync_descriptor(fd_, false) != 0 && errno != EINVAL && errno != ENOTSUP) fail(path_, errno);
}

void DurableDirectory::remove_file(const std::string& name) {
  if (::unlinkat(fd_, name.c_str(), 0) != 0 && errno != ENOENT) fail(path_ / name, errno);
}

AppendFile::AppendFile(fs::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) fail(path_, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    fail(path_, error);
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

AppendFile::AppendFile(AppendFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendFile::append(std::span<const unsigned char> bytes, std::size_t& reached) {
  reached = 0;
  while (reached < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd_, bytes.data() + reached, bytes.size() - reached, static_cast<off_t>(size_ + reached));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      size_ += reached;
      fail(path_, error);
    }
    if (n == 0) {
      size_ += reached;
      fail(path_, EIO);
    }
    reached += static_cast<std::size_t>(n);
  }
  size_ += reached;
  if (sync_descriptor(fd_, true) != 0) fail(path_, errno);
}

bool AppendFile::truncate(std::uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return false;
  size_ = size;
  return sync_descriptor(fd_, true) == 0;
}

void write_whole_file(const fs::path& path, std::span<const unsigned char> bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, errno);
  const auto give_up = [&](int error) {
    ::close(fd);
    ::unlink(path.c_str());
    fail(path, error);
  };
  if (const int error = write_all(fd, bytes.data(), bytes.size()); error != 0) give_up(error);
  if (sync_descriptor(fd, false) != 0) give_up(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    fail(path, error);
  }
}

int write_all(int fd, const void* data, std::size_t size) {
  const char* at = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, at, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return ENOSPC;  // a regular file never takes nothing: do not spin
    at += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

bool read_file(const fs::path& path, std::vector<unsigned char>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

void sync_file(const fs::path& path) { sync_path(path, O_RDONLY); }

void sync_directory(const fs::path& path) { sync_path(path, O_RDONLY | O_DIRECTORY); }

fs::path directory_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

}  // namespace careabm::io
