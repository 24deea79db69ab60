// The labour market (README.md, "The labour market"): entrants who follow open
// vacancies, demand-pulled recruitment, occupational mobility and workload
// feedback, each against its analytic expectation; the exact stock balance
// with the new flows; reproducibility; bit-identity when a mechanism is off.
// tests/data/labour-market.toml has no flows of its own, so every test
// switches on exactly the mechanism it checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "experiments/replications.h"
#include "processes/labour_market.h"
#include "processes/year.h"
#include "simulation/initial_population.h"
#include "simulation/simulate.h"
#include "test_support.h"

using namespace careabm;

namespace {

Params lm_scenario(const std::vector<std::string>& sets) { return test::load(test::data("labour-market.toml"), sets); }

// Open vacancies of a cell in the first simulated year: this year's demand
// against last year-end supply (FTE), and in persons.
double open_fte(const RunResult& r, int cell) { return std::max(0.0, r.demand[r.at(1, cell)] - r.fte[r.at(0, cell)]); }
double open_persons(const RunResult& r, int cell) {
  const std::size_t k = r.at(0, cell);
  return open_fte(r, cell) / ((r.fte[k] - r.trainee_fte[k]) / double(r.headcount[k]));
}
// The same above the frictional level phi x r/(1 + r) x demand (labour_market.frictional_share).
double open_persons(const Params& p, const RunResult& r, int cell, double phi) {
  const double demand = r.demand[r.at(1, cell)], ratio = p.vacancy_ratio[(cell / p.cat.O()) % p.cat.B()];
  const std::size_t k = r.at(0, cell);
  const double open = std::max(0.0, demand - phi * ratio / (1 + ratio) * demand - r.fte[k]);
  return open / ((r.fte[k] - r.trainee_fte[k]) / double(r.headcount[k]));
}

// Mean over replications of f(r), and a check against `expected` within 4 standard errors.
template <class F>
double mean_of(const std::vector<RunResult>& results, F f) {
  double sum = 0;
  for (const auto& r : results) sum += f(r);
  return sum / double(results.size());
}

void check_within(double observed_mean, double expected, double variance_one, int reps) {
  const double se = std::sqrt(variance_one / reps);
  CAPTURE(observed_mean);
  CAPTURE(expected);
  CAPTURE(se);
  CHECK(std::abs(observed_mean - expected) <= 4 * se + 1e-9);
}


}  // namespace

TEST_CASE("labour market: while jobs are open, an entrant's cell mixes the rule and the open jobs (4 standard errors)") {
  // So many jobs open that the entrants placed do not deplete them.
  const Params p = lm_scenario({});
  const int O = p.cat.O(), cells = p.cat.cells(), q = 1;
  std::vector<double> left(cells, 0.0);
  std::vector<int> own;
  for (int c = 0; c < cells; ++c)
    if (c % O == q) own.push_back(c);
  REQUIRE(own.size() >= 3);
  left[own[0]] = 1e9, left[own[1]] = 3e9, left[own[2]] = 6e9;  // the other cells of q: none open
  const double w = 0.4;
  const int rule = own[1], n = 200000;
  Vacancies start;
  start.persons = left;
  OpenJobs open(p, start, left, false);
  const rng::Stream stream(5, 0);
  std::map<int, int> count;
  for (int i = 0; i < n; ++i) ++count[open.place(rule, 0, q, w, stream.draw(2023, i, rng::Event::worker_year)[1])];
  const std::map<int, double> expected = {{own[0], w * 0.1}, {own[1], (1 - w) + w * 0.3}, {own[2], w * 0.6}};
  CHECK(count.size() == 3);
  for (const auto& [cell, share] : expected) {
    CAPTURE(cell);
    check_within(double(count[cell]) / n, share, share * (1 - share), n);
  }
  // Weights are the FTE still open: persons x the FTE a worker of the cell supplies.
  Vacancies part_time = start;
  part_time.fte_per_person.assign(cells, 1.0);
  part_time.fte_per_person[own[2]] = 1.0 / 6.0;  // own[2]'s 6e9 persons weigh as 1e9 FTE
  OpenJobs by_fte(p, part_time, left, false);
  std::map<int, int> fte_count;
  for (int i = 0; i < n; ++i) ++fte_count[by_fte.place(rule, 0, q, 1.0, stream.draw(2023, i, rng::Event::worker_year)[1])];
  for (const auto& [cell, share] : std::map<int, double>{{own[0], 0.2}, {own[1], 0.6}, {own[2], 0.2}}) {
    CAPTURE(cell);
    check_within(double(fte_count[cell]) / n, share, share * (1 - share), n);
  }
  OpenJobs none(p, start, std::vector<double>(cells, 0.0), false);
  CHECK(none.place(rule, 0, q, 1.0, 12345) == rule);  // no open job anywhere: the rule
  CHECK(open.place(own[0], 0, q, 0.0, 0) == own[0]);   // weight 0: the rule, whatever the word
}

