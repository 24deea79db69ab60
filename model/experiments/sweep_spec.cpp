#include "experiments/sweep_spec.h"

#include "stats/distribution.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>


#include "core/errors.h"
#include "simulation/simulate.h"
#include "stats/design.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace careabm::sweep {

namespace fs = std::filesystem;
using scenario::fail;

namespace {

constexpr long kMaxPoints = 100'000'000;

std::string list_text(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Every key of `table` must be one of `allowed`.
void check_keys(const toml::table& table, const std::string& prefix,
                const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      fail(value, prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str()),
           "unknown key (expected one of: " + list_text(allowed) + ")");
    }
  }
}

// Typed access to one element of an array of tables ([[parameters]], [[outputs]]).
struct Entry {
  const toml::table& table;
  std::string prefix;  // "parameters[2]"

  std::string path(std::string_view key) const { return prefix + "." + std::string(key); }
  const toml::node* find(std::string_view key) const { return table.get(key); }
  const toml::node& need(std::string_view key) const {
    const auto* n = find(key);
    if (!n) fail(table, path(key), "required key is missing");
    return *n;
  }
  std::string string(std::string_view key) const {
    const auto& n = need(key);
    if (!n.is_string()) fail(n, path(key), "expected a string");
    return n.as_string()->get();
  }
  double number(std::string_view key) const {
    const auto& n = need(key);
    double v = 0;
    if (const auto* i = n.as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* f = n.as_floating_point()) {
      v = f->get();
    } else {
      fail(n, path(key), "expected a number");
    }
    if (!std::isfinite(v)) fail(n, path(key), "expected a finite number");
    return v;
  }
};

std::vector<const toml::table*> table_array(const scenario::Reader& in, std::string_view key) {
  const auto& n = in.node(key);
  const auto* arr = n.as_array();
  if (!arr || arr->empty()) {
    fail(n, key, "expected one or more [[" + std::string(key) + "]] tables");
  }
  std::vector<const toml::table*> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* t = arr->get(i)->as_table();
    if (!t) fail(*arr->get(i), std::string(key) + "[" + std::to_string(i + 1) + "]", "expected a table");
    out.push_back(t);
  }
  return out;
}

SweepParameter read_parameter(const Entry& e) {
  check_keys(e.table, e.prefix, {"key", "lower", "upper", "distribution", "mean", "sd"});
  SweepParameter p;
  p.key = e.string("key");
  p.file = scenario::source_file(e.need("key"));
  p.line = scenario::source_line(e.need("key"));
  if (p.key.empty() || p.key.find_first_of("= \t") != std::string::npos || p.key.front() == '.' ||
      p.key.back() == '.') {
    fail(e.need("key"), e.path("key"), "expected a scenario key path such as \"outflow.rate.vig\"");
  }
  p.lower = e.number("lower");
  p.upper = e.number("upper");
  if (!(p.lower < p.upper)) {
    fail(e.need("upper"), e.path("upper"), "upper must be greater than lower");
  }
  const std::string dist = e.find("distribution") ? e.string("distribution") : "uniform";
  if (dist == "uniform") {
    p.distribution = Distribution::uniform;
  } else if (dist == "log_uniform") {
    p.distribution = Distribution::log_uniform;
    if (p.lower <= 0) fail(e.need("lower"), e.path("lower"), "log_uniform needs lower > 0");
  } else if (dist == "normal") {
    p.distribution = Distribution::normal;
    p.mean = e.number("mean");
    p.sd = e.number("sd");
    if (p.sd <= 0) fail(e.need("sd"), e.path("sd"), "sd must be > 0");
  } else {
    fail(e.need("distribution"), e.path("distribution"),
         "unknown distribution '" + dist + "' (expected uniform, log_uniform or normal)");
  }
  if (p.distribution != Distribution::normal) {
    for (const char* key : {"mean", "sd"}) {
      if (e.find(key)) fail(*e.find(key), e.path(key), "only a normal distribution takes mean and sd");
    }
  }
  return p;
}

