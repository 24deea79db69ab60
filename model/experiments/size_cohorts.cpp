#include "experiments/size_cohorts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

#include "core/errors.h"
#include "experiments/compare.h"
#include "experiments/output.h"
#include "experiments/replications.h"
#include "io/cf.h"
#include "io/h5_writer.h"
#include "scenario/document.h"
#include "scenario/load.h"
#include "stats/statistics.h"

namespace careabm::experiments {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? kNaN : sum / double(v.size());
}

std::string number(double v, const char* format = "%.0f") {
  char buf[64];
  const bool whole = std::string(format) == "%.0f";
  std::snprintf(buf, sizeof buf, format, whole && std::fabs(v) < 0.5 ? 0.0 : v);  // no "-0"
  return buf;
}

// "1,234,567": euro amounts in sentences.
std::string grouped(double v) {
  std::string digits = number(std::fabs(v));
  for (int at = int(digits.size()) - 3; at > 0; at -= 3) digits.insert(std::size_t(at), ",");
  return (v < -0.5 ? "-" : "") + digits;
}

// Runs the scenario with `extra` more trainees a year and measures the occupation's shortage.
class Evaluator {
 public:
  Evaluator(const CohortResult& r, int threads, const CohortProgress& progress)
      : r_(r), threads_(threads), progress_(progress) {}

  // unconstrained: supervision does not raise dropout (places are still counted).
  const CohortCandidate& operator()(long extra, bool unconstrained = false) {
    auto& cache = unconstrained ? unconstrained_ : candidates_;
    if (const auto it = cache.find(extra); it != cache.end()) return it->second;
    Params q = r_.p;
    Intervention v;
    v.name = "size_cohorts_extra_enrolment";
    v.kind = InterventionKind::training_cohort;
    v.start_year = r_.from_year;
    v.programme = r_.programme;
    v.extra_enrolment_total = double(extra);
    v.subregions.assign(q.cat.S(), 1);
    v.cost_per_unit = std::isnan(r_.cost_per_trainee) ? 0.0 : r_.cost_per_trainee;
    q.interventions.push_back(v);
    if (unconstrained) q.training.supervision.dropout_elasticity = 0;
    ++evaluations;
    CohortStep step{stage, stage_name, evaluations, extra, 0, q.replications};
    if (progress_) progress_(step);
    const auto results = run_replications(q, threads_, [&](int done, int total) {
      step.done = done, step.total = total;
      if (progress_) progress_(step);
    });
    return cache.emplace(extra, measure(q, extra, results)).first->second;
  }
  double mean_shortage(long extra, bool unconstrained = false) { return mean((*this)(extra, unconstrained).shortage); }
  // The mean shortage's 95% confidence interval (Monte Carlo error) at `extra`.
  PairedInterval mean_interval(long extra) { return paired_interval((*this)(extra).shortage); }
  const std::map<long, CohortCandidate>& tried() const { return candidates_; }

  void set_stage(int number, std::string name) { stage = number, stage_name = std::move(name); }

  std::vector<CohortCandidate> candidates() const {
    std::vector<CohortCandidate> out;
    for (const auto& [extra, c] : candidates_) out.push_back(c);
    return out;
  }
  int evaluations = 0;

