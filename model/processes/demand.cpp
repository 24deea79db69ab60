// Demand and shortage. Base-year demand per cell = base-year supply plus
// vacancies (supply x the branch's vacancy ratio); later years grow it by the
// branch's yearly demand growth. Shortage = demand - supply in FTE; in persons
// it is divided by the FTE one worker of that cell supplies on average (the
// part-time factor net of absence), so it counts people like the cell's
// current workers.
#include <cmath>

#include "processes/year.h"

namespace careabm {

void demand(const Year& y) {
  const Params& p = y.p;
  RunResult& out = y.out;
  for (int s = 0; s < p.cat.S(); ++s)
    for (int b = 0; b < p.cat.B(); ++b) {
      // Fallback FTE per person for a cell with nobody in it: the branch's mean contract.
      const double typical = p.hours_mean[b] / p.full_time_hours * (1.0 - p.absence[b]);
      for (int o = 0; o < p.cat.O(); ++o) {
        const int cell = p.cat.cell(s, b, o);
        const std::size_t k = out.at(y.t, cell), k0 = out.at(0, cell);
        const double base = out.fte[k0] * (1.0 + p.vacancy_ratio[b]);
        out.demand[k] = base * std::pow(1.0 + p.demand_growth[b], y.t);
        out.shortage_fte[k] = out.demand[k] - out.fte[k];
        const double per_person = out.headcount[k] > 0 ? out.fte[k] / double(out.headcount[k]) : typical;
        out.shortage_persons[k] = out.shortage_fte[k] / per_person;
      }
    }
}

}  // namespace careabm
