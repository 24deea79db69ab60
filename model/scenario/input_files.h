// The files a scenario reads, and the rules they must meet before careabm opens
// them: a regular file (not a FIFO, device, socket or directory, which could block
// or never end) of a bounded size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace careabm::scenario {

class Document;

// Largest input file careabm reads (a scenario, a file it extends, a CSV table):
// far beyond any real table, and small enough that parsing it fits in memory.
constexpr std::uintmax_t kMaxInputBytes = std::uintmax_t{256} << 20;

// Throws InputError located at (file, line, key) unless `path` exists and is a
// regular file (a symbolic link to one is fine) of at most kMaxInputBytes. Checked
// before the file is opened.
void require_input_file(const std::filesystem::path& path, const std::string& file, int line,
                        const std::string& key);

// Every file `doc` reads: the scenario, the files it extends, and every value that
// names an existing file relative to the file that set it (CSV tables, yearly series).
// Without duplicates.
std::vector<std::filesystem::path> input_files(const Document& doc);

}  // namespace careabm::scenario
