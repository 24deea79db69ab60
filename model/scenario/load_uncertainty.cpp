// [uncertainty]: every uncertain number of the scenario with its band
// (scenarios/README.md, "Parameter uncertainty"):
//
//   [uncertainty]
//   parameters = [
//     { key = "outflow.rate.vig", lower = 0.07, upper = 0.086 },    # uniform
//     { key = "workforce.initial_tenure_mean.vig", distribution = "triangular", lower = 10, mode = 14, upper = 18 },
//     { key = "clients.demand.hours_per_fte", distribution = "normal", mean = 1100, sd = 80, lower = 950, upper = 1250 },
//   ]
//
// `careabm run --uncertainty` draws each replication's values (Latin
// hypercube, experiments/uncertainty.h). Each key must be a number the
// scenario sets (not a series), inside its band.
#include <cmath>
#include <set>
#include <string>

#include "scenario/load_sections.h"

namespace careabm::scenario {

namespace {

UncertainParameter parameter(const Reader& r, const toml::node& item, const std::string& where) {
  const auto* t = item.as_table();
  if (!t) fail(item, where, "expected a table { key, lower, upper, ... }");
  for (const auto& [k, v] : *t) {
    const std::string name(k.str());
    if (name != "key" && name != "lower" && name != "upper" && name != "distribution" && name != "mode" &&
        name != "mean" && name != "sd") {
      fail(v, where + "." + name, "unknown key (expected key, lower, upper, distribution, mode, mean, sd)");
    }
  }
  auto number = [&](const char* name) -> double {
    const auto* node = t->get(name);
    if (!node) fail(item, where + "." + name, "a number is required");
    const auto v = node->value<double>();
    if (!node->is_number() || !v || !std::isfinite(*v)) fail(*node, where + "." + name, "expected a number");
    return *v;
  };
  UncertainParameter u;
  const auto* key = t->get("key");
  if (!key || !key->is_string()) fail(key ? *key : item, where + ".key", "a key path (string) is required");
  u.key = key->as_string()->get();
  u.band.lower = number("lower"), u.band.upper = number("upper");
  if (!(u.band.lower < u.band.upper)) fail(item, where, "numbers lower < upper are required");
  const std::string dist = t->get("distribution") && t->get("distribution")->is_string()
                               ? t->get("distribution")->as_string()->get()
                               : (t->get("distribution") ? "?" : "uniform");
  if (dist == "uniform") {
    u.band.distribution = stats::Distribution::uniform;
  } else if (dist == "log_uniform") {
    u.band.distribution = stats::Distribution::log_uniform;
    if (u.band.lower <= 0) fail(item, where + ".lower", "a log-uniform band needs lower > 0");
  } else if (dist == "triangular") {
    u.band.distribution = stats::Distribution::triangular;
    u.band.mode = number("mode");
    if (u.band.mode < u.band.lower || u.band.mode > u.band.upper) fail(*t->get("mode"), where + ".mode", "the mode must lie in [lower, upper]");
  } else if (dist == "normal") {
    u.band.distribution = stats::Distribution::normal;
    u.band.mean = number("mean"), u.band.sd = number("sd");
    if (u.band.sd <= 0) fail(*t->get("sd"), where + ".sd", "expected sd > 0");
  } else {
    fail(*t->get("distribution"), where + ".distribution",
         "unknown distribution '" + dist + "' (expected uniform, log_uniform, triangular or normal)");
  }
  if (dist != "triangular" && t->get("mode")) fail(*t->get("mode"), where + ".mode", "only a triangular band takes a mode");
  if (dist != "normal" && (t->get("mean") || t->get("sd"))) {
    fail(t->get("mean") ? *t->get("mean") : *t->get("sd"), where + (t->get("mean") ? ".mean" : ".sd"),
         "only a normal band takes mean and sd");
  }
  // The key must be a number the scenario sets; for `--uncertainty` a number
  // inside its band (recorded here, refused there: see UncertainParameter).
  if (!r.has(u.key)) fail(*key, where + ".key", "the scenario has no key '" + u.key + "'");
  const auto& node = r.node(u.key);
  const auto value = node.value<double>();
  u.file = source_file(item), u.line = source_line(item);
  if (!node.is_number() || !value) fail(node, u.key, "an uncertain parameter must be a number (not a table or a series)");
  u.value = *value;
  u.integer = node.is_integer();
  if (u.value < u.band.lower || u.value > u.band.upper) {
    u.problem = "the scenario's value " + std::to_string(u.value) + " of '" + u.key +
                "' lies outside its band, so --uncertainty would not draw around it; widen the band or remove it";
  }
  return u;
}

}  // namespace

void load_uncertainty(const Reader& r, Params& p) {
  if (!r.has("uncertainty")) return;
  const auto& node = r.node("uncertainty.parameters");
  const auto* list = node.as_array();
  if (!list) fail(node, "uncertainty.parameters", "expected an array of { key, lower, upper, ... } tables");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = "uncertainty.parameters[" + std::to_string(i + 1) + "]";
    p.uncertainty.push_back(parameter(r, *list->get(i), where));
    if (!seen.insert(p.uncertainty.back().key).second) {
      fail(*list->get(i), where + ".key", "'" + p.uncertainty.back().key + "' is listed twice");
    }
  }
}

}  // namespace careabm::scenario
