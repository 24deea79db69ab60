#include "scenario/series.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scenario/csv.h"

namespace careabm::scenario {

namespace {

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& part : path) out += (out.empty() ? "" : ".") + part;
  return out;
}

bool is_year(std::string_view text) {
  return text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_increasing(const Series& s, const std::string& key) {
  for (std::size_t i = 1; i < s.points.size(); ++i) {
    if (s.points[i].year <= s.points[i - 1].year) {
      throw InputError(s.points[i].file, s.points[i].line, key, "years of a series must increase");
    }
  }
}

// { 2016 = 65.5, 2024 = 67 } as written in the TOML file.
void inline_points(Series& s, const toml::table& table, const toml::node& node, const std::string& key) {
  for (const auto& [name, value] : table) {
    if (!is_year(name.str())) fail(value, key + "." + std::string(name.str()), "a series key must be a year (e.g. 2024)");
    const auto number = value.value<double>();
    if (!value.is_number() || !number || !std::isfinite(*number)) {
      fail(value, key + "." + std::string(name.str()), "a series value must be a number");
    }
    s.points.push_back({std::stoi(std::string(name.str())), {*number}, source_file(value), source_line(value)});
  }
  if (s.points.empty()) fail(node, key, "a series needs at least one year");
  std::sort(s.points.begin(), s.points.end(), [](const auto& a, const auto& b) { return a.year < b.year; });
}

// A CSV file: a `year` column and either `value` (a number) or one column per category.
void csv_points(Series& s, const toml::node& node, const std::string& key) {
  const std::string name = node.as_string()->get();
  const std::string origin = source_file(node);
  const std::filesystem::path base = origin.empty() || origin == "--set" ? std::filesystem::current_path()
                                                                          : std::filesystem::path(origin).parent_path();
  const auto path = base / name;
  if (!std::filesystem::exists(path)) fail(node, key, "file not found: " + path.string());
  const auto table = CsvTable::read(path, {"year"}, key);
  std::vector<std::string> columns;
  for (const auto& column : table.columns()) {
    if (column != "year" && column != "source") columns.push_back(column);
  }
  if (columns.empty()) throw InputError(path.string(), 0, key, "a series CSV needs a 'value' column or category columns");
  const bool scalar = columns.size() == 1 && columns.front() == "value";
  if (!scalar) s.columns = columns;
  if (table.rows() == 0) throw InputError(path.string(), 0, key, "a series needs at least one year");
  for (std::size_t row = 0; row < table.rows(); ++row) {
    SeriesPoint point{static_cast<int>(table.integer(row, "year", 1800, 2300)), {}, path.string(), table.line(row)};
    for (const auto& column : columns) point.values.push_back(table.number(row, column, -1e300, 1e300));
    s.points.push_back(std::move(point));
  }
}

void walk(const toml::table& table, std::vector<std::string>& path, std::vector<Series>& out) {
  for (const auto& [name, value] : table) {
    path.emplace_back(name.str());
    if (const auto* child = value.as_table()) {
      const bool series = child->contains("series") &&
                          std::all_of(child->begin(), child->end(), [](const auto& kv) {
                            return kv.first == "series" || kv.first == "interpolation";
                          });
      if (series) {
        const std::string key = dotted(path);
        Series s;
        s.path = path;
        if (const auto* how = child->get("interpolation")) {
          const auto* text = how->as_string();
          if (!text || (text->get() != "linear" && text->get() != "step")) {
            fail(*how, key + ".interpolation", "expected \"linear\" or \"step\"");
          }
          s.step = text->get() == "step";
        }
        const toml::node& data = *child->get("series");
        if (const auto* points = data.as_table()) {
          inline_points(s, *points, data, key + ".series");
        } else if (data.is_string()) {
          csv_points(s, data, key + ".series");
        } else {
          fail(data, key + ".series", "expected a table of year = value, or the name of a CSV file");
        }
        check_increasing(s, key + ".series");
        out.push_back(std::move(s));
      } else {
        walk(*child, path, out);
      }
    }
    path.pop_back();
  }
}

// The value as TOML text that reads back exactly; whole numbers as integers.
std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::stod(buf) == v) break;
  }
  std::string text = buf;
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

// A TOML key: bare when it can be, else quoted.
std::string key_text(const std::string& name) {
  const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (bare) return name;
  std::string out = "\"";
  for (char c : name) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::vector<double> Series::at(int year, std::string& file, int& line) const {
  std::size_t i = 0;
  while (i + 1 < points.size() && points[i + 1].year <= year) ++i;
  const SeriesPoint& a = points[i];
  file = a.file, line = a.line;
  if (year <= a.year || i + 1 == points.size() || step) return a.values;
  const SeriesPoint& b = points[i + 1];
  const double f = double(year - a.year) / double(b.year - a.year);
  std::vector<double> out(a.values.size());
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = a.values[k] + f * (b.values[k] - a.values[k]);
  return out;
}

std::vector<Series> find_series(const Document& doc) {
  std::vector<Series> out;
  std::vector<std::string> path;
  walk(doc.root(), path, out);
  return out;
}

void set_year(Document& doc, const std::vector<Series>& series, int year) {
  for (const auto& s : series) {
    std::string file;
    int line = 0;
    const auto values = s.at(year, file, line);
    // The value parsed as TOML text placed on the entry's line of its file, so
    // the loader's messages name where it was written.
    std::string text(std::size_t(std::max(0, line - 1)), '\n');
    if (s.columns.empty()) {
      text += "value = " + number_text(values.front()) + "\n";
    } else {
      text += "value = {";
      for (std::size_t k = 0; k < s.columns.size(); ++k) {
        text += (k ? ", " : " ") + key_text(s.columns[k]) + " = " + number_text(values[k]);
      }
      text += " }\n";
    }
    toml::table parsed = toml::parse(text, file);
    doc.replace(s.path, std::move(*parsed.get("value")));
  }
}

}  // namespace careabm::scenario
