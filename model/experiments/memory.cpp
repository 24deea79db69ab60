#include "experiments/memory.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/errors.h"
#include "core/flows.h"
#include "experiments/sweep_spec.h"

namespace careabm::experiments {

namespace {

using u64 = std::uint64_t;

// Saturating arithmetic: a scenario large enough to overflow 64 bits is simply "too much".
constexpr u64 kHuge = UINT64_MAX / 4;
u64 mul(u64 a, u64 b) { return a != 0 && b > kHuge / a ? kHuge : a * b; }
u64 add(u64 a, u64 b) { return std::min(kHuge, a + b); }

// Bytes per cell and year of one replication: the stock and demand arrays of
// core/run_result.h (headcount, reserve, self-employed, fte, demand, shortage fte
// and persons, unfilled, surplus, trainee fte) and the flows.
constexpr u64 kStockArrays = 10;
constexpr u64 kCellYearBytes = (kStockArrays + kFlowCount) * 8;
// One worker in core/worker_store.h: uid (8), hours (4) and twelve one-byte columns.
constexpr u64 kWorkerBytes = 24;
// One row of --agents-out microdata (experiments/agents_out.cpp): uid and hours as 8 bytes,
// seven int32 columns, three int8 columns and the replication index.
constexpr u64 kAgentRowBytes = 8 + 8 + 7 * 4 + 3 + 4;
constexpr u64 kTraineeBytes = 14, kClientBytes = 14;
// Per-cell work arrays of one simulation (vacancies, supply, outflow thresholds by
// age and tenure band, feedback): a generous allowance.
constexpr u64 kCellScratchBytes = 512;

// Where a key of the scenario was set; the scenario file when it was not.
void locate(MemoryEstimate& e, const scenario::Document& doc, const std::string& key) {
  e.key = key;
  if (const auto* node = toml::at_path(doc.root(), key).node()) {
    e.file = scenario::source_file(*node);
    e.line = scenario::source_line(*node);
  } else {
    e.file = doc.path().string();
    e.line = 0;
  }
}

// The category list with the most entries: the one to shorten.
std::string largest_categories(const Params& p) {
  const auto& c = p.cat;
  if (c.O() >= c.B() && c.O() >= c.S()) return "categories.occupations";
  return c.B() >= c.S() ? "categories.branches" : "categories.subregions";
}

struct Parts {
  u64 cells = 0, years = 0;
  u64 cell_part = 0, other_part = 0;  // per replication
  u64 largest_variable = 0;           // per replication
  u64 workers = 0, trainees = 0, clients = 0, scratch = 0;  // per simulation, bytes
  // --agents-out microdata, per simulation: its own snapshot and one that finished
  // before its turn to be written (experiments/agents_out.h streams the rest out).
  u64 agents = 0;
  u64 per_replication() const { return add(cell_part, other_part); }
  u64 per_simulation() const { return add(add(add(workers, trainees), add(clients, scratch)), agents); }
};

Parts parts_of(const Params& p) {
  Parts out;
  const u64 T = static_cast<u64>(std::max(1, p.years()));
  const u64 cells = static_cast<u64>(p.cat.S()) * u64(p.cat.B()) * u64(p.cat.O());
  out.cells = cells, out.years = T;
  out.cell_part = mul(mul(T, cells), kCellYearBytes);
  out.largest_variable = mul(mul(T, cells), u64(kFlowCount) * 8);

  // Training, clients and interventions (core/run_result.h's size_* functions).
  const u64 workplaces = u64(p.cat.S()) * u64(p.cat.B());
  u64 other = add(mul(mul(T, p.training.programmes.size()), 4 * 8), mul(mul(T, workplaces), 3 * 8));
  if (p.clients.enabled) {
    const u64 by_setting = mul(mul(u64(p.cat.S()), p.clients.needs.size()), p.clients.settings.size());
    other = add(other, add(mul(mul(T, by_setting), 8), mul(mul(T, u64(p.cat.S())), 5 * 8)));
  }
  other = add(other, mul(mul(T, p.interventions.size()), 16));
  out.other_part = other;

  // The workers' store as simulation/initial_population.cpp reserves it: the initial
  // workforce and reserve, twice over for the years of newcomers.
  double initial = 0, reserve = 0;
  for (const auto& g : p.initial) {
    initial += double(g.count);
    if (g.occupation < p.initial_reserve_ratio.size()) reserve += double(g.count) * p.initial_reserve_ratio[g.occupation];
  }
  const double capacity = (initial + reserve) * 2.0 + 1024;
  out.workers = capacity >= double(kHuge) / kWorkerBytes ? kHuge : u64(capacity) * kWorkerBytes;
  out.agents = mul(mul(2 * p.agents_out.size(), u64(std::min(initial + reserve, double(kHuge) / 64))), kAgentRowBytes);

  double trainees = 0;
  for (const auto& g : p.training.programmes) {
    if (g.is_upgrade()) continue;
    double yearly = 0;
    for (double e : g.enrolment) yearly += e;
    trainees += yearly * std::pow(1.0 + std::max(0.0, g.enrolment_growth), double(T)) * std::max(1, g.duration);
  }
  out.trainees = mul(u64(std::min(trainees, double(kHuge) / 64)) * 2, kTraineeBytes);
  double clients = 0;
  if (p.clients.enabled)
    for (const auto& g : p.clients.initial) clients += double(g.count);
  out.clients = mul(u64(std::min(clients, double(kHuge) / 64)) * 2, kClientBytes);

  out.scratch = mul(cells, kCellScratchBytes);
  if (p.labour_market.enabled && !p.labour_market.mobility.empty()) {
    out.scratch = add(out.scratch, mul(mul(cells, u64(p.cat.O())), 8));  // processes/mobility.h thresholds
  }
  return out;
}

}  // namespace

std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return mul(u64(pages), u64(page));
}

