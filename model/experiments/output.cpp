#include "experiments/output.h"

#include <chrono>
#include <ctime>
#include <tuple>

#include "core/interrupt.h"
#include "core/version.h"
#include "experiments/variables.h"
#include "io/cf.h"
#include "io/h5_writer.h"
#include "stats/statistics.h"

namespace careabm::experiments {

namespace {

std::vector<std::string> with_leading(const std::string& axis, std::vector<std::string> dims) {
  dims.insert(dims.begin(), axis);
  return dims;
}

// The variable at /<prefix><group>/<name> and its summary at /<prefix>summary/<group>/<name>.
template <class T>
void write_variable(io::H5Writer& out, const std::vector<RunResult>& results, const VariableSpec& v,
                    std::vector<T> RunResult::*member, const std::string& prefix = "") {
  throw_if_interrupted();  // a signal during the write stops it here, and the temporary file goes
  std::vector<T> all;
  std::vector<double> as_double;
  for (const auto& r : results) {
    const auto& values = r.*member;
    all.insert(all.end(), values.begin(), values.end());
    as_double.insert(as_double.end(), values.begin(), values.end());
  }
  const std::string path = "/" + prefix + v.path();
  out.write(path, with_leading("replication", v.dims), std::span<const T>(all));
  io::cf::describe(out, path, v.long_name, v.units);
  out.attr(path, "description", v.description);
  const std::string summary = "/" + prefix + "summary/" + v.path();
  const auto summary_values = stats::summarise(as_double, static_cast<int>(results.size()));
  out.write(summary, with_leading("stat", v.dims), std::span<const double>(summary_values));
  io::cf::describe(out, summary, v.long_name, v.units);
  out.attr(summary, "description", v.description + " (statistics over replications)");
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_provenance(io::H5Writer& out, const std::string& command, const std::string& command_line,
                      const std::string& scenario_name, std::uint64_t seed, std::int64_t replications,
                      const std::string& created_utc) {
  out.root_attr("careabm_version", careabm::version());
  out.root_attr("command", command);
  out.root_attr("command_line", command_line);
  out.root_attr("scenario_name", scenario_name);
  out.root_attr("seed", static_cast<std::int64_t>(seed));
  out.root_attr("replications", replications);
  out.root_attr("created_utc", created_utc.empty() ? utc_now() : created_utc);
  out.root_attr("Conventions", io::cf::kConventions);
}

namespace {

void write_uncertainty(io::H5Writer& out, const Params& p, const UncertaintyRuns& u) {
  std::vector<std::string> keys, distributions;
  std::vector<double> lower, upper, central, values;
  for (const auto& q : p.uncertainty) {
    keys.push_back(q.key);
    static const char* names[] = {"uniform", "log_uniform", "triangular", "normal"};
    distributions.push_back(names[static_cast<int>(q.band.distribution)]);
    lower.push_back(q.band.lower), upper.push_back(q.band.upper), central.push_back(q.value);
  }
  for (const auto& row : u.draws) values.insert(values.end(), row.begin(), row.end());
  out.dimension("parameter", keys);
  out.write("/uncertainty/parameters", {"replication", "parameter"}, std::span<const double>(values));
  io::cf::parameter_values(out, "/uncertainty/parameters", "drawn value of the parameter");
  out.attr("/uncertainty/parameters", "description",
           "the value of each uncertain parameter in each replication of /uncertainty/... (Latin hypercube over "
           "replications, keyed by the seed and the parameter's key); " +
               std::string(io::cf::kParameterUnits));
  for (const auto& [name, data, what, label] :
       {std::tuple{"lower", &lower, "lower end of the parameter's band", "lower end of the band"},
        std::tuple{"upper", &upper, "upper end of the parameter's band", "upper end of the band"},
        std::tuple{"central", &central, "the scenario's value (used by the main run)",
                   "the scenario's value"}}) {
    const std::string path = std::string("/uncertainty/") + name;
    out.write(path, {"parameter"}, std::span<const double>(*data));
    io::cf::parameter_values(out, path, label);
    out.attr(path, "description", std::string(what) + "; " + std::string(io::cf::kParameterUnits));
  }
  out.write_strings("/uncertainty/distribution", {"parameter"}, distributions);
  out.attr("/uncertainty/distribution", "long_name", "distribution of the parameter's band");
  for (const auto& v : output_variables(p)) {
    std::visit([&](auto member) { write_variable(out, u.results, v, member, "uncertainty/"); }, v.member);
  }
}

}  // namespace

void write_run_file(const std::filesystem::path& path, const Params& p,
                    const std::vector<RunResult>& results, const OutputInfo& info, const UncertaintyRuns* uncertainty) {
  io::H5Writer out(path);
  write_run(out, p, results, info, uncertainty);
  out.close();
}

void write_run(io::H5Writer& out, const Params& p, const std::vector<RunResult>& results, const OutputInfo& info,
               const UncertaintyRuns* uncertainty) {
  write_provenance(out, "run", info.command, p.name, p.seed, static_cast<std::int64_t>(results.size()));
  out.root_attr("comment",
                "stocks at the end of each year (first year: initial population); flows during the year; "
                "headcount[y] = headcount[y-1] + sum(in.*) - sum(out.*)");
  out.string_dataset("/scenario", info.scenario_text);
  out.attr("/scenario", "long_name", "the resolved scenario (TOML)");

  std::vector<std::int64_t> years, reps;
  for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(y);
  for (std::size_t r = 0; r < results.size(); ++r) reps.push_back(static_cast<std::int64_t>(r));
  out.dimension("year", years);
  out.dimension("subregion", p.cat.subregions);
  out.dimension("branch", p.cat.branches);
  out.dimension("occupation", p.cat.occupations);
  out.dimension("flow", flow_labels());
  out.dimension("replication", reps);
  out.dimension("stat", stats::summary_stat_labels());
  if (p.training.enabled()) {
    std::vector<std::string> programmes;
    for (const auto& g : p.training.programmes) programmes.push_back(g.name);
    out.dimension("programme", programmes);
  }
  if (p.clients.enabled) {
    out.dimension("need", p.clients.needs);
    out.dimension("setting", p.clients.settings);
  }
  if (!p.interventions.empty()) out.dimension("intervention", dimension_labels(p, "intervention"));

  for (const auto& v : output_variables(p)) {
    std::visit([&](auto member) { write_variable(out, results, v, member); }, v.member);
  }
  if (uncertainty) write_uncertainty(out, p, *uncertainty);
}

}  // namespace careabm::experiments
