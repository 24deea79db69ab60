// A selection of one output variable: a year and, per dimension, the labels
// to include (all when not given), summed. "Total shortage in persons in 2031"
// is {variable "shortage/persons", year 2031}; "nursing-home places needed in
// Zuid-Holland Noord in 2025" adds a subregion filter. Used by calibration
// targets, sweep outputs and cohort sizing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct Selection {
  std::string variable;  // "<group>/<name>" as in the HDF5 layout, e.g. "shortage/persons"
  int year = 0;
  std::map<std::string, std::vector<std::string>> filters;  // dimension -> labels
  std::string file;  // where it was written, for messages
  int line = 0;
};

// Reads {variable = "...", year = Y, <dimension> = "label" or ["a", "b"], ...} from a
// TOML table (the keys listed in `extra_keys` are left for the caller); InputError with
// file, line and key on unknown keys or wrong types.
Selection parse_selection(const toml::table& table, const std::string& key_prefix,
                          const std::vector<std::string>& extra_keys);

// Checks that the variable exists, the year is simulated, and every filter names a
// dimension of the variable and labels of that dimension; InputError otherwise.
void validate(const Selection& s, const Params& p);

// The selected sum for one replication (validate first).
double evaluate(const Selection& s, const Params& p, const RunResult& r);

// Mean of evaluate() over replications.
double mean_over(const Selection& s, const Params& p, const std::vector<RunResult>& results);

// The variables a selection may name, "<group>/<name>".
std::vector<std::string> selectable_variables();

}  // namespace careabm::experiments
