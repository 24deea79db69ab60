// [calibration]: the parameters `careabm calibrate` may fit, with bounds, and
// (written by calibrate into a fitted scenario) what was fitted, to what, when.
//
//   [calibration]
//   free = [ { key = "demand.growth.nursing_home", lower = 0.0, upper = 0.08 } ]
//   fitted_on = "2026-11-22"                      # written by careabm calibrate
//   fitted_to = "targets/zwconnect-2022.toml"
//   fitted_parameters = ["demand.growth.nursing_home"]
//   fit_objective = 1.2e-05
#include "scenario/load_sections.h"

namespace careabm::scenario {

void load_calibration(const Reader& r, Params& p) {
  if (!r.has("calibration")) return;
  auto& c = p.calibration;
  if (r.has("calibration.free")) {
    const auto& node = r.node("calibration.free");
    const auto* list = node.as_array();
    if (!list) fail(node, "calibration.free", "expected an array of { key, lower, upper } tables");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& item = *list->get(i);
      const std::string where = "calibration.free[" + std::to_string(i + 1) + "]";
      const auto* t = item.as_table();
      if (!t) fail(item, where, "expected a table { key, lower, upper }");
      for (const auto& [k, v] : *t) {
        if (k != "key" && k != "lower" && k != "upper") fail(v, where + "." + std::string(k.str()), "unknown key");
      }
      FreeParameter f;
      const auto* key = (*t)["key"].as_string();
      const auto lower = (*t)["lower"].value<double>(), upper = (*t)["upper"].value<double>();
      if (!key) fail(item, where + ".key", "a key path (string) is required");
      if (!lower || !upper || !(*lower < *upper)) fail(item, where, "numbers lower < upper are required");
      f.key = key->get();
      f.lower = *lower;
      f.upper = *upper;
      // The parameter must be a number the scenario sets; its value is the starting point.
      if (!r.has(f.key)) fail(item, where + ".key", "the scenario has no key '" + f.key + "' to fit");
      const auto start = r.node(f.key).value<double>();
      if (!start) fail(r.node(f.key), f.key, "a free parameter must be a number");
      f.start = *start;
      c.free.push_back(f);
    }
  }
  c.fitted_on = r.string("calibration.fitted_on", "");
  c.fitted_to = r.string("calibration.fitted_to", "");
  if (r.has("calibration.fitted_parameters")) c.fitted_parameters = r.string_list("calibration.fitted_parameters");
  c.fit_objective = r.number("calibration.fit_objective", 0, 1e300, 0);
}

}  // namespace careabm::scenario