TEST_CASE("labour market: entrants who follow open jobs take no more than are open; below their level only where none was open") {
  const Params p = lm_scenario({"labour_market.may_fill.vig=[\"helper\"]"});
  const int B = p.cat.B(), cells = p.cat.cells();
  // Subregion 0: two VIG jobs and a half open in two branches, five helper jobs in one; the rule cell a nurse job.
  std::vector<double> left(cells, 0.0);
  left[p.cat.cell(0, 0, 1)] = 2.0, left[p.cat.cell(0, 1, 1)] = 0.5, left[p.cat.cell(0, B - 1, 0)] = 5.0;
  left[p.cat.cell(1, 0, 1)] = 100.0;  // another subregion's jobs: not candidates of subregion 0
  Vacancies start;
  start.persons = left;
  const int rule = p.cat.cell(0, 0, 2);
  const rng::Stream stream(11, 0);
  auto place_40 = [&](OpenJobs& open) {
    std::map<int, int> count;
    for (int i = 0; i < 40; ++i) ++count[open.place(rule, 0, 1, 1.0, stream.draw(2023, i, rng::Event::worker_year)[1])];
    return count;
  };
  OpenJobs open(p, start, left, true);
  auto count = place_40(open);
  CHECK(count[p.cat.cell(0, 0, 1)] == 2);  // every open VIG job taken, once
  CHECK(count[p.cat.cell(0, 1, 1)] == 1);  // half a job open: one entrant
  CHECK(count[rule] == 40 - 3);            // the rest: the rule, not the helper jobs below (VIG jobs were open)
  CHECK(count.size() == 3);
  CHECK(open.left(p.cat.cell(0, B - 1, 0)) == 5.0);
  // No VIG job open in subregion 0 at the start: VIGs look at the helper jobs, five of them, then the rule.
  for (int b = 0; b < B; ++b) start.persons[std::size_t(p.cat.cell(0, b, 1))] = 0.0;
  std::vector<double> helpers_only(cells, 0.0);
  helpers_only[p.cat.cell(0, B - 1, 0)] = 5.0;
  OpenJobs below(p, start, helpers_only, true);
  count = place_40(below);
  CHECK(count[p.cat.cell(0, B - 1, 0)] == 5);
  CHECK(count[rule] == 35);
  for (int c = 0; c < cells; ++c) CHECK(below.left(c) == 0.0);
  // A VIG job that came open since the start (a leaver) is taken before any job below the level.
  below.release(p.cat.cell(0, 1, 1));
  below.release(p.cat.cell(0, B - 1, 0));
  CHECK(below.place(rule, 0, 1, 1.0, 7) == p.cat.cell(0, 1, 1));
  CHECK(below.place(rule, 0, 1, 1.0, 7) == p.cat.cell(0, B - 1, 0));
  // A job freed (a leaver) is taken again.
  below.release(p.cat.cell(0, B - 1, 0));
  CHECK(below.place(rule, 0, 1, 1.0, 7) == p.cat.cell(0, B - 1, 0));
  // Branch changers: another branch of their occupation in the subregion, never their own.
  std::vector<double> branch_left(cells, 0.0);
  branch_left[p.cat.cell(0, 0, 2)] = 50.0, branch_left[p.cat.cell(0, 1, 2)] = 1.0;
  OpenJobs branches(p, start, branch_left, true);
  const int matrix = p.cat.cell(0, 2, 2);
  CHECK(branches.place_branch_changer(matrix, 0, 2, 0, 1.0, 99) == p.cat.cell(0, 1, 2));  // branch 0 is its own
  CHECK(branches.place_branch_changer(matrix, 0, 2, 0, 1.0, 99) == matrix);  // none open elsewhere: the matrix's
}

