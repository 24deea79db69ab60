#include "experiments/selection.h"

#include <algorithm>

#include "core/errors.h"
#include "experiments/variables.h"
#include "scenario/document.h"

namespace careabm::experiments {

namespace {

[[noreturn]] void fail_at(const Selection& s, const std::string& key, const std::string& message) {
  throw InputError(s.file, s.line, key, message);
}

const VariableSpec* find_variable(const std::vector<VariableSpec>& specs, const std::string& path) {
  for (const auto& v : specs)
    if (v.path() == path) return &v;
  return nullptr;
}

// Index lists per dimension of the variable: the selected year, the filtered
// labels, or every index.
std::vector<std::vector<std::size_t>> selected_indices(const Selection& s, const Params& p, const VariableSpec& v) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& dim : v.dims) {
    const auto labels = dimension_labels(p, dim);
    std::vector<std::size_t> keep;
    if (dim == "year") {
      keep.push_back(static_cast<std::size_t>(s.year - p.start_year));
    } else if (const auto f = s.filters.find(dim); f != s.filters.end()) {
      for (const auto& label : f->second) {
        const auto at = std::find(labels.begin(), labels.end(), label);
        if (at == labels.end()) fail_at(s, dim, "unknown " + dim + " '" + label + "'");
        keep.push_back(static_cast<std::size_t>(at - labels.begin()));
      }
    } else {
      for (std::size_t i = 0; i < labels.size(); ++i) keep.push_back(i);
    }
    out.push_back(std::move(keep));
  }
  return out;
}

}  // namespace

Selection parse_selection(const toml::table& table, const std::string& key_prefix,
                          const std::vector<std::string>& extra_keys) {
  Selection s;
  s.file = scenario::source_file(table);
  s.line = scenario::source_line(table);
  for (const auto& [k, node] : table) {
    const std::string key(k.str()), path = key_prefix + "." + key;
    if (std::find(extra_keys.begin(), extra_keys.end(), key) != extra_keys.end()) continue;
    if (key == "variable") {
      const auto* v = node.as_string();
      if (!v) scenario::fail(node, path, "expected a variable name such as \"shortage/persons\"");
      s.variable = v->get();
    } else if (key == "year") {
      const auto* y = node.as_integer();
      if (!y) scenario::fail(node, path, "expected a year (integer)");
      // Checked as written, before it is narrowed (a year past 2^32 would wrap to a plausible one).
      if (y->get() < 1 || y->get() > 9999) scenario::fail(node, path, "year " + std::to_string(y->get()) + " is not a year");
      s.year = static_cast<int>(y->get());
    } else if (const auto* one = node.as_string()) {
      s.filters[key] = {one->get()};
    } else if (const auto* many = node.as_array()) {
      auto& labels = s.filters[key];
      for (const auto& item : *many) {
        const auto* label = item.as_string();
        if (!label) scenario::fail(item, path, "expected labels (strings)");
        labels.push_back(label->get());
      }
      if (labels.empty()) scenario::fail(node, path, "an empty filter selects nothing");
    } else {
      scenario::fail(node, path, "expected a label or a list of labels of dimension '" + key + "'");
    }
  }
  if (s.variable.empty()) fail_at(s, key_prefix + ".variable", "required key is missing");
  if (s.year == 0) fail_at(s, key_prefix + ".year", "required key is missing");
  return s;
}

void validate(const Selection& s, const Params& p) {
  const auto specs = output_variables(p);
  const VariableSpec* v = find_variable(specs, s.variable);
  if (!v) {
    std::string known;
    for (const auto& spec : specs) known += (known.empty() ? "" : ", ") + spec.path();
    fail_at(s, "variable", "unknown variable '" + s.variable + "' (this scenario has: " + known + ")");
  }
  if (s.year < p.start_year || s.year > p.end_year) {
    fail_at(s, "year", "year " + std::to_string(s.year) + " is outside the simulated years " +
                           std::to_string(p.start_year) + "-" + std::to_string(p.end_year));
  }
  for (const auto& [dim, labels] : s.filters) {
    if (std::find(v->dims.begin(), v->dims.end(), dim) == v->dims.end() || dim == "year") {
      fail_at(s, dim, "'" + s.variable + "' has no dimension '" + dim + "'");
    }
  }
  selected_indices(s, p, *v);  // checks the labels
}

double evaluate(const Selection& s, const Params& p, const RunResult& r) {
  const auto specs = output_variables(p);
  const VariableSpec* v = find_variable(specs, s.variable);
  if (!v) fail_at(s, "variable", "unknown variable '" + s.variable + "'");
  const auto keep = selected_indices(s, p, *v);
  std::vector<std::size_t> extent;
  for (const auto& dim : v->dims) extent.push_back(dimension_labels(p, dim).size());
  // Odometer over the selected index lists; row-major offset into the variable.
  std::vector<std::size_t> pos(keep.size(), 0);
  double sum = 0;
  while (true) {
    std::size_t offset = 0;
    for (std::size_t d = 0; d < keep.size(); ++d) offset = offset * extent[d] + keep[d][pos[d]];
    sum += v->value(r, offset);
    std::size_t d = keep.size();
    while (d > 0 && ++pos[d - 1] == keep[d - 1].size()) pos[--d] = 0;
    if (d == 0) break;
  }
  return sum;
}

double mean_over(const Selection& s, const Params& p, const std::vector<RunResult>& results) {
  double sum = 0;
  for (const auto& r : results) sum += evaluate(s, p, r);
  return results.empty() ? 0.0 : sum / double(results.size());
}

std::vector<std::string> selectable_variables() {
  return {"workforce/headcount", "workforce/reserve", "workforce/self_employed", "workforce/flows",
          "workforce/fte", "workforce/trainee_fte", "demand/fte", "shortage/fte", "shortage/persons",
          "shortage/unfilled", "shortage/surplus",
          "training/enrolled", "training/graduates", "training/dropouts", "training/students",
          "training/supervision_ratio", "clients/count", "clients/waiting", "clients/capacity",
          "clients/new", "clients/deaths", "clients/informal_share", "interventions/units",
          "interventions/cost"};
}

}  // namespace careabm::experiments
