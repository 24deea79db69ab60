// Shortage (README.md, "The model"), at the end of the year, once supply is
// known: demand - supply in FTE; in persons it is divided by the FTE one
// worker of that cell supplies on average (the part-time factor net of
// absence; BBL trainees' FTE left out), so it counts people like the cell's
// current workers. Negative is a surplus.
//
// Honest totals: a surplus of helpers does not nurse anyone, so besides the
// net figure every cell records its unfilled demand, max(0, shortage in
// persons), and its surplus, max(0, -shortage in persons); summed over cells
// they never offset each other.
#include <cmath>

#include "processes/year.h"

namespace careabm {

void shortage(const Year& y) {
  const Params& p = y.p;
  RunResult& out = y.out;
  for (int c = 0; c < p.cat.cells(); ++c) {
    const std::size_t k = out.at(y.t, c);
    out.shortage_fte[k] = out.demand[k] - out.fte[k];
    out.shortage_persons[k] = out.shortage_fte[k] / fte_per_worker(p, out, y.t, c);
    out.unfilled[k] = std::fmax(0.0, out.shortage_persons[k]);
    out.surplus[k] = std::fmax(0.0, -out.shortage_persons[k]);
  }
}

}  // namespace careabm