TEST_CASE("labour market: the jobs left open are the signed gap at the start less the year's net inflow so far") {
  const Params p = lm_scenario({});
  const int cells = p.cat.cells();
  RunResult out(p.years(), cells);
  Vacancies v;
  v.fte.assign(cells, 0.0), v.persons.assign(cells, 0.0), v.rate.assign(cells, 0.0), v.gap.assign(cells, 0.0);
  v.gap[0] = 5.0, v.persons[0] = 5.0;  // 5 open: 3 entries and 1 exit leave 3
  out.flow(1, 0, kInReentry) = 3, out.flow(1, 0, kOutToReserve) = 1;
  v.gap[1] = -4.0;  // 4 over demand: 6 leavers open 2, not 6
  out.flow(1, 1, kOutLeftRegion) = 6;
  v.gap[2] = 2.0;  // 2 open, 5 entries: none left (not negative)
  out.flow(1, 2, kInGraduates) = 5;
  const auto left = open_left(p, v, out, 1);
  CHECK(left[0] == 3.0);
  CHECK(left[1] == 2.0);
  CHECK(left[2] == 0.0);
  for (int c = 3; c < cells; ++c) CHECK(left[c] == 0.0);
}

TEST_CASE("labour market: career switchers split over the occupations they may start in by open jobs") {
  // The pipeline example: switchers as helpers and (prior diploma) nurses, and a VIG certificate track.
  Params p = test::load(test::example("labour-market.toml"),
                        {"labour_market.allocation.vacancy_weight=0.4", "labour_market.frictional_share=0.9",
                         "labour_market.allocation.switchers_may_start=[\"helper\", \"vig\"]"});
  const int S = p.cat.S(), O = p.cat.O(), cells = p.cat.cells();
  int track = -1;
  for (int g = 0; g < int(p.training.programmes.size()); ++g)
    if (p.training.programmes[g].origin == TraineeOrigin::career_switcher) track = g;
  REQUIRE(track >= 0);
  const auto& prog = p.training.programmes[track];
  REQUIRE(prog.occupation == 1);  // vig
  const int t = 3;
  std::vector<double> direct(O, 0.0);
  for (const auto& source : p.inflows)
    if (source.flow == kInCareerSwitchers)
      for (int o = 0; o < O; ++o) direct[o] += source.per_year[o] * std::pow(1.0 + source.growth, t - 1);
  double given_track = 0;
  for (int s = 0; s < S; ++s) given_track += prog.expected_enrolment(s, t);
  REQUIRE(direct[0] > 0);
  REQUIRE(direct[1] > 0);
  REQUIRE(direct[2] > 0);
  REQUIRE(given_track > 0);
  // Helpers enter directly; VIG work through the track, whose enrolment is the
  // flexible VIG part (direct VIG switchers hold the diploma: as given).
  const double flexible = direct[0] + given_track;

  // Open jobs: helpers 100 persons, VIGs 300 (three quarters of them in the first subregion), nurses 500.
  Vacancies v;
  v.fte.assign(cells, 1.0), v.persons.assign(cells, 0.0), v.rate.assign(cells, 0.0);
  for (int c = 0; c < cells; ++c) {
    const int o = c % O, s = c / (O * p.cat.B());
    v.persons[c] = (o == 0 ? 100.0 : o == 1 ? (s == 0 ? 225.0 : 75.0) : 500.0) / (p.cat.B() * (o == 1 ? 1 : S));
  }
  const auto split = switcher_split(p, v, t);
  const double w = 0.4;
  CHECK(split.direct[0] == doctest::Approx((1 - w) * direct[0] + w * flexible * 100 / 400));
  CHECK(split.direct[1] == doctest::Approx(direct[1]));  // VIG work is entered through the track; diploma holders stay
  CHECK(split.direct[2] == doctest::Approx(direct[2]));            // nurses need their diploma: not flexible
  for (int s = 0; s < S; ++s) {
    const double where = s == 0 ? 0.75 : 0.25;
    CHECK(split.enrolment[track][s] == doctest::Approx((1 - w) * prog.expected_enrolment(s, t) + w * flexible * 300 / 400 * where));
  }
  double total = split.direct[0];
  for (int s = 0; s < S; ++s) total += split.enrolment[track][s];
  CHECK(total == doctest::Approx(flexible));  // the switchers' total is kept
  for (int g = 0; g < int(p.training.programmes.size()); ++g)
    if (g != track && !p.training.programmes[g].is_upgrade())
      for (int s = 0; s < S; ++s) CHECK(split.enrolment[g][s] == p.training.programmes[g].expected_enrolment(s, t));

  // A track with no given enrolment (yet) still takes the switchers who follow VIG jobs.
  {
    Params none = p;
    for (auto& e : none.training.programmes[track].enrolment) e = 0.0;
    const auto empty = switcher_split(none, v, t);
    double into_track = 0;
    for (int s = 0; s < S; ++s) into_track += empty.enrolment[track][s];
    CHECK(into_track == doctest::Approx(w * direct[0] * 300 / 400));
    CHECK(empty.direct[1] == doctest::Approx(direct[1]));
  }

  // Without open jobs, without the key, or at weight 0: the given numbers.
  for (int variant = 0; variant < 3; ++variant) {
    Params off = p;
    const Vacancies q = variant == 0 ? Vacancies{} : v;
    if (variant == 1) off.labour_market.switchers_may_start.assign(O, 0);
    if (variant == 2) off.labour_market.vacancy_weight = 0.0;
    const auto same = switcher_split(off, q, t);
    for (int o = 0; o < O; ++o) CHECK(same.direct[o] == doctest::Approx(direct[o]));
    for (int s = 0; s < S; ++s) CHECK(same.enrolment[track][s] == doctest::Approx(prog.expected_enrolment(s, t)));
  }

  // In a run: the first year's switchers and track enrolment are the split of that year's open jobs, rounded.
  RunResult r = simulate(p, 0);
  Vacancies year1;
  year1.fte.assign(cells, 0.0), year1.persons.assign(cells, 0.0), year1.rate.assign(cells, 0.0);
  for (int c = 0; c < cells; ++c) {
    const double ratio = p.vacancy_ratio[(c / O) % p.cat.B()], demand = r.demand[r.at(1, c)];
    year1.fte[c] = std::max(0.0, demand - p.labour_market.frictional_share * ratio / (1 + ratio) * demand - r.fte[r.at(0, c)]);
    year1.persons[c] = year1.fte[c] / fte_per_worker(p, r, 0, c);
  }
  const auto expected = switcher_split(p, year1, 1);
  std::int64_t switchers = 0, expected_switchers = 0;
  for (int c = 0; c < cells; ++c) switchers += r.flow(1, c, kInCareerSwitchers);
  for (int o = 0; o < O; ++o) expected_switchers += std::llround(expected.direct[o]);
  CHECK(switchers == expected_switchers);
  // The cohorts studying at the start: the split of the base year's open jobs
  // (headcount x the branch's vacancy ratio), thinned by the dropout.
  Vacancies base;
  base.fte.assign(cells, 0.0), base.persons.assign(cells, 0.0), base.rate.assign(cells, 0.0);
  for (const auto& g : p.initial) {
    const int c = p.cat.cell(g.subregion, g.branch, g.occupation);
    base.persons[c] += double(g.count) * p.vacancy_ratio[g.branch] * (1 - p.labour_market.frictional_share);
    base.fte[c] = base.persons[c];
  }
  const TraineeStore tr = initial_trainees(p, 0);
  for (int s = 0; s < S; ++s)
    for (int k = 1; k <= prog.duration; ++k) {
      double survival = 1.0;
      for (int j = 1; j < k; ++j) survival *= 1.0 - prog.dropout[j - 1];
      std::int64_t n = 0;
      for (std::size_t i = 0; i < tr.uid.size(); ++i) n += tr.programme[i] == track && tr.subregion[i] == s && tr.study_year[i] == k;
      CAPTURE(s);
      CAPTURE(k);
      CHECK(n == std::llround(switcher_split(p, base, 1 - k).enrolment[track][s] * survival));
    }
  std::int64_t track_enrolled = r.enrolled[r.programme_at(1, track)];
  CHECK(track_enrolled == std::llround(expected.enrolment[track][0]) + std::llround(expected.enrolment[track][1]));
}

