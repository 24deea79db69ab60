#include "scenario/toml_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <utility>

#include "core/errors.h"

namespace careabm::scenario {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::size_t bom_length(std::string_view text) { return text.substr(0, 3) == kBom ? 3 : 0; }

// TOML allows tab anywhere whitespace or text may stand, LF as the line end
// and CR only as part of CRLF; every other C0 control character and DEL is
// invalid in any position.
bool forbidden_control(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '\t' || c == '\n') return false;
  if (c == '\r') return i + 1 >= text.size() || text[i + 1] != '\n';
  return c < 0x20 || c == 0x7F;
}

bool bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Characters (UTF-8 code points) from `from` to `to`, as toml++ counts columns.
int code_points(std::string_view text, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to; ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return n;
}

std::string hex_code(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
  return buf;
}

// A short, printable excerpt of a line for a message.
std::string excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  if (line.size() > 40) out += "...";
  return out;
}

// ------------------------------------------------------------ lexical hazards

// The code point of the UTF-8 sequence at `i`, or -1 if it is not valid UTF-8.
long code_point_at(std::string_view t, std::size_t i) {
  std::size_t len = 1;
  const auto c = static_cast<unsigned char>(t[i]);
  if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (i + len > t.size() || !valid_utf8(t.substr(i, len))) return -1;
  if (len == 1) return c;
  long cp = c & (0x3F >> (len - 1));
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(t[i + k]) & 0x3F);
  return cp;
}

// The code points for which toml++ 3.3's test "is this horizontal
// whitespace?" reaches a point its author marked unreachable (undefined
// behaviour): its lookup table for them is wrong.
bool misread_as_whitespace(long cp) {
  return (cp >= 0xA1 && cp <= 0x499) || (cp >= 0x2C5E && cp <= 0x3057 && cp != 0x3000) ||
         (cp >= 0xFB26 && cp <= 0xFEFE);
}

enum class Hazard {
  none,
  header,          // a table header whose key would start with a character that cannot start a key
  outside_ascii,   // a non-ASCII character outside a string or a comment (never valid TOML)
  escaped_text,    // in a multi-line basic string, after a backslash: a character toml++ 3.3 misreads
};

struct Problem {
  Hazard kind = Hazard::none;
  std::size_t at = std::string_view::npos;  // header: the start of its line; else the character
};

// Walks TOML's lexical structure (strings, comments, the arrays and inline
// tables of a value, which may span lines) for the inputs toml++ 3.3 does not
// handle safely. Where the text is valid TOML up to a point, the walk agrees
// with toml++'s reading up to that point; after a point toml++ rejects, it
// may not, but toml++ never reads past that point.
class Scan {
 public:
  explicit Scan(std::string_view text) : t_(text) {}

  Problem first_problem() {
    std::size_t i = bom_length(t_);
    bool line_start = true;
    int depth = 0;  // open arrays and inline tables of a value
    while (i < t_.size() && problem_.kind == Hazard::none) {
      if (line_start) {
        line_start = false;
        const std::size_t j = skip_blank(i);
        // Only at the top level is a leading '[' a table header (toml++ checks its key's start only there).
        if (depth == 0 && j < t_.size() && t_[j] == '[' && header_is_bad(j)) return {Hazard::header, i};
        i = j;
        continue;
      }
      const char c = t_[i];
      if (c == '\n') {
        if (depth == 0) line_start = true;
        ++i;
      } else if (c == '#') {
        i = t_.find('\n', i);
        if (i == std::string_view::npos) i = t_.size();
      } else if (c == '"' || c == '\'') {
        i = skip_string(i);
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        return {Hazard::outside_ascii, i};
      } else {
        if (c == '[' || c == '{') ++depth;
        if ((c == ']' || c == '}') && depth > 0) --depth;
        ++i;
      }
    }
    return problem_;
  }

 private:
  std::size_t skip_blank(std::size_t i) const {
    while (i < t_.size() && (t_[i] == ' ' || t_[i] == '\t')) ++i;
    return i;
  }

  // `[` at j: what toml++ does before it parses the key (parse_table_header).
  bool header_is_bad(std::size_t j) const {
    std::size_t k = j + 1;
    const std::size_t after_blank = skip_blank(k);
    const bool blank = after_blank != k;
    k = after_blank;
    if (k >= t_.size()) return false;  // end of file: toml++ reports it
    if (t_[k] == '[') {
      if (blank) return false;         // "[ [": toml++ reports it
      k = skip_blank(k + 1);
      if (k >= t_.size()) return false;
    }
    const char c = t_[k];
    if (c == ']') return false;        // blank key: toml++ reports it
    return !(bare_key_char(c) || c == '"' || c == '\'');
  }

