#include "io/output_file.h"

#include <exception>
#include <utility>

#include "core/errors.h"

namespace careabm::io {

namespace fs = std::filesystem;

namespace {

std::string list_text(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::vector<std::string> items;
  for (auto n : shape) items.push_back(std::to_string(n));
  return list_text(items);
}

const char* class_text(ValueClass c) {
  switch (c) {
    case ValueClass::integer: return "integers";
    case ValueClass::floating: return "floating-point numbers";
    case ValueClass::string: return "strings";
    case ValueClass::other: break;
  }
  return "values that are neither numbers nor strings";
}

bool numeric(ValueClass c) { return c == ValueClass::integer || c == ValueClass::floating; }

bool under(const std::string& path, const std::string& group) {
  return path == group || path.starts_with(group + "/");
}

}  // namespace

const char* kind_name(OutputKind kind) {
  switch (kind) {
    case OutputKind::run: return "run";
    case OutputKind::compare: return "compare";
    case OutputKind::sweep: return "sweep";
    case OutputKind::size_cohorts: return "size-cohorts";
  }
  return "?";
}

// Runs `read` and turns any failure below it (HDF5's, or the reader's limits) into this
// file's InputError at `key`.
template <class F>
static auto guarded(const OutputFile& file, const std::string& key, F&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    file.fail(key, std::string("cannot be read (") + e.what() + ")");
  }
}

OutputFile::OutputFile(const fs::path& path, std::uint64_t budget)
    : path_(path),
      reader_([&] {
        std::error_code error;
        if (!fs::exists(path, error)) throw InputError(path.string(), 0, "", "file not found");
        if (fs::is_directory(path, error)) throw InputError(path.string(), 0, "", "is a directory, not an output file");
        return H5Reader(path);
      }()),
      budget_(budget) {
  reader_.set_read_limit(budget);
  if (!has_attr("command")) {
    fail("command", "not a careabm output file (it has no root attribute 'command')");
  }
  const std::string command = attr_string("command");
  for (const auto kind : {OutputKind::run, OutputKind::compare, OutputKind::sweep, OutputKind::size_cohorts}) {
    if (command == kind_name(kind)) {
      kind_ = kind;
      return;
    }
  }
  fail("command", "unknown kind of careabm output '" + command + "' (expected run, compare, sweep or size-cohorts)");
}

void OutputFile::fail(const std::string& key, const std::string& message) const {
  throw InputError(name(), 0, key, message);
}

void OutputFile::require_kind(std::initializer_list<OutputKind> kinds, const std::string& purpose) const {
  for (const auto kind : kinds) {
    if (kind == kind_) return;
  }
  std::string wanted;
  std::size_t i = 0;
  for (const auto kind : kinds) {
    wanted += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + std::string("'") + kind_name(kind) + "'";
    ++i;
  }
  fail("command", std::string("a careabm '") + kind_name(kind_) + "' file has no " + purpose + " (that needs a " +
                      wanted + " file)");
}

bool OutputFile::exists(const std::string& path) const {
  return guarded(*this, path, [&] { return reader_.exists(path); });
}

bool OutputFile::has_attr(const std::string& name) const {
  return guarded(*this, name, [&] { return reader_.has_attr("/", name); });
}

std::string OutputFile::attr_string(const std::string& name) const {
  if (!has_attr(name)) fail(name, "the root attribute '" + name + "' is missing");
  return guarded(*this, name, [&] { return reader_.root_attr_string(name); });
}

std::int64_t OutputFile::attr_integer(const std::string& name, std::int64_t lowest, std::int64_t highest) const {
  if (!has_attr(name)) fail(name, "the root attribute '" + name + "' is missing");
  const std::int64_t value = guarded(*this, name, [&] { return reader_.root_attr_int64(name); });
  if (value < lowest || value > highest) {
    fail(name, "the root attribute '" + name + "' is " + std::to_string(value) + ", outside [" +
                   std::to_string(lowest) + ", " + std::to_string(highest) + "]");
  }
  return value;
}

double OutputFile::attr_number(const std::string& name) const {
  if (!has_attr(name)) fail(name, "the root attribute '" + name + "' is missing");
  return guarded(*this, name, [&] { return reader_.root_attr_double(name); });
}

DatasetInfo OutputFile::info(const std::string& path) const {
  if (!exists(path)) fail(path, std::string("missing (a careabm '") + kind_name(kind_) + "' file has it)");
  if (!guarded(*this, path, [&] { return reader_.is_dataset(path); })) fail(path, "is not a dataset");
  return guarded(*this, path, [&] { return reader_.info(path); });
}

std::vector<std::string> OutputFile::attached_dims(const std::string& path) const {
  return guarded(*this, path, [&] { return reader_.dims(path); });
}

void OutputFile::spend(const std::string& key, std::uint64_t values) const {
  if (values > budget_) {
    fail(key, "declares " + std::to_string(values) + " values, more than careabm reads from one output file (" +
                  std::to_string(reader_.read_limit()) + " in all); the file is damaged or was not written by careabm");
  }
  budget_ -= values;
}

