#include "io/h5_writer.h"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "core/errors.h"
#include "io/checked_driver.h"
#include "io/durable_file.h"

namespace careabm::io {

namespace detail {

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_ != nullptr && closer_(id_) < 0) note_close_failure();
  id_ = H5I_INVALID_HID;
}

namespace {
std::atomic<bool> g_close_failed{false};
}  // namespace

void note_close_failure() { g_close_failed = true; }
bool close_failed() { return g_close_failed; }

namespace {
// Keeps the first (innermost, most specific) message of the error stack.
herr_t first_error(unsigned n, const H5E_error2_t* error, void* out) {
  auto* message = static_cast<std::string*>(out);
  if (n == 0 && error->desc != nullptr) *message = error->desc;
  return 0;
}
}  // namespace

hid_t check(hid_t status, const std::string& what) {
  if (status >= 0) return status;
  // A write the disk refused (a streamed file) is the cause of whatever fails after it.
  if (auto refused = checked_driver_failure()) {
    H5Eclear2(H5E_DEFAULT);
    throw OutputError(*refused);
  }
  std::string cause;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, &cause);
  H5Eclear2(H5E_DEFAULT);
  throw std::runtime_error("HDF5: " + what + (cause.empty() ? "" : ": " + cause));
}

void quiet_hdf5_errors() {
  // The error-printing switch is per thread in thread-safe HDF5 builds.
  thread_local bool done = false;
  if (!done) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    done = true;
  }
}

bool path_exists(hid_t file, const std::string& path) {
  std::size_t start = path.find_first_not_of('/');
  while (start != std::string::npos && start < path.size()) {
    const std::size_t end = path.find('/', start);
    const std::string prefix = path.substr(0, end);
    if (check(H5Lexists(file, prefix.c_str(), H5P_DEFAULT), "look up " + prefix) == 0) return false;
    if (end == std::string::npos) break;
    start = path.find_first_not_of('/', end);
  }
  return true;
}

std::string absolute_path(const std::string& path) { return path.starts_with('/') ? path : "/" + path; }

std::vector<hsize_t> dataset_shape(hid_t dataset) {
  const Handle space(check(H5Dget_space(dataset), "dataspace"), H5Sclose);
  const int rank = static_cast<int>(check(H5Sget_simple_extent_ndims(space.get()), "rank"));
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr), "shape");
  return shape;
}

}  // namespace detail

namespace {

using detail::absolute_path;
using detail::check;
using detail::dataset_shape;
using detail::Handle;

// Chunk bounds: a whole trailing block per chunk up to 1 MiB (HDF5's default chunk
// cache), and at least ~16 KiB per chunk so tiny slices (a sweep's design rows) do not
// each cost a chunk's index entry.
constexpr std::size_t max_chunk_bytes = std::size_t{1} << 20;
constexpr std::size_t min_chunk_bytes = std::size_t{16} << 10;
constexpr unsigned deflate_level = 4;
// Growth step of a new file's in-memory image (realloc'd as it grows).
constexpr std::size_t image_increment = std::size_t{4} << 20;

// Writes the image through `fd` (the file as created by the constructor), syncs and
// closes it; every failure is an OutputError naming the file and the system's reason.
void write_descriptor(int fd, const std::filesystem::path& path, const char* data, std::size_t size) {
  const auto fail = [&](int error) {
    ::close(fd);
    throw OutputError("cannot write " + path.string() + ": " + std::strerror(error));
  };
  if (const int error = write_all(fd, data, size); error != 0) fail(error);  // fd is fresh: offset 0
  if (::fsync(fd) != 0 && errno != EINVAL) fail(errno);
  if (::close(fd) != 0 && errno != EINTR) throw OutputError("cannot write " + path.string() + ": " + std::strerror(errno));
}

std::pair<std::string, std::string> split_parent(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

std::size_t product(std::span<const hsize_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

// netCDF-C tracks creation order on the file and every group so ncdump lists
// dimensions, variables and attributes in the order they were defined; do the same.
// (Not needed for reading: netCDF-C 4.9 also reads files without it, in name order.)
Handle creation_ordered_plist(hid_t plist_class) {
  Handle plist(check(H5Pcreate(plist_class), "creation plist"), H5Pclose);
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check(H5Pset_link_creation_order(plist.get(), order), "link creation order");
  check(H5Pset_attr_creation_order(plist.get(), order), "attribute creation order");
  return plist;
}

Handle open_group(hid_t file, const std::string& path) {
  return Handle(check(H5Gopen2(file, path.c_str(), H5P_DEFAULT), "open group " + path), H5Gclose);
}

// Opens the group at path, creating it and its missing parents.
Handle require_group(hid_t file, const std::string& path) {
  if (path == "/" || detail::path_exists(file, path)) return open_group(file, path);
  require_group(file, split_parent(path).first);
  const Handle plist = creation_ordered_plist(H5P_GROUP_CREATE);
  return Handle(check(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), "create group " + path),
                H5Gclose);
}

Handle open_dataset(hid_t file, const std::string& path) {
  return Handle(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open dataset " + path), H5Dclose);
}

Handle vlen_utf8_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), "variable-length string");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "UTF-8 string");
  return type;
}