  // toml++ asks whether the character at k is whitespace.
  void whitespace_test(std::size_t k) {
    if (k < t_.size() && static_cast<unsigned char>(t_[k]) >= 0x80 && problem_.kind == Hazard::none &&
        misread_as_whitespace(code_point_at(t_, k))) {
      problem_ = {Hazard::escaped_text, k};
    }
  }

  std::size_t line_break(std::size_t k) const {
    if (k < t_.size() && t_[k] == '\n') return k + 1;
    if (k + 1 < t_.size() && t_[k] == '\r' && t_[k + 1] == '\n') return k + 2;
    return k;
  }

  // At the backslash `i` of a multi-line basic string: where the text goes on
  // after the escape, noting the characters toml++ tests for whitespace on the way.
  std::size_t escape(std::size_t i) {
    std::size_t k = i + 1;
    if (k >= t_.size()) return k;
    whitespace_test(k);  // every escaped character is tested first
    if (t_[k] != ' ' && t_[k] != '\t' && t_[k] != '\n' && t_[k] != '\r') return k + 1;
    // A line-ending backslash: blanks, one line break, then blanks and line
    // breaks are skipped, testing each character that ends a run of blanks.
    k = skip_blank(k);
    whitespace_test(k);
    const std::size_t after = line_break(k);
    if (after == k) return k;  // not a line end: toml++ reports it
    k = after;
    while (true) {
      k = skip_blank(k);
      const std::size_t next = line_break(k);
      if (next == k) break;
      k = next;
    }
    if (k < t_.size() && t_[k] != '"' && t_[k] != '\\') whitespace_test(k);
    return k;
  }

  // From an opening quote to just after the string (or the end of its line
  // if a single-line string is not closed there; toml++ rejects that).
  std::size_t skip_string(std::size_t i) {
    const char q = t_[i];
    const bool escapes = q == '"';
    if (t_.substr(i, 3) == std::string(3, q)) {  // multi-line
      i += 3;
      while (i < t_.size()) {
        if (escapes && t_[i] == '\\') {
          i = escape(i);
        } else if (t_[i] == q && t_.substr(i, 3) == std::string(3, q)) {
          std::size_t run = 0;
          while (i + run < t_.size() && t_[i + run] == q && run < 5) ++run;  // up to two quotes end the text
          return i + run;
        } else {
          ++i;
        }
      }
      return t_.size();
    }
    ++i;
    while (i < t_.size() && t_[i] != '\n') {
      if (escapes && t_[i] == '\\') {
        i += (i + 1 < t_.size() && t_[i + 1] != '\n') ? 2 : 1;
      } else if (t_[i] == q) {
        return i + 1;
      } else {
        ++i;
      }
    }
    return std::min(i, t_.size());
  }

  std::string_view t_;
  Problem problem_;
};

// ------------------------------------------------------------ locating a key

bool before(const toml::source_position& a, const toml::source_position& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// The dotted key of the deepest node whose source region holds `at` (or, if
// none does, the deepest whose lines include its line).
struct KeyFinder {
  toml::source_position at;
  std::string exact, on_line;
  std::size_t exact_depth = 0, line_depth = 0;

  void consider(const toml::node& node, const std::string& path, std::size_t depth) {
    const auto& src = node.source();
    if (src.begin.line == 0) return;
    if (!before(at, src.begin) && before(at, src.end) && depth >= exact_depth) exact = path, exact_depth = depth;
    if (src.begin.line <= at.line && at.line <= src.end.line && depth >= line_depth) {
      on_line = path, line_depth = depth;
    }
  }

  void walk(const toml::node& node, const std::string& path, std::size_t depth) {
    if (const auto* table = node.as_table()) {
      for (const auto& [k, v] : *table) {
        const std::string child = path.empty() ? std::string(k.str()) : path + "." + std::string(k.str());
        consider(v, child, depth + 1);
        walk(v, child, depth + 1);
      }
    } else if (const auto* array = node.as_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        const auto& item = *array->get(i);
        const std::string child = item.is_table() ? path + "[" + std::to_string(i + 1) + "]" : path;
        consider(item, child, depth + 1);
        walk(item, child, depth + 1);
      }
    }
  }
};

