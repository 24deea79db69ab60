#include "core/errors.h"

namespace careabm {

// Built with append() rather than operator+ chains (GCC 12 gives a false -Wrestrict there).
std::string InputError::format(const std::string& file, int line, const std::string& key,
                               const std::string& message) {
  std::string out = file.empty() ? std::string("<command line>") : file;
  if (line > 0) out.append(":").append(std::to_string(line));
  if (!key.empty()) out.append(": key '").append(key).append("'");
  out.append(": ").append(message);
  return out;
}

}  // namespace careabm
