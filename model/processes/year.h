// What every yearly process receives: the parameters, the replication's
// random stream, the year, and the counters it adds that year's flows to.
// Processes never call each other; simulation/simulate.cpp calls them in order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/client_store.h"
#include "core/normal.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "core/rng_batch.h"
#include "core/run_result.h"
#include "core/trainee_store.h"
#include "core/worker_store.h"
#include "processes/adjustments.h"
#include "processes/labour_market.h"
#include "scenario/params.h"

namespace careabm {

// What one part of a pass split across threads counts (split_rows): this
// year's flows by cell, whole units of interventions, and training's
// counters by programme. Whole numbers only, so the merged sums are exact
// whatever the split.
struct PartCounts {
  std::vector<std::int64_t> flows;  // [cell x kFlowCount + flow]
  std::vector<std::int64_t> units;  // [intervention]: units of 1 (their cost is added at the merge)
  std::vector<std::int64_t> enrolled, graduates, dropouts;  // [programme]
};

struct Year {
  const Params& p;
  const rng::Stream& rng;
  int t;     // index: 0 is the start year
  int year;  // calendar year
  RunResult& out;
  const Adjustments& adj = no_adjustments();  // the interventions' effect this year
  const Vacancies& vacancies = no_vacancies();  // open jobs at the start of the year (labour market)
  Team* team = nullptr;  // threads to split passes across (split_rows); none: one part
  // Category counts for cell_of (read once here, not from the vectors' sizes per agent).
  int branches = p.cat.B(), occupations = p.cat.O();
  // Set in the Year of one part of a split pass: its counters go there, not to `out`.
  PartCounts* part = nullptr;

  void count(int cell, int flow) const {
    if (part) ++part->flows[std::size_t(cell) * kFlowCount + std::size_t(flow)];
    else ++out.flow(t, cell, flow);
  }
  // Units of intervention k this year, and their cost.
  void add_units(int k, double units) const {
    const std::size_t i = out.intervention_at(t, k);
    out.intervention_units[i] += units;
    out.intervention_cost[i] += units * p.interventions[k].cost_per_unit;
  }
  // One unit of intervention k (an agent in its target group): the same as
  // add_units(k, 1.0), deferred to the merge in a part.
  void add_unit(int k) const {
    if (part) ++part->units[std::size_t(k)];
    else add_units(k, 1.0);
  }
  // Training's counters of programme `prog` this year.
  void count_enrolled(int prog) const { ++training_counter(&PartCounts::enrolled, out.enrolled, prog); }
  void count_graduate(int prog) const { ++training_counter(&PartCounts::graduates, out.graduates, prog); }
  void count_dropout(int prog) const { ++training_counter(&PartCounts::dropouts, out.dropouts, prog); }

  int cell_of(const WorkerStore& w, std::size_t i) const {
    return (w.subregion[i] * branches + w.branch[i]) * occupations + w.occupation[i];  // = p.cat.cell(...)
  }

  // Empty counters for a part of this year's pass, and their merge (in part
  // order; units are replayed one by one, so costs sum as in one pass).
  PartCounts part_counts() const {
    const std::size_t programmes = std::size_t(out.programmes);
    return {std::vector<std::int64_t>(std::size_t(p.cat.cells()) * kFlowCount, 0),
            std::vector<std::int64_t>(p.interventions.size(), 0), std::vector<std::int64_t>(programmes, 0),
            std::vector<std::int64_t>(programmes, 0), std::vector<std::int64_t>(programmes, 0)};
  }
  void merge(const PartCounts& c) const {
    std::int64_t* flows = &out.flows[out.at(t, 0) * kFlowCount];
    for (std::size_t k = 0; k < c.flows.size(); ++k) flows[k] += c.flows[k];
    for (std::size_t g = 0; g < c.enrolled.size(); ++g) {
      const std::size_t at = out.programme_at(t, static_cast<int>(g));
      out.enrolled[at] += c.enrolled[g], out.graduates[at] += c.graduates[g], out.dropouts[at] += c.dropouts[g];
    }
    for (std::size_t k = 0; k < c.units.size(); ++k)
      for (std::int64_t u = 0; u < c.units[k]; ++u) add_units(static_cast<int>(k), 1.0);
  }

