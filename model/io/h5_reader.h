// Reads careabm HDF5 output (and any netCDF-4-style HDF5 file): the low-level layer under
// io/output_file.h (which checks a file against its layout and is what the commands use),
// also used by a sweep's check of a finished output and the tests. Read-only; every method throws
// std::runtime_error when the object is missing, of the wrong kind or unreadable, and the
// constructor throws careabm::InputError when the file cannot be opened (it is the user's
// input). No read allocates more than the read limit allows: a dataset that declares more
// values (HDF5 stores unwritten chunks of a huge dataset in no space at all) throws before
// anything is allocated.
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

// The most values (numbers, or strings) one read returns unless set_read_limit says
// otherwise: 2^28, 2 GiB as doubles, far above any careabm output's largest dataset.
inline constexpr std::uint64_t kDefaultReadLimit = std::uint64_t{1} << 28;

// What a dataset holds, from its metadata alone (nothing is read).
enum class ValueClass { integer, floating, string, other };
struct DatasetInfo {
  std::vector<std::size_t> shape;  // empty for a scalar
  std::uint64_t elements = 0;      // product of the shape (1 for a scalar, 0 for an empty dataspace)
  ValueClass value_class = ValueClass::other;
  bool scale = false;  // an HDF5 dimension scale
};

class H5Reader {
 public:
  explicit H5Reader(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  void set_read_limit(std::uint64_t values) { read_limit_ = values; }
  std::uint64_t read_limit() const { return read_limit_; }

  // Paths are absolute ("/workforce/headcount"); a missing leading '/' is added.
  bool exists(const std::string& path) const;
  // Full paths of the data variables below group, recursively, in name order: every
  // dataset except dimension scales.
  std::vector<std::string> datasets(const std::string& group = "/") const;
  // The same with the dimension scales too.
  std::vector<std::string> all_datasets(const std::string& group = "/") const;
  // Throws std::runtime_error when path is missing or not a dataset.
  DatasetInfo info(const std::string& path) const;
  bool is_dataset(const std::string& path) const;

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
  std::int64_t root_attr_int64(const std::string& name) const;  // an integer attribute
  double root_attr_double(const std::string& name) const;        // an integer or floating-point one
  // A string attribute of any object ("/" for the root group).
  std::string attr_string(const std::string& object_path, const std::string& name) const;
  bool has_attr(const std::string& object_path, const std::string& name) const;

 private:
  hid_t file() const;
  std::filesystem::path path_;
  detail::Handle file_;
  std::uint64_t read_limit_ = kDefaultReadLimit;
};

}  // namespace careabm::io
