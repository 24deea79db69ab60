// Interventions: the effect of the scenario's [interventions.<name>] in this
// year, as Adjustments that the later processes read (the format and cost
// units are in scenarios/README.md, "Interventions").
//
// Each intervention acts from its start year, with ramp(year) of its full
// effect (rising linearly over ramp_up_years). What each kind changes:
//   retention              outflow: leaving hazard x (1 - r e) for the target group
//   training_cohort        training: r x extra_enrolment more trainees a year (own uids)
//   contract_hours         supply: + r x extra_hours for uptakers below below_hours
//   career_switchers       inflow: r x extra_per_year more career switchers (own uids)
//   technology             demand: x (1 - r e) in target cells
//   reablement             clients: transitions toward heavier needs x (1 - r e), row renormalised
//   task_shift             demand: r e of the `from` occupation's demand moved to `to`
//   nursing_home_capacity  placement: + r x extra_places places
//   absence_reduction      supply: sickness absence x (1 - r e)
//   informal_care_support  demand: informal share x (1 + r e), at most 1
// (r = ramp(year), e = effect). Extra people are whole numbers: rounded
// amounts each year. Units for costs of the counted kinds (extra trainees,
// switchers, places) are recorded here; the others by the process applying them.
#include <cmath>
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// Splits `total` new trainees over subregions in proportion to `weights`, one
// at a time to the subregion with the largest weight / (2 n + 1) (Sainte-Laguë).
// A larger total never gives a subregion fewer, so the extra trainees of a
// smaller total are a subset (same uids) of those of a larger one.
std::vector<std::uint32_t> split(std::uint64_t total, std::vector<double> weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  if (sum <= 0) std::fill(weights.begin(), weights.end(), 1.0);
  std::vector<std::uint32_t> n(weights.size(), 0);
  for (std::uint64_t i = 0; i < total; ++i) {
    std::size_t best = 0;
    double best_score = -1;
    for (std::size_t s = 0; s < weights.size(); ++s) {
      const double score = weights[s] / (2.0 * n[s] + 1.0);
      if (score > best_score) best = s, best_score = score;
    }
    ++n[best];
  }
  return n;
}

std::uint32_t whole(double x) { return static_cast<std::uint32_t>(std::llround(x)); }

void add_extra_enrolment(Adjustments& adj, const Year& y, int k, const Intervention& v, double r) {
  Adjustments::ExtraEnrolment e{k, v.programme, {}};
  if (v.extra_enrolment_total >= 0) {
    e.per_subregion =
        split(whole(r * v.extra_enrolment_total), y.p.training.programmes[v.programme].enrolment);
  } else {
    for (double n : v.extra_enrolment) e.per_subregion.push_back(whole(r * n));
  }
  double total = 0;
  for (auto n : e.per_subregion) total += n;
  y.add_units(k, total);
  adj.extra_enrolment.push_back(std::move(e));
}

// Transitions toward heavier needs (later in the needs list) x factor for the
// target needs, each changed row divided by its new sum.
void slow_progression(std::vector<std::vector<double>>& m, const Intervention& v, double factor) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (!v.needs[i]) continue;
    double sum = 0;
    for (std::size_t j = 0; j < m.size(); ++j) {
      if (j > i) m[i][j] *= factor;
      sum += m[i][j];
    }
    if (sum > 0) {
      for (double& x : m[i]) x /= sum;
    }
  }
}

}  // namespace

void interventions(Adjustments& adj, const Year& y) {
  adj = Adjustments{};
  const Params& p = y.p;
  for (int k = 0; k < static_cast<int>(p.interventions.size()); ++k) {
    const Intervention& v = p.interventions[k];
    const double r = v.ramp(y.year);
    if (r <= 0) continue;
    switch (v.kind) {
      case InterventionKind::retention:
        adj.retention.push_back({k, &v, 1.0 - r * v.effect});
        break;
      case InterventionKind::technology:
        adj.technology.push_back({k, &v, 1.0 - r * v.effect});
        break;
      case InterventionKind::absence_reduction:
        adj.absence.push_back({k, &v, 1.0 - r * v.effect});
        break;
      case InterventionKind::reablement:
        adj.reablement.push_back({k, &v, 1.0 - r * v.effect});
        break;
      case InterventionKind::task_shift:
        adj.task_shift.push_back({k, &v, r * v.effect});
        break;
      case InterventionKind::informal_care_support:
        adj.informal.push_back({k, &v, 1.0 + r * v.effect});
        break;
      case InterventionKind::contract_hours:
        adj.contract_hours.push_back({k, &v, r * v.extra_hours});
        break;
      case InterventionKind::training_cohort:
        add_extra_enrolment(adj, y, k, v, r);
        break;
      case InterventionKind::career_switchers:
        for (int o = 0; o < p.cat.O(); ++o) {
          const auto n = whole(r * v.extra_per_year[o]);
          if (n == 0) continue;
          adj.extra_inflow.push_back({k, o, n, v.inflow_age_from, v.inflow_age_to});
          y.add_units(k, n);
        }
        break;
      case InterventionKind::nursing_home_capacity: {
        if (adj.extra_places.empty()) adj.extra_places.assign(p.cat.S(), 0);
        double added = 0;
        for (int s = 0; s < p.cat.S(); ++s) {
          const auto n = whole(r * v.extra_places[s]);
          adj.extra_places[s] += n;
          added += n;
        }
        y.add_units(k, added);  // place-years
        break;
      }
    }
  }
  if (!adj.reablement.empty()) {
    adj.transition = p.clients.transition;
    for (const auto& rule : adj.reablement) slow_progression(adj.transition, *rule.v, rule.amount);
  }
}

}  // namespace careabm