void read_design(const scenario::Reader& in, SweepSpec& s) {
  const auto& node = in.node("design");
  const auto* table = node.as_table();
  if (!table) fail(node, "design", "expected a table [design] with kind = \"grid\", \"lhs\", \"saltelli\" or \"morris\"");
  const std::string kind = in.string("design.kind");
  std::vector<std::string> allowed = {"kind"};
  if (kind == "grid") {
    s.design = DesignKind::grid;
    allowed.push_back("levels");
    const auto& levels = in.node("design.levels");
    if (levels.is_array()) {
      for (const double v : in.number_list("design.levels", 2, 1000)) {
        if (v != std::floor(v)) fail(levels, "design.levels", "levels must be integers");
        s.grid_levels.push_back(static_cast<int>(v));
      }
      if (static_cast<int>(s.grid_levels.size()) != s.k()) {
        fail(levels, "design.levels", "expected one level count per parameter (" + std::to_string(s.k()) +
                                          "), got " + std::to_string(s.grid_levels.size()));
      }
    } else {
      s.grid_levels.assign(s.parameters.size(), static_cast<int>(in.integer("design.levels", 2, 1000)));
    }
    double total = 1;
    for (int l : s.grid_levels) total *= l;
    if (total > kMaxPoints) fail(levels, "design.levels", "the grid has more than 10^8 points");
  } else if (kind == "lhs") {
    s.design = DesignKind::lhs;
    allowed.push_back("points");
    s.lhs_points = static_cast<int>(in.integer("design.points", 2, kMaxPoints));
  } else if (kind == "saltelli") {
    s.design = DesignKind::saltelli;
    allowed.push_back("base_samples");
    s.base_samples = static_cast<int>(in.integer("design.base_samples", 2, kMaxPoints / (s.k() + 2)));
  } else if (kind == "morris") {
    s.design = DesignKind::morris;
    allowed.insert(allowed.end(), {"trajectories", "levels", "candidates"});
    s.trajectories = static_cast<int>(in.integer("design.trajectories", 2, kMaxPoints / (s.k() + 1)));
    s.morris_levels = static_cast<int>(in.integer("design.levels", 2, 1000, 4));
    if (s.morris_levels % 2 != 0) {
      fail(in.node("design.levels"), "design.levels", "Morris levels must be even (4 is usual)");
    }
    s.morris_candidates = static_cast<int>(in.integer("design.candidates", 0, 100000, 0));
    if (s.morris_candidates != 0 && s.morris_candidates < s.trajectories) {
      fail(in.node("design.candidates"), "design.candidates",
           "candidates must be 0 (no selection) or at least the number of trajectories");
    }
  } else {
    fail(in.node("design.kind"), "design.kind",
         "unknown design '" + kind + "' (expected grid, lhs, saltelli or morris)");
  }
  check_keys(*table, "design", allowed);
}

// Loads the base scenario with every parameter at the unit-design value u (0, 0.5 or 1),
// so that the scenario loader checks each key and the range's ends and middle. A
// complaint about one of the parameters is reported at that parameter in the sweep file.
void check_parameters_at(const SweepSpec& s, double u, const char* where) {
  const Eigen::MatrixXd unit = Eigen::MatrixXd::Constant(1, s.k(), u);
  const Eigen::MatrixXd values = parameter_values(s, unit);
  const std::vector<double> row(values.data(), values.data() + s.k());
  try {
    const auto doc = scenario::Document::load(s.scenario, point_overrides(s, row));
    scenario::load_params(doc);
  } catch (const InputError& e) {
    for (std::size_t j = 0; j < s.parameters.size(); ++j) {
      const auto& p = s.parameters[j];
      const bool same = e.key() == p.key || e.key().rfind(p.key + ".", 0) == 0 ||
                        p.key.rfind(e.key() + ".", 0) == 0;
      if (same) {
        throw InputError(p.file, p.line, "parameters[" + std::to_string(j + 1) + "].key",
                         std::string("the base scenario rejects ") + p.key + " = " +
                             exact_float_text(row[j]) + " (the range's " + where + "): " + e.what());
      }
    }
    throw InputError(s.path.string(), 0, "parameters",
                     std::string("the base scenario rejects the parameters at their ranges' ") + where + "s: " +
                         e.what());
  }
}

}  // namespace

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::lhs: return "lhs";
    case DesignKind::saltelli: return "saltelli";
    case DesignKind::morris: return "morris";
  }
  return "?";
}

long SweepSpec::points() const {
  switch (design) {
    case DesignKind::grid: {
      long n = 1;
      for (int l : grid_levels) n *= l;
      return n;
    }
    case DesignKind::lhs: return lhs_points;
    case DesignKind::saltelli: return stats::saltelli_rows(base_samples, k());
    case DesignKind::morris: return stats::morris_rows(trajectories, k());
  }
  return 0;
}

std::string exact_float_text(double v) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, end);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // "3" -> "3.0"; inf/nan kept
  return text;
}