 private:
  CohortCandidate measure(const Params& q, long extra, const std::vector<RunResult>& results) const {
    const int T = q.years(), R = static_cast<int>(results.size());
    CohortCandidate c;
    c.extra = extra;
    c.trajectory.assign(T, std::vector<double>(R, 0.0));
    double gap_sum = 0, cost_sum = 0;
    const int k = static_cast<int>(q.interventions.size()) - 1;  // the extra enrolment
    for (int rep = 0; rep < R; ++rep) {
      const RunResult& res = results[rep];
      for (int t = r_.from_year - q.start_year; t <= by_year - q.start_year; ++t) {
        cost_sum += res.intervention_cost[res.intervention_at(t, k)];
      }
      for (int t = 0; t < T; ++t)
        for (int s = 0; s < q.cat.S(); ++s)
          for (int b = 0; b < q.cat.B(); ++b) c.trajectory[t][rep] += res.shortage_persons[res.at(t, q.cat.cell(s, b, r_.occupation))];
      double peak = 0;
      if (q.training.supervision.enabled) {
        for (int t = r_.from_year - q.start_year; t <= r_.p.years() - 1 && t + q.start_year <= by_year; ++t) {
          double gap = 0;
          for (int sb = 0; sb < res.workplaces; ++sb) {
            const std::size_t k = res.workplace_at(t, sb);
            gap += std::max(0.0, res.supervision_trainees[k] - res.supervision_places[k]);
          }
          peak = std::max(peak, gap);
        }
      }
      gap_sum += peak;
    }
    c.shortage = c.trajectory[by_year - q.start_year];
    c.peak_supervision_gap = gap_sum / R;
    c.cost = cost_sum / R;
    return c;
  }

 public:
  int by_year = 0;

 private:
  int stage = 1;
  std::string stage_name = "bracketing";
  const CohortResult& r_;
  int threads_;
  CohortProgress progress_;
  std::map<long, CohortCandidate> candidates_, unconstrained_;
};

int find_category(const std::vector<std::string>& names, const std::string& name, const std::string& option,
                  const std::string& what) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw InputError("", 0, option, "unknown " + what + " '" + name + "'; expected one of " + (list.empty() ? "(none)" : list));
}

// The enrolment that reaches the goal without the supervision bottleneck, and the
// supervision places it needs beyond the scenario's.
void supervision_needed(CohortResult& r, Evaluator& ev, const CohortSettings& s, long first_step) {
  const auto& sup = r.p.training.supervision;
  if (!sup.enabled || !r.p.training.programmes[r.programme].supervised) return;
  const double s0 = ev.mean_shortage(0, true), s1 = ev.mean_shortage(first_step, true);
  const double slope = (s0 - s1) / double(first_step);
  if (slope <= 0) return;
  long extra = std::max<long>(1, long(std::ceil((s0 - s.goal) / slope)));
  for (int step = 0; step < 3 && extra <= 65535; ++step) {  // secant refinement
    const double at = ev.mean_shortage(extra, true);
    if (at <= s.goal) break;
    extra += std::max<long>(1, long(std::ceil((at - s.goal) / slope)));
  }
  if (extra > 65535 || ev.mean_shortage(extra, true) > s.goal) return;
  r.unconstrained_extra = double(extra);
  r.supervision_places_needed = ev(extra, true).peak_supervision_gap;
  r.supervisors_needed = sup.trainees_per_supervisor > 0 ? r.supervision_places_needed / sup.trainees_per_supervisor : kNaN;
}

// The smallest enrolment in (lo, hi] where `holds` (true at hi, taken as false at lo),
// bisecting on the integer from the closest candidates already run.
template <class Holds>
long smallest_where(Evaluator& ev, long lo, long hi, Holds holds) {
  for (const auto& [extra, c] : ev.tried()) {
    if (extra > lo && extra < hi) (holds(extra) ? hi : lo) = extra;
  }
  while (hi - lo > 1) {
    const long next = lo + (hi - lo) / 2;
    (holds(next) ? hi : lo) = next;
  }
  return hi;
}

