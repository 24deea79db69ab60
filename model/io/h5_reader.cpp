#include "io/h5_reader.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "core/errors.h"

namespace careabm::io {

namespace {

using detail::absolute_path;
using detail::check;
using detail::dataset_shape;
using detail::Handle;

std::string basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

ValueClass value_class_of(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: return ValueClass::integer;
    case H5T_FLOAT: return ValueClass::floating;
    case H5T_STRING: return ValueClass::string;
    default: return ValueClass::other;
  }
}

std::string too_many(const std::string& what, std::uint64_t count, std::uint64_t limit) {
  return "HDF5: " + what + " declares " + std::to_string(count) + " values, more than the read limit of " +
         std::to_string(limit);
}

// Reads every string of a dataset or attribute (reader = H5Dread or H5Aread bound to
// it), whether stored as variable-length or fixed-length strings; fixed ones lose their
// NUL padding. More than `limit` strings, or fixed-length ones taking more than 8 bytes
// per allowed value, throw before anything is allocated.
std::vector<std::string> read_strings(hid_t file_type, hid_t space, const std::function<herr_t(hid_t, void*)>& reader,
                                      const std::string& what, std::uint64_t limit) {
  if (H5Tget_class(file_type) != H5T_STRING) throw std::runtime_error("HDF5: " + what + " is not a string");
  const auto count = static_cast<std::uint64_t>(check(H5Sget_simple_extent_npoints(space), "size of " + what));
  if (count > limit) throw std::runtime_error(too_many(what, count, limit));
  std::vector<std::string> out;
  if (H5Tis_variable_str(file_type) > 0) {
    const Handle mem_type(check(H5Tcopy(file_type), "string type"), H5Tclose);
    std::vector<char*> pointers(count, nullptr);
    check(reader(mem_type.get(), pointers.data()), "read " + what);
    for (const char* text : pointers) out.emplace_back(text == nullptr ? "" : text);
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mem_type.get(), space, H5P_DEFAULT, pointers.data());
#else
    H5Dvlen_reclaim(mem_type.get(), space, H5P_DEFAULT, pointers.data());
#endif
    return out;
  }
  const std::size_t width = H5Tget_size(file_type);
  if (width == 0 || (count > 0 && width > 8 * limit / count)) {
    throw std::runtime_error("HDF5: " + what + " holds " + std::to_string(count) + " strings of " +
                             std::to_string(width) + " bytes each, more than the read limit allows");
  }
  std::vector<char> buffer(count * width + 1, '\0');
  check(reader(file_type, buffer.data()), "read " + what);
  for (std::size_t i = 0; i < count; ++i) {
    std::string text(buffer.data() + i * width, width);
    text.resize(std::min(text.find('\0'), text.size()));
    out.push_back(std::move(text));
  }
  return out;
}

std::string single(std::vector<std::string> strings, const std::string& what) {
  if (strings.size() != 1) throw std::runtime_error("HDF5: " + what + " is not a single string");
  return std::move(strings.front());
}

// careabm files nest groups at most four deep (/uncertainty/summary/shortage/persons);
// deeper nesting is refused, which also stops a cycle of hard links between groups.
constexpr int kMaxGroupDepth = 16;

struct ListState {
  std::string prefix;
  std::vector<std::string>* out;
  bool with_scales;
  int depth;
};

herr_t list_datasets(hid_t group, const char* name, const H5L_info_t* info, void* data);

// Recurses into child groups; keeps datasets (dimension scales only when with_scales).
void list_under(hid_t group, const std::string& prefix, std::vector<std::string>& out, bool with_scales, int depth) {
  if (depth > kMaxGroupDepth) {
    throw std::runtime_error("HDF5: groups below " + prefix + " nest deeper than " + std::to_string(kMaxGroupDepth) +
                             " levels");
  }
  ListState state{prefix, &out, with_scales, depth};
  hsize_t index = 0;
  check(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &index, list_datasets, &state), "list " + prefix);
}

