#include "cli/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "cli/help.h"
#include "core/errors.h"
#include "experiments/replications.h"

namespace careabm::cli {

bool Options::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::optional<std::string> Options::value(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

long long Options::integer(const std::string& name, long long fallback, long long lo, long long hi) const {
  const auto text = value(name);
  if (!text) return fallback;
  long long v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < lo || v > hi) {
    throw InputError("", 0, name,
                     "expected a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "], got '" + *text + "'");
  }
  return v;
}

std::uint64_t max_memory_option(const Options& o) {
  const auto text = o.value("--max-memory");
  if (!text) return 0;
  const auto bad = [&] {
    return InputError("", 0, "--max-memory",
                      "expected a size such as 8G, 512M or 2000000000 (bytes), got '" + *text + "'");
  };
  double number = 0;
  const char* first = text->data();
  const char* last = first + text->size();
  const auto [end, ec] = std::from_chars(first, last, number, std::chars_format::fixed);
  if (ec != std::errc() || !(number > 0)) throw bad();
  std::string unit(end, last);
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() == 3 && unit.substr(1) == "IB") unit.pop_back(), unit.pop_back();  // KiB -> K
  if (unit.size() == 2 && unit[1] == 'B') unit.pop_back();                          // KB -> K
  int power = 0;
  if (unit == "K") power = 1;
  else if (unit == "M") power = 2;
  else if (unit == "G") power = 3;
  else if (unit == "T") power = 4;
  else if (!unit.empty() && unit != "B") throw bad();
  const double bytes = std::ldexp(number, 10 * power);
  if (bytes < 1 || bytes > 1.8e19) throw bad();
  return static_cast<std::uint64_t>(bytes);
}

int threads_option(const Options& o, int fallback) {
  if (!o.value("--threads")) return fallback > 0 ? fallback : experiments::default_threads();
  return static_cast<int>(o.integer("--threads", 0, 1, 4096));
}

std::string one_positional(const Options& o, const char* what) {
  if (o.positional.size() != 1) {
    throw InputError("", 0, "", std::string("expected exactly one ") + what + " (see careabm --help)");
  }
  return o.positional.front();
}

std::string output_key(const Options& o, const std::string& pattern) {
  if (o.value("-o") || o.value("--output")) return "-o";
  return "-o (default: " + pattern + ")";
}

std::string command_line(int argc, char** argv) {
  std::string s = "careabm";
  for (int i = 1; i < argc; ++i) s += std::string(" ") + argv[i];
  return s;
}

Options parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
              const std::vector<std::string>& switches) {
  Options o;
  auto known = [](const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    std::string attached;
    if (arg.rfind("--", 0) == 0) {
      if (const auto eq = arg.find('='); eq != std::string::npos) {  // --name=value
        attached = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }
    if (arg.size() > 1 && arg[0] == '-') {
      if (known(switches, arg)) {
        o.flags.push_back(arg);
        continue;
      }
      if (!known(with_value, arg)) throw InputError("", 0, arg, "unknown option (see --help)");
      std::string value = attached;
      if (value.empty()) {
        if (i + 1 >= argc) throw InputError("", 0, arg, "needs a value");
        value = argv[++i];
      }
      if (arg == "--set") {
        if (value.find('=') == std::string::npos) {  // e.g. "--set key 0.08": the value went astray
          const bool next = i + 1 < argc && argv[i + 1][0] != '-';
          throw InputError("", 0, arg,
                           "takes KEY=VALUE, got '" + value + "' (no '='); write --set " + value + "=" +
                               (next ? std::string(argv[i + 1]) : "VALUE") + ", without spaces");
        }
        o.sets.push_back(value);
      } else {
        o.values[arg] = value;
      }
      continue;
    }
    o.positional.push_back(arg);
  }
  return o;
}

Options parse_command(int argc, char** argv, const std::string& command) {
  const CommandHelp* help = find_command(command);
  if (!help) throw std::logic_error("parse_command: no help for command '" + command + "'");
  std::vector<std::string> with_value, switches;
  for (const auto& option : help->options) {
    auto& list = option.value.empty() ? switches : with_value;
    list.insert(list.end(), option.spellings.begin(), option.spellings.end());
  }
  return parse(argc, argv, 2, with_value, switches);
}

}  // namespace careabm::cli
