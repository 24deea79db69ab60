// Command-line parsing for the careabm program: positional arguments and
// options, with errors as InputError (exit status 2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace careabm::cli {

struct Options {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;   // --name value (last wins)
  std::vector<std::string> sets;               // --set key=value, in order
  std::vector<std::string> flags;              // --force, --quiet, ...

  bool flag(const std::string& name) const;
  std::optional<std::string> value(const std::string& name) const;
  long long integer(const std::string& name, long long fallback, long long lo, long long hi) const;
};

// --max-memory SIZE in bytes, 0 when not given. SIZE is a number with an optional
// unit: K, M, G, T (powers of 1024; "KiB", "KB", "k" read the same) or B.
std::uint64_t max_memory_option(const Options& o);

// --threads T, else `fallback`, else (fallback 0) experiments::default_threads(). The
// environment is read only without --threads, so an explicit count overrides it.
int threads_option(const Options& o, int fallback = 0);

// The one positional argument of a command (InputError otherwise); `what` names it.
std::string one_positional(const Options& o, const char* what);

// The key an output error names: "-o" when -o or --output was given, else
// "-o (default: PATTERN)", so a user who never gave -o learns where the path came from.
std::string output_key(const Options& o, const std::string& pattern);

// The command line as typed, for provenance in output files.
std::string command_line(int argc, char** argv);

// `with_value`: options that take a value (long names, e.g. "--seed"; "-o" and "-r" too);
// `switches`: options without a value. Anything else starting with '-' is an error.
Options parse(int argc, char** argv, int first, const std::vector<std::string>& with_value,
              const std::vector<std::string>& switches);

// The options of `command` as its help lists them (cli/help.h), from argv[2] on.
Options parse_command(int argc, char** argv, const std::string& command);

}  // namespace careabm::cli