// Fixed-length, null-terminated like netCDF-C's own text (NC_CHAR) attributes; HDF5
// does not allow size 0, so "" is stored as one NUL byte.
Handle fixed_utf8_type(std::size_t length) {
  Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  check(H5Tset_size(type.get(), std::max<std::size_t>(length, 1)), "string size");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), "string padding");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "UTF-8 string");
  return type;
}

Handle scalar_space() { return Handle(check(H5Screate(H5S_SCALAR), "scalar dataspace"), H5Sclose); }

Handle simple_space(const std::vector<hsize_t>& shape) {
  if (shape.empty()) return scalar_space();
  return Handle(check(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), "dataspace"), H5Sclose);
}

void delete_attr_if_present(hid_t object, const std::string& name) {
  if (check(H5Aexists(object, name.c_str()), "look up attribute " + name) > 0)
    check(H5Adelete(object, name.c_str()), "delete attribute " + name);
}

void write_attr(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type, const void* value) {
  delete_attr_if_present(object, name);
  const Handle space = scalar_space();
  const Handle attribute(check(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               "create attribute " + name),
                         H5Aclose);
  check(H5Awrite(attribute.get(), mem_type, value), "write attribute " + name);
}

void write_text_attr(hid_t object, const std::string& name, std::string_view value) {
  const Handle type = fixed_utf8_type(value.size());
  std::string buffer(value);
  buffer.resize(std::max<std::size_t>(value.size(), 1), '\0');
  write_attr(object, name, type.get(), type.get(), buffer.data());
}

// Trailing axes whole (shrunk from the outermost while over max_chunk_bytes, which
// keeps rows contiguous); along the leading axis enough slices for min_chunk_bytes.
// Empty when the dataset cannot be chunked (scalar, or a zero-length axis).
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& shape, std::size_t element_bytes) {
  if (shape.empty() || std::find(shape.begin(), shape.end(), 0) != shape.end()) return {};
  std::vector<hsize_t> chunk = shape;
  std::size_t slice_bytes = element_bytes * product(std::span(chunk).subspan(1));
  for (std::size_t axis = 1; axis < chunk.size() && slice_bytes > max_chunk_bytes; ++axis) {
    const std::size_t others = slice_bytes / chunk[axis];
    chunk[axis] = std::max<std::size_t>(1, max_chunk_bytes / others);
    slice_bytes = others * chunk[axis];
  }
  const std::size_t target = chunk.size() == 1 ? max_chunk_bytes : min_chunk_bytes;
  chunk[0] = std::clamp<hsize_t>(target / slice_bytes, 1, shape[0]);
  return chunk;
}

// Variables are chunked and compressed; coordinate values (scales) and scalars are
// small and stay contiguous, which every reader handles most simply.
enum class Layout { compressed, contiguous };

