#include "experiments/compare.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <variant>

#include "core/errors.h"
#include "core/interrupt.h"
#include "experiments/memory.h"
#include "experiments/output.h"
#include "experiments/uncertainty.h"
#include "experiments/variables.h"
#include "io/cf.h"
#include "io/h5_writer.h"
#include "scenario/document.h"
#include "scenario/input_files.h"
#include "scenario/load.h"
#include "stats/statistics.h"

namespace careabm::experiments {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The run variables a compare file stacks: all but the interventions group,
// whose axis differs between scenarios (its cost enters /difference/cost).
std::vector<VariableSpec> compared_variables(const Params& p) {
  std::vector<VariableSpec> out;
  for (auto& v : output_variables(p)) {
    if (v.group != "interventions") out.push_back(std::move(v));
  }
  return out;
}

// An alternative must have the base's years, categories and variables, so that
// every variable stacks along the scenario axis.
void check_shared(const CompareScenario& base, const CompareScenario& alt) {
  const auto fail = [&](const std::string& key, const std::string& what) {
    throw InputError(alt.file.string(), 0, key,
                     what + " differ from those of the base scenario " + base.file.string() +
                         " (compare needs the same years and categories)");
  };
  const Params &a = alt.p, &b = base.p;
  if (a.start_year != b.start_year || a.end_year != b.end_year) {
    fail("time", "years " + std::to_string(a.start_year) + "-" + std::to_string(a.end_year) + " (base: " +
                     std::to_string(b.start_year) + "-" + std::to_string(b.end_year) + ")");
  }
  const struct {
    const char* key;
    const std::vector<std::string>& mine;
    const std::vector<std::string>& theirs;
  } lists[] = {{"categories.subregions", a.cat.subregions, b.cat.subregions},
               {"categories.branches", a.cat.branches, b.cat.branches},
               {"categories.occupations", a.cat.occupations, b.cat.occupations},
               {"clients.needs", a.clients.needs, b.clients.needs},
               {"clients.settings", a.clients.settings, b.clients.settings}};
  for (const auto& l : lists) {
    if (l.mine != l.theirs) fail(l.key, std::string(l.key) + " [" + join(l.mine) + "] (base: [" + join(l.theirs) + "])");
  }
  const auto names = [](const Params& p) { return dimension_labels(p, "programme"); };
  if (names(a) != names(b)) {
    fail("training.programmes", "programmes [" + join(names(a)) + "] (base: [" + join(names(b)) + "])");
  }
  const auto va = compared_variables(a), vb = compared_variables(b);
  std::vector<std::string> pa, pb;
  for (const auto& v : va) pa.push_back(v.path());
  for (const auto& v : vb) pb.push_back(v.path());
  if (pa != pb) fail("", "output variables [" + join(pa) + "] (base: [" + join(pb) + "])");
}

template <class T>
void write_stacked(io::H5Writer& out, const std::vector<CompareScenario>& scenarios, const VariableSpec& v,
                   std::vector<T> RunResult::*member) {
  throw_if_interrupted();  // a signal during the write stops it here, and the temporary file goes
  const int S = static_cast<int>(scenarios.size());
  const int R = static_cast<int>(scenarios.front().results.size());
  const std::size_t n = (scenarios.front().results.front().*member).size();
  std::vector<std::string> dims = v.dims;
  dims.insert(dims.begin(), {"scenario", "replication"});

  std::vector<T> all;
  all.reserve(std::size_t(S) * R * n);
  for (const auto& sc : scenarios)
    for (const auto& r : sc.results) all.insert(all.end(), (r.*member).begin(), (r.*member).end());
  const std::string path = "/" + v.path();
  out.write(path, dims, std::span<const T>(all));
  io::cf::describe(out, path, v.long_name, v.units);
  out.attr(path, "description", v.description);

  // /summary: [stat, scenario, ...]
  std::vector<double> summary(stats::kSummaryStats * std::size_t(S) * n);
  for (int s = 0; s < S; ++s) {
    const std::vector<double> values(all.begin() + long(std::size_t(s) * R * n), all.begin() + long(std::size_t(s + 1) * R * n));
    const auto summary_values = stats::summarise(values, R);
    for (std::size_t q = 0; q < stats::kSummaryStats; ++q)
      std::copy(summary_values.begin() + long(q * n), summary_values.begin() + long((q + 1) * n),
                summary.begin() + long((std::size_t(q) * S + s) * n));
  }
  std::vector<std::string> summary_dims = v.dims;
  summary_dims.insert(summary_dims.begin(), {"stat", "scenario"});
  const std::string summary_path = "/summary/" + v.path();
  out.write(summary_path, summary_dims, std::span<const double>(summary));
  io::cf::describe(out, summary_path, v.long_name, v.units);
  out.attr(summary_path, "description", v.description + " (statistics over replications)");

  // /difference: [alternative, interval, ...], paired by replication.
  std::vector<double> difference(std::size_t(S - 1) * 3 * n);
  std::vector<double> d(R);
  for (int a = 1; a < S; ++a)
    for (std::size_t e = 0; e < n; ++e) {
      for (int r = 0; r < R; ++r) {
        d[r] = double(all[(std::size_t(a) * R + r) * n + e]) - double(all[std::size_t(r) * n + e]);
      }
      const auto i = paired_interval(d);
      const std::size_t at = std::size_t(a - 1) * 3 * n + e;
      difference[at] = i.mean, difference[at + n] = i.lo, difference[at + 2 * n] = i.hi;
    }
  std::vector<std::string> difference_dims = v.dims;
  difference_dims.insert(difference_dims.begin(), {"alternative", "interval"});
  const std::string difference_path = "/difference/" + v.path();
  out.write(difference_path, difference_dims, std::span<const double>(difference));
  io::cf::describe(out, difference_path, "difference in " + v.long_name, v.units);
  out.attr(difference_path, "description",
           v.description + " (alternative - base, paired by replication: mean and 95% confidence interval)");
}

std::vector<std::int64_t> range(std::size_t n) {
  std::vector<std::int64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::int64_t>(i);
  return out;
}

}  // namespace

