// Demand (README.md, "The model"), computed before the year's worker flows: it
// depends on the clients and on base-year supply only, so the labour market
// can measure this year's open vacancies against it (vacancies.cpp); the
// shortage follows at the end of the year (shortage.cpp).
//
// Branches without clients (and every branch when the scenario has no
// [clients]): base-year demand per cell = base-year supply x (1 + the
// branch's vacancy ratio), grown by the branch's yearly demand growth.
//
// The nursing-home and home-care branches (scenario keys
// clients.nursing_home_branch, clients.home_care_branch) follow the clients:
//   nursing home: residents by need x FTE per resident x skill mix
//   home care:    clients at home by need and setting x hours per client per
//                 year / hours per FTE x skill mix x (1 - informal share);
//                 Wlz clients at home (waiting, or served at home by the
//                 indication policy), with clients.demand.wlz_at_home_hours_per_week:
//                 their profile's hours a week x 52 / hours per FTE (formal
//                 care: no informal share)
// The informal share of a subregion comes from the ratio of potential carers
// (population in the carer age range) to clients at home.
// Calibration (demand.calibrate_to_base_year, default true): demand in a cell
// = base-year supply x (1 + vacancy ratio) x client-driven demand / its
// base-year value, so the base year equals supply plus vacancies exactly and
// later years move with the clients. (Per cell, the constant skill mix cancels;
// a cell whose base-year client-driven demand is 0 follows the total of its
// subregion and branch.) Only a share of the branch's base-year demand
// (clients.demand.<branch>_client_share, default all) moves with the clients;
// the rest grows with demand.growth, like the other branches. With the share
// "from_norms" it is the clients' own base-year FTE by the norms over the
// branch's base-year demand (per subregion, at most 1): the client part is
// then the norms' FTE itself, and every added client adds its norm. Without
// calibration the client-driven FTE is used as is.
//
// Interventions (y.adj): technology and task_shift change the demand of a
// (subregion, branch); informal_care_support
// raises the informal share.
#include <cmath>
#include <limits>
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// Informal share of home-care demand per subregion in year t.
double informal_share(const Params& p, const RunResult& out, int t, int s) {
  const Clients& cp = p.clients;
  if (cp.informal_ratio.empty()) return 0.0;
  double at_home = 0;
  for (int n = 0; n < cp.N(); ++n)
    for (int z = 0; z < cp.Z(); ++z)
      if (z != cp.nursing_home_setting) at_home += double(out.clients[out.client_at(t, s, n, z)]);
  const double carers = cp.carers[std::size_t(t) * p.cat.S() + s];
  const double ratio = at_home > 0 ? carers / at_home : std::numeric_limits<double>::infinity();
  return cp.informal_share_at(ratio);
}

// Client-driven FTE of subregion s and branch b before the skill mix (0 for other branches).
double client_fte(const Params& p, const RunResult& out, int t, int s, int b) {
  const Clients& cp = p.clients;
  double fte = 0;
  if (b == cp.nursing_home_branch) {
    for (int n = 0; n < cp.N(); ++n) {
      fte += double(out.clients[out.client_at(t, s, n, cp.nursing_home_setting)]) * cp.fte_per_resident[n];
    }
  } else if (b == cp.home_care_branch) {
    // Wlz clients at home get their profile's hours (formal care, no informal
    // share); everyone else the home hours of their setting and need.
    const bool norm = !cp.wlz_at_home_hours_per_week.empty();
    double hours = 0, wlz_hours = 0;
    for (int z = 0; z < cp.Z(); ++z)
      for (int n = 0; n < cp.N(); ++n) {
        const double clients = double(out.clients[out.client_at(t, s, n, z)]);
        if (norm && cp.nursing_home_eligible[n]) {
          if (z != cp.nursing_home_setting) wlz_hours += clients * cp.wlz_at_home_hours_per_week[n] * 52.0;
        } else {
          hours += clients * cp.home_hours[std::size_t(z) * cp.N() + n];
        }
      }
    fte = hours / cp.hours_per_fte * (1.0 - out.informal_share[out.subregion_at(t, s)]);
    if (norm) fte += wlz_hours / cp.hours_per_fte;
  }
  return fte;
}

