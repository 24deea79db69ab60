// Interventions as resolved from a scenario's [interventions.<name>] tables
// (scenarios/README.md, "Interventions"). Only what the yearly processes need:
// the kind, when it starts and how fast it ramps up, its size, its target
// group as flags per category id, and its cost per unit. The effect of one
// year is computed by the interventions process (processes/interventions.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace careabm {

enum class InterventionKind : std::uint8_t {
  retention,              // outflow hazard x (1 - effect) for a target group
  training_cohort,        // extra yearly enrolment in a programme
  contract_hours,         // extra hours for part-timers below a threshold, with an uptake share
  career_switchers,       // extra yearly career switchers per occupation
  technology,             // demand x (1 - effect) in target branches (and occupations)
  reablement,             // need transitions toward heavier needs x (1 - effect), row renormalised
  task_shift,             // a share of one occupation's demand moved to another in target branches
  nursing_home_capacity,  // nursing-home places added per subregion
  absence_reduction,      // sickness absence x (1 - effect) in target branches
  informal_care_support,  // informal-care share x (1 + effect), at most 1
};

// Interventions per scenario are limited so that the uids of the extra agents
// they add (trainees, career switchers) have their own origin codes.
constexpr int kMaxInterventions = 64;

struct Intervention {
  std::string name;
  InterventionKind kind = InterventionKind::retention;
  int start_year = 0;      // first year with an effect
  int ramp_up_years = 0;   // 0 or 1: full effect at once; R: 1/R, 2/R, ... of it in the first R years
  double effect = 0.0;     // share (retention, technology, reablement, task_shift, absence_reduction)
                           // or relative increase (informal_care_support)
  double cost_per_unit = 0.0;  // euro per unit of the kind (scenarios/README.md)

  // Target group: 1 per category id that is targeted (all ones when not restricted).
  std::vector<std::uint8_t> occupations, branches, subregions, needs;
  int tenure_below = 256;          // retention: a starter's first tenure_below years in the sector (adjustments.h)
  int age_from = 0, age_to = 255;  // retention: ages in [age_from, age_to]

  // Amounts per category (per year, at full effect).
  std::vector<double> extra_enrolment;  // training_cohort: by subregion (when given as a table)
  double extra_enrolment_total = -1.0;  // training_cohort: a total split over subregions (when a number)
  std::vector<double> extra_per_year;   // career_switchers: by occupation
  std::vector<double> extra_places;     // nursing_home_capacity: by subregion
  int programme = -1;                   // training_cohort: programme id
  double extra_hours = 0.0, below_hours = 0.0, uptake = 1.0;  // contract_hours
  int from_occupation = -1, to_occupation = -1;               // task_shift
  int inflow_age_from = 25, inflow_age_to = 50;               // career_switchers

  // Share of the full effect reached in `year`: 0 before the start, then
  // rising linearly over ramp_up_years to 1.
  double ramp(int year) const {
    if (year < start_year) return 0.0;
    if (ramp_up_years <= 1) return 1.0;
    return std::min(1.0, double(year - start_year + 1) / double(ramp_up_years));
  }
};

}  // namespace careabm