TEST_CASE("labour market: the matching function's hires for given U and V") {
  CHECK(matching_hires(0.5, 0.5, 400, 100) == doctest::Approx(0.5 * 20 * 10));  // A U^b V^(1-b)
  CHECK(matching_hires(2.0, 0.5, 400, 100) == 100);                            // at most V
  CHECK(matching_hires(2.0, 0.5, 50, 400) == 50);                              // at most U
  CHECK(matching_hires(1.0, 0.3, 0, 100) == 0);
  CHECK(matching_hires(1.0, 0.3, 100, 0) == 0);
}

TEST_CASE("labour market: hires from the outside pool = min(U, V, A U^b V^(1-b)) per subregion and occupation, V above the frictional level") {
  const double A = 0.6, beta = 0.6;
  const std::vector<double> pool = {500, 800, 60};
  for (const double phi : {0.0, 0.7}) {
  CAPTURE(phi);
  const Params p = lm_scenario({"labour_market.recruitment.efficiency=0.6", "labour_market.recruitment.pool_elasticity=0.6",
                                "labour_market.recruitment.outside_pool={ helper = 500, vig = 800, nurse = 60 }",
                                "labour_market.frictional_share=" + std::to_string(phi)});
  const auto results = experiments::run_replications(p, 2);
  const RunResult& r0 = results.front();
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  int bound_by_pool = 0;
  for (int s = 0; s < S; ++s)
    for (int o = 0; o < O; ++o) {
      double head = 0, head_all = 0, open = 0;
      for (int b = 0; b < B; ++b) {
        head += double(r0.headcount[r0.at(0, p.cat.cell(s, b, o))]);
        open += open_persons(p, r0, p.cat.cell(s, b, o), phi);
      }
      for (int t = 0; t < S; ++t)
        for (int b = 0; b < B; ++b) head_all += double(r0.headcount[r0.at(0, p.cat.cell(t, b, o))]);
      const double U = pool[o] * head / head_all;
      const double H = std::min({U, open, A * std::pow(U, beta) * std::pow(open, 1 - beta)});
      bound_by_pool += H == U;
      CAPTURE(s);
      CAPTURE(o);
      auto hires = [&](const RunResult& r) {
        double h = 0;
        for (int b = 0; b < B; ++b) h += double(r.flow(1, p.cat.cell(s, b, o), kInRecruitedOutside));
        return h;
      };
      for (const auto& r : results) CHECK(std::abs(hires(r) - H) < 1.0);  // whole people: floor or ceiling
      check_within(mean_of(results, hires), H, 0.25, int(results.size()));  // stochastic rounding
      // Branches in proportion to their open vacancies (multinomial over all hires).
      double total = 0;
      for (const auto& r : results) total += hires(r);
      for (int b = 0; b < B; ++b) {
        const int c = p.cat.cell(s, b, o);
        const double share = open_persons(p, r0, c, phi) / open;
        double got = 0;
        for (const auto& r : results) got += double(r.flow(1, c, kInRecruitedOutside));
        check_within(got / total, share, share * (1 - share), int(total));
      }
    }
  CHECK(bound_by_pool > 0);  // the small nurse pool binds: the min() is exercised
  for (const auto& r : results) test::check_balance(r);
  }
}