// The answer's 95% interval for the Monte Carlo error (see size_cohorts.h).
void answer_interval(CohortResult& r, Evaluator& ev, const CohortSettings& s, long answer, long first_step) {
  if (r.p.replications < 2) return;
  const auto low_end_holds = [&](long x) { return ev.mean_interval(x).lo <= s.goal; };
  const auto high_end_holds = [&](long x) { return ev.mean_interval(x).hi <= s.goal; };
  r.answer_lo95 = double(low_end_holds(0) ? 0 : smallest_where(ev, 0, answer, low_end_holds));
  // Upward from the answer, in steps from the mean's slope, to an enrolment where the
  // upper end holds; then bisect.
  const long step_from = answer > 0 ? answer : std::min(first_step, r.max_extra);
  const double slope = step_from > 0 ? (ev.mean_shortage(0) - ev.mean_shortage(step_from)) / double(step_from) : 0;
  long below = answer - 1, at = answer;
  while (!high_end_holds(at)) {
    if (at >= r.max_extra || slope <= 0) return;
    below = at;
    const double excess = ev.mean_interval(at).hi - s.goal;
    at = std::min(r.max_extra, at + std::max<long>(1, long(std::ceil(1.15 * excess / slope))));
  }
  r.answer_hi95 = double(smallest_where(ev, below, at, high_end_holds));
}

}  // namespace

int first_start_year(const Params& p, int current_year) { return std::max(p.start_year + 1, current_year); }

const CohortCandidate* CohortResult::at_answer() const {
  if (candidates.empty()) return nullptr;
  if (!std::isnan(answer)) {
    for (const auto& c : candidates)
      if (c.extra == long(answer)) return &c;
  }
  return &candidates.back();
}

