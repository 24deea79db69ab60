// Error kinds that map to the program's exit status (README.md, "Command line"):
// InputError -> 2 (bad input, message names file, line and key); SystemError -> 1
// (the machine failed us: a full disk, a file that cannot be written; the message
// names the file); anything else -> 1 (an internal error).
#pragma once

#include <stdexcept>
#include <string>

namespace careabm {

class InputError : public std::runtime_error {
 public:
  // file may be empty (command-line input); line 0 means "no line".
  InputError(const std::string& file, int line, const std::string& key, const std::string& message)
      : std::runtime_error(format(file, line, key, message)), file_(file), line_(line), key_(key) {}
  explicit InputError(const std::string& message) : std::runtime_error(message), line_(0) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& key,
                            const std::string& message);

  std::string file_;
  int line_;
  std::string key_;
};

// A failure of the system rather than of careabm or its input: a write that the
// disk refused (no space left, a file size limit, an I/O error). The message names
// the file and says what is kept and how to go on.
class SystemError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace careabm