// The key written where the bad character at byte `at` stands: the text with
// that character and every control character made blanks, parsed (if it then
// passes the checks and parses).
std::string key_at(std::string_view text, const std::string& file, std::size_t at, int line, int column) {
  std::string clean(text);
  for (std::size_t i = 0; i < clean.size(); ++i)
    if (forbidden_control(text, i)) clean[i] = ' ';
  for (std::size_t i = at; i < clean.size() && (i == at || (static_cast<unsigned char>(clean[i]) & 0xC0) == 0x80); ++i) {
    clean[i] = ' ';
  }
  if (Scan(clean).first_problem().kind != Hazard::none) return {};
  try {
    const toml::table root = toml::parse(std::string_view(clean), std::string_view(file));
    KeyFinder finder;
    finder.at = {static_cast<toml::source_index>(line), static_cast<toml::source_index>(column)};
    finder.walk(root, "", 0);
    return finder.exact.empty() ? finder.on_line : finder.exact;
  } catch (const toml::parse_error&) {
    return {};
  }
}

// ------------------------------------------------------------ writing

void require_utf8(std::string_view text) {
  if (!valid_utf8(text)) {
    throw InputError("text that is not valid UTF-8 cannot be written as TOML: '" + excerpt(text) + "'");
  }
}

std::string basic_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", unsigned(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

template <typename T>
void two_digits(std::string& out, T v) {
  out += char('0' + int(v) / 10 % 10);
  out += char('0' + int(v) % 10);
}

std::string date_text(const toml::date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", unsigned(d.year), unsigned(d.month), unsigned(d.day));
  return buf;
}

std::string time_text(const toml::time& t) {
  std::string out;
  two_digits(out, t.hour);
  out += ':';
  two_digits(out, t.minute);
  out += ':';
  two_digits(out, t.second);
  if (t.nanosecond != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%09u", unsigned(t.nanosecond));
    std::string frac = buf;
    while (frac.back() == '0') frac.pop_back();
    out += frac;
  }
  return out;
}

std::string offset_text(const toml::time_offset& o) {
  if (o.minutes == 0) return "Z";
  const int m = o.minutes < 0 ? -int(o.minutes) : int(o.minutes);
  std::string out(1, o.minutes < 0 ? '-' : '+');
  two_digits(out, m / 60);
  out += ':';
  two_digits(out, m % 60);
  return out;
}

class Writer {
 public:
  std::string out;

  void table_body(const toml::table& table, const std::string& path) {
    // Plain values (and inline tables and arrays) first: they belong to this table's header.
    for (const auto& [k, v] : table) {
      if (section(v) || table_array(v)) continue;
      out += toml_key(k.str()) + " = ";
      inline_value(v);
      out += '\n';
    }
    for (const auto& [k, v] : table) {
      if (!section(v)) continue;
      const auto& child = *v.as_table();
      const std::string child_path = join(path, k.str());
      // A table that holds only tables needs no header of its own (its
      // sub-tables' headers define it); an empty one does.
      const bool direct = child.empty() || std::any_of(child.begin(), child.end(), [](const auto& kv) {
                            return !section(kv.second) && !table_array(kv.second);
                          });
      if (direct) out += (out.empty() ? "[" : "\n[") + child_path + "]\n";
      table_body(child, child_path);
    }
    for (const auto& [k, v] : table) {
      if (!table_array(v)) continue;
      const std::string child_path = join(path, k.str());
      for (const auto& item : *v.as_array()) {
        out += (out.empty() ? "[[" : "\n[[") + child_path + "]]\n";
        table_body(*item.as_table(), child_path);
      }
    }
  }

 private:
  // A table written as a [section]: one not written inline in its source.
  static bool section(const toml::node& v) {
    const auto* t = v.as_table();
    return t && !t->is_inline();
  }

  // An array written as [[sections]]: non-empty, all tables, none inline.
  static bool table_array(const toml::node& v) {
    const auto* a = v.as_array();
    if (!a || a->empty()) return false;
    return std::all_of(a->begin(), a->end(), [](const toml::node& item) { return section(item); });
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? toml_key(key) : path + "." + toml_key(key);
  }

