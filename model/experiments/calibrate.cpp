#include "experiments/calibrate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/errors.h"
#include "core/version.h"
#include "stats/nelder_mead.h"
#include "experiments/output.h"
#include "experiments/replications.h"
#include "stats/statistics.h"
#include "scenario/document.h"
#include "scenario/input_files.h"
#include "scenario/load.h"
#include "scenario/toml_text.h"

namespace careabm::experiments {

namespace fs = std::filesystem;

std::vector<Target> load_targets(const fs::path& path, const Params& p) {
  scenario::require_input_file(path, path.string(), 0, "--targets");
  toml::table root;
  try {
    root = scenario::parse_toml_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(path.string(), static_cast<int>(e.source().begin.line), "",
                     "malformed TOML: " + std::string(e.description()));
  }
  for (const auto& [key, value] : root) {
    if (key.str() != "target") scenario::fail(value, key.str(), "unknown key (a targets file holds [[target]] tables)");
  }
  const auto* list = root["target"].as_array();
  if (!list || list->empty()) throw InputError(path.string(), 0, "target", "no [[target]] tables");
  std::vector<Target> targets;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto* table = list->get(i)->as_table();
    const std::string prefix = "target[" + std::to_string(i + 1) + "]";
    if (!table) scenario::fail(*list->get(i), prefix, "expected a table");
    Target t;
    t.selection = parse_selection(*table, prefix, {"name", "value", "weight"});
    validate(t.selection, p);
    const auto* name = (*table)["name"].as_string();
    t.name = name ? name->get() : t.selection.variable + " " + std::to_string(t.selection.year);
    const auto* value = (*table)["value"].node();
    if (!value || !(value->is_number())) scenario::fail(*table, prefix + ".value", "a number is required");
    t.value = value->value<double>().value();
    if (const auto* weight = (*table)["weight"].node()) {
      if (!weight->is_number() || weight->value<double>().value() < 0) {
        scenario::fail(*weight, prefix + ".weight", "expected a number >= 0");
      }
      t.weight = weight->value<double>().value();
    }
    targets.push_back(std::move(t));
  }
  return targets;
}

namespace {

std::string format_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The scenario with the free parameters set to x (actual values, not normalised).
Params with_values(const CalibrationSettings& s, const std::vector<FreeParameter>& free,
                   const Eigen::VectorXd& x) {
  std::vector<std::string> sets = s.overrides;
  for (std::size_t i = 0; i < free.size(); ++i) sets.push_back(free[i].key + "=" + format_value(x[long(i)]));
  if (s.replications > 0) sets.push_back("run.replications=" + std::to_string(s.replications));
  return scenario::load_params(scenario::Document::load(s.scenario, sets));
}

double objective(const std::vector<Target>& targets, const Params& p, const std::vector<RunResult>& results) {
  double sum = 0;
  for (const auto& t : targets) {
    const double scale = t.value != 0 ? std::abs(t.value) : 1.0;
    const double err = (mean_over(t.selection, p, results) - t.value) / scale;
    sum += t.weight * err * err;
  }
  return sum;
}

}  // namespace

std::vector<FreeParameter> selected_free(const CalibrationSettings& settings, const Params& p) {
  if (settings.only.empty()) return p.calibration.free;
  std::vector<FreeParameter> out;
  for (const auto& key : settings.only) {
    const auto it = std::find_if(p.calibration.free.begin(), p.calibration.free.end(),
                                 [&](const FreeParameter& f) { return f.key == key; });
    if (it == p.calibration.free.end()) {
      throw InputError("", 0, "--parameters", "'" + key + "' is not a free parameter of " + settings.scenario.string());
    }
    out.push_back(*it);
  }
  return out;
}

CalibrationResult calibrate(const CalibrationSettings& settings, const std::vector<Target>& targets,
                            const CalibrationProgress& progress) {
  const auto doc = scenario::Document::load(settings.scenario, settings.overrides);
  const Params original = scenario::load_params(doc);
  const auto free = selected_free(settings, original);
  if (free.empty()) {
    throw InputError(settings.scenario.string(), 0, "calibration.free",
                     "the scenario declares no free parameters to fit");
  }
  const long n = static_cast<long>(free.size());
  Eigen::VectorXd lower(n), upper(n), start(n);
  for (long i = 0; i < n; ++i) {
    lower[i] = free[i].lower;
    upper[i] = free[i].upper;
    start[i] = std::clamp(free[i].start, free[i].lower, free[i].upper);
  }
  // Optimise on the unit box so that one tolerance fits parameters of any scale.
  auto to_actual = [&](const Eigen::VectorXd& u) { return Eigen::VectorXd(lower + u.cwiseProduct(upper - lower)); };
  auto evaluate_at = [&](const Eigen::VectorXd& actual) {
    const Params p = with_values(settings, free, actual);
    return std::make_pair(p, run_replications(p, settings.threads));
  };
  auto f = [&](const Eigen::VectorXd& u) {
    const auto [p, results] = evaluate_at(to_actual(u));
    return objective(targets, p, results);
  };
  stats::NelderMeadOptions options;
  options.max_evaluations = settings.max_evaluations;
  options.x_tolerance = 1e-4;
  options.f_tolerance = 1e-10;
  const Eigen::VectorXd start_unit = (start - lower).cwiseQuotient(upper - lower);
  const auto best = stats::nelder_mead(f, start_unit, Eigen::VectorXd::Zero(n), Eigen::VectorXd::Ones(n), options,
                                [&](int evals, double value) {
                                  if (progress) progress(evals, settings.max_evaluations, value);
                                });

  CalibrationResult out;
  const Eigen::VectorXd fitted = to_actual(best.x);
  for (long i = 0; i < n; ++i) {
    out.start.push_back(start[i]);
    out.fitted.push_back(std::stod(format_value(fitted[i])));  // the value the fitted file will hold
  }
  const auto [p, results] = evaluate_at(Eigen::Map<const Eigen::VectorXd>(out.fitted.data(), n));
  for (const auto& t : targets) {
    std::vector<double> values;
    for (const auto& r : results) values.push_back(evaluate(t.selection, p, r));
    const auto i = stats::interval(values, 0.95);
    out.fits.push_back({i.mean, i.lo, i.hi});
  }
  out.objective = objective(targets, p, results);
  out.evaluations = best.evaluations + 1;
  out.converged = best.converged;
  return out;
}

