// Files that survive a kill, a crash or a full disk whole or not at all.
//
//   DurableDirectory dir("OUT.h5.partial");     // the directory must exist
//   dir.write_file("point-00000003.bin", bytes);  // all of bytes under that name, or nothing new
//   dir.sync();                                 // the names written so far survive a power cut
//
// write_file() writes "<name>.tmp.<pid>", flushes it to the disk (fdatasync), and
// renames it onto the name (rename(2) replaces atomically), so a reader sees the
// old file, no file, or the whole new one, never a part. A write the disk refuses
// (no space, a file size limit, an I/O error) throws careabm::OutputError naming
// the file; the temporary file is removed and every file written before is intact.
//
// AppendFile adds to a journal: what a kill cuts short is at most its last bytes.
//
// fnv1a64() is the 64-bit FNV-1a hash: a checksum that tells a damaged file from
// a whole one (any change of one byte changes it), not a cryptographic hash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace careabm::io {

inline constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;

std::uint64_t fnv1a64(std::span<const unsigned char> bytes, std::uint64_t hash = kFnvOffsetBasis);
std::uint64_t fnv1a64(std::string_view text, std::uint64_t hash = kFnvOffsetBasis);

class DurableDirectory {
 public:
  // Opens an existing directory. Throws OutputError when it cannot be opened.
  explicit DurableDirectory(std::filesystem::path path);
  DurableDirectory(DurableDirectory&& other) noexcept;
  DurableDirectory& operator=(DurableDirectory&& other) noexcept;
  DurableDirectory(const DurableDirectory&) = delete;
  DurableDirectory& operator=(const DurableDirectory&) = delete;
  ~DurableDirectory();

  // Takes an exclusive advisory lock (flock) on the directory, held until this
  // object goes; false when another process holds it. A file system without
  // locks counts as unlocked.
  bool try_lock();

  // See above. Throws OutputError ("<dir>/<name>: <reason>").
  void write_file(const std::string& name, std::span<const unsigned char> bytes);
  // Flushes the directory itself, so that renames and removals in it are on the disk.
  void sync();
  // Removes a file of the directory; a missing file is not an error.
  void remove_file(const std::string& name);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// A file that only grows: each append() writes its bytes at the end and flushes
// them to the disk before returning.
class AppendFile {
 public:
  // Opens an existing file for appending (the next append goes after its last byte).
  // Throws OutputError naming the file.
  explicit AppendFile(std::filesystem::path path);
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  ~AppendFile();

  // Writes all of bytes at the end, then fdatasync. On failure (no space, a file
  // size limit, an I/O error) throws OutputError ("<path>: <reason>"), and
  // `reached` says how many of the bytes are in the file (a short write).
  void append(std::span<const unsigned char> bytes, std::size_t& reached);
  // Cuts the file back to `size` bytes and flushes (after a failed append); false
  // if that fails too.
  bool truncate(std::uint64_t size);
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// Writes bytes to a new file at path (replacing any) and flushes it to the disk.
// On failure removes what it wrote and throws OutputError ("<path>: <reason>").
void write_whole_file(const std::filesystem::path& path, std::span<const unsigned char> bytes);

// Writes all of data to fd (at its current offset), retrying short writes and
// interrupted calls: 0 when done, else the errno (ENOSPC for a write that took
// nothing). The one write loop of careabm's outputs.
int write_all(int fd, const void* data, std::size_t size);

// Reads a whole file; false when it cannot be opened or read.
bool read_file(const std::filesystem::path& path, std::vector<unsigned char>& bytes);

// Flushes a written file, or a directory (after a rename or removal in it), to the
// disk. Throw OutputError naming the path.
void sync_file(const std::filesystem::path& path);
void sync_directory(const std::filesystem::path& path);

// The directory a path's file lives in ("." for a bare name).
std::filesystem::path directory_of(const std::filesystem::path& path);

}  // namespace careabm::io
