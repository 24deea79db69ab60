// CSV tables beside a scenario (initial workforce, projections). UTF-8 text
// (a byte-order mark at the start is skipped); comment lines start with '#';
// the first other line is the header, which names each column once and must
// include `source` (non-empty in every row). Every error names file, line and
// the column or scenario key.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace careabm::scenario {

class CsvTable {
 public:
  // Reads `path`; `source` and the `required` columns must all be present. `key` is the scenario
  // key that named the file (for error messages).
  static CsvTable read(const std::filesystem::path& path, const std::vector<std::string>& required,
                       std::string_view key);

  std::size_t rows() const { return data_->cells.size(); }
  bool has_column(std::string_view name) const;
  const std::vector<std::string>& columns() const { return data_->header; }
  int line(std::size_t row) const { return data_->line_of_row.at(row); }
  const std::string& text(std::size_t row, std::string_view column) const;
  double number(std::size_t row, std::string_view column, double lo, double hi) const;
  long long integer(std::size_t row, std::string_view column, long long lo, long long hi) const;
  // The index of the cell's text in `categories`; an unknown name is an error.
  std::size_t category(std::size_t row, std::string_view column,
                       const std::vector<std::string>& categories) const;
  [[noreturn]] void fail(std::size_t row, std::string_view column, const std::string& message) const;

 private:
  std::size_t column_index(std::string_view name) const;

  // The parsed file, shared: a file read again (every year of a scenario with
  // yearly series, every replication with parameter uncertainty) is parsed
  // once per process while it is unchanged on disk.
  struct Parsed {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> cells;
    std::vector<int> line_of_row;
    int header_line = 0;
  };
  static std::shared_ptr<const Parsed> parse(const std::filesystem::path& path, const std::string& key);

  std::string file_;
  std::string key_;
  std::shared_ptr<const Parsed> data_;
};

}  // namespace careabm::scenario
