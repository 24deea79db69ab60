// CSV tables beside a scenario (initial workforce, projections). Comment lines
// start with '#'; the first other line is the header. Every cell error names
// file, line and column.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace careabm::scenario {

class CsvTable {
 public:
  // Reads `path`; `required` columns must all be present. `key` is the scenario
  // key that named the file (for error messages).
  static CsvTable read(const std::filesystem::path& path, const std::vector<std::string>& required,
                       std::string_view key);

  std::size_t rows() const { return cells_.size(); }
  bool has_column(std::string_view name) const;
  const std::string& text(std::size_t row, std::string_view column) const;
  double number(std::size_t row, std::string_view column, double lo, double hi) const;
  long long integer(std::size_t row, std::string_view column, long long lo, long long hi) const;
  // The index of the cell's text in `categories`; an unknown name is an error.
  std::size_t category(std::size_t row, std::string_view column,
                       const std::vector<std::string>& categories) const;
  [[noreturn]] void fail(std::size_t row, std::string_view column, const std::string& message) const;

 private:
  std::size_t column_index(std::string_view name) const;

  std::string file_;
  std::string key_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<int> line_of_row_;
};

}  // namespace careabm::scenario
