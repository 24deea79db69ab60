#include "scenario/document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "scenario/input_files.h"

#include "scenario/toml_text.h"

namespace careabm::scenario {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kOverrideSource = "--set";

// A yearly series (scenario/series.h): replaced whole, never merged.
bool is_series(const toml::node& node) {
  const auto* t = node.as_table();
  if (!t || !t->contains("series")) return false;
  for (const auto& [k, v] : *t) {
    if (k != "series" && k != "interpolation") return false;
  }
  return true;
}

// Moves every value of `top` into `base`; tables merge key by key, anything
// else (and a yearly series on either side) replaces. Moving (not copying)
// keeps each node's source location.
void merge_into(toml::table& base, toml::table&& top) {
  for (auto&& [key, value] : top) {
    auto* base_table = base[key].as_table();
    if (base_table && value.is_table() && !is_series(*base_table) && !is_series(value)) {
      merge_into(*base_table, std::move(*value.as_table()));
    } else {
      base.insert_or_assign(key, std::move(value));
    }
  }
}

toml::table parse_file(const fs::path& path) {
  require_input_file(path, path.string(), 0, "");
  try {
    return parse_toml_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(path.string(), static_cast<int>(e.source().begin.line), "",
                     "malformed TOML: " + std::string(e.description()));
  }
}

// The files read so far, in order, and their canonical paths (a set, so the
// cycle check costs the same at any depth).
struct Chain {
  std::vector<fs::path> files;
  std::unordered_set<std::string> canonical;
};

toml::table load_with_extends(const fs::path& path, Chain& chain) {
  chain.files.push_back(path);
  chain.canonical.insert(fs::weakly_canonical(path).string());
  toml::table top = parse_file(path);
  if (auto* ext = top.get("extends")) {
    const auto* name = ext->as_string();
    if (!name) fail(*ext, "extends", "expected a file name (string)");
    const fs::path base_path = path.parent_path() / name->get();
    if (chain.canonical.count(fs::weakly_canonical(base_path).string())) {
      fail(*ext, "extends", "circular 'extends': " + base_path.string() + " is already part of the chain");
    }
    if (static_cast<int>(chain.files.size()) > kMaxExtendsDepth) {  // size(): the files extended, with this one
      fail(*ext, "extends",
           "the chain of 'extends' from " + chain.files.front().string() + " is longer than " +
               std::to_string(kMaxExtendsDepth) + " files");
    }
    require_input_file(base_path, source_file(*ext), source_line(*ext), "extends");
    toml::table base = load_with_extends(base_path, chain);
    top.erase("extends");
    merge_into(base, std::move(top));
    return base;
  }
  return top;
}

std::string_view trim_blank(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A bare word: one word without TOML punctuation, taken as a string
// (`--set name=variant-b`). Anything else must be a TOML value.
bool bare_word(std::string_view text) {
  return !text.empty() && text.find_first_of(" \t\"'[]{}=,#") == std::string_view::npos;
}

// The text of `line` from code point `column` on (toml++ counts columns in code points).
std::string_view from_column(std::string_view line, std::size_t column) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (seen++ == column) break;
  }
  return line.substr(std::min(i, line.size()));
}