std::vector<CompareScenario> load_compare(const fs::path& base, const std::vector<fs::path>& alternatives,
                                          int replications) {
  std::vector<std::string> sets;
  if (replications > 0) sets.push_back("run.replications=" + std::to_string(replications));
  std::vector<CompareScenario> out;
  {
    const auto doc = scenario::Document::load(base, sets);
    Params p = scenario::load_params(doc);
    out.push_back({base, p.name, std::move(p), doc.resolved_text(), sets, {}, {}});
  }
  // Common random numbers: the base's seed and replications for everyone.
  std::vector<std::string> alt_sets = {"run.seed=" + std::to_string(out.front().p.seed),
                                       "run.replications=" + std::to_string(out.front().p.replications)};
  for (const auto& file : alternatives) {
    const auto doc = scenario::Document::load(file, alt_sets);
    Params p = scenario::load_params(doc);
    out.push_back({file, p.name, std::move(p), doc.resolved_text(), alt_sets, {}, {}});
    check_shared(out.front(), out.back());
  }
  for (std::size_t i = 1; i < out.size(); ++i) {
    int copy = 1;
    for (bool clash = true; clash;) {
      clash = false;
      for (std::size_t j = 0; j < i; ++j) clash = clash || out[j].name == out[i].name;
      if (clash) out[i].name = out[i].p.name + "-" + std::to_string(++copy);
    }
  }
  return out;
}