TEST_CASE("labour market: reserve members are hired with probability hires / U (4 standard errors)") {
  const double A = 0.25, beta = 0.5;
  const Params p = lm_scenario({"reentry.years_since_leaving_bands=[1]", "reentry.hazard=[0.0]",
                                "reentry.max_years_in_reserve=30", "reentry.initial_reserve_ratio=0.3",
                                "labour_market.recruitment.efficiency=0.25", "labour_market.recruitment.pool_elasticity=0.5"});
  const auto results = experiments::run_replications(p, 2);
  const RunResult& r0 = results.front();
  const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
  for (int s = 0; s < S; ++s)
    for (int o = 0; o < O; ++o) {
      double U = 0, open = 0;
      for (int b = 0; b < B; ++b) {
        U += double(r0.reserve[r0.at(0, p.cat.cell(s, b, o))]);  // nobody returns or leaves: all still there
        open += open_persons(r0, p.cat.cell(s, b, o));
      }
      const double H = std::min({U, open, A * std::pow(U, beta) * std::pow(open, 1 - beta)});
      const double prob = H / U;
      CAPTURE(s);
      CAPTURE(o);
      auto hires = [&](const RunResult& r) {
        double h = 0;
        for (int b = 0; b < B; ++b) h += double(r.flow(1, p.cat.cell(s, b, o), kInRecruitedReserve));
        return h;
      };
      check_within(mean_of(results, hires), H, U * prob * (1 - prob), int(results.size()));
    }
  for (const auto& r : results) {
    test::check_balance(r);
    std::int64_t before = 0, after = 0, hired = 0;
    for (int c = 0; c < p.cat.cells(); ++c) {
      before += r.reserve[r.at(0, c)], after += r.reserve[r.at(1, c)], hired += r.flow(1, c, kInRecruitedReserve);
    }
    CHECK(after == before - hired);
  }
}