Handle dataset_create_plist(const std::vector<hsize_t>& shape, hid_t file_type, Layout layout) {
  Handle plist(check(H5Pcreate(H5P_DATASET_CREATE), "dataset plist"), H5Pclose);
  check(H5Pset_attr_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  const std::vector<hsize_t> chunk =
      layout == Layout::compressed ? chunk_shape(shape, H5Tget_size(file_type)) : std::vector<hsize_t>{};
  if (!chunk.empty()) {
    check(H5Pset_chunk(plist.get(), static_cast<int>(chunk.size()), chunk.data()), "chunk shape");
    check(H5Pset_shuffle(plist.get()), "shuffle filter");
    check(H5Pset_deflate(plist.get(), deflate_level), "deflate filter");
  }
  return plist;
}

Handle create_dataset(hid_t file, const std::string& path, hid_t file_type, const std::vector<hsize_t>& shape,
                      Layout layout) {
  const auto [parent, name] = split_parent(path);
  const Handle group = require_group(file, parent);
  const Handle space = simple_space(shape);
  const Handle plist = dataset_create_plist(shape, file_type, layout);
  return Handle(
      check(H5Dcreate2(group.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
            "create dataset " + path),
      H5Dclose);
}

// long_name of each dimension careabm writes, so that readers label axes with it
// (CF); numeric coordinates also carry units "1": replication and point are indices,
// and a year is a calendar year's number, deliberately not a CF time coordinate
// (analysis/README.md, "Units and CF attributes"). Unlisted dimensions are labelled with their name.
std::string coordinate_long_name(const std::string& name) {
  static const std::pair<const char*, const char*> names[] = {
      {"year", "year"},
      {"subregion", "subregion"},
      {"branch", "branch"},
      {"occupation", "occupation"},
      {"flow", "flow (in.* into the cell, out.* out of it)"},
      {"replication", "replication"},
      {"stat", "statistic over replications"},
      {"programme", "training programme"},
      {"need", "need level"},
      {"setting", "care setting"},
      {"intervention", "intervention"},
      {"parameter", "parameter"},
      {"scenario", "scenario"},
      {"alternative", "alternative scenario"},
      {"interval", "mean and 95% confidence interval"},
      {"point", "design point"},
      {"output", "sweep output"},
      {"bound", "end of the parameter's range"},
      {"candidate", "candidate extra enrolment"},
  };
  for (const auto& [dimension, long_name] : names) {
    if (name == dimension) return long_name;
  }
  return name;
}

bool is_scale(hid_t dataset) { return check(H5DSis_scale(dataset), "is dimension scale") > 0; }

void require_dimension_name(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos)
    throw std::invalid_argument("HDF5 dimension name '" + name + "' must be non-empty without '/'");
}

void require_new(hid_t file, const std::string& path) {
  if (detail::path_exists(file, path)) throw std::invalid_argument("HDF5: " + path + " already exists");
}

// The root-group scale of a dimension, which defines its name and values.
Handle open_root_scale(hid_t file, const std::string& name) {
  require_dimension_name(name);
  const std::string path = "/" + name;
  if (!detail::path_exists(file, path)) throw std::invalid_argument("HDF5: unknown dimension '" + name + "'");
  Handle scale = open_dataset(file, path);
  if (!is_scale(scale.get())) throw std::invalid_argument("HDF5: " + path + " is not a dimension scale");
  return scale;
}

void reclaim_if_vlen(hid_t type, hid_t space, void* buffer) {
  if (H5Tis_variable_str(type) > 0 || H5Tdetect_class(type, H5T_VLEN) > 0) {
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
  }
}

// Copies a root scale (values and type, not its attributes) into group, so that a
// reader opening only that group (xarray's group=) still finds the coordinate values.
Handle copy_scale(hid_t file, const Handle& root_scale, const std::string& group_path, const std::string& name) {
  const Handle file_type(check(H5Dget_type(root_scale.get()), "scale type"), H5Tclose);
  const Handle mem_type(check(H5Tget_native_type(file_type.get(), H5T_DIR_DEFAULT), "scale memory type"), H5Tclose);
  const Handle space(check(H5Dget_space(root_scale.get()), "scale dataspace"), H5Sclose);
  const std::vector<hsize_t> shape = dataset_shape(root_scale.get());
  const std::string path = group_path + "/" + name;
  Handle copy = create_dataset(file, path, file_type.get(), shape, Layout::contiguous);
  std::vector<unsigned char> buffer(product(shape) * H5Tget_size(mem_type.get()) + 1);
  check(H5Dread(root_scale.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "read scale " + name);
  const herr_t written = H5Dwrite(copy.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
  reclaim_if_vlen(mem_type.get(), space.get(), buffer.data());
  check(written, "write scale " + path);
  check(H5DSset_scale(copy.get(), name.c_str()), "make dimension scale " + path);
  for (const char* attribute :
       {"long_name", "units"}) {  // the labels xarray shows come from the group's copy
    if (check(H5Aexists(root_scale.get(), attribute), "look up attribute") <= 0) continue;
    const Handle a(check(H5Aopen(root_scale.get(), attribute, H5P_DEFAULT), "open attribute"), H5Aclose);
    const Handle type(check(H5Aget_type(a.get()), "attribute type"), H5Tclose);
    std::vector<char> value(H5Tget_size(type.get()) + 1, '\0');
    check(H5Aread(a.get(), type.get(), value.data()), "read attribute");
    write_text_attr(copy.get(), attribute, value.data());
  }
  return copy;
}

// The scale a dataset in group_path attaches to for dimension name: the root scale for
// root datasets, otherwise the group's own copy (made on first use).
Handle scale_for(hid_t file, const std::string& group_path, const std::string& name) {
  Handle root_scale = open_root_scale(file, name);
  if (group_path == "/") return root_scale;
  const std::string path = group_path + "/" + name;
  if (!detail::path_exists(file, path)) return copy_scale(file, root_scale, group_path, name);
  Handle local = open_dataset(file, path);
  if (!is_scale(local.get()) || dataset_shape(local.get()) != dataset_shape(root_scale.get()))
    throw std::invalid_argument("HDF5: " + path + " is in the way of dimension '" + name + "'");
  return local;
}

std::vector<hsize_t> shape_of(hid_t file, const std::vector<std::string>& dims) {
  std::vector<hsize_t> shape;
  for (const std::string& dim : dims) shape.push_back(dataset_shape(open_root_scale(file, dim).get()).at(0));
  return shape;
}

void require_size(const std::string& path, std::size_t expected, std::size_t actual) {
  if (expected != actual)
    throw std::invalid_argument("HDF5: " + path + " expects " + std::to_string(expected) + " values, got " +
                                std::to_string(actual));
}

}  // namespace

H5Writer::H5Writer(const std::filesystem::path& path) : path_(path) {
  detail::quiet_hdf5_errors();
  disk_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (disk_ < 0) throw OutputError("cannot create " + path.string() + ": " + std::strerror(errno));
  try {
    const Handle plist = creation_ordered_plist(H5P_FILE_CREATE);
    const Handle access(check(H5Pcreate(H5P_FILE_ACCESS), "file access plist"), H5Pclose);
    check(H5Pset_fapl_core(access.get(), image_increment, /*backing_store=*/false), "in-memory file");
    file_ = check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, plist.get(), access.get()), "create " + path.string());
  } catch (...) {
    ::close(std::exchange(disk_, -1));
    throw;
  }
}

