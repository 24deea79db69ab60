#include "scenario/csv.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "core/errors.h"
#include "scenario/input_files.h"
#include "scenario/toml_text.h"

namespace careabm::scenario {

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Splits one line; fields may be double-quoted (with "" for a quote). Sets
// `open` if a quoted field is not closed on the line.
std::vector<std::string> split(const std::string& line, bool& open) {
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
  open = quoted;
  return out;
}

// The first byte of `line` that a CSV line may not hold: a control character
// other than tab (the line end is already removed). npos if none.
std::size_t control_character(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto u = static_cast<unsigned char>(line[i]);
    if ((u < 0x20 && line[i] != '\t') || u == 0x7F) return i;
  }
  return std::string_view::npos;
}

// The 1-based column of byte `at`, counted in characters (UTF-8 code points).
std::size_t character_column(std::string_view line, std::size_t at) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < at; ++i) n += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::shared_ptr<const CsvTable::Parsed> CsvTable::parse(const std::filesystem::path& path, const std::string& key) {
  require_input_file(path, path.string(), 0, key);  // never open a FIFO or a device
  // Cache by canonical path, keeping the size and modification time it was
  // parsed at (a changed file is parsed again and replaces its entry). At
  // most kCachedFiles files are kept, so a long-lived process that reads many
  // different files does not grow without bound.
  struct Entry {
    std::uintmax_t size;
    std::filesystem::file_time_type time;
    std::shared_ptr<const Parsed> parsed;
  };
  constexpr std::size_t kCachedFiles = 64;
  static std::mutex mutex;
  static std::map<std::string, Entry> cache;
  std::error_code canonical_error, size_error, time_error;
  const auto canonical = std::filesystem::weakly_canonical(path, canonical_error).string();
  const auto size = std::filesystem::file_size(path, size_error);
  const auto time = std::filesystem::last_write_time(path, time_error);
  const bool cacheable = !canonical_error && !size_error && !time_error;
  if (cacheable) {
    const std::lock_guard lock(mutex);
    if (const auto it = cache.find(canonical); it != cache.end() && it->second.size == size && it->second.time == time) {
      return it->second.parsed;
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, key, "cannot open CSV file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path.string(), 0, key, "cannot read CSV file");
  // A UTF-8 byte-order mark (spreadsheet programs write one) is skipped.
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  auto parsed = std::make_shared<Parsed>();
  int number = 0;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    std::string_view raw = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);  // CRLF
    if (const auto at = control_character(raw); at != std::string_view::npos) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", unsigned(static_cast<unsigned char>(raw[at])));
      throw InputError(path.string(), number, key,
                       std::string("control character ") + code + " in column " + std::to_string(character_column(raw, at)) +
                           " (a CSV line may hold tab, but no other control character)");
    }
    if (!valid_utf8(raw)) throw InputError(path.string(), number, key, "the line is not valid UTF-8 (CSV files are UTF-8)");
    const std::string content = trim(raw);
    if (content.empty() || content[0] == '#') continue;
    bool open = false;
    auto fields = split(content, open);
    if (open) throw InputError(path.string(), number, key, "a quoted cell is not closed on its line");
    if (parsed->header.empty()) {
      for (std::size_t i = 0; i < fields.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (fields[i] == fields[j]) {
            throw InputError(path.string(), number, key + " column '" + fields[i] + "'",
                             "the header names this column twice (columns " + std::to_string(j + 1) + " and " +
                                 std::to_string(i + 1) + ")");
          }
      parsed->header = std::move(fields);
      parsed->header_line = number;
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
  if (cacheable) {
    const std::lock_guard lock(mutex);
    if (cache.size() >= kCachedFiles && !cache.count(canonical)) cache.clear();
    cache[canonical] = Entry{size, time, parsed};
  }
  return parsed;
}

CsvTable CsvTable::read(const std::filesystem::path& path, const std::vector<std::string>& required,
                        std::string_view key) {
  CsvTable t;
  t.file_ = path.string();
  t.key_ = std::string(key);
  t.data_ = parse(path, t.key_);
  // Every CSV names the source of its figures, row by row.
  if (!t.has_column("source")) {
    throw InputError(t.file_, t.data_->header_line, t.key_,
                     "CSV file lacks the column 'source' (every row names the published figure it comes from, "
                     "or EST and why)");
  }
  for (const auto& column : required) {
    if (!t.has_column(column)) {
      throw InputError(t.file_, t.data_->header_line, t.key_, "CSV file lacks the column '" + column + "'");
    }
  }
  for (std::size_t row = 0; row < t.rows(); ++row) {
    if (t.text(row, "source").empty()) {
      t.fail(row, "source", "empty: every row names the published figure it comes from, or EST and why");
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
  throw InputError(file_, data_->header_line, key_, "CSV file lacks the column '" + std::string(name) + "'");
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
