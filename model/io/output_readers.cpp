#include "io/output_readers.h"

#include <algorithm>
#include <limits>

namespace careabm::io {

namespace {

using Dims = std::vector<std::string>;

const Dims kCell = {"year", "subregion", "branch", "occupation"};

Dims with_leading(Dims leading, const Dims& rest) {
  leading.insert(leading.end(), rest.begin(), rest.end());
  return leading;
}

// The root attribute `replications` and the /replication axis must agree: the count a
// file declares is the count its datasets hold.
std::size_t replications(const OutputFile& file) {
  const auto declared = file.attr_integer("replications", 1, std::numeric_limits<std::int64_t>::max());
  const std::size_t length = file.dimension("replication");
  if (static_cast<std::uint64_t>(declared) != length) {
    file.fail("replications", "the root attribute declares " + std::to_string(declared) +
                                  " replications, but /replication has " + std::to_string(length) + " labels");
  }
  return length;
}

// Simulated years: integers, strictly increasing, four-digit calendar years.
std::vector<int> years(const OutputFile& file) {
  const auto labels = file.integer_labels("year");
  std::vector<int> out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 1 || labels[i] > 9999) {
      file.fail("/year", "label " + std::to_string(i) + " is " + std::to_string(labels[i]) + ", not a calendar year");
    }
    if (i > 0 && labels[i] <= labels[i - 1]) {
      file.fail("/year", "the years must increase, but " + std::to_string(labels[i]) + " follows " +
                             std::to_string(labels[i - 1]));
    }
    out.push_back(static_cast<int>(labels[i]));
  }
  return out;
}

bool contains(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// The labels of a dimension must include `needed` (the ones a reader selects by name).
void require_labels(const OutputFile& file, const std::string& dim, const std::vector<std::string>& needed) {
  const auto labels = file.string_labels(dim);
  for (const auto& label : needed) {
    if (!contains(labels, label)) file.fail("/" + dim, "has no label '" + label + "'");
  }
}

// A summary axis must have the mean and one interval: p025-p975, or p05-p95 in older files.
void require_stats(const OutputFile& file, const std::vector<std::string>& stats) {
  if (!contains(stats, "mean")) file.fail("/stat", "has no label 'mean'");
  const bool wide = contains(stats, "p025") && contains(stats, "p975");
  const bool narrow = contains(stats, "p05") && contains(stats, "p95");
  if (!wide && !narrow) file.fail("/stat", "has neither p025 and p975 nor p05 and p95");
}

void check_if_present(const OutputFile& file, const std::string& path, const Dims& dims) {
  if (file.exists(path)) file.check_variable(path, dims);
}

// /difference/cost/<name>: [alternative, interval], or [alternative] (means only) in older files.
void check_cost_difference(const OutputFile& file, const std::string& path, bool required) {
  if (!required && !file.exists(path)) return;
  const bool means_only = file.info(path).shape.size() == 1;
  file.check_variable(path, means_only ? Dims{"alternative"} : Dims{"alternative", "interval"});
}

}  // namespace

ShortageTables read_shortage_tables(const OutputFile& file) {
  file.require_kind({OutputKind::run, OutputKind::compare}, "shortage tables");
  ShortageTables t;
  t.kind = file.kind();
  const bool compare = t.kind == OutputKind::compare;
  t.replications = replications(file);
  t.years = years(file);
  t.subregions = file.string_labels("subregion");
  t.branches = file.string_labels("branch");
  t.occupations = file.string_labels("occupation");
  t.scenarios = compare ? file.string_labels("scenario") : std::vector<std::string>{file.attr_string("scenario_name")};
  const Dims dims = with_leading(compare ? Dims{"scenario", "replication"} : Dims{"replication"}, kCell);
  t.persons = file.read("/shortage/persons", dims);
  if (file.exists("/uncertainty/shortage/persons")) t.drawn = file.read("/uncertainty/shortage/persons", dims);
  return t;
}