H5Writer H5Writer::open_existing(const std::filesystem::path& path) {
  detail::quiet_hdf5_errors();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) throw InputError(path.string(), 0, "", "cannot open as an HDF5 file for update");
  return H5Writer(file, path);
}

H5Writer H5Writer::streamed(const std::filesystem::path& path) {
  detail::quiet_hdf5_errors();
  const Handle plist = creation_ordered_plist(H5P_FILE_CREATE);
  const Handle access(check(checked_driver_fapl(), "checked file driver"), H5Pclose);
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, plist.get(), access.get());
  if (file < 0) throw OutputError("cannot create " + path.string() + ": " + std::strerror(errno));
  return H5Writer(file, path);
}

H5Writer H5Writer::in_memory() {
  detail::quiet_hdf5_errors();
  static std::atomic<long> counter = 0;
  const std::string name = "careabm-in-memory-" + std::to_string(counter++);
  const Handle access(check(H5Pcreate(H5P_FILE_ACCESS), "file access plist"), H5Pclose);
  check(H5Pset_fapl_core(access.get(), std::size_t{1} << 20, /*backing_store=*/0), "in-memory file driver");
  const Handle plist = creation_ordered_plist(H5P_FILE_CREATE);
  const hid_t file =
      check(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, plist.get(), access.get()), "create " + name);
  return H5Writer(file, name);
}

std::vector<unsigned char> H5Writer::image() {
  check(H5Fflush(file(), H5F_SCOPE_GLOBAL), "flush " + path_.string());
  const ssize_t size = H5Fget_file_image(file(), nullptr, 0);
  check(size, "size of " + path_.string());
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  check(H5Fget_file_image(file(), bytes.data(), bytes.size()), "image of " + path_.string());
  close();
  return bytes;
}

H5Writer::H5Writer(H5Writer&& other) noexcept
    : file_(std::exchange(other.file_, H5I_INVALID_HID)),
      disk_(std::exchange(other.disk_, -1)),
      uncaught_(other.uncaught_),
      path_(std::move(other.path_)) {}

void begin_hdf5() { H5dont_atexit(); }

void end_hdf5() {
  if (!hdf5_close_failed()) H5close();
}

bool hdf5_close_failed() { return detail::close_failed(); }

H5Writer& H5Writer::operator=(H5Writer&& other) noexcept {
  if (this != &other) {
    if (file_ >= 0 && H5Fclose(file_) < 0) detail::note_close_failure();
    if (disk_ >= 0) ::close(disk_);
    file_ = std::exchange(other.file_, H5I_INVALID_HID);
    disk_ = std::exchange(other.disk_, -1);
    uncaught_ = other.uncaught_;
    path_ = std::move(other.path_);
  }
  return *this;
}

