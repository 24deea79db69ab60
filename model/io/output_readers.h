// What the commands read back from each kind of careabm output (analysis/README.md,
// "Output layouts"), read through io::OutputFile so that every value handed on has been
// checked: the kind, the ranks, each axis against its labels, the element types, the
// counts the root attributes declare against the datasets' extents, and the total size.
// A file that fails any check throws careabm::InputError naming the file and the dataset
// (or root attribute); nothing here computes results (that stays in experiments/).
//
//   summary   read_shortage_tables (run, compare), read_cohorts (size-cohorts),
//             read_sweep (sweep, with its sensitivity results when analysed)
//   analyze   read_sweep with the design on the unit scale, checked for update
//   report    check_report_inputs before the analysis package loads the whole file
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/output_file.h"

namespace careabm::io {

// The shortage in persons of a run or compare file, as `summary` prints it.
struct ShortageTables {
  OutputKind kind = OutputKind::run;
  // A run file: its scenario's name; a compare file: the scenario axis (base first).
  std::vector<std::string> scenarios;
  std::vector<int> years;
  std::vector<std::string> subregions, branches, occupations;
  std::size_t replications = 0;
  // [scenario][replication][year][subregion][branch][occupation]
  std::vector<double> persons;
  // The runs with drawn parameters (/uncertainty/shortage/persons of a `run
  // --uncertainty` file), the same layout; empty when the file has none.
  std::vector<double> drawn;

  std::size_t per_scenario() const {
    return replications * years.size() * subregions.size() * branches.size() * occupations.size();
  }
};
ShortageTables read_shortage_tables(const OutputFile& file);

// A size-cohorts file.
struct CohortsTable {
  std::string scenario, programme, occupation, verdict;
  std::int64_t by_year = 0, from_year = 0;
  double goal = 0, answer = 0;  // answer: NaN when no candidate reached the goal
  std::size_t replications = 0;
  std::vector<int> years;
  std::vector<std::string> stats;       // the stat axis: mean and quantile labels
  std::vector<double> extra;            // [candidate]: extra trainees a year
  std::vector<double> shortage;         // [stat][candidate]
  std::vector<double> per_replication;  // [candidate][replication]; empty in files without it
  std::vector<double> trajectory;       // [stat][candidate][year]
};
CohortsTable read_cohorts(const OutputFile& file);

// What of a sweep file to read besides its attributes, labels and /completed.
struct SweepParts {
  bool values = true;          // /outputs/values
  bool design = false;         // /design
  bool design_unit = false;    // /design_unit
  bool sensitivity = false;    // /sensitivity, when the file has it
  bool for_update = false;     // the dimensions /sensitivity is written along must be real scales
};

struct SweepContents {
  std::string design;  // grid, lhs, saltelli or morris
  std::string scenario_name;
  std::int64_t seed = 0;
  std::int64_t base_samples = 0;              // saltelli
  std::int64_t trajectories = 0, levels = 0;  // morris
  std::size_t points = 0, replications = 0;
  std::vector<std::string> parameters, outputs;
  std::vector<std::int64_t> completed;  // [point]: 1 done, 0 not yet
  std::vector<double> values;           // [point][replication][output]
  std::vector<double> design_values;    // [point][parameter]
  std::vector<double> design_unit;      // [point][parameter]
  // /sensitivity of an analysed sweep ([output][parameter]; the intervals
  // [output][parameter][bound], bound = lo, hi); empty when absent or not asked for.
  bool has_sensitivity = false;
  std::vector<double> sobol_first, sobol_total, sobol_first_ci, sobol_total_ci;
  std::vector<double> morris_mu_star, morris_sigma;

  std::size_t done() const;
};
SweepContents read_sweep(const OutputFile& file, const SweepParts& parts = {});

// Everything the report reads, checked before the analysis package loads the file: the
// whole file's axes and size (OutputFile::check_whole_file, /agents left out as the report
// does), and per kind the datasets its report needs with their dimensions.
void check_report_inputs(const OutputFile& file);

}  // namespace careabm::io