// "key.path=value": the value is one TOML value (a number, true, [1, 2],
// "text", { a = 1 }) or a bare word, and nothing may follow it.
void apply_override(toml::table& root, const std::string& assignment) {
  const std::string source(kOverrideSource);
  if (!valid_utf8(assignment)) throw InputError(source, 0, "", "the assignment is not valid UTF-8");
  // The first control character from `from` on (tab is a blank), named with the key if it is known.
  const auto check_controls = [&](std::size_t from, std::size_t to, const std::string& key) {
    for (std::size_t i = from; i < to; ++i) {
      const auto u = static_cast<unsigned char>(assignment[i]);
      if ((u < 0x20 && u != '\t') || u == 0x7F) {
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", unsigned(u));
        throw InputError(source, 0, key, std::string("control character ") + code +
                                             " in the assignment (a --set is one line: key.path=value)");
      }
    }
  };
  const auto eq = assignment.find('=');
  check_controls(0, eq == std::string::npos ? assignment.size() : eq, "");
  if (eq == std::string::npos || eq == 0) throw InputError(source, 0, assignment, "expected key.path=value");
  const std::string key(trim_blank(std::string_view(assignment).substr(0, eq)));
  check_controls(eq, assignment.size(), key);
  const std::string text(trim_blank(std::string_view(assignment).substr(eq + 1)));
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    const auto dot = key.find('.', from);
    parts.push_back(key.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
    if (parts.back().empty() || parts.back().find_first_of(" \t") != std::string::npos) {
      throw InputError(source, 0, key, "a key path is names joined by '.', e.g. outflow.rate.vig");
    }
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  if (text.empty()) throw InputError(source, 0, key, "no value after '='");
  const std::string line = "value = " + text;
  toml::table parsed;
  try {
    parsed = parse_toml_text(line, source);
  } catch (const toml::parse_error&) {
    if (!bare_word(text)) {
      throw InputError(source, 0, key,
                       "'" + text + "' is not one value: give a number, true or false, [list], { table }, "
                       "\"quoted text\" (text with blanks or TOML punctuation must be quoted), or one bare word");
    }
    parsed = parse_toml_text("value = " + toml_string(text), source);  // keeps the --set source
  }
  const toml::node* value = parsed.get("value");
  if (!value || parsed.size() != 1) throw InputError(source, 0, key, "expected one value");
  if (const auto end = value->source().end.column; end > 0) {
    const auto rest = trim_blank(from_column(line, end - 1));
    if (!rest.empty()) {
      throw InputError(source, 0, key, "'" + std::string(rest) + "' follows the value; a --set gives one value and nothing after it");
    }
  }
  toml::table* table = &root;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    const std::string& part = parts[k];
    auto* child = (*table)[part].as_table();
    if (!child) {
      if (table->contains(part)) {
        throw InputError(source, 0, key, "'" + part + "' is not a table");
      }
      child = table->insert_or_assign(part, toml::table{}).first->second.as_table();
    }
    table = child;
  }
  table->insert_or_assign(parts.back(), std::move(*parsed.get("value")));
}

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string join(std::string_view a, std::string_view b) {
  return a.empty() ? std::string(b) : std::string(a) + "." + std::string(b);
}

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Document Document::load(const fs::path& path, const std::vector<std::string>& overrides) {
  Document doc;
  doc.path_ = path;
  doc.overrides_ = overrides;
  Chain chain;
  doc.root_ = load_with_extends(path, chain);
  doc.files_ = std::move(chain.files);
  for (const auto& o : overrides) apply_override(doc.root_, o);
  return doc;
}

void Document::replace(const std::vector<std::string>& path, toml::node&& value) {
  toml::table* parent = &root_;
  for (std::size_t k = 0; k + 1 < path.size(); ++k) parent = (*parent)[path[k]].as_table();
  if (auto* t = value.as_table()) {
    parent->insert_or_assign(path.back(), std::move(*t));
  } else if (auto* i = value.as_integer()) {
    parent->insert_or_assign(path.back(), std::move(*i));
  } else if (auto* f = value.as_floating_point()) {
    parent->insert_or_assign(path.back(), std::move(*f));
  } else {
    throw std::logic_error("Document::replace: a table or a number is expected");
  }
}

std::string Document::resolved_text() const {
  // The path in the comment, kept to one line of valid UTF-8.
  std::string path = path_.string();
  const bool utf8 = valid_utf8(path);
  for (char& c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || (!utf8 && u >= 0x80)) c = '?';
  }
  return "# careabm resolved scenario from " + path +
         " ('extends' and --set applied; relative file paths are relative to the file that set them)\n" +
         write_toml(root_);
}

std::string source_file(const toml::node& node) {
  const auto& src = node.source();
  return src.path ? *src.path : std::string();
}

int source_line(const toml::node& node) {
  if (source_file(node) == kOverrideSource) return 0;
  return static_cast<int>(node.source().begin.line);
}