H5Writer::~H5Writer() {
  // Leaving scope normally closes as close() does (errors cannot be reported from
  // here: call close() to see them). Unwinding drops a new file's image, so a failed
  // or interrupted command writes nothing more (what is on disk is the caller's to
  // remove); a file opened for update is closed as far as HDF5 manages.
  if (file_ >= 0 && disk_ >= 0 && std::uncaught_exceptions() <= uncaught_) {
    try {
      close();
    } catch (...) {
    }
    return;
  }
  if (file_ >= 0 && H5Fclose(file_) < 0) detail::note_close_failure();
  if (disk_ >= 0) ::close(disk_);
}

void H5Writer::close() {
  if (file_ < 0) return;
  const hid_t file = std::exchange(file_, H5I_INVALID_HID);
  if (disk_ < 0) {
    const herr_t closed = H5Fclose(file);
    if (closed < 0) detail::note_close_failure();
    check(closed, "close " + path_.string());
    // A refused write that HDF5 reported no further (a dataset's close) still loses the file.
    if (auto refused = checked_driver_failure()) throw OutputError(*refused);
    return;
  }
  const int disk = std::exchange(disk_, -1);
  // Flush and copy the image while the file is open; HDF5 then closes a file in memory,
  // which touches no disk and so cannot fail for want of space.
  std::unique_ptr<char[]> image;
  std::size_t size = 0;
  try {
    check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path_.string());
    size = static_cast<std::size_t>(check(H5Fget_file_image(file, nullptr, 0), "size of " + path_.string()));
    image.reset(new char[size]);
    check(H5Fget_file_image(file, image.get(), size), "image of " + path_.string());
  } catch (...) {
    if (H5Fclose(file) < 0) detail::note_close_failure();
    ::close(disk);
    throw;
  }
  const herr_t closed = H5Fclose(file);
  if (closed < 0) {
    detail::note_close_failure();
    ::close(disk);
  }
  check(closed, "close " + path_.string());
  write_descriptor(disk, path_, image.get(), size);
}

hid_t H5Writer::file() const {
  if (file_ < 0) throw std::logic_error("HDF5: " + path_.string() + " is closed");
  detail::quiet_hdf5_errors();
  return file_;
}

void H5Writer::root_attr(const std::string& name, std::string_view value) {
  write_text_attr(open_group(file(), "/").get(), name, value);
}

