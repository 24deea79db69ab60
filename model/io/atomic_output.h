// Writes an output file under a temporary name and renames it into place when complete,
// so an interrupted or failed run never leaves a half-written file under the name the
// user asked for (README.md, "Command line"). Also enforces "never overwrite without
// --force".
//
//   AtomicOutput out(options.output, options.force);   // checks before any work is done
//   H5Writer h5(out.temp_path());
//   ... write ...
//   h5.close();                                        // close before commit
//   out.commit();                                      // atomic rename onto the final path
//
// If commit() is never reached (exception, early return) the destructor deletes the
// temporary file. A process killed by a signal leaves "<OUT>.tmp.<pid>" behind, never
// a partial "<OUT>".
#pragma once

#include <filesystem>

namespace careabm::io {

class AtomicOutput {
 public:
  // Throws careabm::InputError (file = final_path, key "-o") when final_path exists and
  // !force, when it is a directory, or when its directory does not exist.
  AtomicOutput(std::filesystem::path final_path, bool force);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  // A sibling of the final path (same directory, so the rename stays on one file
  // system and is atomic): "<final>.tmp.<pid>".
  const std::filesystem::path& temp_path() const { return temp_path_; }
  const std::filesystem::path& final_path() const { return final_path_; }

  // Flushes the temporary file to the disk, renames it onto the final path (replacing
  // it when forced) and flushes the directory, so the output survives a crash of the
  // machine too. Throws std::runtime_error if the temporary file is missing or the
  // rename fails, careabm::SystemError if the disk refuses the flush.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
};

}  // namespace careabm::io