void fail(const toml::node& node, std::string_view key, const std::string& message) {
  throw InputError(source_file(node), source_line(node), std::string(key), message);
}

// ---------------------------------------------------------------- Reader

const toml::node* Reader::find(std::string_view key) const {
  return toml::at_path(doc_.root(), key).node();
}

void Reader::mark(std::string_view key) const { used_.emplace(key); }

bool Reader::has(std::string_view key) const { return find(key) != nullptr; }

void Reader::missing(std::string_view key) const {
  // Point at the nearest enclosing table that exists, else at the scenario file.
  std::string_view parent = key;
  while (true) {
    const auto dot = parent.rfind('.');
    if (dot == std::string_view::npos) break;
    parent = parent.substr(0, dot);
    if (const auto* n = find(parent)) fail(*n, key, "required key is missing");
  }
  throw InputError(doc_.path().string(), 0, std::string(key), "required key is missing");
}

const toml::node& Reader::node(std::string_view key) const {
  const auto* n = find(key);
  if (!n) missing(key);
  mark(key);
  return *n;
}

std::string Reader::string(std::string_view key) const {
  const auto& n = node(key);
  const auto* s = n.as_string();
  if (!s) fail(n, key, std::string("expected a string, got ") + type_name(n));
  return s->get();
}

std::string Reader::string(std::string_view key, std::string_view fallback) const {
  return has(key) ? string(key) : std::string(fallback);
}

namespace {
double as_number(const toml::node& n, std::string_view key, double lo, double hi) {
  double v;
  if (const auto* i = n.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto* f = n.as_floating_point()) {
    v = f->get();
  } else {
    fail(n, key, std::string("expected a number, got ") + type_name(n));
  }
  if (!std::isfinite(v) || v < lo || v > hi) {
    fail(n, key, "value " + format_number(v) + " is outside [" + format_number(lo) + ", " +
                     format_number(hi) + "]");
  }
  return v;
}
}  // namespace

double Reader::number(std::string_view key, double lo, double hi) const {
  return as_number(node(key), key, lo, hi);
}

double Reader::number(std::string_view key, double lo, double hi, double fallback) const {
  return has(key) ? number(key, lo, hi) : fallback;
}

long long Reader::integer(std::string_view key, long long lo, long long hi) const {
  const auto& n = node(key);
  const auto* i = n.as_integer();
  if (!i) fail(n, key, std::string("expected an integer, got ") + type_name(n));
  const long long v = i->get();
  if (v < lo || v > hi) {
    fail(n, key, "value " + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "]");
  }
  return v;
}

long long Reader::integer(std::string_view key, long long lo, long long hi, long long fallback) const {
  return has(key) ? integer(key, lo, hi) : fallback;
}

bool Reader::boolean(std::string_view key, bool fallback) const {
  if (!has(key)) return fallback;
  const auto& n = node(key);
  const auto* b = n.as_boolean();
  if (!b) fail(n, key, std::string("expected true or false, got ") + type_name(n));
  return b->get();
}

std::vector<std::string> Reader::string_list(std::string_view key) const {
  const auto& n = node(key);
  const auto* arr = n.as_array();
  if (!arr) fail(n, key, std::string("expected an array of strings, got ") + type_name(n));
  std::vector<std::string> out;
  for (const auto& item : *arr) {
    const auto* s = item.as_string();
    if (!s) fail(item, key, std::string("expected an array of strings, found ") + type_name(item));
    out.push_back(s->get());
  }
  return out;
}

std::vector<double> Reader::number_list(std::string_view key, double lo, double hi) const {
  const auto& n = node(key);
  const auto* arr = n.as_array();
  if (!arr) fail(n, key, std::string("expected an array of numbers, got ") + type_name(n));
  std::vector<double> out;
  for (const auto& item : *arr) out.push_back(as_number(item, key, lo, hi));
  return out;
}

