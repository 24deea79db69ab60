#include "io/atomic_output.h"

#include <unistd.h>

#include <stdexcept>
#include <string>
#include <system_error>

#include "core/errors.h"
#include "io/durable_file.h"

namespace careabm::io {

namespace {

void require_writable_target(const std::filesystem::path& final_path, bool force) {
  const std::string file = final_path.string();
  const std::filesystem::path directory =
      final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error))
    throw InputError(file, 0, "-o", "directory " + directory.string() + " does not exist");
  if (std::filesystem::is_directory(final_path, error))
    throw InputError(file, 0, "-o", "is a directory, not an output file");
  if (std::filesystem::exists(final_path, error) && !force)
    throw InputError(file, 0, "-o", "exists; pass --force to overwrite");
}

}  // namespace

AtomicOutput::AtomicOutput(std::filesystem::path final_path, bool force) : final_path_(std::move(final_path)) {
  require_writable_target(final_path_, force);
  temp_path_ = final_path_;
  temp_path_ += ".tmp." + std::to_string(::getpid());
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ignored;  // nothing useful to do if cleanup fails while unwinding
  std::filesystem::remove(temp_path_, ignored);
}

void AtomicOutput::commit() {
  if (committed_) throw std::logic_error("output " + final_path_.string() + " committed twice");
  if (!std::filesystem::exists(temp_path_))
    throw std::runtime_error("cannot commit " + final_path_.string() + ": " + temp_path_.string() + " was not written");
  sync_file(temp_path_);  // its data on the disk before the name points at it
  std::error_code error;
  std::filesystem::rename(temp_path_, final_path_, error);  // rename(2): atomic replace
  if (error)
    throw std::runtime_error("cannot rename " + temp_path_.string() + " to " + final_path_.string() + ": " +
                             error.message());
  committed_ = true;
  sync_directory(directory_of(final_path_));  // and the new name too
}

}  // namespace careabm::io