herr_t list_datasets(hid_t group, const char* name, const H5L_info_t* info, void* data) {
  auto* state = static_cast<ListState*>(data);
  if (info->type != H5L_TYPE_HARD) return 0;
  const Handle object(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
  if (object.get() < 0) return -1;
  const std::string path = (state->prefix == "/" ? "" : state->prefix) + "/" + name;
  if (H5Iget_type(object.get()) == H5I_GROUP) {
    try {
      list_under(object.get(), path, *state->out, state->with_scales, state->depth + 1);
    } catch (...) {
      return -1;  // no exception may cross HDF5's C frames
    }
  } else if (H5Iget_type(object.get()) == H5I_DATASET && (state->with_scales || H5DSis_scale(object.get()) <= 0)) {
    state->out->push_back(path);
  }
  return 0;
}

herr_t keep_scale_name(hid_t, unsigned, hid_t scale, void* data) {
  const ssize_t length = H5Iget_name(scale, nullptr, 0);
  if (length < 0) return -1;
  std::string name(static_cast<std::size_t>(length) + 1, '\0');
  H5Iget_name(scale, name.data(), name.size());
  name.resize(static_cast<std::size_t>(length));
  *static_cast<std::string*>(data) = basename(name);
  return 0;  // keep iterating: netCDF uses the last scale attached to an axis
}

template <typename T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t mem_type, std::uint64_t limit) {
  const Handle dataset(check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const Handle type(check(H5Dget_type(dataset.get()), "type of " + path), H5Tclose);
  const ValueClass kind = value_class_of(type.get());
  if (kind != ValueClass::integer && kind != ValueClass::floating)
    throw std::runtime_error("HDF5: " + path + " does not hold numbers");
  const Handle space(check(H5Dget_space(dataset.get()), "dataspace"), H5Sclose);
  const auto count = static_cast<std::uint64_t>(check(H5Sget_simple_extent_npoints(space.get()), "size of " + path));
  if (count > limit) throw std::runtime_error(too_many(path, count, limit));
  std::vector<T> values(count);
  check(H5Dread(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + path);
  return values;
}

}  // namespace

H5Reader::H5Reader(const std::filesystem::path& path) : path_(path) {
  detail::quiet_hdf5_errors();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) throw InputError(path.string(), 0, "", "cannot open as an HDF5 file");
  file_ = Handle(file, H5Fclose);
}

hid_t H5Reader::file() const {
  detail::quiet_hdf5_errors();
  return file_.get();
}

bool H5Reader::exists(const std::string& path) const { return detail::path_exists(file(), absolute_path(path)); }

std::vector<std::string> H5Reader::datasets(const std::string& group_path) const {
  const std::string path = absolute_path(group_path);
  const Handle group(check(H5Gopen2(file(), path.c_str(), H5P_DEFAULT), "open group " + path), H5Gclose);
  std::vector<std::string> out;
  list_under(group.get(), path, out, false, 0);
  return out;
}

std::vector<std::string> H5Reader::all_datasets(const std::string& group_path) const {
  const std::string path = absolute_path(group_path);
  const Handle group(check(H5Gopen2(file(), path.c_str(), H5P_DEFAULT), "open group " + path), H5Gclose);
  std::vector<std::string> out;
  list_under(group.get(), path, out, true, 0);
  return out;
}