std::vector<std::vector<double>> Reader::stochastic_matrix(std::string_view key,
                                                           std::size_t size) const {
  const auto& n = node(key);
  const auto* rows = n.as_array();
  if (!rows || rows->size() != size) {
    fail(n, key, "expected an array of " + std::to_string(size) + " rows");
  }
  std::vector<std::vector<double>> out;
  for (std::size_t r = 0; r < size; ++r) {
    const auto& row_node = *rows->get(r);
    const auto* row = row_node.as_array();
    if (!row || row->size() != size) {
      fail(row_node, key, "row " + std::to_string(r + 1) + " must have " + std::to_string(size) +
                              " numbers");
    }
    std::vector<double> values;
    double sum = 0;
    for (const auto& item : *row) {
      values.push_back(as_number(item, key, 0.0, 1.0));
      sum += values.back();
    }
    if (std::abs(sum - 1.0) > 1e-9) {
      fail(row_node, key, "row " + std::to_string(r + 1) + " sums to " + format_number(sum) +
                              ", not 1");
    }
    out.push_back(std::move(values));
  }
  return out;
}

std::vector<double> Reader::by_category(std::string_view key,
                                        const std::vector<std::string>& categories, double lo,
                                        double hi) const {
  const auto& n = node(key);
  const auto* table = n.as_table();
  if (!table) fail(n, key, std::string("expected a table keyed by category, got ") + type_name(n));
  std::vector<double> out;
  for (const auto& category : categories) {
    const std::string path = join(key, category);
    if (!table->contains(category)) fail(n, path, "missing value for category '" + category + "'");
    out.push_back(number(path, lo, hi));
  }
  return out;
}

std::vector<double> Reader::by_category(std::string_view key,
                                        const std::vector<std::string>& categories, double lo,
                                        double hi, double fallback) const {
  std::vector<double> out(categories.size(), fallback);
  if (!has(key)) return out;
  const auto& n = node(key);
  if (!n.is_table()) fail(n, key, std::string("expected a table keyed by category, got ") + type_name(n));
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const std::string path = join(key, categories[i]);
    if (has(path)) out[i] = number(path, lo, hi);
  }
  return out;
}

std::vector<double> Reader::number_or_by_category(std::string_view key, const std::vector<std::string>& categories,
                                                  double lo, double hi, double fallback) const {
  if (has(key) && !node(key).is_table()) return std::vector<double>(categories.size(), number(key, lo, hi));
  auto out = by_category(key, categories, lo, hi, fallback);
  if (has(key)) {
    for (const auto& [name, value] : *node(key).as_table()) {
      if (std::find(categories.begin(), categories.end(), name.str()) == categories.end()) {
        fail(value, join(key, name.str()), "unknown category '" + std::string(name.str()) + "'");
      }
    }
  }
  return out;
}

std::vector<std::string> Reader::keys(std::string_view key) const {
  const auto& n = node(key);
  const auto* table = n.as_table();
  if (!table) fail(n, key, std::string("expected a table, got ") + type_name(n));
  std::vector<std::string> out;
  for (const auto& [k, v] : *table) {
    out.emplace_back(k.str());
    mark(join(key, k.str()));
  }
  return out;
}

fs::path Reader::file(std::string_view key) const {
  const auto& n = node(key);
  const std::string name = string(key);
  const std::string origin = source_file(n);
  fs::path base = origin.empty() || origin == kOverrideSource ? fs::current_path()
                                                               : fs::path(origin).parent_path();
  fs::path resolved = base / name;
  require_input_file(resolved, source_file(n), source_line(n), std::string(key));
  return resolved;
}

void Reader::finish() const {
  // Depth-first over the document; a key is known when it, or a table above it, was read.
  struct Walker {
    const Reader& reader;
    void walk(const toml::table& table, const std::string& prefix) {
      for (const auto& [k, v] : table) {
        const std::string path = join(prefix, k.str());
        const bool used = reader.used_.count(path) > 0;
        // Tables are always entered: reading a table does not vouch for every key in it.
        if (const auto* child = v.as_table(); child && !child->empty()) {
          walk(*child, path);
        } else if (!used) {
          fail(v, path, "unknown key (not part of the scenario format; misspelt?)");
        }
      }
    }
  };
  Walker{*this}.walk(doc_.root(), "");
}

}  // namespace careabm::scenario
