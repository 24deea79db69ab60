#include "simulation/initial_population.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "processes/labour_market.h"
#include "processes/year.h"

namespace careabm {

namespace {

// Calls fill(group, j_begin, j_end, row) for the members j_begin .. j_end-1
// of each group (row: where member j_begin goes), where group g's members
// are rows first[g] .. first[g+1]-1 of [0, first.back()), split into parts
// across the team's threads (boundaries at multiples of a chunk of draws).
template <class Fill>
void fill_groups(Team* team, const std::vector<std::uint64_t>& first, Fill fill) {
  const std::size_t n = first.back();
  const int parts = parts_for(team, n, rng::Chunk::kSize);
  auto part = [&](int k) {
    const Rows rows = part_rows(n, parts, k, rng::Chunk::kSize);
    for (std::size_t g = 0; g + 1 < first.size(); ++g) {
      const std::size_t from = std::max<std::size_t>(rows.begin, first[g]), to = std::min<std::size_t>(rows.end, first[g + 1]);
      if (from < to) fill(g, from - first[g], to - first[g], from);
    }
  };
  if (parts == 1) part(0);
  else team->run(parts, part);
}

// A worker of an initial group: age uniform over the group's range; tenure
// exponential with the scenario's mean, capped by the years since the entry
// age; sex; employment type (by the occupation's self-employed share) and
// contract hours.
WorkerStore::New initial_worker(const Params& p, const InitialGroup& g, std::uint64_t uid,
                                const rng::Block& a, const rng::Block& h, double self_employed_share) {
  WorkerStore::New n{};
  n.uid = uid;
  n.subregion = g.subregion;
  n.branch = g.branch;
  n.occupation = g.occupation;
  n.age = static_cast<std::uint8_t>(g.age_from + int(rng::to_unit(a[0]) * (g.age_to - g.age_from + 1)));
  const double tenure = -p.tenure_mean(g.occupation, n.age) * std::log(rng::to_unit(a[1]));
  n.tenure = static_cast<std::uint8_t>(std::fmin(tenure, double(std::max(0, n.age - p.entry_age))));
  n.female = a[2] < rng::threshold(p.female_share);
  n.employment = rng::to_unit(a[3]) < self_employed_share ? Employment::self_employed : Employment::employee;
  n.hours = n.employment == Employment::self_employed ? static_cast<float>(p.self_employed_hours)
                                                      : draw_hours(p, g.branch, h[0]);
  return n;
}

// The reserve at the start: people qualified for a cell who left in earlier
// years (reentry.initial_reserve_ratio of the occupation per initial worker
// of the cell), with ages from the cell's age range, all employees when they
// left. Years since leaving, at the end of the start year (0: left that
// year, as anyone leaving in a simulated year is at its end), are 0 ..
// max_years_in_reserve - 1 in the steady state of the re-entry hazards: in
// proportion to the share of a yearly cohort of leavers still in the reserve
// k years on, prod_{j=1..k} (1 - hazard(j)). So next year every member is
// 1..max years out and may return, none past the maximum, and the returners
// of the first year are those of a reserve that has been running for years.
// Their uids have their own origin, so they never shift the draws of the
// active workers.
void add_initial_reserve(WorkerStore& w, const Params& p, const rng::Stream& stream, Team* team) {
  double any = 0;
  for (double r : p.initial_reserve_ratio) any += r;
  if (any <= 0) return;
  std::vector<double> cumulative(p.reserve_max_years);
  double still = 1.0;
  for (int k = 0; k < p.reserve_max_years; ++k) {
    if (k > 0) still *= 1.0 - p.reentry_hazard[p.reserve_bands.band(k)];
    cumulative[k] = (k > 0 ? cumulative[k - 1] : 0.0) + still;
  }
  std::vector<std::uint64_t> first(p.initial.size() + 1, 0);  // index of each group's first member
  for (std::size_t g = 0; g < p.initial.size(); ++g) {
    const auto& group = p.initial[g];
    first[g + 1] = first[g] + static_cast<std::uint64_t>(std::llround(group.count * p.initial_reserve_ratio[group.occupation]));
  }
  const std::size_t base = w.size();
  w.resize(base + first.back(), team);
  fill_groups(team, first, [&](std::size_t g, std::uint64_t j0, std::uint64_t j1, std::size_t index) {
    std::size_t row = base + index;
    rng::draw_pairs(
        stream, p.start_year, rng::Event::init_age, rng::Event::init_hours, j1 - j0,
        [&](std::uint64_t j) { return make_uid(kInitialReserveOrigin, 0, first[g] + j0 + j); },
        [&](std::uint64_t uid, const rng::Block& a, const rng::Block& h) {
          w.set(row, initial_worker(p, p.initial[g], uid, a, h, 0.0));
          w.state[row] = WorkerState::reserve;
          w.since_left[row] = static_cast<std::uint8_t>(pick(cumulative, rng::to_unit(a[3])));
          ++row;
        });
  });
}
// Workers already in upgrade training at the start: the steady state of the
// upgrade programmes. Each year a share r_g of the active workers of the
// occupation not in training enrols in programme g, and S_gk is the chance
// to survive its study years 1 .. k - 1, so in the steady state A workers
// not in training go with r_g S_gk A in study year k of g: of all eligible
// workers N = A (1 + sum_g r_g sum_k S_gk), a share r_g S_gk / (1 + sum_g
// r_g sum_k S_gk). (Leaving the sector while in training is left out: it is
// a few percent of a small group.) A worker is eligible for study year k if
// it was below the programme's maximum age when it enrolled k - 1 years ago.
// Without these, nobody would graduate from an upgrade in the first
// `duration` years: a start-up gap.
struct UpgradeCohort {
  int programme, study_year;
  double share;
};
std::vector<std::vector<UpgradeCohort>> upgrade_cohorts(const Params& p) {
  std::vector<std::vector<UpgradeCohort>> out(p.cat.O());
  if (!p.training.initial_cohorts) return out;
  const auto& progs = p.training.programmes;
  std::vector<double> in_training(p.cat.O(), 0.0);  // sum_g r_g sum_k S_gk per occupation
  for (int g = 0; g < static_cast<int>(progs.size()); ++g) {
    if (!progs[g].is_upgrade()) continue;
    double survival = 1.0;
    for (int k = 1; k <= progs[g].duration; ++k) {
      out[progs[g].upgrade_from].push_back({g, k, progs[g].upgrade_rate * survival});
      in_training[progs[g].upgrade_from] += progs[g].upgrade_rate * survival;
      survival *= 1.0 - progs[g].dropout[k - 1];
    }
  }
  for (int o = 0; o < p.cat.O(); ++o)
    for (auto& c : out[o]) c.share /= 1.0 + in_training[o];
  return out;
}

}  // namespace

WorkerStore initial_workforce(const Params& p, int replication, Team* team) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  WorkerStore w;
  std::vector<std::uint64_t> first(p.initial.size() + 1, 0);  // row (and uid index) of each group's first member
  for (std::size_t g = 0; g < p.initial.size(); ++g) first[g + 1] = first[g] + p.initial[g].count;
  const std::size_t total = first.back();
  // Room for the initial reserve and for years of newcomers before the
  // departed are compacted away: reserving only claims address space (pages
  // are touched when used), and growing the columns later would copy them all.
  double reserve = 0;
  for (const auto& g : p.initial) reserve += g.count * p.initial_reserve_ratio[g.occupation];
  w.reserve(std::size_t((double(total) + reserve) * 2.0) + 1024);
  w.resize(total, team);
  const auto upgrading = upgrade_cohorts(p);
  fill_groups(team, first, [&](std::size_t g, std::uint64_t j0, std::uint64_t j1, std::size_t row0) {
    const auto& cohorts = upgrading[p.initial[g].occupation];
    std::size_t row = row0;
    rng::draw_pairs(
        stream, p.start_year, rng::Event::init_age, rng::Event::init_hours, j1 - j0,
        [&](std::uint64_t j) { return make_uid(0, 0, first[g] + j0 + j); },
        [&](std::uint64_t uid, const rng::Block& a, const rng::Block& h) {
          const std::size_t i = row++;
          w.set(i, initial_worker(p, p.initial[g], uid, a, h, p.self_employed_share[p.initial[g].occupation]));
          // Already in upgrade training? (h[1]: a word the worker's other attributes do not use.)
          if (cohorts.empty()) return;
          const double u = rng::to_unit(h[1]);
          double cum = 0;
          for (const auto& c : cohorts) {
            if (w.age[i] - (c.study_year - 1) >= p.training.programmes[c.programme].upgrade_max_age) continue;
            cum += c.share;
            if (u < cum) {
              w.state[i] = WorkerState::in_upgrade_training;
              w.programme[i] = static_cast<std::uint8_t>(c.programme);
              w.study_year[i] = static_cast<std::uint8_t>(c.study_year);
              break;
            }
          }
        });
  });
  add_initial_reserve(w, p, stream, team);
  return w;
}