CohortResult size_cohorts(const CohortSettings& s, const CohortProgress& progress) {
  CohortResult r;
  const auto doc = scenario::Document::load(s.scenario, s.overrides);
  r.p = scenario::load_params(doc);
  r.text = doc.resolved_text();
  const Params& p = r.p;
  std::vector<std::string> programmes;
  for (const auto& g : p.training.programmes) programmes.push_back(g.name);
  r.programme = find_category(programmes, s.programme, "--programme", "programme");
  if (p.training.programmes[r.programme].is_upgrade()) {
    throw InputError("", 0, "--programme", "'" + s.programme + "' is an upgrade programme (enrolment is a rate of workers)");
  }
  r.occupation = find_category(p.cat.occupations, s.occupation, "--occupation", "occupation");
  if (s.by_year <= p.start_year || s.by_year > p.end_year) {
    throw InputError("", 0, "--by", "year " + std::to_string(s.by_year) + " is not after the start year and within " +
                                         std::to_string(p.start_year) + "-" + std::to_string(p.end_year));
  }
  const int current_year = s.current_year > 0 ? s.current_year : [] {
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
    return static_cast<int>(today.year());
  }();
  if (s.from_year > 0) {
    r.from_year = s.from_year;
    r.from_rule = "--from";
  } else {
    r.from_year = first_start_year(p, current_year);
    r.from_rule = "the first simulated year after the start year " + std::to_string(p.start_year) +
                  " and not before the current year " + std::to_string(current_year);
    if (r.from_year > s.by_year) {
      throw InputError("", 0, "--by", "year " + std::to_string(s.by_year) + " is before " + std::to_string(r.from_year) +
                                          ", the first year a new cohort can still start (" + r.from_rule +
                                          "); give a later --by, or --from for a start in the past");
    }
  }
  if (r.from_year <= p.start_year || r.from_year > s.by_year) {
    throw InputError("", 0, "--from", "year " + std::to_string(r.from_year) + " must be after the start year " +
                                          std::to_string(p.start_year) + " and not after --by");
  }
  if (static_cast<int>(p.interventions.size()) >= kMaxInterventions) {
    throw InputError(s.scenario.string(), 0, "interventions", "no room for the extra enrolment (64 interventions at most)");
  }
  double base_total = 0;
  for (double e : p.training.programmes[r.programme].enrolment) base_total += e;
  const double cost = p.training.programmes[r.programme].cost_per_trainee;
  r.cost_per_trainee = cost >= 0 ? cost : kNaN;
  r.max_extra = s.max_extra > 0 ? std::min<long>(s.max_extra, 65535)
                                : std::min<long>(65535, std::max<long>(1000, long(std::ceil(10 * base_total))));

  Evaluator ev(r, s.threads, progress);
  ev.by_year = s.by_year;
  const Programme& g = p.training.programmes[r.programme];
  const std::string who = "the mean shortage of " + s.occupation + " in " + std::to_string(s.by_year);
  const long first_step = std::clamp<long>(std::lround(0.2 * base_total), 1, r.max_extra);
  long lo = 0, hi = -1;
  ev.set_stage(1, "bracketing");
  const double s0 = ev.mean_shortage(0);
  if (s0 <= s.goal) {
    hi = 0;
  } else {
    long prev = 0, cur = first_step;
    double s_prev = s0, s_cur = ev.mean_shortage(cur);
    const double slope0 = (s0 - s_cur) / double(cur);
    if (slope0 <= 1e-9) {
      r.verdict = s.by_year < r.from_year + g.duration
                      ? "unreachable: trainees enrolled from " + std::to_string(r.from_year) + " graduate from " +
                            std::to_string(r.from_year + g.duration) + ", after " + std::to_string(s.by_year)
                      : "unreachable: extra enrolment in " + s.programme + " does not lower " + who;
    }
    while (r.verdict.empty()) {
      if (s_cur <= s.goal) {
        hi = cur;
        break;
      }
      lo = cur;
      const double slope = (s_prev - s_cur) / double(cur - prev);
      if (slope < 0.1 * slope0) {
        r.verdict = "unreachable: " + who + " stops falling as enrolment grows (" + number(s_prev) + " at " +
                    std::to_string(prev) + " extra a year, " + number(s_cur) + " at " + std::to_string(cur) + ")";
        break;
      }
      if (cur >= r.max_extra) {
        r.verdict = "unreachable within the cap of " + std::to_string(r.max_extra) + " extra trainees a year (" + who +
                    " is still " + number(s_cur) + "; raise --max-extra)";
        break;
      }
      const long step = std::max<long>(1, long(std::ceil(1.15 * (s_cur - s.goal) / slope)));
      prev = cur, s_prev = s_cur;
      cur = std::min(r.max_extra, cur + step);
      s_cur = ev.mean_shortage(cur);
    }
    // Bisect on the integer between lo (above the goal) and hi (at or below it), the
    // next point by linear interpolation unless one side has moved twice in a row.
    int last_side = 0, same = 0;
    ev.set_stage(2, "bisecting");
    while (hi > 0 && hi - lo > 1) {
      const double a = ev.mean_shortage(lo), b = ev.mean_shortage(hi);
      long next = same >= 2 || a <= b ? (lo + hi) / 2 : lo + std::lround((a - s.goal) / (a - b) * double(hi - lo));
      next = std::clamp(next, lo + 1, hi - 1);
      const int side = ev.mean_shortage(next) <= s.goal ? 1 : -1;
      (side > 0 ? hi : lo) = next;
      same = side == last_side ? same + 1 : 1;
      last_side = side;
    }
  }
  r.answer = hi >= 0 ? double(hi) : kNaN;
  r.answer_lo95 = r.answer_hi95 = r.cost = r.cost_lo95 = r.cost_hi95 = kNaN;
  r.unconstrained_extra = r.supervision_places_needed = r.supervisors_needed = kNaN;
  if (hi >= 0) {
    ev.set_stage(3, "interval");
    answer_interval(r, ev, s, hi, first_step);
    const auto cost_at = [&](double extra) { return std::isnan(extra) || std::isnan(r.cost_per_trainee) ? kNaN : ev(long(extra)).cost; };
    r.cost = cost_at(r.answer), r.cost_lo95 = cost_at(r.answer_lo95), r.cost_hi95 = cost_at(r.answer_hi95);
    const auto bound = [](double v) { return std::isnan(v) ? std::string("?") : std::to_string(long(v)); };
    r.verdict = "answer: " + std::to_string(hi) + " extra trainees a year in " + s.programme + " from " +
                std::to_string(r.from_year) + " (95% interval " + bound(r.answer_lo95) + "-" + bound(r.answer_hi95) +
                " for the Monte Carlo error) bring " + who + " to " + number(ev.mean_shortage(hi)) + " (goal " +
                number(s.goal, "%g") + ")";
    r.verdict += std::isnan(r.cost) ? "; no cost_per_trainee given for " + s.programme
                                    : "; cost EUR " + grouped(r.cost) + " over " + std::to_string(r.from_year) + "-" +
                                          std::to_string(s.by_year) + " [" + (std::isnan(r.cost_lo95) ? "?" : grouped(r.cost_lo95)) +
                                          "-" + (std::isnan(r.cost_hi95) ? "?" : grouped(r.cost_hi95)) + "]";
  } else if (r.verdict.find("stops falling") != std::string::npos || r.verdict.find("cap") != std::string::npos) {
    ev.set_stage(3, "supervision");
    supervision_needed(r, ev, s, first_step);
    if (!std::isnan(r.supervision_places_needed)) {
      const bool saturated = r.verdict.find("stops falling") != std::string::npos;
      r.verdict += std::string(saturated ? "; work-floor supervision binds: without it " : "; if supervision did not raise dropout, ") +
                   number(r.unconstrained_extra) + " extra trainees a year would reach the goal, which needs about " +
                   number(r.supervision_places_needed) +
                   " more supervision places at the peak (" + number(r.supervisors_needed) + " more qualified supervisors at " +
                   number(p.training.supervision.trainees_per_supervisor, "%g") + " trainees each)";
    }
  }
  r.candidates = ev.candidates();
  r.evaluations = ev.evaluations;
  return r;
}

