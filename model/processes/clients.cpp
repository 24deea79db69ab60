// Clients: older people receiving formal long-term care (README.md, "The model").
// Each year every client is a year older and may die (probability by need
// level and age band; everyone reaching the maximum age dies); survivors'
// needs move by the yearly transition matrix. A resident whose need is no
// longer one that a nursing home takes goes home. Then new clients arrive:
// population x incidence per subregion and age band (rounded to whole
// persons), entering at a need drawn from the entry distribution, at home.
// Placement in nursing homes is the next process (placement.cpp); this pass
// counts its census and queue (PlacementCensus) as each client's year ends.
// The indication-policy lever ([clients.indication_policy]): a client at
// home who is newly indicated for a light Wlz need (a new client, or one whose
// need moves into it) is served at home, in the policy's own setting and not
// queued for a place while the need stays light, with the policy's share
// (word 2 of the client's draw).
#include <algorithm>
#include <cmath>
#include <vector>

#include "processes/placement.h"

namespace careabm {

namespace {
std::vector<double> cumulative(const std::vector<double>& v) {
  std::vector<double> out(v);
  for (std::size_t j = 1; j < out.size(); ++j) out[j] += out[j - 1];
  return out;
}

// A row-stochastic matrix as 32-bit thresholds: a word w picks column
// #{k < n-1 : w >= to[r][k]}, i.e. column j with probability m[r][j] (up to
// rounding to 2^-32). Counting instead of searching has no branch to mispredict.
struct Columns {
  int n = 0;
  std::vector<std::uint64_t> to;  // [r * n + k]: P(column <= k) as a threshold
  explicit Columns(const std::vector<std::vector<double>>& m) : n(static_cast<int>(m.size())) {
    for (const auto& row : m) {
      const auto cum = cumulative(row);
      for (double c : cum) to.push_back(rng::threshold(c / cum.back()));
    }
  }
  std::uint8_t pick(int r, std::uint32_t word) const {
    const std::uint64_t* row = to.data() + std::size_t(r) * n;
    int j = 0;
    for (int k = 0; k + 1 < n; ++k) j += word >= row[k];
    return static_cast<std::uint8_t>(j);
  }
};
}  // namespace

void clients(ClientStore& c, const Year& y, PlacementCensus& census) {
  const Params& p = y.p;
  const Clients& cp = p.clients;
  if (!cp.enabled) return;
  RunResult& out = y.out;
  const int A = cp.A();
  // Death thresholds by need and age in years (one lookup per client).
  std::vector<std::uint64_t> death(std::size_t(cp.N()) * 256);
  for (int need = 0; need < cp.N(); ++need)
    for (int v = 0; v < 256; ++v) {
      death[std::size_t(need) * 256 + v] =
          v >= cp.max_age ? std::uint64_t{1} << 32
                          : rng::threshold(cp.mortality[std::size_t(need) * A + cp.age_bands.band(v)]);
    }
  // Reablement interventions slow need progression this year (y.adj.transition).
  const Columns next(y.adj.transition.empty() ? cp.transition : y.adj.transition);
  const auto home = static_cast<std::uint8_t>(cp.home_setting);

  // One draw per client: word 0 decides death, word 1 the survivor's new need.
  // Decisions are computed, not branched on (they are random, so branches
  // would be mispredicted). Survivors are written back to row `kept` <= i in
  // the same pass (every column, unconditionally), so the dead leave the store
  // in order; a row's uid is read (drawn) before any write can reach it.
  // Split across threads (split_rows): each part keeps its survivors at the
  // start of its rows, and the parts are moved together afterwards.
  // Raw pointers: stores through uint8_t may alias anything, so the vectors' data
  // pointers would otherwise be reloaded after every store.
  std::uint64_t* const uid_of = c.uid.data();
  std::uint8_t *const age_of = c.age.data(), *const need_of = c.need.data(),
                      *const setting_of = c.setting.data();
  std::uint8_t *const waiting_of = c.waiting.data(), *const subregion_of = c.subregion.data();
  const std::uint8_t* const eligible = cp.nursing_home_eligible.data();
  const std::uint64_t* const death_limit = death.data();
  const bool reablement = !y.adj.reablement.empty();
  const bool policy = cp.at_home_setting >= 0;
  const std::uint8_t* const light = cp.light_needs.data();
  const auto at_home = static_cast<std::uint8_t>(policy ? cp.at_home_setting : 0);
  const auto nursing_home = static_cast<std::uint8_t>(cp.nursing_home_setting);
  const std::uint64_t at_home_share = rng::threshold(cp.at_home_share);
  const std::size_t n = c.size();
  const int parts = parts_for(y, n), S = p.cat.S();
  std::vector<std::size_t> kept_in(parts, 0);
  std::vector<std::int64_t> deaths_in(std::size_t(parts) * S, 0);  // [part x S + subregion]
  std::vector<PlacementCensus> census_in(parts, PlacementCensus(y));
  for (int s = 0; s < S; ++s) {  // room for about last year's waiting list, so the queues seldom grow
    const auto last = std::size_t(out.waiting[out.subregion_at(y.t - 1, s)]);
    census.queue[s].reserve(last + last / 4 + 1024);
    for (auto& part : census_in) part.queue[s].reserve((last + last / 4) / std::size_t(parts) + 1024);
  }
  split_rows(y, n, [&](const Year& part, int k, std::size_t begin, std::size_t end) {
    std::int64_t* const deaths = &deaths_in[std::size_t(k) * S];
    PlacementCensus& mine = census_in[k];
    std::size_t kept = begin;
    for_each_draw_all(c.uid, begin, end, part, rng::Event::client_year, [&](std::size_t i, const rng::Block& d) {
      const std::uint8_t age = static_cast<std::uint8_t>(age_of[i] + (age_of[i] < 255));
      const int need = need_of[i], sub = subregion_of[i];
      const bool dies = d[0] < death_limit[std::size_t(need) * 256 + age];  // certain from the maximum age
      deaths[sub] += dies;
      if (reablement && !dies) {
        for (const auto& r : part.adj.reablement) {  // units: client-years in the target needs
          if (r.v->needs[need]) part.add_unit(r.k);
        }
      }
      const std::uint8_t now = next.pick(need, d[1]);
      // A resident whose need a nursing home no longer takes goes home.
      std::uint8_t setting = setting_of[i];
      const bool goes_home = !eligible[now] & (setting != home);
      // The indication-policy lever: a client at home newly indicated for a
      // light Wlz need is served at home (not queued) with the policy's share.
      setting = (policy & light[now] & !light[need] & (setting != nursing_home) & (d[2] < at_home_share))
                    ? at_home
                    : setting;
      const std::uint8_t where = goes_home ? home : setting, waited = goes_home ? std::uint8_t{0} : waiting_of[i];
      uid_of[kept] = uid_of[i];
      subregion_of[kept] = static_cast<std::uint8_t>(sub);
      age_of[kept] = age;
      need_of[kept] = now;
      setting_of[kept] = where;
      waiting_of[kept] = waited;
      mine.add(static_cast<std::uint8_t>(sub), now, where, waited, kept, !dies);
      kept += !dies;
    });
    kept_in[k] = kept - begin;
  });
  // The parts' survivors together, in order (part 0's are in place).
  std::size_t kept = kept_in[0];
  census.add_part(census_in[0], 0);
  for (int k = 1; k < parts; ++k) {
    const std::size_t from = part_rows(n, parts, k, rng::Chunk::kSize).begin;
    census.add_part(census_in[k], from - kept);
    auto move = [&](auto& column) {
      std::copy(column.begin() + long(from), column.begin() + long(from + kept_in[k]), column.begin() + long(kept));
    };
    each_column(y.team, move, c.uid, c.subregion, c.need, c.setting, c.age, c.waiting);
    kept += kept_in[k];
  }
  for (int k = 0; k < parts; ++k)
    for (int s = 0; s < S; ++s) out.clients_deaths[out.subregion_at(y.t, s)] += deaths_in[std::size_t(k) * S + s];

  // New clients: the count of each (subregion, age band) first, then their
  // rows (in that order, so in uid order) filled and counted for placement
  // in a pass split across threads.
  const auto entry_cum = cumulative(cp.entry_need);
  std::vector<std::uint64_t> first(std::size_t(S) * A + 1, 0);  // first new row of each (s, a), from 0
  for (int s = 0; s < S; ++s)
    for (int a = 0; a < A; ++a) {
      const double expected = cp.population[(std::size_t(y.t) * S + s) * A + a] * cp.incidence[a];
      const auto count = static_cast<std::uint64_t>(std::llround(expected));
      first[std::size_t(s) * A + a + 1] = first[std::size_t(s) * A + a] + count;
      out.clients_new[out.subregion_at(y.t, s)] += static_cast<std::int64_t>(count);
    }
  const std::size_t total = first.back();
  c.resize(kept + total, y.team);
  const int new_parts = parts_for(y, total);
  std::vector<PlacementCensus> new_census(new_parts, PlacementCensus(y));
  split_rows(y, total, [&](const Year& part, int k, std::size_t begin, std::size_t end) {
    rng::Chunk chunk;
    std::uint64_t uids[rng::Chunk::kSize];
    std::size_t g = std::size_t(std::upper_bound(first.begin(), first.end(), begin) - first.begin()) - 1;
    for (std::size_t j0 = begin; j0 < end;) {  // a chunk of draws at a time, within one (s, a)
      while (first[g + 1] <= j0) ++g;
      const int s = static_cast<int>(g) / A, a = static_cast<int>(g) % A;
      const int from = cp.age_bands.lower[a];
      const int span = (a + 1 < A ? cp.age_bands.lower[a + 1] : cp.max_age) - from;
      const std::size_t m = std::min({end, std::size_t(first[g + 1]), j0 + rng::Chunk::kSize}) - j0;
      for (std::size_t j = 0; j < m; ++j)
        uids[j] = make_uid(kNewClientOrigin, part.year, new_client_index(s, a, j0 - first[g] + j));
      rng::draw_chunk(part.rng, part.year, rng::Event::client_incidence, uids, m, chunk);
      for (std::size_t j = 0; j < m; ++j) {
        const int need = pick(entry_cum, rng::to_unit(chunk.word[0][j]));
        const int age = from + static_cast<int>(rng::to_unit(chunk.word[1][j]) * span);
        const bool served_at_home = policy && light[need] && chunk.word[2][j] < at_home_share;
        const std::size_t row = kept + j0 + j;
        c.set(row, uids[j], static_cast<std::uint8_t>(s), static_cast<std::uint8_t>(need),
              served_at_home ? at_home : home, static_cast<std::uint8_t>(age));
        new_census[k].add(c, row);
      }
      j0 += m;
    }
  });
  for (const auto& one : new_census) census.add_part(one, 0);
}

}  // namespace careabm