namespace {

// Inserts value at a dotted key path into a TOML table, creating tables on the way.
void insert_path(toml::table& root, const std::string& key, double value) {
  toml::table* table = &root;
  std::string_view rest = key;
  for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    const std::string part(rest.substr(0, dot));
    rest.remove_prefix(dot + 1);
    if (!(*table)[part].as_table()) table->insert_or_assign(part, toml::table{});
    table = (*table)[part].as_table();
  }
  table->insert_or_assign(std::string(rest), value);
}

// Text for a comment line of the fitted file: one line of valid UTF-8 (a
// target's name or a path could hold a newline, which would end the comment).
std::string one_line(std::string text) {
  const bool utf8 = scenario::valid_utf8(text);
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || (!utf8 && u >= 0x80)) c = u >= 0x80 ? '?' : ' ';
  }
  return text;
}

std::string describe(const Selection& s) {
  std::string out = s.variable + " in " + std::to_string(s.year);
  for (const auto& [dim, labels] : s.filters) {
    out += ", " + dim + " ";
    for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? "+" : "") + labels[i];
  }
  return out;
}

}  // namespace

std::string fitted_scenario_text(const CalibrationSettings& settings, const Params& original,
                                 const std::vector<Target>& targets, const fs::path& targets_path,
                                 const CalibrationResult& result, const fs::path& fitted_path) {
  const auto free = selected_free(settings, original);
  const std::string date = utc_now().substr(0, 10);
  const fs::path base = fs::absolute(fitted_path).parent_path();
  std::ostringstream out;
  out << "# Fitted by `careabm calibrate` on " << date << " (careabm " << careabm::version() << ").\n"
      << "# Scenario: " << one_line(fs::relative(fs::absolute(settings.scenario), base).string())
      << "; targets: " << one_line(fs::relative(fs::absolute(targets_path), base).string()) << ".\n"
      << "# Objective: weighted squared relative error of the mean over "
      << (settings.replications > 0 ? settings.replications : original.replications) << " replications (seed "
      << original.seed << ", common random numbers): " << format_value(result.objective) << " after "
      << result.evaluations << " evaluations (Nelder-Mead" << (result.converged ? ", converged" : ", evaluation limit")
      << ").\n#\n# target | value | achieved mean [95% interval over replications]\n";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    out << "#   " << one_line(targets[i].name) << " (" << one_line(describe(targets[i].selection)) << ", weight "
        << format_value(targets[i].weight) << ") | " << format_value(targets[i].value) << " | "
        << format_value(result.fits[i].achieved_mean) << " [" << format_value(result.fits[i].lo95) << ", "
        << format_value(result.fits[i].hi95) << "]\n";
  }
  out << "#\n# parameter | start | fitted (bounds)\n";
  for (std::size_t i = 0; i < free.size(); ++i) {
    out << "#   " << one_line(free[i].key) << " | " << format_value(result.start[i]) << " | " << format_value(result.fitted[i])
        << " (" << format_value(free[i].lower) << " .. " << format_value(free[i].upper) << ")\n";
  }
  out << "\nextends = " << scenario::toml_string(fs::relative(fs::absolute(settings.scenario), base).generic_string())
      << "\n\n";

  toml::table values;
  toml::array fitted_keys;
  for (std::size_t i = 0; i < free.size(); ++i) {
    insert_path(values, free[i].key, result.fitted[i]);
    fitted_keys.push_back(free[i].key);
  }
  toml::table calibration;
  calibration.insert("fitted_on", date);
  calibration.insert("fitted_to", fs::relative(fs::absolute(targets_path), base).generic_string());
  calibration.insert("fitted_parameters", fitted_keys);
  calibration.insert("fit_objective", result.objective);
  values.insert("calibration", calibration);
  out << scenario::write_toml(values);
  return out.str();
}

}  // namespace careabm::experiments