void run_compare(std::vector<CompareScenario>& scenarios, int threads, const ProgressFn& progress, bool uncertainty) {
  const int total = static_cast<int>(scenarios.size()) * scenarios.front().p.replications;
  int done_before = 0;
  for (auto& sc : scenarios) {
    const auto report = [&](int done, int) {
      if (progress) progress(done_before + done, total);
    };
    if (uncertainty) {
      if (sc.p.uncertainty.empty()) {
        throw InputError(sc.file.string(), 0, "uncertainty", "--uncertainty needs an [uncertainty] section with parameters");
      }
      sc.draws = draw_parameters(sc.p, sc.p.replications);
      sc.results = run_with_uncertainty(sc.file, sc.overrides, sc.p, sc.draws, threads, report);
    } else {
      sc.results = run_replications(sc.p, threads, report);
    }
    done_before += sc.p.replications;
  }
}

double t_quantile(double q, int df) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(double(df)), q);
}

PairedInterval paired_interval(const std::vector<double>& d) {
  const std::size_t n = d.size();
  if (n == 0) return {kNaN, kNaN, kNaN};
  double sum = 0;
  for (double x : d) sum += x;
  const double mean = sum / double(n);
  if (n < 2) return {mean, kNaN, kNaN};
  double ss = 0;
  for (double x : d) ss += (x - mean) * (x - mean);
  const double half = t_quantile(0.975, int(n) - 1) * std::sqrt(ss / double(n - 1)) / std::sqrt(double(n));
  return {mean, mean - half, mean + half};
}

double total_cost(const RunResult& r) {
  double sum = 0;
  for (double c : r.intervention_cost) sum += c;
  return sum;
}

double unfilled_fte_years(const RunResult& r) {
  double sum = 0;
  for (double s : r.shortage_fte) sum += std::fmax(0.0, s);
  return sum;
}

PairedInterval ratio_interval(const std::vector<double>& cost, const std::vector<double>& gained) {
  const std::size_t n = cost.size();
  double c = 0, g = 0;
  for (std::size_t r = 0; r < n; ++r) c += cost[r], g += gained[r];
  if (n == 0 || g <= 0) return {kNaN, kNaN, kNaN};
  c /= double(n), g /= double(n);
  const double ratio = c / g;
  if (n < 2) return {ratio, kNaN, kNaN};
  double ss = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const double e = cost[r] - ratio * gained[r];
    ss += e * e;
  }
  const double half = t_quantile(0.975, int(n) - 1) * std::sqrt(ss / double(n - 1)) / std::sqrt(double(n)) / g;
  return {ratio, ratio - half, ratio + half};
}

CostDifference cost_difference(const CompareScenario& base, const CompareScenario& alternative) {
  CostDifference out;
  for (std::size_t r = 0; r < base.results.size(); ++r) {
    out.cost.push_back(total_cost(alternative.results[r]) - total_cost(base.results[r]));
    out.gained.push_back(unfilled_fte_years(base.results[r]) - unfilled_fte_years(alternative.results[r]));
  }
  out.total = paired_interval(out.cost);
  out.fte_years_gained = paired_interval(out.gained);
  out.per_fte_year = ratio_interval(out.cost, out.gained);
  return out;
}

void write_compare_file(const fs::path& path, const std::vector<CompareScenario>& scenarios,
                        const std::string& command_line) {
  io::H5Writer out(path);
  write_compare(out, scenarios, command_line);
  out.close();
}

