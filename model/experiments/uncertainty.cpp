#include "experiments/uncertainty.h"

#include <cmath>

#include "core/errors.h"
#include "experiments/sweep_spec.h"
#include "scenario/document.h"
#include "scenario/load.h"
#include "simulation/simulate.h"
#include "stats/design.h"

namespace careabm::experiments {

namespace {

// FNV-1a of the key, folded to 32 bits: the key's Latin hypercube column.
std::uint32_t key_hash(const std::string& key) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

std::vector<std::vector<double>> draw_parameters(const Params& p, int replications) {
  for (const auto& u : p.uncertainty)
    if (!u.problem.empty()) throw InputError(u.file, u.line, "uncertainty.parameters", u.problem);
  std::vector<std::vector<double>> out(replications, std::vector<double>(p.uncertainty.size()));
  for (std::size_t k = 0; k < p.uncertainty.size(); ++k) {
    const auto column = stats::latin_column(replications, p.seed, key_hash(p.uncertainty[k].key));
    for (int r = 0; r < replications; ++r) {
      const double v = stats::band_quantile(p.uncertainty[k].band, column[r]);
      out[r][k] = p.uncertainty[k].integer ? std::round(v) : v;
    }
  }
  return out;
}

std::vector<std::string> parameter_overrides(const Params& p, const std::vector<double>& values) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < p.uncertainty.size(); ++k) {
    const std::string text = p.uncertainty[k].integer ? std::to_string(std::llround(values[k]))
                                                      : sweep::exact_float_text(values[k]);
    out.push_back(p.uncertainty[k].key + "=" + text);
  }
  return out;
}

std::vector<RunResult> run_with_uncertainty(const std::filesystem::path& scenario,
                                            const std::vector<std::string>& overrides, const Params& p,
                                            const std::vector<std::vector<double>>& draws, int threads,
                                            const ProgressFn& progress) {
  return run_each(
      static_cast<int>(draws.size()),
      [&](int rep) {
        auto sets = overrides;
        for (auto& o : parameter_overrides(p, draws[rep])) sets.push_back(std::move(o));
        Params drawn = scenario::load_params(scenario::Document::load(scenario, sets));
        return simulate(drawn, rep);
      },
      threads, progress);
}

}  // namespace careabm::experiments