void write_cohorts_file(const std::filesystem::path& path, const CohortResult& r, const CohortSettings& s,
                        const std::string& command_line) {
  const Params& p = r.p;
  io::H5Writer out(path);
  write_provenance(out, "size-cohorts", command_line, p.name, p.seed, static_cast<std::int64_t>(p.replications));
  out.root_attr("programme", s.programme);
  out.root_attr("occupation", s.occupation);
  out.root_attr("by_year", static_cast<std::int64_t>(s.by_year));
  out.root_attr("from_year", static_cast<std::int64_t>(r.from_year));
  out.root_attr("from_year_rule", r.from_rule);
  out.root_attr("goal", s.goal);
  out.root_attr("answer", r.answer);
  out.root_attr("answer_lo95", r.answer_lo95);
  out.root_attr("answer_hi95", r.answer_hi95);
  out.root_attr("cost_per_trainee", r.cost_per_trainee);
  out.root_attr("cost", r.cost);
  out.root_attr("cost_lo95", r.cost_lo95);
  out.root_attr("cost_hi95", r.cost_hi95);
  out.root_attr("max_extra", static_cast<std::int64_t>(r.max_extra));
  out.root_attr("verdict", r.verdict);
  out.root_attr("unconstrained_extra_enrolment", r.unconstrained_extra);
  out.root_attr("supervision_places_needed", r.supervision_places_needed);
  out.root_attr("comment",
                "candidates are constant extra enrolments a year from from_year, all run with the scenario's seed "
                "(common random numbers); answer = the smallest candidate whose mean shortage (persons, occupation "
                "summed over subregions and branches, by_year) is <= goal; the mean shortage falls with extra "
                "enrolment in expectation, not necessarily replication by replication; answer_lo95 and answer_hi95 = "
                "the smallest candidates whose mean's 95% confidence interval (mean -+ t(0.975, R-1) sd/sqrt(R)) "
                "reaches the goal at its lower and at its upper end (Monte Carlo error; NaN when not found); cost "
                "= euro spent on the extra enrolment from from_year through by_year (NaN without the programme's "
                "cost_per_trainee), at the answer and at the interval's ends");
  out.string_dataset("/scenario", r.text);
  out.attr("/scenario", "long_name", "the resolved scenario (TOML)");

  const std::size_t C = r.candidates.size(), R = std::size_t(p.replications), T = std::size_t(p.years());
  std::vector<std::int64_t> candidates(C), reps(R), years(T);
  for (std::size_t i = 0; i < C; ++i) candidates[i] = std::int64_t(i);
  for (std::size_t i = 0; i < R; ++i) reps[i] = std::int64_t(i);
  for (std::size_t i = 0; i < T; ++i) years[i] = p.start_year + std::int64_t(i);
  out.dimension("candidate", candidates);
  out.dimension("replication", reps);
  out.dimension("year", years);
  out.dimension("stat", stats::summary_stat_labels());

  std::vector<double> extra, per_rep, trajectory_reps;
  for (const auto& c : r.candidates) {
    extra.push_back(double(c.extra));
    per_rep.insert(per_rep.end(), c.shortage.begin(), c.shortage.end());
  }
  const auto summary_values = stats::summarise([&] {  // [replication][candidate] for summarise
    std::vector<double> v(R * C);
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t i = 0; i < R; ++i) v[i * C + c] = per_rep[c * R + i];
    return v;
  }(), int(R));
  // Trajectory statistics [stat, candidate, year].
  std::vector<double> by_rep(R * C * T);
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < R; ++i) by_rep[(i * C + c) * T + t] = r.candidates[c].trajectory[t][i];
  const auto trajectory = stats::summarise(by_rep, int(R));

  out.write("/cohorts/extra_enrolment", {"candidate"}, std::span<const double>(extra));
  io::cf::describe(out, "/cohorts/extra_enrolment", "extra trainees enrolled a year", "year-1");
  out.attr("/cohorts/extra_enrolment", "description", "extra trainees enrolled a year in the programme from from_year");
  out.write("/cohorts/shortage", {"stat", "candidate"}, std::span<const double>(summary_values));
  io::cf::describe(out, "/cohorts/shortage", "shortage in persons", "1");
  out.attr("/cohorts/shortage", "description", "shortage of the occupation in by_year, statistics over replications");
  out.write("/cohorts/shortage_replications", {"candidate", "replication"}, std::span<const double>(per_rep));
  io::cf::describe(out, "/cohorts/shortage_replications", "shortage in persons", "1");
  out.write("/cohorts/trajectory", {"stat", "candidate", "year"}, std::span<const double>(trajectory));
  io::cf::describe(out, "/cohorts/trajectory", "shortage in persons", "1");
  if (!std::isnan(r.cost_per_trainee)) {
    std::vector<double> cost;
    for (const auto& c : r.candidates) cost.push_back(c.cost);
    out.write("/cohorts/cost", {"candidate"}, std::span<const double>(cost));
    io::cf::describe(out, "/cohorts/cost", "cost of the extra enrolment in euros", "1");
    out.attr("/cohorts/cost", "description", "cost of the extra enrolment from from_year through by_year");
  }
  out.attr("/cohorts/trajectory", "description", "shortage of the occupation in every year, statistics over replications");
  out.close();
}

