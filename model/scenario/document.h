// A scenario document: TOML files joined by `extends`, with command-line
// overrides applied, and the provenance (file, line) of every value kept so
// that errors name where the bad value was written.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/errors.h"

namespace careabm::scenario {

// How many files one scenario may extend, one after the other.
constexpr int kMaxExtendsDepth = 64;

class Document {
 public:
  // Loads `path` (and, recursively, the files it extends: at most kMaxExtendsDepth
  // of them), then applies overrides of the form "a.b.c=value" (value in TOML
  // syntax; a bare word is taken as a string). Throws InputError on any problem.
  static Document load(const std::filesystem::path& path,
                       const std::vector<std::string>& overrides = {});

  const toml::table& root() const { return root_; }
  // The document loaded again from its files, with the same overrides: a
  // copy that keeps every value's source (copying a toml node drops it).
  Document reload() const { return load(path_, overrides_); }
  // Replaces the value at `path` (moved in, so it keeps its own source).
  void replace(const std::vector<std::string>& path, toml::node&& value);
  const std::filesystem::path& path() const { return path_; }
  // The scenario file and the files it extends, in the order they were read.
  const std::vector<std::filesystem::path>& files() const { return files_; }

  // The fully resolved scenario as TOML text (extends resolved, overrides applied).
  std::string resolved_text() const;

 private:
  std::filesystem::path path_;
  std::vector<std::string> overrides_;
  std::vector<std::filesystem::path> files_;
  toml::table root_;
};

// Where a node was written: file and line (file "--set" for overrides).
std::string source_file(const toml::node& node);
int source_line(const toml::node& node);

// Throws InputError located at `node`.
[[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& message);

// Typed, validated access to a document. Every key that is read is marked as
// used; `finish()` then reports the first key that nothing read (an unknown
// or misspelt key) as an error.
class Reader {
 public:
  explicit Reader(const Document& doc) : doc_(doc) {}

  bool has(std::string_view key) const;
  const toml::node& node(std::string_view key) const;  // throws if missing

  std::string string(std::string_view key) const;
  std::string string(std::string_view key, std::string_view fallback) const;
  double number(std::string_view key, double lo, double hi) const;
  double number(std::string_view key, double lo, double hi, double fallback) const;
  double rate(std::string_view key) const { return number(key, 0.0, 1.0); }
  double rate(std::string_view key, double fallback) const { return number(key, 0.0, 1.0, fallback); }
  long long integer(std::string_view key, long long lo, long long hi) const;
  long long integer(std::string_view key, long long lo, long long hi, long long fallback) const;
  bool boolean(std::string_view key, bool fallback) const;
  std::vector<std::string> string_list(std::string_view key) const;
  std::vector<double> number_list(std::string_view key, double lo, double hi) const;
  // A square matrix whose rows are probability distributions (sum to 1 within 1e-9).
  std::vector<std::vector<double>> stochastic_matrix(std::string_view key, std::size_t size) const;
  // A table keyed by category names: value per category, each in [lo, hi].
  // Missing categories take `fallback` when given, else are an error; keys that
  // are not categories are errors.
  std::vector<double> by_category(std::string_view key, const std::vector<std::string>& categories,
                                  double lo, double hi) const;
  std::vector<double> by_category(std::string_view key, const std::vector<std::string>& categories,
                                  double lo, double hi, double fallback) const;
  // One number for every category, or a table keyed by category (missing
  // categories take `fallback`).
  std::vector<double> number_or_by_category(std::string_view key, const std::vector<std::string>& categories,
                                            double lo, double hi, double fallback) const;
  // Keys of a table (each marked as used).
  std::vector<std::string> keys(std::string_view key) const;
  // A path value, resolved relative to the file that wrote it.
  std::filesystem::path file(std::string_view key) const;

  // Fails on the first key that was never read.
  void finish() const;

  const Document& document() const { return doc_; }

 private:
  const toml::node* find(std::string_view key) const;
  void mark(std::string_view key) const;
  [[noreturn]] void missing(std::string_view key) const;

  const Document& doc_;
  mutable std::set<std::string, std::less<>> used_;
};

}  // namespace careabm::scenario