TraineeStore initial_trainees(const Params& p, int replication) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  TraineeStore tr;
  if (!p.training.initial_cohorts) return tr;
  const auto& progs = p.training.programmes;
  // With career switchers who follow open jobs (labour_market.h,
  // switcher_split), the cohorts already studying are those the base year's
  // open jobs give: in persons, each cell's initial headcount x its branch's
  // vacancy ratio (base-year demand = supply x (1 + ratio)), above the
  // frictional share of them (labour_market.frictional_share).
  Vacancies base;
  if (p.labour_market.enabled) {
    base.fte.assign(p.cat.cells(), 0.0), base.persons.assign(p.cat.cells(), 0.0), base.rate.assign(p.cat.cells(), 0.0);
    const double above = 1.0 - p.labour_market.frictional_share;
    for (const auto& g : p.initial) {
      const int c = p.cat.cell(g.subregion, g.branch, g.occupation);
      base.persons[c] += double(g.count) * p.vacancy_ratio[g.branch] * above;
      base.fte[c] = base.persons[c];
    }
  }
  for (int g = 0; g < static_cast<int>(progs.size()); ++g) {
    if (progs[g].is_upgrade()) continue;
    for (int s = 0; s < p.cat.S(); ++s) {
      double survival = 1.0;
      for (int k = 1; k <= progs[g].duration; ++k) {
        // Enrolled k - 1 years before the start year, survived study years 1 .. k - 1.
        const double expected = switcher_split(p, base, 1 - k).enrolment[g][s] * survival;
        const auto n = static_cast<std::uint64_t>(std::llround(expected));
        for (std::uint64_t j = 0; j < n; ++j) enrol_trainee(tr, p, stream, g, s, p.start_year - k + 1, j, k);
        survival *= 1.0 - progs[g].dropout[k - 1];
      }
    }
  }
  return tr;
}

