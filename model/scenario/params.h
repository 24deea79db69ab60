// The resolved parameters of one scenario: everything the year loop needs,
// as plain numbers indexed by small category ids. Category names live only
// in `Categories` (from the scenario file); no process tests a name.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/flows.h"
#include "scenario/intervention.h"
#include "stats/distribution.h"

namespace careabm {

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

// ---------------------------------------------------------------- training

// Where a programme's trainees come from. Upgrading workers are existing
// workers (state in_upgrade_training); the others are trainee agents.
enum class TraineeOrigin : std::uint8_t { school_leaver, career_switcher, upgrading_worker };

struct Programme {
  std::string name;
  std::uint32_t uid_tag = 0;           // 16-bit hash of the name, part of every trainee uid
  int occupation = 0;                  // qualifies for
  int works_as = 0;                    // occupation cell a BBL trainee's FTE counts in
  int duration = 1;                    // study years
  bool bbl = false;
  double bbl_fte = 0.0;                // FTE a BBL trainee works while studying
  bool supervised = true;              // needs a work-floor supervision place
  TraineeOrigin origin = TraineeOrigin::school_leaver;
  std::vector<double> enrolment;       // by subregion, in the start year + 1 (not for upgrades)
  double enrolment_growth = 0.0;       // yearly relative change of enrolment
  std::vector<double> dropout;         // yearly hazard by study year (size duration)
  double entry_probability = 1.0;      // a graduate enters the region's care sector
  std::vector<double> branch_share;    // by branch: placement/workplace and entry branch; sums to 1
  int age_from = 16, age_to = 20;      // age at enrolment
  int upgrade_from = -1;               // upgrades: the occupation of eligible workers
  double upgrade_rate = 0.0;           // upgrades: yearly enrolment probability of an eligible worker
  int upgrade_max_age = 99;            // upgrades: eligible below this age
  double cost_per_trainee = -1.0;     // euro per trainee enrolled (size-cohorts' cost); < 0: not given

  bool is_upgrade() const { return origin == TraineeOrigin::upgrading_worker; }
  // Expected enrolment of subregion s in year index t (t = 1 is the start year + 1).
  double expected_enrolment(int s, int t) const {
    return enrolment.empty() ? 0.0 : enrolment[s] * std::pow(1.0 + enrolment_growth, t - 1);
  }
};

struct Supervision {
  bool enabled = false;
  std::vector<std::uint8_t> supervises;  // by occupation: 1 if its workers may supervise
  int min_tenure = 0;                    // years in the sector
  double trainees_per_supervisor = 1.0;
  double dropout_elasticity = 0.0;       // dropout x (1 + elasticity x max(0, trainees/capacity - 1))
};

struct Training {
  std::vector<Programme> programmes;
  Supervision supervision;
  bool initial_cohorts = true;  // start with steady-state cohorts in study years 1..duration
  bool enabled() const { return !programmes.empty(); }
};

// ---------------------------------------------------------------- clients

struct Clients {
  bool enabled = false;
  std::vector<std::string> needs, settings;
  int home_setting = 0, waiting_setting = 1, nursing_home_setting = 2;
  std::vector<std::uint8_t> nursing_home_eligible;  // by need
  std::vector<std::uint8_t> priority;               // by need: placed before others
  int nursing_home_branch = -1, home_care_branch = -1;

  Bands age_bands;  // lower bounds, the first is the youngest client age
  int max_age = 105;
  std::vector<double> population;  // [t][subregion][age band]: persons in the band
  std::vector<double> carers;      // [t][subregion]: potential informal carers
  std::vector<double> incidence;   // by age band: new clients per person per year
  std::vector<double> entry_need;  // distribution of new clients over needs
  std::vector<std::vector<double>> transition;  // [from need][to need], yearly
  std::vector<double> mortality;   // [need][age band]: yearly probability of death

  struct InitialGroup {
    std::uint8_t subregion, need, age_from, age_to;
    std::uint32_t count;
  };
  std::vector<InitialGroup> initial;

  std::vector<double> places;  // [t][subregion]: nursing-home places

  // Informal care: share of home-care demand it covers, piecewise linear in the
  // ratio of potential carers to clients at home (flat beyond the end points).
  std::vector<double> informal_ratio, informal_share;