TEST_CASE("labour market: one year of mobility matches the matrix, with the vacancy elasticity on the routes up (4 SE)") {
  const double M[3][3] = {{0.90, 0.06, 0.04}, {0.05, 0.90, 0.05}, {0.02, 0.08, 0.90}};
  const std::string matrix = "labour_market.mobility.matrix=[[0.90, 0.06, 0.04], [0.05, 0.90, 0.05], [0.02, 0.08, 0.90]]";
  // Without may_fill every move is an on-the-job route; with it, the moves down are not.
  for (const bool ladder : {false, true})
  for (const double elasticity : {0.0, 3.0}) {
    CAPTURE(ladder);
    CAPTURE(elasticity);
    std::vector<std::string> sets = {matrix};
    if (ladder) sets.push_back("labour_market.may_fill={ vig = [\"helper\"], nurse = [\"vig\", \"helper\"] }");
    sets.push_back("labour_market.mobility.vacancy_elasticity=" + std::to_string(elasticity));
    const Params p = lm_scenario(sets);
    const auto results = experiments::run_replications(p, 2);
    const RunResult& r0 = results.front();
    const int S = p.cat.S(), B = p.cat.B(), O = p.cat.O();
    for (int s = 0; s < S; ++s)
      for (int b = 0; b < B; ++b) {
        // P(o -> k) in this (subregion, branch) and the expected headcount after a year: N P.
        double P[3][3];
        for (int o = 0; o < O; ++o) {
          double moves = 0;
          for (int k = 0; k < O; ++k) {
            if (k == o) continue;
            const int dest = p.cat.cell(s, b, k);
            const bool down = ladder && k < o;  // helper < vig < nurse
            const double rate = down ? 0.0 : open_fte(r0, dest) / r0.demand[r0.at(1, dest)];
            P[o][k] = M[o][k] * (1 + elasticity * rate);
            moves += P[o][k];
          }
          P[o][o] = 1 - moves;
        }
        for (int k = 0; k < O; ++k) {
          double expected = 0, variance = 0;
          for (int o = 0; o < O; ++o) {
            const double n = double(r0.headcount[r0.at(0, p.cat.cell(s, b, o))]);
            expected += n * P[o][k], variance += n * P[o][k] * (1 - P[o][k]);
          }
          const int cell = p.cat.cell(s, b, k);
          CAPTURE(cell);
          check_within(mean_of(results, [&](const RunResult& r) { return double(r.headcount[r.at(1, cell)]); }),
                       expected, variance, int(results.size()));
          const double n = double(r0.headcount[r0.at(0, cell)]), leave = 1 - P[k][k];
          check_within(mean_of(results, [&](const RunResult& r) { return double(r.flow(1, cell, kOutMobility)); }),
                       n * leave, n * leave * (1 - leave), int(results.size()));
        }
      }
    for (const auto& r : results) test::check_balance(r);
  }
}

TEST_CASE("labour market: a move down keeps the qualification, a move up qualifies the worker on the job") {
  Params p = lm_scenario({"labour_market.mobility.matrix=[[0.94, 0.06, 0.0], [0.05, 0.95, 0.0], [0.0, 0.0, 1.0]]",
                          "labour_market.may_fill.vig=[\"helper\"]", "run.replications=1"});
  p.agents_out = {p.start_year + 1};
  const WorkerStore start = initial_workforce(p, 0);
  const RunResult r = simulate(p, 0);
  REQUIRE(r.agents.size() == 1);
  const AgentSnapshot& a = r.agents[0];
  std::map<std::int64_t, int> was;
  for (std::size_t i = 0; i < start.size(); ++i) was[std::int64_t(start.uid[i])] = start.occupation[i];
  int up = 0, down = 0;
  for (std::size_t k = 0; k < a.uid.size(); ++k) {
    const int before = was.at(a.uid[k]), job = a.occupation[k], qualification = a.qualification[k];
    if (before == 0 && job == 1) {  // helper -> VIG: now VIG-qualified
      ++up;
      CHECK(qualification == 1);
    }
    if (before == 1 && job == 0) {  // VIG -> helper: still VIG-qualified
      ++down;
      CHECK(qualification == 1);
    }
    if (before == job) CHECK(qualification == job);
  }
  CHECK(up > 0);
  CHECK(down > 0);
}