SweepSpec load_sweep(const fs::path& path) {
  const auto doc = scenario::Document::load(path);
  const scenario::Reader in(doc);
  check_keys(doc.root(), "",
             {"description", "scenario", "seed", "replications", "threads", "design", "parameters", "outputs"});
  SweepSpec s;
  s.path = path;
  {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    s.text = text.str();
  }
  in.string("description", "");
  s.scenario = in.file("scenario");
  s.seed = static_cast<std::uint64_t>(in.integer("seed", 0, INT64_MAX));

  // The base scenario as it is: its errors are its own file's.
  const auto base_doc = scenario::Document::load(s.scenario);
  const Params base = scenario::load_params(base_doc);
  s.scenario_text = base_doc.resolved_text();
  s.scenario_name = base.name;
  s.scenario_seed = base.seed;
  s.replications = static_cast<int>(in.integer("replications", 1, 1000000, base.replications));
  s.threads = static_cast<int>(in.integer("threads", 1, 4096, 0));

  const auto parameter_tables = table_array(in, "parameters");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < parameter_tables.size(); ++i) {
    const Entry e{*parameter_tables[i], "parameters[" + std::to_string(i + 1) + "]"};
    SweepParameter p = read_parameter(e);
    if (!keys.insert(p.key).second) fail(e.need("key"), e.path("key"), "parameter '" + p.key + "' is listed twice");
    const auto* base_value = toml::at_path(base_doc.root(), p.key).node();
    p.integer = base_value && base_value->is_integer();
    s.parameters.push_back(std::move(p));
  }
  read_design(in, s);

  const auto output_tables = table_array(in, "outputs");
  std::set<std::string> names;
  for (std::size_t i = 0; i < output_tables.size(); ++i) {
    const Entry e{*output_tables[i], "outputs[" + std::to_string(i + 1) + "]"};
    SweepOutput o;
    o.name = e.string("name");
    if (o.name.empty()) fail(e.need("name"), e.path("name"), "an output needs a non-empty name");
    if (!names.insert(o.name).second) fail(e.need("name"), e.path("name"), "output '" + o.name + "' is listed twice");
    o.selection = experiments::parse_selection(e.table, e.prefix, {"name", "units"});
    experiments::validate(o.selection, base);
    // UDUNITS-2, as every variable's units (analysis/README.md, "Units and CF attributes"): the outputs
    // are sums of persons or FTE, which are "1".
    o.units = e.find("units") ? e.string("units") : "1";
    s.outputs.push_back(std::move(o));
  }

  check_parameters_at(s, 0.5, "midpoint");
  check_parameters_at(s, 0.0, "lower bound");
  check_parameters_at(s, 1.0, "upper bound");
  return s;
}

Eigen::MatrixXd unit_design(const SweepSpec& s) {
  switch (s.design) {
    case DesignKind::grid: return stats::full_grid(s.grid_levels);
    case DesignKind::lhs: return stats::latin_hypercube(s.lhs_points, s.k(), s.seed);
    case DesignKind::saltelli: return stats::saltelli(s.base_samples, s.k(), s.seed);
    case DesignKind::morris: return stats::morris(s.trajectories, s.k(), s.morris_levels, s.seed, s.morris_candidates);
  }
  return {};
}

Eigen::MatrixXd parameter_values(const SweepSpec& s, const Eigen::MatrixXd& unit) {
  Eigen::MatrixXd values(unit.rows(), unit.cols());
  for (int j = 0; j < s.k(); ++j) {
    const auto& p = s.parameters[j];
    const Eigen::VectorXd lower = Eigen::VectorXd::Constant(1, p.lower);
    const Eigen::VectorXd upper = Eigen::VectorXd::Constant(1, p.upper);
    switch (p.distribution) {
      case Distribution::uniform: values.col(j) = stats::scale(unit.col(j), lower, upper); break;
      case Distribution::log_uniform: values.col(j) = stats::scale_log_uniform(unit.col(j), lower, upper); break;
      case Distribution::normal: {
        stats::Band band{stats::Distribution::normal, p.lower, p.upper, 0, p.mean, p.sd};
        for (Eigen::Index i = 0; i < unit.rows(); ++i) values(i, j) = stats::band_quantile(band, unit(i, j));
        break;
      }
    }
    if (p.integer) values.col(j) = values.col(j).array().round();
  }
  return values;
}

std::vector<std::string> point_overrides(const SweepSpec& s, const std::vector<double>& values) {
  std::vector<std::string> out;
  for (int j = 0; j < s.k(); ++j) {
    const auto& p = s.parameters[j];
    out.push_back(p.key + "=" +
                  (p.integer ? std::to_string(static_cast<long long>(values[j])) : exact_float_text(values[j])));
  }
  return out;
}

std::vector<double> run_point(const SweepSpec& s, const std::vector<double>& values) {
  const auto doc = scenario::Document::load(s.scenario, point_overrides(s, values));
  const Params p = scenario::load_params(doc);
  const std::size_t O = s.outputs.size();
  std::vector<double> out(static_cast<std::size_t>(s.replications) * O);
  for (int rep = 0; rep < s.replications; ++rep) {
    const RunResult r = simulate(p, rep);
    for (std::size_t o = 0; o < O; ++o) out[rep * O + o] = experiments::evaluate(s.outputs[o].selection, p, r);
  }
  return out;
}

}  // namespace careabm::sweep
