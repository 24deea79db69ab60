// The scenario loader on arbitrary input: the property the fuzz target
// (fuzz_scenario.cpp) checks on every input and the unit tests check on the
// seed corpus (tests/fuzz/corpus).
//
// An input is the text of scenario.toml, optionally followed by further files
// beside it, each introduced by a line `#@file NAME` (NAME of letters, digits,
// '.', '_' and '-'; a TOML comment, so a seed stays a readable scenario).
// Every '/' (also as a \u002F escape) becomes '_', so no path in an input can
// leave the directory the input is written to.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace careabm::fuzz {

// The files of an input: scenario.toml first.
std::vector<std::pair<std::string, std::string>> input_files(std::string_view data);

// Writes the input's files to a new subdirectory of `dir` (whatever else is
// in `dir` is removed first) and loads its scenario.toml.
// Returns "" when the loader behaves: the scenario loads, or the loader throws
// InputError (exit 2 with a located message); otherwise what went wrong: any
// other exception, or a resolved text that does not read back to exactly the
// loaded values.
std::string check_input(std::string_view data, const std::filesystem::path& dir);

// "" if `text` parses to exactly the values of `table` (same keys, types and
// values; floats bit for bit, NaN equal to NaN), else the first difference.
std::string round_trip_difference(const toml::table& table, const std::string& text);

}  // namespace careabm::fuzz
