#include "cli/options.h"

#include <algorithm>
#include <charconv>

#include "core/errors.h"

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

std::string one_positional(const Options& o, const char* what) {
  if (o.positional.size() != 1) {
    throw InputError("", 0, "", std::string("expected exactly one ") + what + " (see careabm --help)");
  }
  return o.positional.front();
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

}  // namespace careabm::cli