CohortsTable read_cohorts(const OutputFile& file) {
  file.require_kind({OutputKind::size_cohorts}, "cohort sizing");
  CohortsTable c;
  c.scenario = file.attr_string("scenario_name");
  c.programme = file.attr_string("programme");
  c.occupation = file.attr_string("occupation");
  c.by_year = file.attr_integer("by_year", 1, 9999);
  c.from_year = file.has_attr("from_year") ? file.attr_integer("from_year", 1, 9999) : 0;
  c.goal = file.attr_number("goal");
  c.answer = file.attr_number("answer");
  if (file.has_attr("verdict")) c.verdict = file.attr_string("verdict");
  c.replications = replications(file);
  c.stats = file.string_labels("stat");
  require_stats(file, c.stats);
  c.extra = file.read("/cohorts/extra_enrolment", {"candidate"});
  c.shortage = file.read("/cohorts/shortage", {"stat", "candidate"});
  if (file.exists("/cohorts/shortage_replications")) {
    c.per_replication = file.read("/cohorts/shortage_replications", {"candidate", "replication"});
  }
  if (file.exists("/cohorts/trajectory")) {  // older files have neither it nor /year
    c.years = years(file);
    c.trajectory = file.read("/cohorts/trajectory", {"stat", "candidate", "year"});
  }
  return c;
}

std::size_t SweepContents::done() const {
  return static_cast<std::size_t>(std::count(completed.begin(), completed.end(), 1));
}