 private:
  std::int64_t& training_counter(std::vector<std::int64_t> PartCounts::*field, std::vector<std::int64_t>& total,
                                 int prog) const {
    return part ? (part->*field)[std::size_t(prog)] : total[out.programme_at(t, prog)];
  }
};

// How many parts split_rows makes of n rows: one per thread of the team, at
// most one per chunk of draws.
inline int parts_for(const Year& y, std::size_t n) { return parts_for(y.team, n, rng::Chunk::kSize); }

// A pass over rows [0, n) of a store split across the team's threads:
// body(part_year, part, begin, end) for each part (parts_for(y, n); part
// boundaries at multiples of a chunk of draws), each part counting into its
// own PartCounts, merged into the year's counters in part order when all are
// done. Every agent's draws are keyed by its uid, not by its place in a part,
// and the counts are whole numbers, so the result is the same for any number
// of parts; with one part, body runs with y itself.
template <class Body>
void split_rows(const Year& y, std::size_t n, Body&& body) {
  const int parts = parts_for(y, n);
  if (parts == 1) {
    body(y, 0, std::size_t{0}, n);
    return;
  }
  std::vector<PartCounts> counts(parts, y.part_counts());
  y.team->run(parts, [&](int k) {
    Year part_year = y;
    part_year.part = &counts[k];
    const Rows rows = part_rows(n, parts, k, rng::Chunk::kSize);
    body(static_cast<const Year&>(part_year), k, rows.begin, rows.end);
  });
  for (const auto& c : counts) y.merge(c);
}

// Calls decide(i, block) for every row i in [i0, end) (at most Chunk::kSize
// rows) with eligible(i), where block = rng.draw(year, uid[i], event); the
// blocks are drawn together (lane-parallel). eligible and decide may change
// agent i only.
template <class Eligible, class Decide>
inline void draw_rows(const std::uint64_t* uid, std::size_t i0, std::size_t end, const Year& y, rng::Event event,
                      Eligible&& eligible, Decide&& decide) {
  rng::Chunk chunk;
  std::uint64_t uids[rng::Chunk::kSize];
  std::uint32_t index[rng::Chunk::kSize];
  std::size_t m = 0;
  // Branch-free selection: every row is written, only eligible ones are kept
  // (whether an agent is eligible is often as random as the draw itself).
  for (std::size_t i = i0; i < end; ++i) {
    index[m] = static_cast<std::uint32_t>(i - i0);
    uids[m] = uid[i];
    m += eligible(i) ? 1 : 0;
  }
  if (m == 0) return;
  rng::draw_chunk(y.rng, y.year, event, uids, m, chunk);
  for (std::size_t j = 0; j < m; ++j) {
    decide(i0 + index[j], rng::Block{chunk.word[0][j], chunk.word[1][j], chunk.word[2][j], chunk.word[3][j]});
  }
}

// Calls decide(i, block) for every agent i < uid.size() with eligible(i), where
// block = rng.draw(year, uid[i], event); blocks are drawn a chunk at a time
// (lane-parallel). eligible and decide may change agent i only.
template <class Eligible, class Decide>
inline void for_each_draw(const std::vector<std::uint64_t>& uid, const Year& y, rng::Event event,
                          Eligible eligible, Decide decide) {
  const std::size_t n = uid.size();
  for (std::size_t i0 = 0; i0 < n; i0 += rng::Chunk::kSize) {
    draw_rows(uid.data(), i0, std::min(n, i0 + rng::Chunk::kSize), y, event, eligible, decide);
  }
}

// A worker kernel: a process that decides for one agent at a time from the
// agent's words of the year (rng::Event::worker_year: one block per
// worker-year, shared by the pass's kernels; core/rng.h lists which word
// serves which decision). It has `static constexpr bool draws = true`,
// `bool active()` (false: nothing to do this year),
// `bool eligible(WorkerStore&, std::size_t i)` (may change agent i, e.g. to
// retire it without a draw) and `void operator()(WorkerStore&, std::size_t i,
// const rng::Words&)`, and changes agent i only. A kernel that only looks
// (`static constexpr bool draws = false`) has just `eligible`, which it may
// use to count. The year loop applies a store's kernels in one pass
// (simulation/worker_pass.h).

// As for_each_draw, for every agent of rows [begin, end) of the store (no
// selection): the chunks are drawn straight from the uid array.
template <class Decide>
inline void for_each_draw_all(const std::vector<std::uint64_t>& uid, std::size_t begin, std::size_t end,
                              const Year& y, rng::Event event, Decide decide) {
  rng::Chunk chunk;
  for (std::size_t i = begin; i < end; i += rng::Chunk::kSize) {
    const std::size_t m = std::min(rng::Chunk::kSize, end - i);
    rng::draw_chunk(y.rng, y.year, event, uid.data() + i, m, chunk);
    for (std::size_t j = 0; j < m; ++j) {
      decide(i + j, rng::Block{chunk.word[0][j], chunk.word[1][j], chunk.word[2][j], chunk.word[3][j]});
    }
  }
}
template <class Decide>
inline void for_each_draw_all(const std::vector<std::uint64_t>& uid, const Year& y, rng::Event event,
                              Decide decide) {
  for_each_draw_all(uid, 0, uid.size(), y, event, decide);
}

// The FTE one worker of a cell supplied on average at the end of year t (BBL
// trainees' FTE left out), or, with nobody in the cell, the branch's mean
// contract net of absence.
inline double fte_per_worker(const Params& p, const RunResult& out, int t, int cell) {
  const std::size_t k = out.at(t, cell);
  if (out.headcount[k] > 0) return (out.fte[k] - out.trainee_fte[k]) / double(out.headcount[k]);
  const int b = (cell / p.cat.O()) % p.cat.B();
  return p.hours_mean[b] / p.full_time_hours * (1.0 - p.absence[b]);
}

// Index drawn from cumulative weights `cum` (last element = total) with u in (0,1).
template <class Vec>
inline int pick(const Vec& cum, double u) {
  const double target = u * cum.back();
  int i = 0;
  while (i + 1 < static_cast<int>(cum.size()) && target >= cum[i]) ++i;
  return i;
}

// Contract hours: normal around the branch mean (the normal quantile of one
// word: core/normal.h), clipped to the scenario's range.
inline float draw_hours(const Params& p, int branch, std::uint32_t word) {
  const double h = p.hours_mean[branch] + p.hours_sd * normal_quantile(rng::to_unit(word));
  return static_cast<float>(std::fmin(p.hours_max, std::fmax(p.hours_min, h)));
}

// A new trainee of programme `prog` in subregion s, enrolled in `enrolment_year`
// and now in `study_year`: workplace branch and age drawn from the programme
// (one draw, Event::training_enrolment at the enrolment year, so an initial
// cohort member gets the attributes it would have had if simulated). Extra
// trainees of an intervention pass their own uid origin.
inline void enrol_trainee(TraineeStore& tr, const Params& p, const rng::Stream& stream, int prog, int s,
                          int enrolment_year, std::uint64_t j, int study_year,
                          std::uint32_t origin = kTraineeOrigin) {
  const Programme& g = p.training.programmes[prog];
  const auto uid = make_uid(origin, enrolment_year, trainee_index(g.uid_tag, s, j));
  const auto a = stream.draw(enrolment_year, uid, rng::Event::training_enrolment);
  double cum = 0, u = rng::to_unit(a[0]);
  int branch = 0;
  for (int b = 0; b < p.cat.B(); ++b) {
    cum += g.branch_share[b];
    if (g.branch_share[b] > 0) branch = b;
    if (u < cum && g.branch_share[b] > 0) break;
  }
  const int span = g.age_to - g.age_from + 1;
  const int age = g.age_from + static_cast<int>(rng::to_unit(a[1]) * span) + (study_year - 1);
  tr.add(uid, static_cast<std::uint8_t>(prog), static_cast<std::uint8_t>(study_year),
         static_cast<std::uint8_t>(s), static_cast<std::uint8_t>(branch),
         static_cast<std::uint8_t>(std::min(age, 255)));
}

// The yearly processes, in the order the year loop calls them (simulation/simulate.cpp).
// interventions() computes the year's Adjustments and vacancies() the year's
// open jobs; the others read them through y.adj and y.vacancies.
void interventions(Adjustments& adj, const Year& y);
// clients() counts each client's year-end state into `census`, the per-client
// part of placement (placement.h), which then places from its queue.
struct PlacementCensus;
void clients(ClientStore& c, const Year& y, PlacementCensus& census);
void demand(const Year& y);
void vacancies(Vacancies& v, const Year& y);
// Ageing of rows [begin, end), then the worker kernels Outflow, Transfer,
// Mobility, Reentry, RecruitmentPool and SupervisionTally (outflow.h,
// transfer.h, mobility.h, reentry.h, recruitment.h, supervision.h), fused
// into one pass by the year loop.
void ageing(WorkerStore& w, const Year& y, std::size_t begin, std::size_t end);
// The pass's returners and branch changers who follow open jobs (recorded by
// Reentry and Transfer, chunk by chunk) take them (seekers.cpp).
struct SupervisionTally;
void seekers(WorkerStore& w, const Year& y, const std::vector<Seeker>& list, const SupervisionTally& supervision);
void inflow(WorkerStore& w, const Year& y);
// supervision: the supervisors and supervised upgraders of the store at this
// point of the year; spare_word: word 3 of each row's block this year
// (rng::Event::worker_year), by row, kept by the worker pass's Outflow and Reentry.
void training(TraineeStore& tr, WorkerStore& w, const Year& y, const SupervisionTally& supervision,
              const std::vector<std::uint32_t>& spare_word);
// Then recruitment (recruitment.h), with the reserve pool its kernel counted in the worker pass.
void supply(const WorkerStore& w, const TraineeStore& tr, const Year& y);
void training_census(const WorkerStore& w, const TraineeStore& tr, const Year& y);
void shortage(const Year& y);

}  // namespace careabm
