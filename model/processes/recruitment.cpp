// Demand-pulled recruitment (recruitment.h).
#include <cmath>
#include <vector>

#include "processes/recruitment.h"

namespace careabm {

namespace {

constexpr std::uint32_t kRecruitedOrigin = 40;  // uid origin of outside recruits (see make_uid)

}  // namespace

void recruitment(WorkerStore& w, const Year& y, const RecruitmentPool& pool) {
  const Params& p = y.p;
  const LabourMarket& lm = p.labour_market;
  if (!lm.recruitment || y.t == 0 || y.vacancies.empty()) return;
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  RunResult& out = y.out;

  // Vacancies still open per cell, and their branch weights per (subregion, occupation).
  const std::vector<double> open = open_left(p, y.vacancies, out, y.t);
  std::vector<CellWeights> branches(std::size_t(S) * O);
  std::vector<double> vacancies(std::size_t(S) * O, 0.0);
  for (int s = 0; s < S; ++s)
    for (int o = 0; o < O; ++o)
      for (int b = 0; b < B; ++b) {
        const int c = p.cat.cell(s, b, o);
        branches[std::size_t(s) * O + o].add(c, open[c]);
        vacancies[std::size_t(s) * O + o] += open[c];
      }

  // The reserve's part of the pool (counted in the worker pass).
  std::vector<double> reserve_pool(pool.counts().begin(), pool.counts().end());
  // The outside pool, split over subregions like last year's headcount of the occupation.
  std::vector<double> outside_pool(std::size_t(S) * O, 0.0);
  for (int o = 0; o < O; ++o) {
    std::vector<double> head(S, 0.0);
    double total = 0;
    for (int s = 0; s < S; ++s) {
      for (int b = 0; b < B; ++b) head[s] += double(out.headcount[out.at(y.t - 1, p.cat.cell(s, b, o))]);
      total += head[s];
    }
    for (int s = 0; s < S; ++s)
      outside_pool[std::size_t(s) * O + o] = lm.outside_pool[o] * (total > 0 ? head[s] / total : 1.0 / S);
  }

  // Hires per (subregion, occupation) and the reserve members' hiring probability.
  std::vector<std::uint64_t> hire_reserve(std::size_t(S) * O, 0);
  std::vector<double> from_outside(std::size_t(S) * O, 0.0);
  for (std::size_t k = 0; k < hire_reserve.size(); ++k) {
    const double people = reserve_pool[k] + outside_pool[k];
    const double hires = matching_hires(lm.efficiency, lm.pool_elasticity, people, vacancies[k]);
    if (hires <= 0) continue;
    hire_reserve[k] = rng::threshold(hires / people);
    from_outside[k] = hires * outside_pool[k] / people;
  }

  // Reserve members.
  const WorkerState* const state = w.state.data();
  auto looking = [&](std::size_t i) {
    return bool((state[i] == WorkerState::reserve) & (w.since_left[i] != 0) &
                (hire_reserve[std::size_t(w.subregion[i]) * O + w.qualification[i]] != 0));
  };
  for_each_draw(w.uid, y, rng::Event::recruitment, looking, [&](std::size_t i, const rng::Block& d) {
    const std::size_t k = std::size_t(w.subregion[i]) * O + w.qualification[i];
    if (d[0] >= hire_reserve[k]) return;
    const int cell = branches[k].pick(rng::to_unit(d[1]));
    w.state[i] = WorkerState::active;
    w.since_left[i] = 0;
    w.occupation[i] = w.qualification[i];
    w.branch[i] = static_cast<std::uint8_t>((cell / O) % B);
    y.count(cell, kInRecruitedReserve);
  });

  // The outside pool: whole people (stochastic rounding), then their attributes.
  const auto female = rng::threshold(p.female_share);
  for (int s = 0; s < S; ++s)
    for (int o = 0; o < O; ++o) {
      const std::size_t k = std::size_t(s) * O + o;
      if (from_outside[k] <= 0) continue;
      const std::uint64_t group = (std::uint64_t(s) << 32) | (std::uint64_t(o) << 24);
      const auto round = y.rng.draw(y.year, make_uid(kRecruitedOrigin, y.year, group | 0xFFFFFFu),
                                    rng::Event::recruitment);
      const double whole = std::floor(from_outside[k]);
      const auto n = static_cast<std::uint64_t>(whole) +
                     (rng::to_unit(round[0]) < from_outside[k] - whole ? 1u : 0u);
      rng::draw_pairs(
          y.rng, y.year, rng::Event::recruitment_attributes, rng::Event::recruitment, n,
          [&](std::uint64_t j) { return make_uid(kRecruitedOrigin, y.year, group | j); },
          [&](std::uint64_t uid, const rng::Block& a, const rng::Block&) {
            const int cell = branches[k].pick(rng::to_unit(a[0]));
            const int branch = (cell / O) % B;
            WorkerStore::New n_{};
            n_.uid = uid;
            n_.subregion = static_cast<std::uint8_t>(s);
            n_.branch = static_cast<std::uint8_t>(branch);
            n_.occupation = static_cast<std::uint8_t>(o);
            const int span = lm.outside_age_to - lm.outside_age_from + 1;
            n_.age = static_cast<std::uint8_t>(lm.outside_age_from + static_cast<int>(rng::to_unit(a[1]) * span));
            n_.tenure = 0;
            n_.hours = draw_hours(p, branch, a[2]);
            n_.employment = Employment::employee;
            n_.female = a[3] < female;
            w.add(n_);
            y.count(cell, kInRecruitedOutside);
          });
    }
}

}  // namespace careabm