void print_cohorts(std::ostream& out, const CohortResult& r, const CohortSettings& s) {
  const Params& p = r.p;
  char line[256];
  out << "size-cohorts " << p.name << ": extra yearly enrolment in " << s.programme << " from " << r.from_year
      << " (" << r.from_rule << ") for the shortage of " << s.occupation << " in " << s.by_year << " <= " << s.goal << " (" << p.replications
      << " replications, seed " << p.seed << ", common random numbers; " << r.evaluations << " evaluations)\n";
  if (s.from_year == 0) {  // the default depends on the date: the same command may answer differently next year
    out << "note: --from not given: the start year " << r.from_year
        << " follows from today's date (UTC); give --from " << r.from_year
        << " to pin it for a reproducible answer\n";
  }
  out << "extra/year   mean shortage   95% interval over replications\n";
  for (const auto& c : r.candidates) {
    const auto i = stats::interval(c.shortage, 0.95);
    std::snprintf(line, sizeof line, "%10ld   %13.0f   [%.0f, %.0f]\n", c.extra, i.mean, i.lo, i.hi);
    out << line;
  }
  out << r.verdict << "\n";
  if (const auto* c = r.at_answer()) {
    out << "shortage of " << s.occupation << " (persons) with " << c->extra << " extra a year:\n";
    for (int t = 0; t < p.years(); ++t) {
      const auto i = stats::interval(c->trajectory[t], 0.95);
      std::snprintf(line, sizeof line, "  %d  %8.0f  [%.0f, %.0f]\n", p.start_year + t, i.mean, i.lo, i.hi);
      out << line;
    }
  }
}

