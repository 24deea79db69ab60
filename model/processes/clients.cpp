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
  std::uint8_t pick(int r, std::uint32_t word) const { return pick(to.data(), n, r, word); }
  static std::uint8_t pick(const std::uint64_t* to, int n, int r, std::uint32_t word) {
    const std::uint64_t* row = to + std::size_t(r) * n;
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

  // One draw per client: word 0 decides death, word 1 the survivor's new need,
  // word 2 the indication policy. Decisions are computed, not branched on
  // (they are random, so branches would be mispredicted). A chunk of clients
  // at a time: their year, then the census, then the survivors written back
  // to rows `kept` <= i (so the dead leave the store in order; a chunk's rows
  // are drawn and read before any write can reach them).
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
    constexpr std::size_t kChunk = rng::Chunk::kSize;
    // Local copies of the columns' and tables' addresses and of the year's
    // constants: captured by reference, each would be reloaded from the
    // closure after every store through a uint8_t (which may alias anything).
    std::uint64_t* const uids = uid_of;
    std::uint8_t *const ages = age_of, *const needs = need_of, *const settings = setting_of,
                        *const waits = waiting_of, *const subregions = subregion_of;
    const std::uint8_t *const nh_takes = eligible, *const light_need = light;
    const std::uint64_t *const dies_below = death_limit, *const next_to = next.to.data();
    const int next_n = next.n;
    const bool with_policy = policy;
    const std::uint8_t home_s = home, at_home_s = at_home, nursing_home_s = nursing_home;
    const std::uint64_t policy_share = at_home_share;
    std::int64_t* const deaths = &deaths_in[std::size_t(k) * S];
    PlacementCensus& mine = census_in[k];
    std::size_t kept = begin;
    rng::Chunk d;
    // A chunk's year-end values, held on the stack between the three steps:
    // stores there cannot alias the columns, the census or the tables, so
    // none of them is reloaded after each store.
    std::uint8_t new_age[kChunk], new_need[kChunk], new_setting[kChunk], new_waiting[kChunk], sub[kChunk],
        alive[kChunk];
    for (std::size_t i0 = begin; i0 < end; i0 += kChunk) {
      const std::size_t m = std::min(kChunk, end - i0);
      rng::draw_chunk(part.rng, part.year, rng::Event::client_year, uids + i0, m, d);
      // 1. Each client's year: death, the new need, where it is served.
      for (std::size_t j = 0; j < m; ++j) {
        const std::size_t i = i0 + j;
        const std::uint8_t age = static_cast<std::uint8_t>(ages[i] + (ages[i] < 255));
        const int need = needs[i];
        const bool dies = d.word[0][j] < dies_below[std::size_t(need) * 256 + age];  // certain from the maximum age
        const std::uint8_t now = Columns::pick(next_to, next_n, need, d.word[1][j]);
        // A resident whose need a nursing home no longer takes goes home.
        std::uint8_t setting = settings[i];
        const bool goes_home = !nh_takes[now] & (setting != home_s);
        // The indication-policy lever: a client at home newly indicated for a
        // light Wlz need is served at home (not queued) with the policy's share.
        setting = (with_policy & light_need[now] & !light_need[need] & (setting != nursing_home_s) &
                   (d.word[2][j] < policy_share))
                      ? at_home_s
                      : setting;
        new_age[j] = age, new_need[j] = now, new_setting[j] = goes_home ? home_s : setting;
        new_waiting[j] = goes_home ? std::uint8_t{0} : waits[i];
        sub[j] = subregions[i], alive[j] = !dies;
      }
      if (reablement) {  // units: client-years in the target needs (this year's, before the step)
        for (std::size_t j = 0; j < m; ++j)
          for (const auto& r : part.adj.reablement)
            if (alive[j] && r.v->needs[needs[i0 + j]]) part.add_unit(r.k);
      }
      // 2. Deaths, and the survivors into the placement census and queue at
      //    the rows step 3 gives them.
      std::size_t row = kept;
      for (std::size_t j = 0; j < m; ++j) {
        deaths[sub[j]] += !alive[j];
        mine.add(sub[j], new_need[j], new_setting[j], new_waiting[j], row, alive[j]);
        row += alive[j];
      }
      // 3. Survivors written back to rows kept, kept + 1, ... (every column,
      //    unconditionally), so the dead leave the store in order.
      for (std::size_t j = 0; j < m; ++j) {
        uids[kept] = uids[i0 + j];
        subregions[kept] = sub[j], ages[kept] = new_age[j], needs[kept] = new_need[j];
        settings[kept] = new_setting[j], waits[kept] = new_waiting[j];
        kept += alive[j];
      }
    }
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
