// Every command's options, in one table: the parser accepts exactly the options
// listed here (cli/options.h), and `careabm COMMAND --help` prints them, each with
// a one-line description and its default, so the two cannot drift apart.
#pragma once

#include <string>
#include <vector>

namespace careabm::cli {

struct OptionHelp {
  std::vector<std::string> spellings;  // e.g. {"-o", "--output"}
  std::string value;                   // what follows it, e.g. "OUT.h5"; empty for a switch
  std::string description;             // one line
  std::string default_value;           // what applies without the option
};

struct CommandHelp {
  std::string name;      // e.g. "run"
  std::string synopsis;  // the usage line(s), as in `careabm --help`
  std::string summary;   // what the command does, one line
  std::vector<OptionHelp> options;
};

// Every command, in the order of `careabm --help`.
const std::vector<CommandHelp>& commands();

// The command of that name, or nullptr.
const CommandHelp* find_command(const std::string& name);

// `careabm COMMAND --help`: the usage, the summary, and every option with its default.
std::string help_text(const CommandHelp& command);

}  // namespace careabm::cli
