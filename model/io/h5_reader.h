// Reads careabm HDF5 output (and any netCDF-4-style HDF5 file) for `careabm summary`,
// analyze, a sweep's check of a finished output, and the tests. Read-only; every method throws std::runtime_error when the
// object is missing or of the wrong kind, and the constructor throws careabm::InputError
// when the file cannot be opened (it is the user's input).
//
//   H5Reader in("out.h5");
//   in.dims("/workforce/headcount");    // {"replication", "year", "subregion", ...}
//   in.shape("/workforce/headcount");   // {10, 19, 5, 6, 5}
//   in.read_double("/workforce/headcount");   // row-major, last axis fastest
//   in.labels("occupation");            // {"helper", "vig", ...}
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/h5_writer.h"

namespace careabm::io {

class H5Reader {
 public:
  explicit H5Reader(const std::filesystem::path& path);

  // Paths are absolute ("/workforce/headcount"); a missing leading '/' is added.
  bool exists(const std::string& path) const;
  // Full paths of the data variables below group, recursively, in name order: every
  // dataset except dimension scales.
  std::vector<std::string> datasets(const std::string& group = "/") const;

  // Names of the dimensions of a dataset, from the attached dimension scales (the last
  // scale attached to an axis, as netCDF does); "" for an axis without one.
  std::vector<std::string> dims(const std::string& path) const;
  std::vector<std::size_t> shape(const std::string& path) const;
  // All values, row-major, converted by HDF5 from the stored numeric type.
  std::vector<double> read_double(const std::string& path) const;
  std::vector<std::int64_t> read_int64(const std::string& path) const;

  // The string coordinate values of root dimension "/dim_name" (numeric scales: read_int64).
  std::vector<std::string> labels(const std::string& dim_name) const;
  // A scalar string dataset, e.g. "/scenario".
  std::string string_dataset(const std::string& path) const;

  std::string root_attr_string(const std::string& name) const;
  std::int64_t root_attr_int64(const std::string& name) const;
  // A string attribute of any object ("/" for the root group).
  std::string attr_string(const std::string& object_path, const std::string& name) const;
  bool has_attr(const std::string& object_path, const std::string& name) const;

 private:
  hid_t file() const;
  std::filesystem::path path_;
  detail::Handle file_;
};

}  // namespace careabm::io
