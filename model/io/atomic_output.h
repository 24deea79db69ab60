// Writes an output file under a temporary name and renames it into place when complete,
// so an interrupted or failed run never leaves a half-written file under the name the
// user asked for (README.md, "Command line"). Also enforces "never overwrite without
// --force" and "never write over an input".
//
//   AtomicOutput out(options.output, options.force, inputs);  // checks before any work is done
//   H5Writer h5(out.temp_path());
//   ... write ...
//   h5.close();                                        // close before commit
//   out.commit();                                      // atomic rename onto the final path
//
// The constructor creates the temporary file at once, which proves that the
// directory takes new files before the work starts. If commit() is never
// reached (exception, interruption, early return) the destructor deletes the
// temporary file; a second SIGINT or SIGTERM deletes it from the signal handler
// (core/interrupt.h). Only a process killed outright (SIGKILL, power loss) leaves
// "<OUT>.tmp.<pid>" behind, and the next AtomicOutput in that directory removes it
// once no process with that id runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace careabm::io {

class AtomicOutput {
 public:
  // Throws careabm::InputError (file = final_path, key `key`: "-o", or how the command
  // names a default output) when final_path is one of
  // `inputs` (the same file, by device and inode), when it exists and !force, when it
  // is a directory, when its directory does not exist, or when no file can be created
  // in that directory. Removes stale temporary files there first.
  AtomicOutput(std::filesystem::path final_path, bool force,
               const std::vector<std::filesystem::path>& inputs = {}, const std::string& key = "-o");
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  // A sibling of the final path (same directory, so the rename stays on one file
  // system and is atomic): "<final>.tmp.<pid>".
  const std::filesystem::path& temp_path() const { return temp_path_; }
  const std::filesystem::path& final_path() const { return final_path_; }

  // Flushes the temporary file to the disk, renames it onto the final path (replacing
  // it when forced) and flushes the directory, so the output survives a crash of the
  // machine too. Throws careabm::Interrupted when SIGINT or SIGTERM arrived (nothing is
  // renamed), std::runtime_error if the temporary file is missing or empty,
  // careabm::OutputError if the rename fails or the disk refuses the flush.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  int slot_ = -1;  // core/interrupt.h registration of temp_path_
  bool committed_ = false;
};

// The checks AtomicOutput makes before any work, for an output written another way
// (a sweep builds "<OUT>.partial"): the directory exists and this user may create
// files in it, the path is not a directory, and it is none of `inputs`. Whether an
// existing output may be replaced is the caller's to decide. Throws InputError
// (file = final_path, key "-o").
void require_output_path(const std::filesystem::path& final_path, const std::vector<std::filesystem::path>& inputs);

// Deletes the files "<name>.tmp.<pid>" in `directory` that belong to this user and
// whose process no longer runs on this machine: what a killed careabm leaves behind.
// Returns how many were removed. Problems (unreadable directory, a file that cannot
// be removed) are ignored: the files stay, as before.
int remove_stale_temporaries(const std::filesystem::path& directory);

}  // namespace careabm::io
