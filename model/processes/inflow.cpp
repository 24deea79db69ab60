// Inflow of newcomers from outside the region and of career switchers: a
// yearly number per occupation (growing at the source's rate); age is
// uniform over the source's range. A newcomer qualified as occupation o joins
// a (subregion, branch) with probability proportional to the headcount of o
// there at the end of last year (today's rule); with a labour market, a share
// labour_market.allocation.vacancy_weight of newcomers instead looks for an
// open job anywhere in the region, among the occupations o may hold, and
// takes one, in the order the newcomers are drawn (source, occupation,
// index), from those the year's flows so far left open
// (processes/labour_market.h, OpenJobs; where none is open, today's rule). Career switchers who may
// start in several occupations (labour_market.allocation.switchers_may_start)
// split over them partly by open jobs (switcher_split).
// Career-switcher campaigns (interventions) add newcomers the same way (y.adj).
#include <cmath>
#include <vector>

#include "processes/year.h"

namespace careabm {

namespace {

// Origin codes for uids (see make_uid): 1 + the flow kind of the source.
std::uint32_t origin_of(int flow) { return 1u + static_cast<std::uint32_t>(flow); }

// Cumulative headcount over (subregion, branch) for each occupation, at the end
// of last year (the latest stock the year loop has recorded).
std::vector<std::vector<double>> placement_weights(const Year& y) {
  const Params& p = y.p;
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  std::vector<std::vector<double>> cum(O, std::vector<double>(std::size_t(S) * B, 0.0));
  for (int s = 0; s < S; ++s)
    for (int b = 0; b < B; ++b)
      for (int o = 0; o < O; ++o)
        cum[o][std::size_t(s) * B + b] = double(y.out.headcount[y.out.at(y.t - 1, p.cat.cell(s, b, o))]);
  for (auto& row : cum) {
    double total = 0;
    for (double v : row) total += v;
    if (total == 0) std::fill(row.begin(), row.end(), 1.0);  // no one yet: spread evenly
    for (std::size_t j = 1; j < row.size(); ++j) row[j] += row[j - 1];
  }
  return cum;
}

}  // namespace

void inflow(WorkerStore& w, const Year& y) {
  const Params& p = y.p;
  if (p.inflows.empty() && y.adj.extra_inflow.empty()) return;
  const auto weights = placement_weights(y);
  const int B = p.cat.B(), O = p.cat.O();
  const double w_vacancy = p.labour_market.vacancy_weight;
  OpenJobs open(p, y.vacancies, open_left(p, y.vacancies, y.out, y.t), false);  // what the year's flows so far left
  const auto female = rng::threshold(p.female_share);
  // A newcomer of occupation o with its draws a (inflow_attributes) and b (inflow_extra).
  auto newcomer = [&](std::uint64_t uid, const rng::Block& a, const rng::Block& b, int o, int age_from,
                      int age_to, int flow) {
    const int where = pick(weights[o], rng::to_unit(a[0]));
    const int cell = open.place(p.cat.cell(where / B, where % B, o), 0, o, w_vacancy, b[1]);
    const int branch = (cell / O) % B, subregion = cell / (O * B);
    const int span = age_to - age_from + 1;
    WorkerStore::New n_{};
    n_.uid = uid;
    n_.subregion = static_cast<std::uint8_t>(subregion);
    n_.branch = static_cast<std::uint8_t>(branch);
    n_.occupation = static_cast<std::uint8_t>(cell % O);
    n_.qualification = static_cast<std::uint8_t>(o);
    n_.age = static_cast<std::uint8_t>(age_from + static_cast<int>(rng::to_unit(a[1]) * span));
    n_.tenure = 0;
    n_.hours = draw_hours(p, branch, a[2]);
    n_.employment = Employment::employee;
    n_.female = b[0] < female;
    w.add(n_);
    y.count(cell, flow);
  };
  // Career switchers' occupations follow open jobs where the scenario lets them (labour_market.h).
  const auto switchers = switcher_split(p, y.vacancies, y.t);
  for (const auto& source : p.inflows) {
    for (int o = 0; o < p.cat.O(); ++o) {
      const double expected = source.flow == kInCareerSwitchers
                                  ? switchers.direct[o]
                                  : source.per_year[o] * std::pow(1.0 + source.growth, y.t - 1);
      const auto n = static_cast<std::uint64_t>(std::llround(expected));
      rng::draw_pairs(
          y.rng, y.year, rng::Event::inflow_attributes, rng::Event::inflow_extra, n,
          [&](std::uint64_t j) {
            return make_uid(origin_of(source.flow), y.year, (std::uint64_t(o) << 24) | j);
          },
          [&](std::uint64_t uid, const rng::Block& a, const rng::Block& b) {
            newcomer(uid, a, b, o, source.age_from, source.age_to, source.flow);
          });
    }
  }
  // Extra career switchers of career_switchers interventions: their own uid origin per intervention.
  for (const auto& extra : y.adj.extra_inflow) {
    rng::draw_pairs(
        y.rng, y.year, rng::Event::inflow_attributes, rng::Event::inflow_extra, extra.count,
        [&](std::uint64_t j) {
          return make_uid(kExtraInflowOrigin + extra.k, y.year, (std::uint64_t(extra.occupation) << 24) | j);
        },
        [&](std::uint64_t uid, const rng::Block& a, const rng::Block& b) {
          newcomer(uid, a, b, extra.occupation, extra.age_from, extra.age_to, kInCareerSwitchers);
        });
  }
}

}  // namespace careabm