void write_compare(io::H5Writer& out, const std::vector<CompareScenario>& scenarios, const std::string& command_line) {
  const CompareScenario& base = scenarios.front();
  const Params& p = base.p;
  write_provenance(out, "compare", command_line, base.name, p.seed, static_cast<std::int64_t>(base.results.size()));
  out.root_attr("comment",
                "every scenario ran with the base's seed: replication r of each uses the same random stream "
                "(common random numbers); /difference = alternative - base paired by replication, mean and "
                "95% confidence interval mean -+ t(0.975, R-1) sd/sqrt(R)");

  std::vector<std::string> names;
  for (const auto& sc : scenarios) names.push_back(sc.name);
  std::vector<std::int64_t> years;
  for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(y);
  out.dimension("year", years);
  out.dimension("subregion", p.cat.subregions);
  out.dimension("branch", p.cat.branches);
  out.dimension("occupation", p.cat.occupations);
  out.dimension("flow", flow_labels());
  out.dimension("replication", range(base.results.size()));
  out.dimension("stat", stats::summary_stat_labels());
  if (p.training.enabled()) out.dimension("programme", dimension_labels(p, "programme"));
  if (p.clients.enabled) {
    out.dimension("need", p.clients.needs);
    out.dimension("setting", p.clients.settings);
  }
  out.dimension("scenario", names);
  out.dimension("alternative", std::vector<std::string>(names.begin() + 1, names.end()));
  out.dimension("interval", {"mean", "lo95", "hi95"});

  std::vector<std::string> texts;
  for (const auto& sc : scenarios) texts.push_back(sc.text);
  out.write_strings("/scenario_text", {"scenario"}, texts);
  out.attr("/scenario_text", "long_name", "the resolved scenario (TOML)");
  out.attr("/scenario_text", "description", "the resolved scenario (TOML) of each scenario");

  for (const auto& v : compared_variables(p)) {
    std::visit([&](auto member) { write_stacked(out, scenarios, v, member); }, v.member);
  }

  // Cost per year and replication of every scenario, and each run's unfilled FTE-years.
  {
    const std::size_t R = base.results.size(), Y = std::size_t(p.years());
    std::vector<double> by_year, unfilled;
    for (const auto& sc : scenarios)
      for (const auto& r : sc.results) {
        for (std::size_t t = 0; t < Y; ++t) {
          double cost = 0;
          for (int k = 0; k < r.interventions; ++k) cost += r.intervention_cost[r.intervention_at(int(t), k)];
          by_year.push_back(cost);
        }
        unfilled.push_back(unfilled_fte_years(r));
      }
    out.write("/cost/by_year", {"scenario", "replication", "year"}, std::span<const double>(by_year));
    io::cf::describe(out, "/cost/by_year", "intervention cost in euros", "1");
    out.attr("/cost/by_year", "description", "intervention cost in the year (all interventions of the scenario)");
    out.write("/cost/unfilled_fte_years", {"scenario", "replication"}, std::span<const double>(unfilled));
    io::cf::describe(out, "/cost/unfilled_fte_years", "unfilled demand in full-time-equivalent years",
                     "year");
    out.attr("/cost/unfilled_fte_years", "description",
             "sum over years and cells of max(0, /shortage/fte): demand no one filled over the horizon");
    (void)R;
  }
  if (!base.draws.empty()) {
    std::vector<std::string> keys;
    for (const auto& q : p.uncertainty) keys.push_back(q.key);
    std::vector<double> values;
    for (const auto& row : base.draws) values.insert(values.end(), row.begin(), row.end());
    out.dimension("parameter", keys);
    out.write("/uncertainty/parameters", {"replication", "parameter"}, std::span<const double>(values));
    io::cf::parameter_values(out, "/uncertainty/parameters", "drawn value of the parameter");
    out.attr("/uncertainty/parameters", "description",
             "the base scenario's parameter draw of each replication; every scenario drew the same value of a "
             "key it shares (compare --uncertainty); " +
                 std::string(io::cf::kParameterUnits));
    out.root_attr("uncertainty", "parameters drawn per replication ([uncertainty] of each scenario)");
  }
  std::vector<double> total, gained, per;
  auto put = [](std::vector<double>& to, const PairedInterval& i) { to.insert(to.end(), {i.mean, i.lo, i.hi}); };
  for (std::size_t a = 1; a < scenarios.size(); ++a) {
    const auto c = cost_difference(base, scenarios[a]);
    put(total, c.total), put(gained, c.fte_years_gained), put(per, c.per_fte_year);
  }
  const struct {
    const char* path;
    const std::vector<double>& values;
    const char* long_name;
    const char* units;
    const char* description;
  } costs[] = {
      {"/difference/cost/total", total, "difference in intervention cost in euros", "1",
       "intervention cost over the whole horizon, alternative - base: mean over paired replications and 95% "
       "confidence interval"},
      {"/difference/cost/fte_years_gained", gained, "unfilled demand removed in full-time-equivalent years",
       "year",
       "unfilled demand removed: sum over years and cells of max(0, base shortage FTE) - max(0, alternative "
       "shortage FTE), mean over paired replications and 95% confidence interval (a larger surplus gains "
       "nothing)"},
      {"/difference/cost/per_fte_year_gained", per, "euros per full-time-equivalent year gained", "year-1",
       "mean cost / mean FTE-years gained, 95% interval by the delta method; NaN when the mean gain is not "
       "positive"},
  };
  for (const auto& c : costs) {
    out.write(c.path, {"alternative", "interval"}, std::span<const double>(c.values));
    io::cf::describe(out, c.path, c.long_name, c.units);
    out.attr(c.path, "description", c.description);
  }
}