void H5Writer::root_attr(const std::string& name, std::int64_t value) {
  write_attr(open_group(file(), "/").get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void H5Writer::root_attr(const std::string& name, double value) {
  write_attr(open_group(file(), "/").get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void H5Writer::attr(const std::string& object_path, const std::string& name, std::string_view value) {
  const std::string path = absolute_path(object_path);
  if (!detail::path_exists(file(), path))
    throw std::invalid_argument("HDF5: no object " + path + " for attribute " + name);
  const Handle object(check(H5Oopen(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Oclose);
  write_text_attr(object.get(), name, value);
}

void H5Writer::array_attr(const std::string& object_path, const std::string& name, const void* values,
                          std::size_t size, hid_t mem_type, hid_t file_type) {
  const std::string path = absolute_path(object_path);
  if (!detail::path_exists(file(), path))
    throw std::invalid_argument("HDF5: no object " + path + " for attribute " + name);
  const Handle object(check(H5Oopen(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Oclose);
  delete_attr_if_present(object.get(), name);
  const Handle space = simple_space({size});
  const Handle attribute(
      check(H5Acreate2(object.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            "create attribute " + name),
      H5Aclose);
  check(H5Awrite(attribute.get(), mem_type, values), "write attribute " + name);
}

void H5Writer::attr(const std::string& object_path, const std::string& name,
                    std::span<const std::int8_t> values) {
  array_attr(object_path, name, values.data(), values.size(), H5T_NATIVE_INT8, H5T_STD_I8LE);
}

void H5Writer::attr(const std::string& object_path, const std::string& name,
                    std::span<const std::int32_t> values) {
  array_attr(object_path, name, values.data(), values.size(), H5T_NATIVE_INT32, H5T_STD_I32LE);
}

void H5Writer::string_dataset(const std::string& path_in, std::string_view text) {
  const std::string path = absolute_path(path_in);
  const Handle type = vlen_utf8_type();
  const Handle dataset = detail::path_exists(file(), path)
                             ? open_dataset(file(), path)
                             : create_dataset(file(), path, type.get(), {}, Layout::contiguous);
  const std::string buffer(text);
  const char* pointer = buffer.c_str();
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), "write " + path);
}

void H5Writer::dimension(const std::string& name, const std::vector<std::string>& labels) {
  require_dimension_name(name);
  require_new(file(), "/" + name);
  const Handle type = vlen_utf8_type();
  const Handle scale = create_dataset(file(), "/" + name, type.get(), {labels.size()}, Layout::contiguous);
  std::vector<const char*> pointers;
  for (const std::string& label : labels) pointers.push_back(label.c_str());
  check(H5Dwrite(scale.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write /" + name);
  check(H5DSset_scale(scale.get(), name.c_str()), "make dimension scale /" + name);
  write_text_attr(scale.get(), "long_name", coordinate_long_name(name));
}

void H5Writer::dimension(const std::string& name, const std::vector<std::int64_t>& values) {
  require_dimension_name(name);
  require_new(file(), "/" + name);
  const Handle scale = create_dataset(file(), "/" + name, H5T_STD_I64LE, {values.size()}, Layout::contiguous);
  check(H5Dwrite(scale.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write /" + name);
  check(H5DSset_scale(scale.get(), name.c_str()), "make dimension scale /" + name);
  write_text_attr(scale.get(), "long_name", coordinate_long_name(name));
  write_text_attr(scale.get(), "units", "1");
}

void H5Writer::remove(const std::string& path_in) {
  const std::string path = absolute_path(path_in);
  if (path == "/") throw std::invalid_argument("HDF5: the root group cannot be removed");
  if (detail::path_exists(file(), path)) check(H5Ldelete(file(), path.c_str(), H5P_DEFAULT), "remove " + path);
}

void H5Writer::write_any(const std::string& path_in, const std::vector<std::string>& dims, const void* data,
                         std::size_t size, hid_t mem_type, hid_t file_type) {
  const std::string path = absolute_path(path_in);
  const std::vector<hsize_t> shape = shape_of(file(), dims);
  require_size(path, product(shape), size);
  if (detail::path_exists(file(), path)) {
    const Handle dataset = open_dataset(file(), path);
    if (is_scale(dataset.get()) || dataset_shape(dataset.get()) != shape)
      throw std::invalid_argument("HDF5: " + path + " exists with other dimensions");
    check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + path);
    return;
  }
  // Scales first, so netCDF lists a group's coordinates before its variables.
  const std::string group = split_parent(path).first;
  std::vector<Handle> scales;
  for (const std::string& dim : dims) scales.push_back(scale_for(file(), group, dim));
  const Handle dataset = create_dataset(file(), path, file_type, shape, Layout::compressed);
  check(H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + path);
  for (std::size_t axis = 0; axis < dims.size(); ++axis)
    check(H5DSattach_scale(dataset.get(), scales[axis].get(), static_cast<unsigned>(axis)),
          "attach " + dims[axis] + " to " + path);
}

void H5Writer::write_strings(const std::string& path_in, const std::vector<std::string>& dims,
                             const std::vector<std::string>& text) {
  const std::string path = absolute_path(path_in);
  const std::vector<hsize_t> shape = shape_of(file(), dims);
  require_size(path, product(shape), text.size());
  require_new(file(), path);
  const std::string group = split_parent(path).first;
  std::vector<Handle> scales;
  for (const std::string& dim : dims) scales.push_back(scale_for(file(), group, dim));
  const Handle type = vlen_utf8_type();
  const Handle dataset = create_dataset(file(), path, type.get(), shape, Layout::contiguous);
  std::vector<const char*> pointers;
  for (const std::string& s : text) pointers.push_back(s.c_str());
  check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + path);
  for (std::size_t axis = 0; axis < dims.size(); ++axis)
    check(H5DSattach_scale(dataset.get(), scales[axis].get(), static_cast<unsigned>(axis)),
          "attach " + dims[axis] + " to " + path);
}

void H5Writer::write_slice_any(const std::string& path_in, std::size_t index, const void* data, std::size_t size,
                               hid_t mem_type) {
  const std::string path = absolute_path(path_in);
  const Handle dataset = open_dataset(file(), path);
  std::vector<hsize_t> count = dataset_shape(dataset.get());
  if (count.empty() || index >= count[0])
    throw std::invalid_argument("HDF5: " + path + " has no index " + std::to_string(index) + " on its first axis");
  count[0] = 1;
  require_size(path + " slice", product(count), size);
  std::vector<hsize_t> start(count.size(), 0);
  start[0] = index;
  const Handle file_space(check(H5Dget_space(dataset.get()), "dataspace"), H5Sclose);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
        "select slice of " + path);
  const Handle mem_space = simple_space(count);
  check(H5Dwrite(dataset.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
        "write slice of " + path);
}

void H5Writer::write(const std::string& path, const std::vector<std::string>& dims, std::span<const double> data) {
  write_any(path, dims, data.data(), data.size(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}
void H5Writer::write(const std::string& path, const std::vector<std::string>& dims,
                     std::span<const std::int64_t> data) {
  write_any(path, dims, data.data(), data.size(), H5T_NATIVE_INT64, H5T_STD_I64LE);
}
void H5Writer::write(const std::string& path, const std::vector<std::string>& dims,
                     std::span<const std::int32_t> data) {
  write_any(path, dims, data.data(), data.size(), H5T_NATIVE_INT32, H5T_STD_I32LE);
}
void H5Writer::write(const std::string& path, const std::vector<std::string>& dims, std::span<const std::int8_t> data) {
  write_any(path, dims, data.data(), data.size(), H5T_NATIVE_INT8, H5T_STD_I8LE);
}

void H5Writer::write_slice(const std::string& path, std::size_t index, std::span<const double> data) {
  write_slice_any(path, index, data.data(), data.size(), H5T_NATIVE_DOUBLE);
}
void H5Writer::write_slice(const std::string& path, std::size_t index, std::span<const std::int64_t> data) {
  write_slice_any(path, index, data.data(), data.size(), H5T_NATIVE_INT64);
}
void H5Writer::write_slice(const std::string& path, std::size_t index, std::span<const std::int32_t> data) {
  write_slice_any(path, index, data.data(), data.size(), H5T_NATIVE_INT32);
}
void H5Writer::write_slice(const std::string& path, std::size_t index, std::span<const std::int8_t> data) {
  write_slice_any(path, index, data.data(), data.size(), H5T_NATIVE_INT8);
}

// ------------------------------------------------------------ growing columns

namespace {
// netCDF-C's mark of a dimension scale that is a dimension only (no values).
constexpr const char* kDimensionOnly = "This is a netCDF dimension but not a netCDF variable.";
// Rows per chunk: 64 Ki (512 KiB of int64 before compression), so a column of
// millions of rows has a short chunk index, and a chunk still fits the cache.
constexpr hsize_t kColumnChunkRows = hsize_t{1} << 16;

std::string dimension_only_name(hsize_t length) {
  char text[24];
  std::snprintf(text, sizeof text, "%10llu", static_cast<unsigned long long>(length));
  return std::string(kDimensionOnly) + text;
}

struct TypeInfo {
  hid_t mem, file;
  std::size_t bytes;
};

TypeInfo type_info(H5Columns::Type type) {
  switch (type) {
    case H5Columns::Type::int8:
      return {H5T_NATIVE_INT8, H5T_STD_I8LE, 1};
    case H5Columns::Type::int32:
      return {H5T_NATIVE_INT32, H5T_STD_I32LE, 4};
    case H5Columns::Type::int64:
      return {H5T_NATIVE_INT64, H5T_STD_I64LE, 8};
    case H5Columns::Type::float64:
      break;
  }
  return {H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, 8};
}

// An empty 1-d dataset that can grow without bound, chunked by kColumnChunkRows.
Handle create_growing(hid_t file, const std::string& path, hid_t file_type, bool compressed,
                      std::size_t bytes) {
  const auto [parent, name] = split_parent(path);
  const Handle group = require_group(file, parent);
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  const Handle space(check(H5Screate_simple(1, &zero, &unlimited), "dataspace"), H5Sclose);
  Handle plist(check(H5Pcreate(H5P_DATASET_CREATE), "dataset plist"), H5Pclose);
  check(H5Pset_attr_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "attribute creation order");
  check(H5Pset_chunk(plist.get(), 1, &kColumnChunkRows), "chunk shape");
  if (compressed) {
    check(H5Pset_shuffle(plist.get()), "shuffle filter");
    check(H5Pset_deflate(plist.get(), deflate_level), "deflate filter");
  }
  // Room for two chunks: the one being filled stays in memory across appends and is
  // compressed and written once, when full (w0 = 1: full chunks leave first).
  Handle access(check(H5Pcreate(H5P_DATASET_ACCESS), "dataset access plist"), H5Pclose);
  check(H5Pset_chunk_cache(access.get(), 101, 2 * kColumnChunkRows * bytes, 1.0), "chunk cache");
  return Handle(check(H5Dcreate2(group.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT, plist.get(),
                                 access.get()),
                      "create dataset " + path),
                H5Dclose);
}

void close_checked(Handle& handle, const std::string& what) {
  const hid_t id = handle.release();  // closed here, with its failure checked, not by the destructor
  if (id < 0) return;
  const herr_t closed = H5Dclose(id);
  if (closed < 0) detail::note_close_failure();
  check(closed, "close " + what);
}
}  // namespace

struct H5Columns::Column {
  std::string name;
  Type type;
  Handle dataset;
  hsize_t rows = 0;
};

H5Columns::H5Columns(H5Writer& out, const std::string& group, const std::string& dimension)
    : out_(out), group_(absolute_path(group)), dimension_(dimension) {
  require_dimension_name(dimension);
  const std::string path = path_of_dimension();
  require_new(out_.file(), path);
  Handle scale = create_growing(out_.file(), path, H5T_IEEE_F32BE, false, 4);
  check(H5DSset_scale(scale.get(), dimension_only_name(0).c_str()), "make dimension scale " + path);
}

H5Columns::~H5Columns() = default;

std::string H5Columns::path_of_dimension() const { return group_ + "/" + dimension_; }

void H5Columns::add(const std::string& name, Type type) {
  if (finished_) throw std::logic_error("HDF5: columns of " + group_ + " are finished");
  require_new(out_.file(), path(name));
  Column c{name, type,
           create_growing(out_.file(), path(name), type_info(type).file, true, type_info(type).bytes)};
  const Handle scale = open_dataset(out_.file(), path_of_dimension());
  check(H5DSattach_scale(c.dataset.get(), scale.get(), 0), "attach " + dimension_ + " to " + path(name));
  columns_.push_back(std::move(c));
}

H5Columns::Column& H5Columns::column(const std::string& name, Type type) {
  for (Column& c : columns_) {
    if (c.name != name) continue;
    if (c.type != type) throw std::invalid_argument("HDF5: " + path(name) + " holds another type");
    return c;
  }
  throw std::invalid_argument("HDF5: no column " + path(name));
}

void H5Columns::append_any(const std::string& name, Type type, const void* values, std::size_t size) {
  if (finished_) throw std::logic_error("HDF5: columns of " + group_ + " are finished");
  Column& c = column(name, type);
  if (size == 0) return;
  const hsize_t start = c.rows, count = size, rows = c.rows + size;
  check(H5Dset_extent(c.dataset.get(), &rows), "extend " + path(name));
  const Handle file_space(check(H5Dget_space(c.dataset.get()), "dataspace"), H5Sclose);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        "select rows of " + path(name));
  const Handle mem_space = simple_space({count});
  check(
      H5Dwrite(c.dataset.get(), type_info(type).mem, mem_space.get(), file_space.get(), H5P_DEFAULT, values),
      "write " + path(name));
  c.rows = rows;
}

void H5Columns::append(const std::string& name, std::span<const std::int8_t> values) {
  append_any(name, Type::int8, values.data(), values.size());
}
void H5Columns::append(const std::string& name, std::span<const std::int32_t> values) {
  append_any(name, Type::int32, values.data(), values.size());
}
void H5Columns::append(const std::string& name, std::span<const std::int64_t> values) {
  append_any(name, Type::int64, values.data(), values.size());
}
void H5Columns::append(const std::string& name, std::span<const double> values) {
  append_any(name, Type::float64, values.data(), values.size());
}

void H5Columns::finish() {
  if (finished_) return;
  finished_ = true;
  const hsize_t rows = columns_.empty() ? 0 : columns_.front().rows;
  for (const Column& c : columns_) {
    if (c.rows != rows)
      throw std::logic_error("HDF5: " + path(c.name) + " has " + std::to_string(c.rows) + " rows, not " +
                             std::to_string(rows));
  }
  {
    const Handle scale = open_dataset(out_.file(), path_of_dimension());
    check(H5Dset_extent(scale.get(), &rows), "extend " + path_of_dimension());
    write_text_attr(scale.get(), "NAME", dimension_only_name(rows));
  }
  for (Column& c : columns_) {
    check(H5Dflush(c.dataset.get()), "flush " + path(c.name));
    close_checked(c.dataset, path(c.name));
  }
}

}  // namespace careabm::io
