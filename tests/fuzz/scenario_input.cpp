#include "scenario_input.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>

#include "core/errors.h"
#include "scenario/document.h"
#include "scenario/load.h"
#include "scenario/toml_text.h"

namespace careabm::fuzz {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFileMarker = "#@file ";

bool file_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
         });
}

// '/' and its \u and \U escapes become '_': paths stay inside the input's directory.
std::string confined(std::string_view data) {
  std::string text(data);
  std::replace(text.begin(), text.end(), '/', '_');
  for (const std::string_view escaped : {std::string_view("u002f"), std::string_view("u0000002f")}) {
    for (std::size_t at = 0; at + escaped.size() <= text.size(); ++at) {
      bool match = true;
      for (std::size_t k = 0; k < escaped.size() && match; ++k) {
        match = std::tolower(static_cast<unsigned char>(text[at + k])) == escaped[k];
      }
      if (match) text[at + escaped.size() - 1] = 'f' == text[at + escaped.size() - 1] ? 'e' : 'E';  // U+002E '.'
    }
  }
  return text;
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "none";
  }
}

bool same_time(const toml::time& a, const toml::time& b) {
  return a.hour == b.hour && a.minute == b.minute && a.second == b.second && a.nanosecond == b.nanosecond;
}

bool same_date(const toml::date& a, const toml::date& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}

std::string difference(const toml::node& a, const toml::node& b, const std::string& path) {
  const std::string where = path.empty() ? "(root)" : path;
  if (a.type() != b.type()) return where + ": " + type_name(a) + " became " + type_name(b);
  switch (a.type()) {
    case toml::node_type::table: {
      const auto &ta = *a.as_table(), &tb = *b.as_table();
      if (ta.size() != tb.size()) return where + ": " + std::to_string(ta.size()) + " keys became " + std::to_string(tb.size());
      for (const auto& [k, v] : ta) {
        const std::string child = path.empty() ? std::string(k.str()) : path + "." + std::string(k.str());
        const toml::node* other = tb.get(k.str());
        if (!other) return child + ": missing after the round trip";
        if (auto d = difference(v, *other, child); !d.empty()) return d;
      }
      return {};
    }
    case toml::node_type::array: {
      const auto &aa = *a.as_array(), &ab = *b.as_array();
      if (aa.size() != ab.size()) return where + ": " + std::to_string(aa.size()) + " items became " + std::to_string(ab.size());
      for (std::size_t i = 0; i < aa.size(); ++i) {
        if (auto d = difference(*aa.get(i), *ab.get(i), path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
      }
      return {};
    }
    case toml::node_type::string:
      return a.as_string()->get() == b.as_string()->get() ? std::string() : where + ": the string changed";
    case toml::node_type::integer:
      return a.as_integer()->get() == b.as_integer()->get()
                 ? std::string()
                 : where + ": " + std::to_string(a.as_integer()->get()) + " became " + std::to_string(b.as_integer()->get());
    case toml::node_type::floating_point: {
      const double x = a.as_floating_point()->get(), y = b.as_floating_point()->get();
      const bool same = (std::isnan(x) && std::isnan(y)) || std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
      return same ? std::string() : where + ": " + scenario::toml_float(x) + " became " + scenario::toml_float(y);
    }
    case toml::node_type::boolean:
      return a.as_boolean()->get() == b.as_boolean()->get() ? std::string() : where + ": the boolean changed";
    case toml::node_type::date:
      return same_date(a.as_date()->get(), b.as_date()->get()) ? std::string() : where + ": the date changed";
    case toml::node_type::time:
      return same_time(a.as_time()->get(), b.as_time()->get()) ? std::string() : where + ": the time changed";
    case toml::node_type::date_time: {
      const auto &x = a.as_date_time()->get(), &y = b.as_date_time()->get();
      const bool same = same_date(x.date, y.date) && same_time(x.time, y.time) && bool(x.offset) == bool(y.offset) &&
                        (!x.offset || x.offset->minutes == y.offset->minutes);
      return same ? std::string() : where + ": the date-time changed";
    }
    default: return where + ": a node without a value";
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> input_files(std::string_view data) {
  const std::string text = confined(data);
  std::vector<std::pair<std::string, std::string>> files = {{"scenario.toml", ""}};
  std::string* current = &files.front().second;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto eol = text.find('\n', at);
    const std::size_t end = eol == std::string::npos ? text.size() : eol + 1;
    const std::string_view line(text.data() + at, end - at);
    if (line.substr(0, kFileMarker.size()) == kFileMarker) {
      std::string_view name = line.substr(kFileMarker.size());
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.remove_suffix(1);
      const bool known = std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.first == name; });
      if (file_name(name) && !known) {
        files.emplace_back(std::string(name), "");
        current = &files.back().second;
        at = end;
        continue;
      }
    }
    current->append(line);
    at = end;
  }
  return files;
}

std::string round_trip_difference(const toml::table& table, const std::string& text) {
  try {
    const toml::table back = scenario::parse_toml_text(text, "resolved text");
    return difference(table, back, "");
  } catch (const std::exception& e) {
    return std::string("the text does not parse: ") + e.what();
  }
}

std::string check_input(std::string_view data, const fs::path& dir) {
  // A new directory for every input: a file rewritten at the same path within
  // one tick of the file system's clock, with the same size, would look
  // unchanged to the loader's CSV cache.
  static unsigned long long count = 0;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(dir, ignored)) fs::remove_all(entry.path(), ignored);
  const fs::path here = dir / std::to_string(++count);
  fs::create_directories(here);
  for (const auto& [name, text] : input_files(data)) std::ofstream(here / name, std::ios::binary) << text;
  try {
    std::optional<scenario::Document> doc;
    try {
      doc = scenario::Document::load(here / "scenario.toml");
    } catch (const InputError&) {
      return {};
    }
    const std::string text = doc->resolved_text();
    if (auto d = round_trip_difference(doc->root(), text); !d.empty()) {
      return "the resolved text does not read back: " + d + "\n--- resolved text ---\n" + text;
    }
    try {
      (void)scenario::load_params(*doc);
    } catch (const InputError&) {
    }
    return {};
  } catch (const std::exception& e) {
    return std::string("the loader threw something other than InputError: ") + e.what();
  }
}

}  // namespace careabm::fuzz
