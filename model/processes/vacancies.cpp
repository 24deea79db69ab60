// Vacancies: the jobs open at the start of the year, which the labour
// market's entrants follow (README.md, "The labour market").
//
// Measured once a year, after this year's demand is known (clients,
// placement and demand run first) and before any worker flows: open =
// max(0, demand this year - supply at the end of last year) per cell, in FTE.
// That is what employers can see when the year starts: this year's care to
// give, against the staff they have. The entrant streams and recruitment
// take jobs from what the year's flows so far left of it (open_left,
// labour_market.h), from the signed gap: a cell in surplus opens jobs only
// once its leavers have worked the surplus off.
// In persons: divided by the FTE one worker of the cell supplied last year.
// The rate (open / demand) drives occupational mobility.
//
// Frictional open jobs (labour_market.frictional_share, phi): a market that
// turns over always has jobs open between one holder and the next. The
// base year's vacancies held at their rate with the flows the sector had
// then (CBS: 4.2% open while 12.8% entered), so a share phi of the base
// year's vacancy rate is taken as that normal level and the labour market's
// pulls (entrants, switchers, mobility, recruitment) act on the jobs open
// above it: open = max(0, demand - phi x r/(1 + r) x demand - last year-end
// supply), r the branch's vacancy_ratio (r/(1 + r) x demand is the base
// year's open jobs, scaled with demand). The shortage the run reports is
// still demand - supply.
#include <cmath>

#include "processes/year.h"

namespace careabm {

void vacancies(Vacancies& v, const Year& y) {
  const Params& p = y.p;
  v = Vacancies{};
  if (!p.labour_market.enabled || y.t == 0) return;
  const RunResult& out = y.out;
  const int cells = p.cat.cells();
  v.fte.assign(cells, 0.0), v.persons.assign(cells, 0.0), v.rate.assign(cells, 0.0), v.gap.assign(cells, 0.0);
  v.fte_per_person.assign(cells, 0.0);
  const double phi = p.labour_market.frictional_share;
  for (int c = 0; c < cells; ++c) {
    const double demand = out.demand[out.at(y.t, c)];
    const double r = p.vacancy_ratio[(c / p.cat.O()) % p.cat.B()];
    const double frictional = phi * r / (1.0 + r) * demand;
    const double gap = demand - frictional - out.fte[out.at(y.t - 1, c)];
    const double open = std::fmax(0.0, gap);
    v.fte[c] = open;
    const double per_person = fte_per_worker(p, out, y.t - 1, c);
    v.persons[c] = open / per_person;
    v.gap[c] = gap / per_person;
    v.fte_per_person[c] = per_person;
    v.rate[c] = demand > 0 ? open / demand : 0.0;
  }
}

}  // namespace careabm