  void inline_value(const toml::node& v) {
    switch (v.type()) {
      case toml::node_type::table: {
        const auto& t = *v.as_table();
        if (t.empty()) {
          out += "{}";
          return;
        }
        out += "{ ";
        bool first = true;
        for (const auto& [k, item] : t) {
          if (!first) out += ", ";
          first = false;
          out += toml_key(k.str()) + " = ";
          inline_value(item);
        }
        out += " }";
        return;
      }
      case toml::node_type::array: {
        const auto& a = *v.as_array();
        if (a.empty()) {
          out += "[]";
          return;
        }
        out += "[ ";
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (i) out += ", ";
          inline_value(*a.get(i));
        }
        out += " ]";
        return;
      }
      case toml::node_type::string: out += toml_string(v.as_string()->get()); return;
      case toml::node_type::integer: {
        char buf[24];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_integer()->get());
        out.append(buf, end);
        return;
      }
      case toml::node_type::floating_point: out += toml_float(v.as_floating_point()->get()); return;
      case toml::node_type::boolean: out += v.as_boolean()->get() ? "true" : "false"; return;
      case toml::node_type::date: out += date_text(v.as_date()->get()); return;
      case toml::node_type::time: out += time_text(v.as_time()->get()); return;
      case toml::node_type::date_time: {
        const auto& dt = v.as_date_time()->get();
        out += date_text(dt.date) + "T" + time_text(dt.time);
        if (dt.offset) out += offset_text(*dt.offset);
        return;
      }
      case toml::node_type::none: break;
    }
    throw std::logic_error("write_toml: a node without a value");
  }
};

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len;
    char32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

void check_toml_text(std::string_view text, const std::string& file) {
  // Line and column (in characters) of byte `at`.
  const auto position = [&](std::size_t at) {
    const std::size_t first = bom_length(text);
    const auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t from = line_start == std::string_view::npos || line_start < first ? first : line_start + 1;
    return std::pair<int, int>(1 + int(std::count(text.begin(), text.begin() + long(at), '\n')),
                               code_points(text, from, at) + 1);
  };
  for (std::size_t i = bom_length(text); i < text.size(); ++i) {
    if (!forbidden_control(text, i)) continue;
    const auto [line, column] = position(i);
    throw InputError(file, line, key_at(text, file, i, line, column),
                     "control character " + hex_code(static_cast<unsigned char>(text[i])) + " in column " +
                         std::to_string(column) +
                         " (TOML allows only tab, and CR directly before LF; write others as \\u escapes in a "
                         "quoted string)");
  }
  const Problem problem = Scan(text).first_problem();
  if (problem.kind == Hazard::none) return;
  if (problem.kind == Hazard::header) {
    // A document with an earlier error is reported there, as toml++ would
    // (the header's line is at the top level, so the text before it is whole).
    (void)toml::parse(text.substr(0, problem.at), std::string_view(file));
    const auto end = text.find('\n', problem.at);
    const std::string_view header =
        text.substr(problem.at, end == std::string_view::npos ? std::string_view::npos : end - problem.at);
    throw InputError(file, position(problem.at).first, "",
                     "table header '" + excerpt(header) +
                         "' must start with a key: a bare key (letters, digits, '_', '-') or a quoted one");
  }
  const auto [line, column] = position(problem.at);
  const long cp = code_point_at(text, problem.at);
  if (cp < 0) throw InputError(file, line, "", "the text is not valid UTF-8 (column " + std::to_string(column) + ")");
  char code[24];
  std::snprintf(code, sizeof code, "U+%04lX", static_cast<unsigned long>(cp));
  std::string character(text.substr(problem.at, 1));
  for (std::size_t k = problem.at + 1; k < text.size() && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80; ++k) {
    character += text[k];
  }
  const std::string what = "'" + character + "' (" + code + ") in column " + std::to_string(column);
  const std::string key = key_at(text, file, problem.at, line, column);
  if (problem.kind == Hazard::outside_ascii) {
    throw InputError(file, line, key,
                     "character " + what + " outside a quoted string or a comment (a key with characters other "
                     "than ASCII letters, digits, '_' and '-' must be quoted)");
  }
  throw InputError(file, line, key,
                   "character " + what + " after a backslash in a multi-line string, which toml++ 3.3 cannot read "
                   "safely there; write it as a \\u escape");
}

toml::table parse_toml_text(std::string_view text, const std::string& file) {
  check_toml_text(text, file);
  return toml::parse(text, std::string_view(file));
}

toml::table parse_toml_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "", "cannot open the file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path.string(), 0, "", "cannot read the file");
  return parse_toml_text(text, path.string());
}

std::string write_toml(const toml::table& table) {
  Writer w;
  w.table_body(table, "");
  return w.out;
}

std::string toml_string(std::string_view text) {
  require_utf8(text);
  const bool literal = std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\'' || (u < 0x20 && c != '\t') || u == 0x7F;
  });
  return literal ? "'" + std::string(text) + "'" : basic_string(text);
}

std::string toml_key(std::string_view key) {
  require_utf8(key);
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), bare_key_char);
  return bare ? std::string(key) : basic_string(key);
}

std::string toml_float(double value) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, end);
  // "3" would read back as an integer; "1e+20" and "0.5" are floats already.
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

}  // namespace careabm::scenario
