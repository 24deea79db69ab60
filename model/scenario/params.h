// The resolved parameters of one scenario: everything the year loop needs,
// as plain numbers indexed by small category ids. Category names live only
// in `Categories` (from the scenario file); no process tests a name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace careabm {

// Flow kinds recorded per (year, subregion, branch, occupation). The labels are
// part of the HDF5 contract: each starts with "in." or "out." as seen from the cell.
enum Flow : int {
  kInGraduates,
  kInReentry,
  kInCareerSwitchers,
  kInOutsideRegion,
  kInTransfer,
  kInUpgrade,
  kOutRetirement,
  kOutToReserve,
  kOutLeftRegion,
  kOutDeathDisability,
  kOutTransfer,
  kOutUpgrade,
  kFlowCount
};
const std::vector<std::string>& flow_labels();
inline bool is_inflow(int f) { return f < kOutRetirement; }

struct Categories {
  std::vector<std::string> subregions, branches, occupations;
  int S() const { return static_cast<int>(subregions.size()); }
  int B() const { return static_cast<int>(branches.size()); }
  int O() const { return static_cast<int>(occupations.size()); }
  int cells() const { return S() * B() * O(); }
  int cell(int s, int b, int o) const { return (s * B() + b) * O() + o; }
};

// One row of the initial workforce table: `count` workers in a cell, ages
// spread uniformly over [age_from, age_to].
struct InitialGroup {
  std::uint8_t subregion, branch, occupation, age_from, age_to;
  std::uint32_t count;
};

// Bands given by their lower bounds (first is 0); a value maps to the last band whose bound it reaches.
struct Bands {
  std::vector<int> lower;
  int band(int value) const {
    int b = 0;
    while (b + 1 < static_cast<int>(lower.size()) && value >= lower[b + 1]) ++b;
    return b;
  }
  int count() const { return static_cast<int>(lower.size()); }
};

// A yearly stream of newcomers of each occupation (outside region, career switchers).
struct InflowSource {
  int flow;                          // Flow kind it is counted as
  std::vector<double> per_year;      // by occupation, in the start year + 1
  double growth = 0.0;               // yearly relative change of per_year
  int age_from = 20, age_to = 45;
};

struct Params {
  std::string name, description;
  int start_year = 2022, end_year = 2040;
  int replications = 10;
  std::uint64_t seed = 1;
  Categories cat;

  // workforce: initial population and attributes
  std::vector<InitialGroup> initial;
  double initial_tenure_mean = 8.0;  // years; tenure is exponential, capped at age - entry_age
  int entry_age = 16;
  double female_share = 0.9;
  double full_time_hours = 36.0;
  std::vector<double> hours_mean;        // by branch, employees
  double hours_sd = 6.0, hours_min = 4.0, hours_max = 40.0;
  double self_employed_hours = 32.0;
  std::vector<double> self_employed_share;  // by occupation, initial
  std::vector<double> absence;              // by branch
  int pension_age = 67;

  // outflow: yearly probability = rate[occ] x age_mult[age band] x tenure_mult[tenure band] x branch_mult[branch]
  Bands age_bands, tenure_bands;
  std::vector<double> outflow_rate, outflow_age_mult, outflow_tenure_mult, outflow_branch_mult;
  double share_to_reserve = 1, share_left_region = 0, share_death_disability = 0, share_retirement = 0;

  // transfers: yearly row-stochastic matrices, and employment-type switching
  std::vector<std::vector<double>> branch_transfer, subregion_transfer;
  double to_self_employed = 0, to_employee = 0;

  // the reserve ("stille reserve"): re-entry hazard by years since leaving
  Bands reserve_bands;
  std::vector<double> reentry_hazard;
  int reserve_max_years = 10;

  std::vector<InflowSource> inflows;

  // demand (workforce side of issue 2): base-year supply x (1 + vacancy ratio), grown per branch
  std::vector<double> vacancy_ratio, demand_growth;  // by branch

  int years() const { return end_year - start_year + 1; }
};

}  // namespace careabm
