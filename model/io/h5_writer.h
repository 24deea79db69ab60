// Writes careabm's HDF5 output in the netCDF-4 data model (analysis/README.md, "Output layouts"):
// categories and years are dimension scales in the root group, result variables are
// N-d datasets attached to them, so ncdump, xarray (h5netcdf), h5py and rhdf5 all see
// labelled axes.
//
// Usage:
//   H5Writer out(tmp_path);                          // creates or truncates
//   out.root_attr("seed", std::int64_t{42});
//   out.dimension("year", years);                    // int64 values
//   out.dimension("occupation", occupation_names);   // string labels
//   out.write("/workforce/headcount", {"replication", "year", ...}, values);
//   out.attr("/workforce/headcount", "long_name", "active workers");  // io/cf.h: describe()
//   out.close();
//
// Conventions:
// - Data is row-major: the last named dimension varies fastest.
// - Strings are UTF-8: datasets (dimension labels, /scenario) as variable-length strings,
//   which netCDF-C requires for string variables; attributes as fixed-length strings,
//   which netCDF reads as classic text (NC_CHAR) and xarray as str.
// - Dimensions are defined once, in the root group. A dataset in a subgroup is attached
//   to a copy of each of its dimensions made in that subgroup (same name, same values),
//   because xarray.open_dataset(file, group=...) only picks up coordinate values from
//   the group it opens; netCDF sees the copy as the same-named dimension of the group.
// - Datasets are chunked (the whole of the trailing axes up to 1 MiB; along the leading
//   replication/stat/point axis as many slices as fill 16 KiB, at least one) and
//   compressed (shuffle + deflate).
// - write() takes all values at creation; open_existing() reopens a file to add to it
//   (analyze's /sensitivity in a sweep file), write_slice() overwrites one index of an
//   existing dataset.
// - A new file is built in memory (HDF5's core driver) and written to disk by close() in
//   one checked pass, so a full disk or a file-size limit is an error of careabm's own
//   writes (careabm::OutputError, naming the file) and never leaves HDF5 holding a file
//   it failed to flush. The path is created (or truncated) by the constructor all the
//   same, so an unwritable path fails before anything is computed. A file opened for
//   update (open_existing) is written in place. in_memory() builds a file that never
//   touches the disk; the caller writes its image(). streamed() writes a file too large
//   for memory as it is built, through careabm's own checked writes (io/checked_driver.h).
// - Dimension scales get a CF long_name (numeric ones also units "1"), copied to the
//   groups' copies, so readers label axes with it.
// - Errors: wrong sizes or unknown dimensions throw std::invalid_argument (a bug in the
//   caller); HDF5 failures throw std::runtime_error with HDF5's own message.
// - One H5Writer per file, used from one thread (Debian's HDF5 is built thread-safe,
//   which makes concurrent calls safe but serializes them).
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace careabm::io {

class H5Writer {
 public:
  // Creates the file, truncating any existing one (AtomicOutput guards real outputs);
  // its contents are written by close(), or by the destructor unless it runs while an
  // exception unwinds the stack.
  explicit H5Writer(const std::filesystem::path& path);
  // Opens an existing file for update: write() overwrites datasets of the same
  // shape, write_slice() fills one index of the leading axis.
  static H5Writer open_existing(const std::filesystem::path& path);
  // Creates (or truncates) a file written to disk as it is built, for outputs too large
  // to hold in memory (run --agents-out). Every write goes through careabm's own write
  // loop (io/checked_driver.h): a write the disk refuses surfaces from whichever call
  // made it, or from close(), as careabm::OutputError naming the file.
  static H5Writer streamed(const std::filesystem::path& path);
  // Builds a file in memory only (HDF5's core driver; nothing touches the disk);
  // image() gives its bytes for the caller to write. A disk that refuses those
  // bytes is then the caller's error to report, where a failed write inside HDF5
  // leaves the library with a half-closed file (and HDF5 1.10 crashes on it at exit).
  static H5Writer in_memory();

  H5Writer(H5Writer&& other) noexcept;
  H5Writer& operator=(H5Writer&& other) noexcept;
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;
  ~H5Writer();

  // Flushes and closes the file (a new file: writes it to disk, throwing
  // careabm::OutputError when the disk refuses); later calls throw. Idempotent.
  void close();
  // An in_memory() file's bytes as they would be on disk, then close().
  std::vector<unsigned char> image();

  // Attributes of the root group (careabm_version, command, seed, ...). Replaced if present.
  void root_attr(const std::string& name, std::string_view value);
  void root_attr(const std::string& name, std::int64_t value);
  void root_attr(const std::string& name, double value);
  // A text attribute (units, long_name, description) on a dataset or group.
  void attr(const std::string& object_path, const std::string& name, std::string_view value);
  // A numeric array attribute (CF flag_values), stored with the element type given.
  void attr(const std::string& object_path, const std::string& name, std::span<const std::int8_t> values);
  void attr(const std::string& object_path, const std::string& name, std::span<const std::int32_t> values);

  // A scalar string dataset, e.g. "/scenario" holding the resolved scenario's TOML.
  void string_dataset(const std::string& path, std::string_view text);

  // A dimension scale "/name" with its coordinate values. Throws if it already exists.
  void dimension(const std::string& name, const std::vector<std::string>& labels);
  void dimension(const std::string& name, const std::vector<std::int64_t>& values);
  // Makes dimension("x", {"a", "b"}) unambiguous (vector<int64_t> has an iterator-pair
  // constructor that two string literals would otherwise also match).
  void dimension(const std::string& name, std::initializer_list<const char*> labels) {
    dimension(name, std::vector<std::string>(labels.begin(), labels.end()));
  }

  // An N-d dataset at path (groups created as needed) with the shape of the named
  // dimensions; a dataset with no dimensions is a scalar. If the dataset exists with
  // the same shape its values are overwritten.
  void write(const std::string& path, const std::vector<std::string>& dims, std::span<const double> data);
  void write(const std::string& path, const std::vector<std::string>& dims, std::span<const std::int64_t> data);
  void write(const std::string& path, const std::vector<std::string>& dims, std::span<const std::int32_t> data);
  void write(const std::string& path, const std::vector<std::string>& dims, std::span<const std::int8_t> data);
  // Variable-length UTF-8 strings (e.g. /scenario_text [scenario] of a compare file); not compressed.
  void write_strings(const std::string& path, const std::vector<std::string>& dims, const std::vector<std::string>& text);

  // Overwrites dataset[index, ...] of an existing dataset of rank >= 1; data holds the
  // trailing axes in row-major order.
  void write_slice(const std::string& path, std::size_t index, std::span<const double> data);
  void write_slice(const std::string& path, std::size_t index, std::span<const std::int64_t> data);
  void write_slice(const std::string& path, std::size_t index, std::span<const std::int32_t> data);
  void write_slice(const std::string& path, std::size_t index, std::span<const std::int8_t> data);

  // Unlinks the object at path (a group with everything in it) when it exists.
  void remove(const std::string& path);

  const std::filesystem::path& path() const { return path_; }

 private:
  friend class H5Columns;
  H5Writer(hid_t file, std::filesystem::path path) : file_(file), path_(std::move(path)) {}
  hid_t file() const;
  void array_attr(const std::string& object_path, const std::string& name, const void* values,
                  std::size_t size, hid_t mem_type, hid_t file_type);
  void write_any(const std::string& path, const std::vector<std::string>& dims, const void* data, std::size_t size,
                 hid_t mem_type, hid_t file_type);
  void write_slice_any(const std::string& path, std::size_t index, const void* data, std::size_t size, hid_t mem_type);

  hid_t file_ = H5I_INVALID_HID;
  int disk_ = -1;  // a new file: the descriptor close() writes the in-memory image to
  int uncaught_ = std::uncaught_exceptions();  // at construction: is the destructor unwinding?
  std::filesystem::path path_;
};

// Columns of one table that grow as rows arrive (agent microdata, written a
// replication at a time): 1-d datasets <group>/<name> along an extendible dimension
// <group>/<dimension> that stores no values (netCDF's "dimension without a
// variable": readers number the rows 0..N-1 themselves), chunked and compressed like
// every variable. Rows are appended column by column; finish() checks that every
// column has the same length, sets the dimension to it and flushes the columns.
//
//   H5Columns table(out, "/agents/2031", "agent_2031");
//   table.add("age", H5Columns::Type::int32);
//   table.append("age", std::span<const std::int32_t>(ages));  // as often as rows arrive
//   table.finish();
class H5Columns {
 public:
  enum class Type { int8, int32, int64, float64 };
  H5Columns(H5Writer& out, const std::string& group, const std::string& dimension);
  H5Columns(const H5Columns&) = delete;
  H5Columns& operator=(const H5Columns&) = delete;
  ~H5Columns();

  // A new, empty column; its path for attributes is path(name).
  void add(const std::string& name, Type type);
  std::string path(const std::string& name) const { return group_ + "/" + name; }
  // Appends to a column, which must have been added with the matching type.
  void append(const std::string& name, std::span<const std::int8_t> values);
  void append(const std::string& name, std::span<const std::int32_t> values);
  void append(const std::string& name, std::span<const std::int64_t> values);
  void append(const std::string& name, std::span<const double> values);
  void finish();

 private:
  struct Column;
  Column& column(const std::string& name, Type type);
  void append_any(const std::string& name, Type type, const void* values, std::size_t size);
  std::string path_of_dimension() const;

  H5Writer& out_;
  std::string group_, dimension_;
  std::vector<Column> columns_;
  bool finished_ = false;
};

// The HDF5 library's lifetime in the careabm program. HDF5 closes whatever is still
// open when the process exits; an object whose close failed (a file or dataset that
// could not be flushed, e.g. on a full disk) is by then half destroyed, and touching
// it again crashes. begin_hdf5() (first thing in main) keeps HDF5 from doing that by
// itself; end_hdf5() (last thing) shuts the library down unless a close failed, in
// which case it is left as it is for the process to exit.
void begin_hdf5();
void end_hdf5();
// True once closing an HDF5 object failed.
bool hdf5_close_failed();

// Implementation helpers shared by H5Writer and H5Reader (defined in h5_writer.cpp).
namespace detail {
// Owns an HDF5 identifier and closes it with the matching H5?close; shared with H5Reader.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  void reset();
  // Gives up ownership without closing (the caller closes and checks).
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*closer_)(hid_t) = nullptr;
};

// Records that closing an HDF5 object failed (see end_hdf5()), and whether one did.
void note_close_failure();
bool close_failed();
// Throws std::runtime_error("<what>: <HDF5's innermost message>") when status < 0, so
// failures surface as exceptions rather than HDF5's error-stack dump on stderr.
hid_t check(hid_t status, const std::string& what);
// Turns off HDF5's automatic error printing (per thread, as HDF5 keeps it; errors become
// exceptions instead).
void quiet_hdf5_errors();
// True if every link along path ("/a/b/c") exists; H5Lexists alone fails on a missing parent.
bool path_exists(hid_t file, const std::string& path);
// "a/b" -> "/a/b": paths are taken from the root group whether or not they start with '/'.
std::string absolute_path(const std::string& path);
std::vector<hsize_t> dataset_shape(hid_t dataset);
}  // namespace detail

}  // namespace careabm::io