namespace {

// Index of `label` on the stat axis, or -1.
long stat_index(const std::vector<std::string>& stats, const std::string& label) {
  const auto at = std::find(stats.begin(), stats.end(), label);
  return at == stats.end() ? -1 : long(at - stats.begin());
}

}  // namespace

void print_cohorts_summary(std::ostream& out, const io::CohortsTable& t, const std::string& file) {
  const std::size_t C = t.extra.size(), R = t.replications, T = t.years.size();
  // The interval the statistics axis holds: 95% (p025-p975), or 90% in older files.
  const bool wide = stat_index(t.stats, "p025") >= 0 && stat_index(t.stats, "p975") >= 0;
  const long mean = stat_index(t.stats, "mean"), lo = stat_index(t.stats, wide ? "p025" : "p05"),
             hi = stat_index(t.stats, wide ? "p975" : "p95");
  if (mean < 0 || lo < 0 || hi < 0 || t.shortage.size() != t.stats.size() * C ||
      (!t.per_replication.empty() && t.per_replication.size() != C * R) ||
      (!t.trajectory.empty() && t.trajectory.size() != t.stats.size() * C * T)) {
    throw std::invalid_argument("print_cohorts_summary: the table's sizes do not match");
  }
  char line[256];
  out << "size-cohorts " << t.scenario << " (" << file << "): extra yearly enrolment in " << t.programme;
  if (t.from_year > 0) out << " from " << t.from_year;
  out << " for the shortage of " << t.occupation << " in " << t.by_year << " <= " << t.goal << " (" << R
      << " replications)\n";
  out << "extra/year   mean shortage   " << (t.per_replication.empty() && !wide ? "90%" : "95%")
      << " interval over replications\n";
  std::vector<std::size_t> order(C);
  for (std::size_t c = 0; c < C; ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return t.extra[a] < t.extra[b]; });
  for (const std::size_t c : order) {
    stats::Interval i{t.shortage[std::size_t(mean) * C + c], t.shortage[std::size_t(lo) * C + c],
                      t.shortage[std::size_t(hi) * C + c]};
    if (!t.per_replication.empty()) {
      i = stats::interval(std::vector<double>(t.per_replication.begin() + long(c * R),
                                              t.per_replication.begin() + long((c + 1) * R)),
                          0.95);
    }
    std::snprintf(line, sizeof line, "%10.0f   %13.0f   [%.0f, %.0f]\n", t.extra[c], i.mean, i.lo, i.hi);
    out << line;
  }
  if (!t.verdict.empty()) {
    out << t.verdict << "\n";
  } else if (std::isnan(t.answer)) {
    out << "no candidate brings the mean shortage to the goal\n";
  } else {
    out << "answer: " << t.answer << " extra trainees a year\n";
  }
  if (T == 0 || std::isnan(t.answer)) return;
  const auto at = std::find(t.extra.begin(), t.extra.end(), t.answer);
  if (at == t.extra.end()) return;
  const std::size_t c = std::size_t(at - t.extra.begin());
  out << "shortage of " << t.occupation << " (persons) with " << t.answer << " extra a year: mean ["
      << (wide ? "95%" : "90%") << " interval]\n";
  for (std::size_t y = 0; y < T; ++y) {
    const auto value = [&](long s) { return t.trajectory[(std::size_t(s) * C + c) * T + y]; };
    std::snprintf(line, sizeof line, "  %d  %8.0f  [%.0f, %.0f]\n", t.years[y], value(mean), value(lo), value(hi));
    out << line;
  }
}

}  // namespace careabm::experiments
