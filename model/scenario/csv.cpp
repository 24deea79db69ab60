#include "scenario/csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <tuple>

#include "core/errors.h"
#include "scenario/input_files.h"

namespace careabm::scenario {

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Splits one line; fields may be double-quoted (with "" for a quote).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  out.push_back(trim(field));
  return out;
}

}  // namespace

std::shared_ptr<const CsvTable::Parsed> CsvTable::parse(const std::filesystem::path& path, const std::string& key) {
  require_input_file(path, path.string(), 0, key);  // never open a FIFO or a device
  // Cache by canonical path, size and modification time (a changed file is parsed again).
  static std::mutex mutex;
  static std::map<std::tuple<std::string, std::uintmax_t, std::filesystem::file_time_type>,
                  std::shared_ptr<const Parsed>>
      cache;
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec).string();
  const auto size = std::filesystem::file_size(path, ec);
  const auto time = std::filesystem::last_write_time(path, ec);
  const auto id = std::make_tuple(canonical, size, time);
  if (!ec) {
    const std::lock_guard lock(mutex);
    if (const auto it = cache.find(id); it != cache.end()) return it->second;
  }
  std::ifstream in(path);
  if (!in) throw InputError(path.string(), 0, key, "cannot open CSV file");
  auto parsed = std::make_shared<Parsed>();
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string content = trim(line);
    if (content.empty() || content[0] == '#') continue;
    auto fields = split(content);
    if (parsed->header.empty()) {
      parsed->header = std::move(fields);
      continue;
    }
    if (fields.size() != parsed->header.size()) {
      throw InputError(path.string(), number, key,
                       "row has " + std::to_string(fields.size()) + " cells, header has " +
                           std::to_string(parsed->header.size()));
    }
    parsed->cells.push_back(std::move(fields));
    parsed->line_of_row.push_back(number);
  }
  if (parsed->header.empty()) throw InputError(path.string(), 0, key, "CSV file has no header line");
  if (!ec) {
    const std::lock_guard lock(mutex);
    cache[id] = parsed;
  }
  return parsed;
}

CsvTable CsvTable::read(const std::filesystem::path& path, const std::vector<std::string>& required,
                        std::string_view key) {
  CsvTable t;
  t.file_ = path.string();
  t.key_ = std::string(key);
  t.data_ = parse(path, t.key_);
  for (const auto& column : required) {
    if (!t.has_column(column)) {
      throw InputError(t.file_, 0, t.key_, "CSV file lacks the column '" + column + "'");
    }
  }
  return t;
}

bool CsvTable::has_column(std::string_view name) const {
  for (const auto& h : data_->header) {
    if (h == name) return true;
  }
  return false;
}

std::size_t CsvTable::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < data_->header.size(); ++i) {
    if (data_->header[i] == name) return i;
  }
  throw InputError(file_, 0, key_, "CSV file lacks the column '" + std::string(name) + "'");
}

void CsvTable::fail(std::size_t row, std::string_view column, const std::string& message) const {
  throw InputError(file_, data_->line_of_row.at(row), key_ + " column '" + std::string(column) + "'",
                   message);
}

const std::string& CsvTable::text(std::size_t row, std::string_view column) const {
  return data_->cells.at(row)[column_index(column)];
}

double CsvTable::number(std::size_t row, std::string_view column, double lo, double hi) const {
  const std::string& cell = text(row, column);
  double v = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || end != cell.data() + cell.size() || cell.empty() || !std::isfinite(v)) {
    fail(row, column, "'" + cell + "' is not a number");
  }
  if (v < lo || v > hi) {
    fail(row, column, "value " + cell + " is outside [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
  }
  return v;
}

long long CsvTable::integer(std::size_t row, std::string_view column, long long lo,
                            long long hi) const {
  const std::string& cell = text(row, column);
  long long v = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || end != cell.data() + cell.size() || cell.empty()) {
    fail(row, column, "'" + cell + "' is not a whole number");
  }
  if (v < lo || v > hi) {
    fail(row, column, "value " + cell + " is outside [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
  }
  return v;
}

std::size_t CsvTable::category(std::size_t row, std::string_view column,
                               const std::vector<std::string>& categories) const {
  const std::string& cell = text(row, column);
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (categories[i] == cell) return i;
  }
  fail(row, column, "unknown category '" + cell + "'");
}

}  // namespace careabm::scenario