bool H5Reader::is_dataset(const std::string& path_in) const {
  const std::string path = absolute_path(path_in);
  if (!exists(path)) return false;
  const Handle object(check(H5Oopen(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Oclose);
  return H5Iget_type(object.get()) == H5I_DATASET;
}

DatasetInfo H5Reader::info(const std::string& path_in) const {
  const std::string path = absolute_path(path_in);
  if (!is_dataset(path)) throw std::runtime_error("HDF5: " + path + " is not a dataset");
  const Handle dataset(check(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const Handle type(check(H5Dget_type(dataset.get()), "type of " + path), H5Tclose);
  const Handle space(check(H5Dget_space(dataset.get()), "dataspace of " + path), H5Sclose);
  DatasetInfo out;
  const std::vector<hsize_t> shape = dataset_shape(dataset.get());
  out.shape.assign(shape.begin(), shape.end());
  out.elements = static_cast<std::uint64_t>(check(H5Sget_simple_extent_npoints(space.get()), "size of " + path));
  out.value_class = value_class_of(type.get());
  out.scale = check(H5DSis_scale(dataset.get()), "scale of " + path) > 0;
  return out;
}

std::vector<std::string> H5Reader::dims(const std::string& path_in) const {
  const std::string path = absolute_path(path_in);
  const Handle dataset(check(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const std::size_t rank = dataset_shape(dataset.get()).size();
  std::vector<std::string> names(rank);
  for (std::size_t axis = 0; axis < rank; ++axis) {
    const auto index = static_cast<unsigned>(axis);
    if (check(H5DSget_num_scales(dataset.get(), index), "scales of " + path) > 0)
      check(H5DSiterate_scales(dataset.get(), index, nullptr, keep_scale_name, &names[axis]), "scales of " + path);
  }
  return names;
}

std::vector<std::size_t> H5Reader::shape(const std::string& path_in) const {
  const std::string path = absolute_path(path_in);
  const Handle dataset(check(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const std::vector<hsize_t> shape = dataset_shape(dataset.get());
  return {shape.begin(), shape.end()};
}

std::vector<double> H5Reader::read_double(const std::string& path) const {
  return read_numbers<double>(file(), absolute_path(path), H5T_NATIVE_DOUBLE, read_limit_);
}

std::vector<std::int64_t> H5Reader::read_int64(const std::string& path) const {
  return read_numbers<std::int64_t>(file(), absolute_path(path), H5T_NATIVE_INT64, read_limit_);
}

std::vector<std::string> H5Reader::labels(const std::string& dim_name) const {
  const std::string path = "/" + dim_name;
  const Handle dataset(check(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const Handle type(check(H5Dget_type(dataset.get()), "type of " + path), H5Tclose);
  const Handle space(check(H5Dget_space(dataset.get()), "dataspace"), H5Sclose);
  return read_strings(
      type.get(), space.get(),
      [&](hid_t mem, void* buffer) { return H5Dread(dataset.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer); },
      path, read_limit_);
}

std::string H5Reader::string_dataset(const std::string& path_in) const {
  const std::string path = absolute_path(path_in);
  const Handle dataset(check(H5Dopen2(file(), path.c_str(), H5P_DEFAULT), "open " + path), H5Dclose);
  const Handle type(check(H5Dget_type(dataset.get()), "type of " + path), H5Tclose);
  const Handle space(check(H5Dget_space(dataset.get()), "dataspace"), H5Sclose);
  return single(
      read_strings(
          type.get(), space.get(),
          [&](hid_t mem, void* buffer) { return H5Dread(dataset.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer); },
          path, read_limit_),
      path);
}

std::string H5Reader::attr_string(const std::string& object_path, const std::string& name) const {
  const std::string what = absolute_path(object_path) + " attribute " + name;
  const Handle attribute(
      check(H5Aopen_by_name(file(), absolute_path(object_path).c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
            "open " + what),
      H5Aclose);
  const Handle type(check(H5Aget_type(attribute.get()), "type of " + what), H5Tclose);
  const Handle space(check(H5Aget_space(attribute.get()), "dataspace of " + what), H5Sclose);
  return single(read_strings(
                    type.get(), space.get(),
                    [&](hid_t mem, void* buffer) { return H5Aread(attribute.get(), mem, buffer); }, what,
                    read_limit_),
                what);
}

bool H5Reader::has_attr(const std::string& object_path, const std::string& name) const {
  const std::string path = absolute_path(object_path);
  if (!exists(path)) return false;
  return check(H5Aexists_by_name(file(), path.c_str(), name.c_str(), H5P_DEFAULT), "look up " + name) > 0;
}

std::string H5Reader::root_attr_string(const std::string& name) const { return attr_string("/", name); }

namespace {

// Reads a root attribute holding one number of an allowed class into `value` (mem_type).
void read_root_number(hid_t file, const std::string& name, bool integer_only, hid_t mem_type, void* value) {
  const std::string what = "root attribute " + name;
  const Handle attribute(check(H5Aopen_by_name(file, "/", name.c_str(), H5P_DEFAULT, H5P_DEFAULT), "open " + what),
                         H5Aclose);
  const Handle type(check(H5Aget_type(attribute.get()), "type of " + what), H5Tclose);
  const ValueClass kind = value_class_of(type.get());
  if (kind != ValueClass::integer && (integer_only || kind != ValueClass::floating))
    throw std::runtime_error("HDF5: " + what + (integer_only ? " is not an integer" : " is not a number"));
  const Handle space(check(H5Aget_space(attribute.get()), "dataspace of " + what), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    throw std::runtime_error("HDF5: " + what + " is not a single number");
  check(H5Aread(attribute.get(), mem_type, value), "read " + what);
}

}  // namespace

std::int64_t H5Reader::root_attr_int64(const std::string& name) const {
  std::int64_t value = 0;
  read_root_number(file(), name, true, H5T_NATIVE_INT64, &value);
  return value;
}

double H5Reader::root_attr_double(const std::string& name) const {
  double value = 0;
  read_root_number(file(), name, false, H5T_NATIVE_DOUBLE, &value);
  return value;
}

}  // namespace careabm::io
