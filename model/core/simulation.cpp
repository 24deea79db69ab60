#include "core/simulation.h"

#include <cmath>

#include "processes/year.h"

namespace careabm {

WorkerStore initial_workforce(const Params& p, int replication) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  WorkerStore w;
  std::size_t total = 0;
  for (const auto& g : p.initial) total += g.count;
  w.reserve(total + total / 2);
  const auto female = rng::threshold(p.female_share);
  std::uint64_t index = 0;
  for (const auto& g : p.initial) {
    const double self_employed = p.self_employed_share[g.occupation];
    for (std::uint32_t j = 0; j < g.count; ++j, ++index) {
      const auto uid = make_uid(0, 0, index);
      const auto a = stream.draw(p.start_year, uid, rng::Event::init_age);
      const auto h = stream.draw(p.start_year, uid, rng::Event::init_hours);
      WorkerStore::New n{};
      n.uid = uid;
      n.subregion = g.subregion;
      n.branch = g.branch;
      n.occupation = g.occupation;
      n.age = static_cast<std::uint8_t>(g.age_from + int(rng::to_unit(a[0]) * (g.age_to - g.age_from + 1)));
      // Tenure: exponential with the scenario's mean, capped by the years since the entry age.
      const double tenure = -p.initial_tenure_mean * std::log(rng::to_unit(a[1]));
      n.tenure = static_cast<std::uint8_t>(std::fmin(tenure, double(std::max(0, n.age - p.entry_age))));
      n.female = a[2] < female;
      n.employment = rng::to_unit(a[3]) < self_employed ? Employment::self_employed : Employment::employee;
      n.hours = n.employment == Employment::self_employed ? static_cast<float>(p.self_employed_hours)
                                                          : draw_hours(p, g.branch, h[0], h[1]);
      w.add(n);
    }
  }
  return w;
}

// The year loop. Order (documented in README "The model"): ageing, outflow,
// transfer, re-entry from the reserve, inflow; then the year-end stocks
// (supply) and demand. The start year holds the initial population, no flows.
RunResult simulate(const Params& p, int replication) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  RunResult out(p.years(), p.cat.cells());
  WorkerStore w = initial_workforce(p, replication);
  for (int t = 0; t < p.years(); ++t) {
    const Year y{p, stream, t, p.start_year + t, out};
    if (t > 0) {
      ageing(w, y);
      outflow(w, y);
      transfer(w, y);
      reentry(w, y);
      inflow(w, y);
      w.compact();
    }
    supply(w, y);
    demand(y);
  }
  return out;
}

}  // namespace careabm
