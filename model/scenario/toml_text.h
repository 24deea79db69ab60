// TOML text in and out, around toml++.
//
// In: every TOML file careabm reads (scenarios, calibration targets) and every
// --set value is checked before toml++ sees it, for inputs that the toml++
// 3.3 parser handles badly (an assertion, or undefined behaviour where it
// assumes a condition that is false):
//   - control characters other than tab, LF, and CR before LF;
//   - a table header whose first character cannot start a key (`[=a]`,
//     `[[[a]]]`, `[\x0Fa]`);
//   - a character that is not ASCII outside a quoted string or a comment,
//     and, in a multi-line basic string, a character from the ranges toml++
//     3.3 misclassifies (U+00A1-U+0499, U+2C5E-U+3057, U+FB26-U+FEFE) where it
//     tests for whitespace after a backslash (as the first character of a
//     line continued with a line-ending backslash).
// All but the last are invalid TOML anyway. The error names the file, the
// line and, where one can be found, the key.
//
// Out: the scenario text careabm prints and stores (check, output files, the
// fitted scenario of calibrate) is written here rather than by toml++'s
// formatter: numbers in their shortest form that reads back exactly, and text
// that parses back to the same values.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace careabm::scenario {

// Throws InputError (file, line, and the key where one can be found) if
// `text` holds any of the inputs above. A UTF-8 byte-order mark at the start
// is allowed (toml++ skips it). A table header is checked only after the text
// before its line parses, so an earlier error is reported where it is (as
// toml::parse_error).
void check_toml_text(std::string_view text, const std::string& file);

// check_toml_text, then toml::parse; a malformed document still throws
// toml::parse_error (its source names `file`).
toml::table parse_toml_text(std::string_view text, const std::string& file);

// The file's bytes through parse_toml_text. InputError if it cannot be read.
toml::table parse_toml_file(const std::filesystem::path& path);

// The table as TOML text: plain values first, then its tables as [a.b]
// sections and arrays of tables as [[a.b]] sections; tables and arrays
// written inline in the source stay inline. Throws InputError for a string
// that is not valid UTF-8 (TOML cannot hold it).
std::string write_toml(const toml::table& table);

// One value or key as TOML text.
std::string toml_string(std::string_view text);  // a literal '...' where it can be, else "..." with escapes
std::string toml_key(std::string_view key);      // bare where it can be, else quoted
std::string toml_float(double value);            // shortest text that reads back to the same double

bool valid_utf8(std::string_view text);

}  // namespace careabm::scenario