void print_compare_table(std::ostream& out, const std::vector<CompareScenario>& scenarios) {
  const CompareScenario& base = scenarios.front();
  const Params& p = base.p;
  const int year = p.start_year <= 2031 && 2031 <= p.end_year ? 2031 : p.end_year;
  const int t = year - p.start_year;
  const std::size_t R = base.results.size();
  auto total_at = [&](const RunResult& r, const std::vector<double> RunResult::*v) {
    double sum = 0;
    for (int c = 0; c < r.cells; ++c) sum += (r.*v)[r.at(t, c)];
    return sum;
  };
  auto paired = [&](const CompareScenario& alt, const std::vector<double> RunResult::*v) {
    std::vector<double> d(R);
    for (std::size_t r = 0; r < R; ++r) d[r] = total_at(alt.results[r], v) - total_at(base.results[r], v);
    return paired_interval(d);
  };
  auto row = [&](const std::string& label, const PairedInterval& i, const char* format) {
    char text[320], value[64], lo[64], hi[64];
    if (std::isnan(i.mean)) {
      std::snprintf(text, sizeof text, "  %-40s n/a (no gain)\n", label.c_str());
    } else {
      std::snprintf(value, sizeof value, format, i.mean);
      std::snprintf(lo, sizeof lo, format, i.lo);
      std::snprintf(hi, sizeof hi, format, i.hi);
      std::snprintf(text, sizeof text, "  %-40s %14s [%s, %s]\n", label.c_str(), value, lo, hi);
    }
    out << text;
  };
  out << "Compared with '" << base.name << "' (" << R << " paired replications, seed " << p.seed
      << ", common random numbers): alternative - base, mean [95% confidence interval]\n";
  for (std::size_t a = 1; a < scenarios.size(); ++a) {
    const auto c = cost_difference(base, scenarios[a]);
    out << scenarios[a].name << "\n";
    row("shortage " + std::to_string(year) + ", net (persons)", paired(scenarios[a], &RunResult::shortage_persons), "%+.0f");
    row("unfilled demand " + std::to_string(year) + " (persons)", paired(scenarios[a], &RunResult::unfilled), "%+.0f");
    row("FTE-years gained (unfilled demand removed)", c.fte_years_gained, "%.0f");
    row("cost over the horizon (euro)", c.total, "%.0f");
    row("euro per FTE-year gained", c.per_fte_year, "%.0f");
  }
}

MemoryEstimate estimate_compare(const std::vector<CompareScenario>& scenarios, int threads,
                                std::vector<fs::path>& inputs) {
  // Every scenario's results are kept until the file is written; the documents are
  // read again (TOML only) to say where a key that is too large was set.
  std::vector<MemoryEstimate> memory;
  for (const auto& sc : scenarios) {
    const auto doc = scenario::Document::load(sc.file, sc.overrides);
    memory.push_back(estimate_run(doc, sc.p, {sc.p.replications, threads, true}));
    for (auto& file : scenario::input_files(doc)) inputs.push_back(std::move(file));
  }
  return combine(memory);
}

}  // namespace careabm::experiments
