// A careabm output file opened for reading, with every object checked against the
// layout of analysis/README.md ("Output layouts") before it is used. This is the one
// place where the commands that read an output back (summary, analyze, report, sweep
// resume) meet a file that may be damaged or hand-edited, so nothing they are handed can
// overrun a buffer or allocate more than the file's real content justifies.
//
// Every failure throws careabm::InputError(file, 0, key, message) (exit 2): the key is the
// dataset's path ("/shortage/persons") or, for a root attribute, its name ("replications").
//
//   OutputFile f("out.h5");                       // kind from the root attribute `command`
//   f.require_kind({OutputKind::run}, "summary");
//   const auto years = f.integer_labels("year");
//   const auto persons = f.read("/shortage/persons", {"replication", "year", "subregion", "branch", "occupation"});
//
// What is checked:
// - the file opens as HDF5 and has a root attribute `command` naming a known kind;
// - attributes exist and have the asked type (string, integer in a range, number);
// - a dimension is a rank-1 dataset in the root group;
// - a variable is a dataset of numbers whose rank is the number of its dimensions, each
//   axis attached to a dimension scale of the expected name and as long as the root
//   scale of that name (its labels);
// - the values read from one file, labels included, stay within a budget (by default the
//   read limit of io/h5_reader.h), checked from the metadata before anything is allocated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "io/h5_reader.h"

namespace careabm::io {

enum class OutputKind { run, compare, sweep, size_cohorts };
// "run", "compare", "sweep", "size-cohorts": the root attribute `command` of each kind.
const char* kind_name(OutputKind kind);

class OutputFile {
 public:
  // Opens the file: InputError when it is missing, not HDF5, or not a careabm output
  // (no string attribute `command`, or an unknown kind). `budget` bounds the values
  // read through this object in total.
  explicit OutputFile(const std::filesystem::path& path, std::uint64_t budget = kDefaultReadLimit);

  OutputKind kind() const { return kind_; }
  const std::filesystem::path& path() const { return path_; }
  // The file name as the messages show it.
  std::string name() const { return path_.string(); }

  // Throws the InputError of this file: key = dataset path or attribute name.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  // Refuses a kind not in `kinds` (key `command`); `purpose` completes "... has no <purpose>".
  void require_kind(std::initializer_list<OutputKind> kinds, const std::string& purpose) const;

  bool exists(const std::string& path) const;
  bool has_attr(const std::string& name) const;
  // The metadata of the dataset at `path`; InputError when it is missing or not a dataset.
  DatasetInfo info(const std::string& path) const;

  // Root attributes.
  std::string attr_string(const std::string& name) const;
  std::int64_t attr_integer(const std::string& name, std::int64_t lowest, std::int64_t highest) const;
  double attr_number(const std::string& name) const;  // integer or floating point; may be NaN

  // The length of the root dimension "/name" (read from its metadata): at least
  // `shortest` labels. With `scale`, the dataset must also be an HDF5 dimension scale
  // (needed where careabm writes new variables along it).
  std::size_t dimension(const std::string& name, std::size_t shortest = 1, bool scale = false) const;
  // Its labels, as strings or integers.
  std::vector<std::string> string_labels(const std::string& name, std::size_t shortest = 1) const;
  std::vector<std::int64_t> integer_labels(const std::string& name, std::size_t shortest = 1) const;

  // Checks the variable at `path` against `dims` (see above) without reading it; returns
  // its number of values.
  std::uint64_t check_variable(const std::string& path, const std::vector<std::string>& dims) const;
  // Checks, then reads (row-major, last axis fastest), counting against the budget.
  std::vector<double> read(const std::string& path, const std::vector<std::string>& dims) const;
  std::vector<std::int64_t> read_integers(const std::string& path, const std::vector<std::string>& dims) const;

  // For a reader that loads the whole file (the report): every dataset outside the
  // groups `skip` (e.g. "/agents") holds numbers or strings, every axis of every
  // variable is attached to a dimension scale whose root scale exists with that axis'
  // length, and all of it together fits the read limit (it reads nothing itself).
  void check_whole_file(const std::vector<std::string>& skip) const;

  const H5Reader& reader() const { return reader_; }

 private:
  std::vector<std::string> attached_dims(const std::string& path) const;
  void spend(const std::string& key, std::uint64_t values) const;

  std::filesystem::path path_;
  H5Reader reader_;
  OutputKind kind_ = OutputKind::run;
  mutable std::uint64_t budget_;
};

}  // namespace careabm::io
