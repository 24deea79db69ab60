// The output variables of one replication: where each lives in the HDF5
// layout, its axes (without the replication axis), its units and meaning.
// One table serves the output writer and selections (calibration targets,
// sweep outputs, cohort sizing), so both name variables the same way.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/run_result.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct VariableSpec {
  std::string group, name;
  std::vector<std::string> dims;
  std::variant<std::vector<std::int64_t> RunResult::*, std::vector<double> RunResult::*> member;
  // units: UDUNITS-2 ("1" for counts and FTE, whose thing counted long_name names);
  // long_name: the short label that CF readers put on axes.
  std::string units, description, long_name;

  std::string path() const { return group + "/" + name; }
  double value(const RunResult& r, std::size_t index) const {
    return std::visit([&](auto m) { return static_cast<double>((r.*m)[index]); }, member);
  }
};

// The variables this scenario produces (training and clients only when it has them).
std::vector<VariableSpec> output_variables(const Params& p);

// The labels along a dimension ("year" gives the years as text).
std::vector<std::string> dimension_labels(const Params& p, const std::string& dim);

}  // namespace careabm::experiments