ClientStore initial_clients(const Params& p, int replication, Team* team) {
  const rng::Stream stream(p.seed, static_cast<std::uint32_t>(replication));
  ClientStore c;
  const Clients& cp = p.clients;
  if (!cp.enabled) return c;
  std::vector<std::uint64_t> first(cp.initial.size() + 1, 0);  // row (and uid index) of each group's first member
  for (std::size_t g = 0; g < cp.initial.size(); ++g) first[g + 1] = first[g] + cp.initial[g].count;
  // Room for the initial clients and the growth of later years: growing the
  // columns while they are filled would copy them over and over.
  c.reserve(std::size_t(double(first.back()) * 1.5) + 1024);
  c.resize(first.back(), team);
  fill_groups(team, first, [&](std::size_t k, std::uint64_t j0, std::uint64_t j1, std::size_t row0) {
    const auto& g = cp.initial[k];
    std::size_t row = row0;
    rng::draw_each(
        stream, p.start_year, rng::Event::client_incidence, j1 - j0,
        [&](std::uint64_t j) { return make_uid(kInitialClientOrigin, 0, first[k] + j0 + j); },
        [&](std::uint64_t uid, const rng::Block& a) {
          const int age = g.age_from + static_cast<int>(rng::to_unit(a[0]) * (g.age_to - g.age_from + 1));
          c.set(row++, uid, g.subregion, g.need, static_cast<std::uint8_t>(cp.home_setting),
                static_cast<std::uint8_t>(age));
        });
  });
  return c;
}

}  // namespace careabm