TEST_CASE("labour market: workload feedback multiplies the hazard by min(cap, 1 + e x shortage rate) (4 SE)") {
  CHECK(feedback_factor(0.5, 1.5, -0.2) == 1.0);  // a surplus does not lower the hazard
  CHECK(feedback_factor(0.5, 1.5, 0.4) == doctest::Approx(1.2));
  CHECK(feedback_factor(0.5, 1.5, 2.0) == 1.5);
  const double n0 = 5000, hazard = 0.1;
  for (const double cap : {5.0, 1.1}) {
    CAPTURE(cap);
    const Params p = test::load(test::data("pure-outflow.toml"),
                                {"demand.vacancy_ratio.care=0.2", "labour_market.feedback.elasticity=1.2",
                                 "labour_market.feedback.cap=" + std::to_string(cap)});
    const auto results = experiments::run_replications(p, 2);
    // Year 1: last year's shortage rate is the base year's 0.2 / 1.2.
    const double h1 = hazard * std::min(cap, 1 + 1.2 * 0.2 / 1.2);
    auto leavers = [](int t) {
      return [t](const RunResult& r) { return double(r.flow(t, 0, kOutToReserve) + r.flow(t, 0, kOutLeftRegion)); };
    };
    check_within(mean_of(results, leavers(1)), n0 * h1, n0 * h1 * (1 - h1), int(results.size()));
    // Year 2: each replication's own shortage rate of year 1.
    double expected = 0, variance = 0;
    for (const auto& r : results) {
      const double rate = r.shortage_fte[r.at(1, 0)] / r.demand[r.at(1, 0)];
      const double h2 = hazard * std::min(cap, 1 + 1.2 * rate), n1 = double(r.headcount[r.at(1, 0)]);
      expected += n1 * h2, variance += n1 * h2 * (1 - h2);
    }
    const double R = double(results.size());
    check_within(mean_of(results, leavers(2)), expected / R, variance / R, int(R));
  }
}

namespace {
// The two scenarios give the same output, bit for bit, in each of `reps` replications.
void check_identical(const Params& plain, const Params& zero, int reps) {
  for (int rep = 0; rep < reps; ++rep) {
    const RunResult a = simulate(plain, rep), b = simulate(zero, rep);
    CHECK(a.headcount == b.headcount);
    CHECK(a.flows == b.flows);
    CHECK(a.fte == b.fte);
    CHECK(a.shortage_persons == b.shortage_persons);
  }
}
}  // namespace

TEST_CASE("labour market: every mechanism at zero gives the output of a scenario without it, bit for bit") {
  const Params plain = test::load(test::data("pure-outflow.toml"), {"demand.vacancy_ratio.care=0.2"});
  const Params zero = test::load(test::data("pure-outflow.toml"),
                                 {"demand.vacancy_ratio.care=0.2", "labour_market.feedback.elasticity=0",
                                  "labour_market.allocation.vacancy_weight=0"});
  REQUIRE(zero.labour_market.enabled);
  check_identical(plain, zero, 3);
}

TEST_CASE("labour market: the example with every mechanism at zero gives the pipeline example's output, bit for bit") {
  // Every entrant stream (transfer, re-entry, inflow, graduates) runs through the open-jobs code at w = 0.
  const Params plain = test::load(test::example("pipeline.toml"));
  const Params zero = test::load(test::example("labour-market.toml"),
                                 {"labour_market.allocation.vacancy_weight=0", "labour_market.recruitment.efficiency=0",
                                  "labour_market.mobility.matrix=[[1, 0, 0], [0, 1, 0], [0, 0, 1]]",
                                  "labour_market.feedback.elasticity=0"});
  REQUIRE(zero.labour_market.enabled);
  check_identical(plain, zero, 2);
}

TEST_CASE("labour market: the example balances exactly, is identical for 1 and 2 threads, and every mechanism acts") {
  const Params p = test::load(test::example("labour-market.toml"));
  REQUIRE(p.labour_market.enabled);
  const auto one = experiments::run_replications(p, 1), two = experiments::run_replications(p, 2);
  std::map<int, std::int64_t> total;
  for (std::size_t rep = 0; rep < one.size(); ++rep) {
    test::check_balance(one[rep]);
    CHECK(one[rep].headcount == two[rep].headcount);
    CHECK(one[rep].flows == two[rep].flows);
    CHECK(one[rep].fte == two[rep].fte);
    CHECK(one[rep].unfilled == two[rep].unfilled);
    for (int t = 1; t < p.years(); ++t)
      for (int c = 0; c < p.cat.cells(); ++c)
        for (int f : {kInMobility, kOutMobility, kInRecruitedReserve, kInRecruitedOutside}) total[f] += one[rep].flow(t, c, f);
  }
  for (const auto& [flow, n] : total) {
    CAPTURE(flow_labels()[flow]);
    CHECK(n > 0);
  }
}