SweepContents read_sweep(const OutputFile& file, const SweepParts& parts) {
  file.require_kind({OutputKind::sweep}, "sweep results");
  SweepContents s;
  s.design = file.attr_string("design");
  if (s.design != "grid" && s.design != "lhs" && s.design != "saltelli" && s.design != "morris") {
    file.fail("design", "unknown design '" + s.design + "' (expected grid, lhs, saltelli or morris)");
  }
  s.scenario_name = file.has_attr("scenario_name") ? file.attr_string("scenario_name") : "";
  s.seed = file.attr_integer("seed", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  const std::int64_t biggest = std::numeric_limits<std::int64_t>::max();
  const auto declared_points = file.attr_integer("points", 1, biggest);
  s.points = file.dimension("point");
  if (static_cast<std::uint64_t>(declared_points) != s.points) {
    file.fail("points", "the root attribute declares " + std::to_string(declared_points) + " points, but /point has " +
                            std::to_string(s.points) + " labels");
  }
  s.replications = replications(file);
  s.parameters = file.string_labels("parameter");
  s.outputs = file.string_labels("output");
  const auto k = static_cast<std::int64_t>(s.parameters.size());
  // The design's own counts must give the number of points; an estimator (analyze)
  // needs them, other readers check them when they are there.
  const bool estimator = parts.design_unit || parts.for_update;
  if (s.design == "saltelli" && (estimator || file.has_attr("base_samples"))) {
    s.base_samples = file.attr_integer("base_samples", 2, biggest / (k + 2));
    if (s.base_samples * (k + 2) != declared_points) {
      file.fail("base_samples", "a saltelli design of " + std::to_string(s.base_samples) + " base samples and " +
                                    std::to_string(k) + " parameters has " + std::to_string(s.base_samples * (k + 2)) +
                                    " points, but the file has " + std::to_string(declared_points));
    }
  }
  if (s.design == "morris" && (estimator || file.has_attr("trajectories"))) {
    s.trajectories = file.attr_integer("trajectories", 1, biggest / (k + 1));
    s.levels = file.attr_integer("levels", 2, 1 << 20);
    if (s.levels % 2 != 0) file.fail("levels", "a morris design needs an even number of levels, found " + std::to_string(s.levels));
    if (s.trajectories * (k + 1) != declared_points) {
      file.fail("trajectories", "a morris design of " + std::to_string(s.trajectories) + " trajectories and " +
                                    std::to_string(k) + " parameters has " +
                                    std::to_string(s.trajectories * (k + 1)) + " points, but the file has " +
                                    std::to_string(declared_points));
    }
  }
  s.completed = file.read_integers("/completed", {"point"});
  for (std::size_t i = 0; i < s.completed.size(); ++i) {
    if (s.completed[i] != 0 && s.completed[i] != 1) {
      file.fail("/completed", "point " + std::to_string(i) + " is marked " + std::to_string(s.completed[i]) +
                                  " (1 = done, 0 = not yet)");
    }
  }
  if (parts.values) s.values = file.read("/outputs/values", {"point", "replication", "output"});
  if (parts.design) s.design_values = file.read("/design", {"point", "parameter"});
  if (parts.design_unit) s.design_unit = file.read("/design_unit", {"point", "parameter"});
  if (parts.for_update) {  // analyze writes /sensitivity along these
    file.dimension("output", 1, true);
    file.dimension("parameter", 1, true);
    if (s.design == "saltelli") {
      if (file.dimension("bound", 2, true) != 2) file.fail("/bound", "must have the two labels lo and hi");
      require_labels(file, "bound", {"lo", "hi"});
    }
  }
  if (parts.sensitivity && file.exists("/sensitivity")) {
    s.has_sensitivity = true;
    const Dims matrix = {"output", "parameter"}, interval = {"output", "parameter", "bound"};
    if (file.exists("/sensitivity/sobol_first") || file.exists("/sensitivity/sobol_total")) {
      s.sobol_first = file.read("/sensitivity/sobol_first", matrix);
      s.sobol_total = file.read("/sensitivity/sobol_total", matrix);
      if (file.exists("/sensitivity/sobol_first_ci") || file.exists("/sensitivity/sobol_total_ci")) {
        if (file.dimension("bound") != 2) file.fail("/bound", "must have the two labels lo and hi");
        require_labels(file, "bound", {"lo", "hi"});
        s.sobol_first_ci = file.read("/sensitivity/sobol_first_ci", interval);
        s.sobol_total_ci = file.read("/sensitivity/sobol_total_ci", interval);
      }
    }
    if (file.exists("/sensitivity/morris_mu_star") || file.exists("/sensitivity/morris_sigma")) {
      s.morris_mu_star = file.read("/sensitivity/morris_mu_star", matrix);
      s.morris_sigma = file.read("/sensitivity/morris_sigma", matrix);
    }
  }
  return s;
}

void check_report_inputs(const OutputFile& file) {
  const Dims run_cell = with_leading({"replication"}, kCell);
  switch (file.kind()) {
    case OutputKind::run: {
      const auto tables = read_shortage_tables(file);
      (void)tables;
      for (const char* path : {"/workforce/fte", "/demand/fte"}) file.check_variable(path, run_cell);
      file.string_labels("flow");
      file.check_variable("/workforce/flows", with_leading(run_cell, {"flow"}));
      for (const char* path : {"/shortage/unfilled", "/shortage/surplus"}) check_if_present(file, path, run_cell);
      check_if_present(file, "/clients/count", {"replication", "year", "subregion", "need", "setting"});
      for (const char* path : {"/clients/waiting", "/clients/capacity"}) {
        check_if_present(file, path, {"replication", "year", "subregion"});
      }
      if (file.exists("/uncertainty/parameters")) {
        file.check_variable("/uncertainty/parameters", {"replication", "parameter"});
        for (const char* path : {"/uncertainty/lower", "/uncertainty/upper", "/uncertainty/central"}) {
          check_if_present(file, path, {"parameter"});
        }
      }
      if (file.exists("/stat")) require_stats(file, file.string_labels("stat"));
      break;
    }
    case OutputKind::compare: {
      const auto tables = read_shortage_tables(file);
      const auto alternatives = file.string_labels("alternative");
      if (alternatives != std::vector<std::string>(tables.scenarios.begin() + 1, tables.scenarios.end())) {
        file.fail("/alternative", "the alternatives must be the scenarios after the base (/scenario without its first label)");
      }
      require_labels(file, "interval", {"mean", "lo95", "hi95"});
      const Dims difference = with_leading({"alternative", "interval"}, kCell);
      file.check_variable("/difference/shortage/persons", difference);
      check_if_present(file, "/difference/shortage/unfilled", difference);
      check_cost_difference(file, "/difference/cost/total", true);
      check_cost_difference(file, "/difference/cost/per_fte_year_gained", true);
      check_cost_difference(file, "/difference/cost/fte_years_gained", false);
      check_if_present(file, "/cost/by_year", {"scenario", "replication", "year"});
      check_if_present(file, "/cost/unfilled_fte_years", {"scenario", "replication"});
      if (file.exists("/stat")) require_stats(file, file.string_labels("stat"));
      break;
    }
    case OutputKind::sweep: {
      SweepParts parts;
      parts.design = true;
      parts.sensitivity = true;
      read_sweep(file, parts);
      break;
    }
    case OutputKind::size_cohorts: read_cohorts(file); break;
  }
  // The report loads every group but /agents. (After the datasets above, so that a
  // damaged one of them is what the message names.)
  file.check_whole_file({"/agents"});
}

}  // namespace careabm::io
