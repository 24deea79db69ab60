#include "scenario/input_files.h"

#include <set>

#include "core/errors.h"
#include "scenario/document.h"

namespace careabm::scenario {

namespace fs = std::filesystem;

namespace {

const char* kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

std::string mebibytes(std::uintmax_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

struct Collector {
  std::set<std::string> seen;
  std::vector<fs::path> files;

  void add(const fs::path& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return;
    const fs::path canonical = fs::weakly_canonical(path, error);
    if (seen.insert((error ? path : canonical).string()).second) files.push_back(path);
  }

  void value(const toml::node& node) {
    if (const auto* text = node.as_string()) {
      const std::string origin = source_file(node);
      if (text->get().empty()) return;
      // As Reader::file resolves it: relative to the file that set it, or to the
      // working directory for a --set value.
      const bool typed = origin.empty() || origin == "--set";
      std::error_code error;
      add((typed ? fs::current_path(error) : fs::path(origin).parent_path()) / text->get());
    } else if (const auto* table = node.as_table()) {
      for (const auto& [key, child] : *table) value(child);
    } else if (const auto* array = node.as_array()) {
      for (const auto& child : *array) value(child);
    }
  }
};

}  // namespace

void require_input_file(const fs::path& path, const std::string& file, int line, const std::string& key) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error || !fs::exists(status)) throw InputError(file, line, key, "file not found: " + path.string());
  if (!fs::is_regular_file(status)) {
    throw InputError(file, line, key,
                     path.string() + " is " + kind_of(status.type()) + "; inputs must be regular files");
  }
  const auto size = fs::file_size(path, error);
  if (!error && size > kMaxInputBytes) {
    throw InputError(file, line, key,
                     path.string() + " is " + mebibytes(size) + "; input files are limited to " +
                         mebibytes(kMaxInputBytes));
  }
}

std::vector<fs::path> input_files(const Document& doc) {
  Collector collect;
  for (const auto& file : doc.files()) collect.add(file);
  collect.value(doc.root());
  return collect.files;
}

}  // namespace careabm::scenario