  // Client-driven demand.
  double hours_per_fte = 1500.0;                 // care hours one FTE delivers in a year
  // Share of the branch's base-year demand that moves with the modelled
  // clients (calibrated mode), or kFromNorms: the clients' own base-year FTE
  // by the norms (fte_per_resident, home hours, Wlz-at-home hours) over the
  // branch's base-year demand, per subregion (at most 1), so each client adds
  // exactly its norm's FTE and the rest of the branch grows with demand.growth.
  static constexpr double kFromNorms = -1.0;
  double nursing_home_client_share = 1.0, home_care_client_share = 1.0;
  std::vector<double> fte_per_resident;          // by need, nursing-home residents
  std::vector<double> home_hours;                // [setting][need]: home-care hours per client per year
  // Wlz clients living at home (waiting for a place, or served at home by
  // the indication policy): care hours per week by need, the profile's norm
  // (clients.demand.wlz_at_home_hours_per_week); their home-care FTE is
  // hours x 52 / hours_per_fte, without the informal share. Empty: they get
  // home_hours like other clients at home.
  std::vector<double> wlz_at_home_hours_per_week;
  // The indication-policy lever ([clients.indication_policy]): a share of new
  // indications for a light Wlz need is served at home in `at_home_setting`
  // (not queued for a place while the need stays light). -1: no lever.
  int at_home_setting = -1;
  std::vector<std::uint8_t> light_needs;  // by need
  double at_home_share = 0.0;
  std::vector<double> nursing_home_skill_mix;    // by occupation, sums to 1
  std::vector<double> home_care_skill_mix;       // by occupation, sums to 1

  int N() const { return static_cast<int>(needs.size()); }
  int Z() const { return static_cast<int>(settings.size()); }
  int A() const { return age_bands.count(); }
  double informal_share_at(double ratio) const {
    if (informal_ratio.empty()) return 0.0;
    if (ratio <= informal_ratio.front()) return informal_share.front();
    for (std::size_t i = 1; i < informal_ratio.size(); ++i) {
      if (ratio <= informal_ratio[i]) {
        const double f = (ratio - informal_ratio[i - 1]) / (informal_ratio[i] - informal_ratio[i - 1]);
        return informal_share[i - 1] + f * (informal_share[i] - informal_share[i - 1]);
      }
    }
    return informal_share.back();
  }
};

// ---------------------------------------------------------------- labour market

// [labour_market] (README.md, "The labour market"): who fills which job. Absent:
// enabled = false and every process runs exactly as before the section existed.
struct LabourMarket {
  bool enabled = false;
  // [qualification * O + job]: 1 when a worker with that qualification may hold
  // the job (its own occupation always; others from labour_market.may_fill).
  std::vector<std::uint8_t> may_fill;
  // The share of the base year's vacancy rate that is frictional (always open):
  // the labour market acts on the jobs open above it (processes/vacancies.cpp).
  double frictional_share = 0.0;
  // Entrant streams pick a cell from (1 - w) x today's rule + w x open vacancies.
  double vacancy_weight = 0.0;
  // By occupation, 1 where a career switcher may start (directly, or in a
  // programme of origin career_switcher for it): the share vacancy_weight of
  // those switchers picks its occupation by open jobs (labour_market.h,
  // switcher_split). Empty or all 0: every occupation keeps its given number.
  std::vector<std::uint8_t> switchers_may_start;

  // Demand-pulled recruitment: hires = min(U, V, A U^beta V^(1-beta)) per
  // (subregion, occupation), U = eligible reserve + outside pool, V = open vacancies.
  bool recruitment = false;
  double efficiency = 0.0;         // A
  double pool_elasticity = 0.5;    // beta
  std::vector<double> outside_pool;  // by occupation: people available a year in the region
  int outside_age_from = 20, outside_age_to = 55;

  // Occupational mobility: yearly job-change matrix [from][to] (empty: none),
  // off-diagonal entries x (1 + vacancy_elasticity x the destination's vacancy rate).
  std::vector<std::vector<double>> mobility;
  double mobility_vacancy_elasticity = 0.0;

  // Workload feedback: outflow hazard x min(cap, 1 + elasticity x max(0, last year's shortage rate)).
  double feedback_elasticity = 0.0, feedback_cap = 2.0;

