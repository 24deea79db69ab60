// `careabm size-cohorts`: the smallest constant extra yearly enrolment in a
// programme (a whole number of trainees a year, from a start year on) such
// that the mean shortage in persons of an occupation in a target year is at
// most a goal. Every candidate runs with the scenario's seed (common random
// numbers), and extra trainees have their own uids, nested: the extra
// trainees of a smaller candidate are those of a larger one. The mean
// shortage falls with extra enrolment in expectation (more graduates; the
// only way back is supervision: more trainees than places raises everyone's
// dropout), not necessarily replication by replication, so the search
// brackets the answer and then bisects on the integer.
//
// When the goal cannot be reached (the shortage stops falling as enrolment
// grows, or the cap on extra enrolment is reached), it says so, and, when the
// scenario limits supervision, how many more supervision places the goal
// needs: a run at the enrolment that reaches the goal without the bottleneck
// (supervision not raising dropout), counting trainees above the places.
// The answer comes with a 95% interval for the Monte Carlo error of the mean
// shortage: from the smallest enrolment whose mean's 95% confidence interval
// (mean -+ t(0.975, R-1) sd/sqrt(R)) reaches the goal at its lower end, to the
// smallest that reaches it at its upper end. With the programme's
// cost_per_trainee, the extra enrolment's cost is counted by the simulation
// (its units x the cost) from the first extra year through the goal's year.
// The file layout is analysis/README.md, "Output layouts", size-cohorts.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "io/output_readers.h"
#include "scenario/params.h"

namespace careabm::experiments {

struct CohortSettings {
  std::filesystem::path scenario;
  std::vector<std::string> overrides;  // --set and -r, applied to the scenario
  std::string programme, occupation;
  int by_year = 0;
  double goal = 0;     // persons
  int from_year = 0;   // 0: first_start_year(p, current_year)
  int current_year = 0;  // the calendar year for from_year's default; 0: this year (UTC)
  long max_extra = 0;  // 0: min(65535, max(1000, 10 x the programme's yearly enrolment))
  int threads = 1;
};

struct CohortCandidate {
  long extra = 0;
  std::vector<double> shortage;                 // [replication]: occupation's shortage (persons) in by_year
  std::vector<std::vector<double>> trajectory;  // [year][replication]: the same in every year
  double peak_supervision_gap = 0;  // mean over replications of the largest (over years) trainees - places
  double cost = 0;  // euro: mean over replications of the extra enrolment's cost, from_year..by_year
};

struct CohortResult {
  Params p;          // the scenario as loaded (without the extra enrolment)
  std::string text;  // its resolved TOML
  int programme = 0, occupation = 0, from_year = 0;
  std::string from_rule;  // why from_year: "--from", or the default's reasoning
  long max_extra = 0;
  std::vector<CohortCandidate> candidates;  // in increasing extra enrolment
  double answer = 0;                        // NaN when no candidate reaches the goal
  // The answer's 95% interval for the Monte Carlo error (NaN when not found, or R < 2).
  double answer_lo95 = 0, answer_hi95 = 0;
  double cost_per_trainee = 0;              // euro (the programme's; NaN when not given)
  double cost = 0, cost_lo95 = 0, cost_hi95 = 0;  // euro, from_year..by_year, at the answer and its interval ends
  std::string verdict;                      // one sentence: the answer, or why there is none
  // When unreachable because of supervision: the extra enrolment that reaches the goal
  // when supervision does not raise dropout, and the supervision places it needs beyond
  // the scenario's at the peak (NaN when not applicable).
  double unconstrained_extra = 0, supervision_places_needed = 0, supervisors_needed = 0;
  int evaluations = 0;

  const CohortCandidate* at_answer() const;  // the answer's candidate, or the largest
};

// Where the search is: stage (1 "bracketing" the answer, 2 "bisecting", 3 its
// "interval", or "supervision": the enrolment without the supervision bottleneck,
// when the goal is out of reach) of kCohortStages, the
// candidate being run (its evaluation number and extra enrolment) and its
// replications done of total.
constexpr int kCohortStages = 3;
struct CohortStep {
  int stage = 1;
  std::string stage_name;
  int evaluation = 0;
  long extra = 0;
  int done = 0, total = 0;
};
using CohortProgress = std::function<void(const CohortStep&)>;

// The first year a new cohort can still start: the first simulated year after the
// start year (which holds the initial population) and not before `current_year`.
int first_start_year(const Params& p, int current_year);

CohortResult size_cohorts(const CohortSettings& settings, const CohortProgress& progress = {});

void write_cohorts_file(const std::filesystem::path& path, const CohortResult& result, const CohortSettings& settings,
                        const std::string& command_line);

// The answer, the candidates tried, and the shortage trajectory at the answer.
void print_cohorts(std::ostream& out, const CohortResult& result, const CohortSettings& settings);

// `careabm summary` of a size-cohorts file: the candidates with their mean shortage and
// 95% interval, the verdict, and the trajectory at the answer (from the file's statistics).
void print_cohorts_summary(std::ostream& out, const io::CohortsTable& table, const std::string& file);

}  // namespace careabm::experiments