std::size_t OutputFile::dimension(const std::string& name, std::size_t shortest, bool scale) const {
  const std::string path = "/" + name;
  const DatasetInfo d = info(path);
  if (d.shape.size() != 1) {
    fail(path, "the labels of dimension '" + name + "' must be a list (rank 1), found shape " + shape_text(d.shape));
  }
  if (d.shape[0] < shortest) {
    fail(path, "dimension '" + name + "' has " + std::to_string(d.shape[0]) + " labels, needs at least " +
                   std::to_string(shortest));
  }
  if (scale && !d.scale) fail(path, "is not an HDF5 dimension scale");
  return d.shape[0];
}

std::vector<std::string> OutputFile::string_labels(const std::string& name, std::size_t shortest) const {
  const std::string path = "/" + name;
  const std::size_t n = dimension(name, shortest);
  const DatasetInfo d = info(path);
  if (d.value_class != ValueClass::string) {
    fail(path, std::string("the labels of dimension '") + name + "' must be strings, found " + class_text(d.value_class));
  }
  spend(path, n);
  auto labels = guarded(*this, path, [&] { return reader_.labels(name); });
  if (labels.size() != n) fail(path, "read " + std::to_string(labels.size()) + " labels of " + std::to_string(n));
  return labels;
}

std::vector<std::int64_t> OutputFile::integer_labels(const std::string& name, std::size_t shortest) const {
  const std::string path = "/" + name;
  const std::size_t n = dimension(name, shortest);
  const DatasetInfo d = info(path);
  if (d.value_class != ValueClass::integer) {
    fail(path, std::string("the labels of dimension '") + name + "' must be integers, found " + class_text(d.value_class));
  }
  spend(path, n);
  auto labels = guarded(*this, path, [&] { return reader_.read_int64(path); });
  if (labels.size() != n) fail(path, "read " + std::to_string(labels.size()) + " labels of " + std::to_string(n));
  return labels;
}

std::uint64_t OutputFile::check_variable(const std::string& path, const std::vector<std::string>& dims) const {
  const DatasetInfo d = info(path);
  if (!numeric(d.value_class)) fail(path, std::string("must hold numbers, found ") + class_text(d.value_class));
  if (d.shape.size() != dims.size()) {
    fail(path, (d.shape.empty() ? std::string("is a scalar") : "has shape " + shape_text(d.shape)) +
                   ", expected the dimensions " + list_text(dims));
  }
  const auto attached = attached_dims(path);
  for (std::size_t axis = 0; axis < dims.size(); ++axis) {
    const std::string where = "axis " + std::to_string(axis) + " ('" + dims[axis] + "')";
    if (attached.at(axis).empty()) fail(path, where + " has no dimension scale attached");
    if (attached[axis] != dims[axis]) {
      fail(path, "axis " + std::to_string(axis) + " is along '" + attached[axis] + "', expected the dimensions " +
                     list_text(dims));
    }
    const std::size_t length = dimension(dims[axis], 0);
    if (d.shape[axis] != length) {
      fail(path, where + " has " + std::to_string(d.shape[axis]) + " entries, but /" + dims[axis] + " has " +
                     std::to_string(length) + " labels");
    }
  }
  return d.elements;
}

std::vector<double> OutputFile::read(const std::string& path, const std::vector<std::string>& dims) const {
  const std::uint64_t n = check_variable(path, dims);
  spend(path, n);
  auto values = guarded(*this, path, [&] { return reader_.read_double(path); });
  if (values.size() != n) fail(path, "read " + std::to_string(values.size()) + " values of " + std::to_string(n));
  return values;
}

std::vector<std::int64_t> OutputFile::read_integers(const std::string& path, const std::vector<std::string>& dims) const {
  const std::uint64_t n = check_variable(path, dims);
  const DatasetInfo d = info(path);
  if (d.value_class != ValueClass::integer) fail(path, std::string("must hold integers, found ") + class_text(d.value_class));
  spend(path, n);
  auto values = guarded(*this, path, [&] { return reader_.read_int64(path); });
  if (values.size() != n) fail(path, "read " + std::to_string(values.size()) + " values of " + std::to_string(n));
  return values;
}

void OutputFile::check_whole_file(const std::vector<std::string>& skip) const {
  const auto paths = guarded(*this, "/", [&] { return reader_.all_datasets("/"); });
  std::uint64_t total = 0;
  for (const auto& path : paths) {
    bool skipped = false;
    for (const auto& group : skip) skipped = skipped || under(path, group);
    if (skipped) continue;
    const DatasetInfo d = info(path);
    if (!numeric(d.value_class) && d.value_class != ValueClass::string) fail(path, std::string("holds ") + class_text(d.value_class));
    if (!d.scale && !d.shape.empty()) {
      const auto attached = attached_dims(path);
      for (std::size_t axis = 0; axis < d.shape.size(); ++axis) {
        if (attached.at(axis).empty()) fail(path, "axis " + std::to_string(axis) + " has no dimension scale attached");
        const std::size_t length = dimension(attached[axis], 0);
        if (d.shape[axis] != length) {
          fail(path, "axis " + std::to_string(axis) + " ('" + attached[axis] + "') has " +
                         std::to_string(d.shape[axis]) + " entries, but /" + attached[axis] + " has " +
                         std::to_string(length) + " labels");
        }
      }
    }
    const std::uint64_t limit = reader_.read_limit();
    if (d.elements > limit - total) {
      fail(path, "declares " + std::to_string(d.elements) + " values, which with the datasets before it is more "
                     "than careabm reads from one output file (" + std::to_string(limit) +
                     " in all); the file is damaged or was not written by careabm");
    }
    total += d.elements;
  }
}

}  // namespace careabm::io
