#include "run/output.h"

#include <chrono>
#include <ctime>

#include "io/h5_writer.h"
#include "run/statistics.h"

namespace careabm::run {

namespace {

const std::vector<std::string> kCellDims = {"year", "subregion", "branch", "occupation"};

std::vector<std::string> with_leading(const std::string& axis, std::vector<std::string> dims) {
  dims.insert(dims.begin(), axis);
  return dims;
}

// One output variable of RunResult: where it lives and what it means.
template <class T>
struct Variable {
  const char* group;
  const char* name;
  std::vector<T> RunResult::*member;
  bool per_flow;
  const char* units;
  const char* description;
};

template <class T>
void write_variable(io::H5Writer& out, const std::vector<RunResult>& results, const Variable<T>& v) {
  std::vector<std::string> dims = kCellDims;
  if (v.per_flow) dims.push_back("flow");
  std::vector<T> all;
  std::vector<double> as_double;
  for (const auto& r : results) {
    const auto& values = r.*(v.member);
    all.insert(all.end(), values.begin(), values.end());
    as_double.insert(as_double.end(), values.begin(), values.end());
  }
  const std::string path = std::string("/") + v.group + "/" + v.name;
  out.write(path, with_leading("replication", dims), std::span<const T>(all));
  out.attr(path, "units", v.units);
  out.attr(path, "description", v.description);
  const std::string summary = std::string("/summary/") + v.group + "/" + v.name;
  const auto stats = summarise(as_double, static_cast<int>(results.size()));
  out.write(summary, with_leading("stat", dims), std::span<const double>(stats));
  out.attr(summary, "units", v.units);
  out.attr(summary, "description", std::string(v.description) + " (statistics over replications)");
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

void write_run_file(const std::filesystem::path& path, const Params& p,
                    const std::vector<RunResult>& results, const OutputInfo& info) {
  io::H5Writer out(path);
  out.root_attr("careabm_version", CAREABM_VERSION);
  out.root_attr("command", "run");
  out.root_attr("command_line", info.command);
  out.root_attr("scenario_name", p.name);
  out.root_attr("seed", static_cast<std::int64_t>(p.seed));
  out.root_attr("replications", static_cast<std::int64_t>(results.size()));
  out.root_attr("created_utc", utc_now());
  out.root_attr("conventions",
                "stocks at the end of each year (first year: initial population); flows during the year; "
                "headcount[y] = headcount[y-1] + sum(in.*) - sum(out.*)");
  out.string_dataset("/scenario", info.scenario_text);

  std::vector<std::int64_t> years, reps;
  for (int y = p.start_year; y <= p.end_year; ++y) years.push_back(y);
  for (std::size_t r = 0; r < results.size(); ++r) reps.push_back(static_cast<std::int64_t>(r));
  out.dimension("year", years);
  out.dimension("subregion", p.cat.subregions);
  out.dimension("branch", p.cat.branches);
  out.dimension("occupation", p.cat.occupations);
  out.dimension("flow", flow_labels());
  out.dimension("replication", reps);
  out.dimension("stat", summary_stat_labels());

  const Variable<std::int64_t> counts[] = {
      {"workforce", "headcount", &RunResult::headcount, false, "persons",
       "active workers at the end of the year (upgrading workers included; reserve and trainees not)"},
      {"workforce", "reserve", &RunResult::reserve, false, "persons",
       "qualified people out of the sector who may return (stille reserve), by their last cell"},
      {"workforce", "self_employed", &RunResult::self_employed, false, "persons",
       "active self-employed workers (included in headcount)"},
      {"workforce", "flows", &RunResult::flows, true, "persons per year",
       "flows during the year, in.* into and out.* out of the cell"},
  };
  const Variable<double> amounts[] = {
      {"workforce", "fte", &RunResult::fte, false, "FTE",
       "supply: contract hours / full-time hours x (1 - sickness absence), active workers"},
      {"demand", "fte", &RunResult::demand, false, "FTE", "demand for workers"},
      {"shortage", "fte", &RunResult::shortage_fte, false, "FTE",
       "demand - supply (negative = surplus)"},
      {"shortage", "persons", &RunResult::shortage_persons, false, "persons",
       "shortage in FTE / FTE per worker of the cell"},
  };
  for (const auto& v : counts) write_variable(out, results, v);
  for (const auto& v : amounts) write_variable(out, results, v);
  out.close();
}

}  // namespace careabm::run