MemoryLimit memory_limit(std::uint64_t option_bytes) {
  if (option_bytes > 0) return {option_bytes, true};
  return {physical_memory(), false};
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = double(bytes) / 1024;
  int unit = 0;
  while (v >= 1024 && unit < 5) v /= 1024, ++unit;
  char text[32];
  std::snprintf(text, sizeof text, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
  return text;
}

std::uint64_t MemoryEstimate::peak() const { return add(results, std::max(writing, simulations)); }

MemoryEstimate estimate_run(const scenario::Document& doc, const Params& p, const RunShape& shape) {
  const Parts parts = parts_of(p);
  const u64 R = u64(std::max<std::int64_t>(1, shape.replications));
  const u64 running = u64(std::clamp<std::int64_t>(shape.simulations, 1, std::int64_t(R)));
  MemoryEstimate e;
  e.results = mul(R, parts.per_replication());
  if (shape.writes_file) {
    e.writing = add(mul(mul(R, parts.largest_variable), 2), e.results / 2);
  }
  e.simulations = mul(running, parts.per_simulation());

  // The key responsible: what is large in the larger side.
  if (add(e.results, e.writing) >= e.simulations) {
    if (R >= parts.cells && R >= parts.years) {
      locate(e, doc, "run.replications");
      e.advice = "run fewer replications";
    } else if (parts.cells >= parts.years) {
      locate(e, doc, largest_categories(p));
      e.advice = "use fewer categories (" + std::to_string(parts.cells) + " subregion x branch x occupation cells)";
    } else {
      locate(e, doc, "time.end_year");
      e.advice = "simulate fewer years";
    }
  } else {
    const u64 biggest = std::max({parts.workers, parts.trainees, parts.clients, parts.scratch, parts.agents});
    if (biggest == parts.agents) {
      e.key = "--agents-out";
      e.advice = "write fewer years of agent microdata";
    } else if (biggest == parts.workers) {
      locate(e, doc, "workforce.initial");
      e.advice = "start from fewer workers";
    } else if (biggest == parts.clients) {
      locate(e, doc, "clients.initial");
      e.advice = "start from fewer clients";
    } else if (biggest == parts.trainees) {
      locate(e, doc, "training.programmes");
      e.advice = "enrol fewer trainees";
    } else {
      locate(e, doc, largest_categories(p));
      e.advice = "use fewer categories (" + std::to_string(parts.cells) + " subregion x branch x occupation cells)";
    }
    if (running > 1) e.advice += ", or run fewer at once (--threads)";
  }
  return e;
}

MemoryEstimate combine(const std::vector<MemoryEstimate>& estimates) {
  MemoryEstimate out;
  u64 most = 0;
  for (const auto& e : estimates) {
    out.results = add(out.results, e.results);
    out.writing = add(out.writing, e.writing);
    out.simulations = std::max(out.simulations, e.simulations);
    if (e.peak() > most || out.key.empty()) {  // the first of equals: the base scenario of a compare
      most = e.peak();
      out.key = e.key, out.file = e.file, out.line = e.line, out.advice = e.advice;
    }
  }
  return out;
}

MemoryEstimate estimate_sweep(const sweep::SweepSpec& spec, const scenario::Document& sweep_doc,
                              const scenario::Document& base_doc, const Params& base, int threads) {
  const Parts parts = parts_of(base);
  const u64 P = u64(std::max<long>(1, spec.points()));
  const u64 R = u64(std::max(1, spec.replications));
  const u64 O = u64(std::max<std::size_t>(1, spec.outputs.size()));
  const u64 k = u64(std::max(1, spec.k()));
  MemoryEstimate e;
  // The outputs of every point (held, and written as NaN placeholders first), and the
  // design on the unit scale and in parameter values, with their row-major copies.
  e.results = add(mul(mul(mul(P, R), O), 8 * 2), mul(P, add(mul(k, 8 * 4), 16)));
  e.writing = e.results / 2;
  // Each point runs its replications one after the other: one result at a time.
  e.simulations = mul(u64(std::max(1, threads)), add(parts.per_simulation(), parts.per_replication()));
  if (add(e.results, e.writing) >= e.simulations) {
    if (R > P && R >= O) {
      locate(e, sweep_doc, "replications");
      e.advice = "run fewer replications per point";
    } else if (O > P) {
      locate(e, sweep_doc, "outputs");
      e.advice = "record fewer outputs";
    } else {
      const char* key = spec.design == sweep::DesignKind::grid       ? "design.levels"
                        : spec.design == sweep::DesignKind::lhs      ? "design.points"
                        : spec.design == sweep::DesignKind::saltelli ? "design.base_samples"
                                                                     : "design.trajectories";
      locate(e, sweep_doc, key);
      e.advice = "use a design with fewer points (" + std::to_string(P) + " now)";
    }
  } else {
    const MemoryEstimate one = estimate_run(base_doc, base, {1, 1, false});
    e.key = one.key, e.file = one.file, e.line = one.line, e.advice = one.advice;
    if (threads > 1) e.advice += ", or run fewer points at once (--threads)";
  }
  return e;
}

void require_memory(const MemoryEstimate& e, const MemoryLimit& limit) {
  if (limit.bytes == 0 || e.peak() <= limit.bytes) return;
  std::string message = "needs an estimated " + format_bytes(e.peak()) + " of memory (results " +
                        format_bytes(e.results);
  if (e.writing > 0) message += ", writing the output " + format_bytes(e.writing);
  message += ", simulations running at once " + format_bytes(e.simulations) + "), more than the " +
             format_bytes(limit.bytes) +
             (limit.from_option ? " that --max-memory allows" : " of this machine's memory (--max-memory sets the limit)") +
             "; " + e.advice;
  throw InputError(e.file, e.line, e.key, message);
}

}  // namespace careabm::experiments