  bool fills(int qualification, int job, int occupations) const {
    return may_fill[std::size_t(qualification) * occupations + job] != 0;
  }
};

// [calibration]: which parameters `careabm calibrate` may fit, and, in a fitted
// scenario, what was fitted to what and when.
struct FreeParameter {
  std::string key;  // dotted key path of a number in the scenario
  double lower = 0, upper = 0;
  double start = 0;  // the scenario's current value at `key`
};
struct Calibration {
  std::vector<FreeParameter> free;
  std::string fitted_on, fitted_to;
  std::vector<std::string> fitted_parameters;
  double fit_objective = 0;
};

// [uncertainty]: an uncertain number of the scenario and its band
// (scenarios/README.md, "Parameter uncertainty").
struct UncertainParameter {
  std::string key;    // dotted key path of a number the scenario sets
  stats::Band band;
  double value = 0;   // the scenario's value
  bool integer = false;  // the scenario holds a whole number there: draws are rounded
  // Where the band is written ([uncertainty] entry), and why it cannot be drawn
  // for this scenario (its value lies outside the band, or is a series); empty
  // when it can. Only `--uncertainty` needs the band, so only it refuses
  // (experiments/uncertainty.h): a scenario that extends another may move a
  // number outside the other's band.
  std::string file, problem;
  int line = 0;
};

struct Params {
  std::string name, description;
  int start_year = 2022, end_year = 2040;
  int replications = 10;
  std::uint64_t seed = 1;
  Categories cat;

  // workforce: initial population and attributes
  std::vector<InitialGroup> initial;
  // [occupation * 256 + age], years: an initial worker's tenure is
  // exponential with this mean, capped at age - entry_age
  // (workforce.initial_tenure_mean by occupation, or workforce.initial_tenure
  // by occupation and age band).
  std::vector<double> initial_tenure_mean;
  double tenure_mean(int occupation, int age) const { return initial_tenure_mean[std::size_t(occupation) * 256 + age]; }
  int entry_age = 16;
  double female_share = 0.9;
  double full_time_hours = 36.0;
  std::vector<double> hours_mean;        // by branch, employees
  double hours_sd = 6.0, hours_min = 4.0, hours_max = 40.0;
  double self_employed_hours = 32.0;
  std::vector<double> self_employed_share;  // by occupation, initial
  std::vector<double> absence;              // by branch
  // State pension age in years; may be fractional (e.g. 66.583 = 66 years 7
  // months): a worker retires in the year of its birthday at floor(age) with
  // probability 1 - the fraction (the share of birthdays early enough in the
  // year to reach the exact age in it), and for sure a year later.
  double pension_age = 67;
  int pension_age_whole() const { return static_cast<int>(std::ceil(pension_age)); }  // everyone is retired at this age

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
  // By occupation: reserve members at the start per initial worker of each
  // cell (their years since leaving follow the re-entry hazards' steady state).
  std::vector<double> initial_reserve_ratio;

  std::vector<InflowSource> inflows;

  // demand (workforce side of issue 2): base-year supply x (1 + vacancy ratio), grown per branch
  std::vector<double> vacancy_ratio, demand_growth;  // by branch
  // Client-driven demand (nursing-home and home-care branches) is scaled so that the
  // base year equals base-year supply x (1 + vacancy ratio); false: absolute FTE.
  bool calibrate_demand = true;

  Training training;
  Clients clients;
  LabourMarket labour_market;
  Calibration calibration;
  std::vector<UncertainParameter> uncertainty;
  std::vector<Intervention> interventions;  // [interventions.<name>], in name order

  // Run option, not a scenario key: years whose agent microdata the run keeps.
  std::vector<int> agents_out;

  // Inputs over time (scenario/series.h): when the scenario has yearly series,
  // the parameters of every simulated year (by_year[t], t = 0 the start year;
  // this object is by_year[0]); empty otherwise. With series, demand_index[b]
  // is the cumulative demand growth of branch b up to this year (its yearly
  // rates may change); empty: (1 + growth)^t.
  std::shared_ptr<const std::vector<Params>> by_year;
  std::vector<double> demand_index;

  int years() const { return end_year - start_year + 1; }
  // The parameters of year t (index from the start year).
  const Params& at(int t) const { return by_year ? (*by_year)[t] : *this; }
};

}  // namespace careabm