TEST_CASE("honest totals: unfilled and surplus are the positive and negative parts of every cell's shortage") {
  // Entrants that do not follow open jobs leave some cells with a surplus (with them
  // following, the example's cells may all end short, depending on the draws).
  const Params p = test::load(test::example("labour-market.toml"),
                              {"run.replications=2", "labour_market.allocation.vacancy_weight=0"});
  const RunResult r = simulate(p, 0);
  double unfilled = 0, surplus = 0, net = 0;
  for (std::size_t k = 0; k < r.shortage_persons.size(); ++k) {
    CHECK(r.unfilled[k] == std::max(0.0, r.shortage_persons[k]));
    CHECK(r.surplus[k] == std::max(0.0, -r.shortage_persons[k]));
    unfilled += r.unfilled[k], surplus += r.surplus[k], net += r.shortage_persons[k];
  }
  CHECK(unfilled - surplus == doctest::Approx(net));
  CHECK(surplus > 0);  // surplus cells, so the totals differ from the net
}

TEST_CASE("retention: tenure_below = N covers a starter's first N years (tenure 1..N at the outflow step)") {
  for (const int n : {1, 2, 4}) {
    CAPTURE(n);
    const test::ExtendedScenario s("[interventions.starters]\nkind = \"retention\"\nstart_year = 2023\neffect = 0.5\n"
                                   "tenure_below = " + std::to_string(n) + "\n");
    const Params p = s.load();
    const WorkerStore w = initial_workforce(p, 0);
    // Year 1: exposed workers (below the pension age after the yearly ageing) with tenure <= N after it.
    double expected = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      expected += working(w.state[i]) && w.age[i] + 1 < p.pension_age_whole() && w.tenure[i] + 1 <= n;
    }
    const RunResult r = simulate(p, 0);
    CHECK(r.intervention_units[r.intervention_at(1, 0)] == expected);
    CHECK(expected > 0);
  }
}

TEST_CASE("labour market: bad input exits 2 with file, line and key") {
  using Bad = test::BadInput;
  const Bad cases[] = {
      {"frictional share above 1", "[labour_market]\nfrictional_share = 1.2\n", "labour_market.frictional_share",
       "frictional_share = 1.2"},
      {"vacancy weight above 1", "[labour_market.allocation]\nvacancy_weight = 1.5\n",
       "labour_market.allocation.vacancy_weight", "vacancy_weight = 1.5"},
      {"unknown key", "[labour_market.allocation]\nvacancy_wieght = 0.5\n", "labour_market.allocation.vacancy_wieght",
       "vacancy_wieght"},
      {"switchers_may_start: unknown occupation", "[labour_market.allocation]\nswitchers_may_start = [\"helper\", \"pilot\"]\n",
       "labour_market.allocation.switchers_may_start", "pilot"},
      {"may_fill: unknown qualification", "[labour_market]\nmay_fill = { dentist = [\"helper\"] }\n",
       "labour_market.may_fill.dentist", "dentist"},
      {"may_fill: unknown job", "[labour_market]\nmay_fill = { vig = [\"surgeon\"] }\n", "labour_market.may_fill.vig",
       "surgeon"},
      {"recruitment: efficiency missing", "[labour_market.recruitment]\npool_elasticity = 0.5\n",
       "labour_market.recruitment.efficiency", "[labour_market.recruitment]"},
      {"recruitment: elasticity above 1", "[labour_market.recruitment]\nefficiency = 0.5\npool_elasticity = 1.5\n",
       "labour_market.recruitment.pool_elasticity", "pool_elasticity = 1.5"},
      {"recruitment: negative pool", "[labour_market.recruitment]\nefficiency = 0.5\npool_elasticity = 0.5\noutside_pool = { vig = -3 }\n",
       "labour_market.recruitment.outside_pool.vig", "outside_pool"},
      {"mobility: row not summing to 1",
       "[labour_market.mobility]\nmatrix = [[0.9, 0.1, 0.0], [0.1, 0.8, 0.0], [0.0, 0.0, 1.0]]\n",
       "labour_market.mobility.matrix", "[0.1, 0.8, 0.0]"},
      {"mobility: wrong type", "[labour_market.mobility]\nmatrix = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\nvacancy_elasticity = \"high\"\n",
       "labour_market.mobility.vacancy_elasticity", "vacancy_elasticity = \"high\""},
      {"feedback: cap below 1", "[labour_market.feedback]\nelasticity = 0.5\ncap = 0.5\n", "labour_market.feedback.cap",
       "cap = 0.5"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    const test::ExtendedScenario s(c.body);
    test::check_located_error(s.file, c.key, c.located);
  }
}