// Interventions on demand (y.adj): technology lowers the demand of target
// cells, then task shifts move a share of one occupation's demand to another.
// Units: FTE of demand saved, FTE moved.
void adjust_demand(const Year& y, int s, int b) {
  const Params& p = y.p;
  auto demand_of = [&](int o) -> double& { return y.out.demand[y.out.at(y.t, p.cat.cell(s, b, o))]; };
  for (const auto& r : y.adj.technology) {
    if (!r.v->branches[b] || !r.v->subregions[s]) continue;
    for (int o = 0; o < p.cat.O(); ++o) {
      if (!r.v->occupations[o]) continue;
      y.add_units(r.k, demand_of(o) * (1.0 - r.amount));
      demand_of(o) *= r.amount;
    }
  }
  for (const auto& r : y.adj.task_shift) {
    if (!r.v->branches[b] || !r.v->subregions[s]) continue;
    const double moved = demand_of(r.v->from_occupation) * r.amount;
    demand_of(r.v->from_occupation) -= moved;
    demand_of(r.v->to_occupation) += moved;
    y.add_units(r.k, moved);
  }
}

// The informal share with informal_care_support interventions: x (1 + their
// effect), at most 1. Units: clients at home in the subregion.
double supported_informal_share(const Year& y, int s, double share) {
  if (y.adj.informal.empty()) return share;
  const Clients& cp = y.p.clients;
  double at_home = 0;
  for (int n = 0; n < cp.N(); ++n)
    for (int z = 0; z < cp.Z(); ++z)
      if (z != cp.nursing_home_setting) at_home += double(y.out.clients[y.out.client_at(y.t, s, n, z)]);
  for (const auto& r : y.adj.informal) {
    if (!r.v->subregions[s]) continue;
    share = std::fmin(1.0, share * r.amount);
    y.add_units(r.k, at_home);
  }
  return share;
}

}  // namespace

void demand(const Year& y) {
  const Params& p = y.p;
  const Clients& cp = p.clients;
  RunResult& out = y.out;
  if (cp.enabled) {
    for (int s = 0; s < p.cat.S(); ++s) {
      out.informal_share[out.subregion_at(y.t, s)] =
          supported_informal_share(y, s, informal_share(p, out, y.t, s));
    }
  }
  for (int s = 0; s < p.cat.S(); ++s)
    for (int b = 0; b < p.cat.B(); ++b) {
      const bool client_driven = cp.enabled && (b == cp.nursing_home_branch || b == cp.home_care_branch);
      const std::vector<double>* mix = !client_driven                ? nullptr
                                       : b == cp.nursing_home_branch ? &cp.nursing_home_skill_mix
                                                                     : &cp.home_care_skill_mix;
      // Cumulative demand growth since the start year (yearly rates may be a series).
      const double growth = p.demand_index.empty() ? std::pow(1.0 + p.demand_growth[b], y.t) : p.demand_index[b];
      const double total = client_driven ? client_fte(p, out, y.t, s, b) : 0.0;
      const double total0 = client_driven ? client_fte(p, out, 0, s, b) : 0.0;
      double share = !client_driven ? 0.0 : b == cp.nursing_home_branch ? cp.nursing_home_client_share
                                                                        : cp.home_care_client_share;
      if (share == Clients::kFromNorms) {  // the clients' base-year FTE by the norms, of the branch's base-year demand
        double base_demand = 0;
        for (int o = 0; o < p.cat.O(); ++o) base_demand += out.fte[out.at(0, p.cat.cell(s, b, o))] * (1.0 + p.vacancy_ratio[b]);
        share = base_demand > 0 ? std::fmin(1.0, total0 / base_demand) : 1.0;
      }
      for (int o = 0; o < p.cat.O(); ++o) {
        const int cell = p.cat.cell(s, b, o);
        const std::size_t k = out.at(y.t, cell), k0 = out.at(0, cell);
        const double base = out.fte[k0] * (1.0 + p.vacancy_ratio[b]);
        if (!client_driven) {
          out.demand[k] = base * growth;
        } else if (!p.calibrate_demand) {
          out.demand[k] = total * (*mix)[o];
        } else {
          const double raw = total * (*mix)[o], raw0 = total0 * (*mix)[o];
          const double client_index = raw0 > 0 ? raw / raw0 : total0 > 0 ? total / total0 : 1.0;
          out.demand[k] =
              base * (share * client_index + (1.0 - share) * growth);
        }
      }
      if (!y.adj.technology.empty() || !y.adj.task_shift.empty()) adjust_demand(y, s, b);
    }
}

}  // namespace careabm
