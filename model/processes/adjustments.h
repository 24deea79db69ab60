// The effect of the scenario's interventions in one year: the multipliers and
// additions that the yearly processes read from the Year context. The
// interventions process (interventions.cpp) computes them at the start of the
// year from the interventions, their start year and ramp-up; every other
// process only reads them. Without an intervention in effect every list is
// empty and the processes run exactly as they would without interventions
// (bit-identical: common random numbers before an intervention's start year).
//
// Units (for costs) are counted by the process that applies an effect, with
// Year::add_units(k, units), k = the intervention's index in Params::interventions.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/params.h"

namespace careabm {

// Uid origins of the extra agents interventions add (see make_uid): extra
// trainees of intervention k get origin kExtraTraineeOrigin + k, extra career
// switchers kExtraInflowOrigin + k, so they never shift the uids, and so the
// random draws, of the base scenario's agents (k < kMaxInterventions = 64).
constexpr std::uint32_t kExtraTraineeOrigin = 128, kExtraInflowOrigin = 192;

struct Adjustments {
  // One intervention in effect this year. `amount` is what the kind needs:
  // retention, technology, absence_reduction: the factor 1 - ramp x effect;
  // task_shift: the share moved, ramp x effect; informal_care_support: the
  // factor 1 + ramp x effect; contract_hours: the extra hours, ramp x extra_hours.
  struct Rule {
    int k;
    const Intervention* v;
    double amount;
  };
  std::vector<Rule> retention, contract_hours, technology, task_shift, absence, informal, reablement;

  struct ExtraEnrolment {
    int k, programme;
    std::vector<std::uint32_t> per_subregion;  // new trainees this year
  };
  std::vector<ExtraEnrolment> extra_enrolment;

  struct ExtraInflow {
    int k, occupation;
    std::uint32_t count;  // career switchers this year
    int age_from, age_to;
  };
  std::vector<ExtraInflow> extra_inflow;

  std::vector<std::int64_t> extra_places;       // by subregion; empty: none
  std::vector<std::vector<double>> transition;  // need transitions this year; empty: the scenario's

  bool any() const {
    return !retention.empty() || !contract_hours.empty() || !technology.empty() || !task_shift.empty() ||
           !absence.empty() || !informal.empty() || !reablement.empty() || !extra_enrolment.empty() ||
           !extra_inflow.empty() || !extra_places.empty() || !transition.empty();
  }

  // The retention factor of a worker (product over the retention rules whose
  // target group holds the worker); `hit` is called with each matching rule.
  // `tenure` is counted at the outflow step, after the yearly ageing, so a
  // starter in the first or second year in the sector has tenure 1 or 2 there:
  // tenure_below = N covers a starter's first N years (tenure <= N), as the
  // outflow tenure bands do ([0, 3) = less than 2 years' tenure).
  template <class Hit>
  double retention_factor(int occupation, int branch, int subregion, int age, int tenure, Hit hit) const {
    double factor = 1.0;
    for (const Rule& r : retention) {
      const Intervention& v = *r.v;
      if (!v.occupations[occupation] || !v.branches[branch] || !v.subregions[subregion]) continue;
      if (tenure > v.tenure_below || age < v.age_from || age > v.age_to) continue;
      factor *= r.amount;
      hit(r);
    }
    return factor;
  }

  // The factor of sickness absence in a branch (product over absence rules).
  double absence_factor(int branch) const {
    double factor = 1.0;
    for (const Rule& r : absence) {
      if (r.v->branches[branch]) factor *= r.amount;
    }
    return factor;
  }
};

// No intervention in effect (the default of a Year).
inline const Adjustments& no_adjustments() {
  static const Adjustments none;
  return none;
}

}  // namespace careabm
