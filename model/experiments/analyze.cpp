#include "experiments/analyze.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/errors.h"
#include "experiments/sweep_checkpoint.h"
#include "io/atomic_output.h"
#include "io/h5_reader.h"
#include "io/h5_writer.h"
#include "stats/sensitivity.h"

namespace careabm::sweep {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The mean over replications of each point, for output o: values are [point, replication, output].
Eigen::VectorXd point_means(const std::vector<double>& values, long points, int reps, int outputs, int o) {
  Eigen::VectorXd y(points);
  for (long i = 0; i < points; ++i) {
    double sum = 0;
    for (int r = 0; r < reps; ++r) sum += values[(static_cast<std::size_t>(i) * reps + r) * outputs + o];
    y[i] = sum / reps;
  }
  return y;
}

std::vector<double> row_major(const Eigen::MatrixXd& m) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) out.push_back(m(i, j));
  }
  return out;
}

// [output, parameter, bound] from the lo and hi matrices.
std::vector<double> with_bounds(const Eigen::MatrixXd& lo, const Eigen::MatrixXd& hi) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < lo.rows(); ++i) {
    for (Eigen::Index j = 0; j < lo.cols(); ++j) out.insert(out.end(), {lo(i, j), hi(i, j)});
  }
  return out;
}

void write_results(io::H5Writer& out, const SensitivityResults& s) {
  const std::vector<std::string> dims = {"output", "parameter"};
  const auto put = [&](const std::string& path, const Eigen::MatrixXd& m, const std::string& description) {
    out.write(path, dims, std::span<const double>(row_major(m)));
    out.attr(path, "description", description);
  };
  if (s.design == "saltelli") {
    put("/sensitivity/sobol_first", s.first,
        "first-order Sobol' index S_i (Saltelli et al. 2010) of the point means over replications");
    put("/sensitivity/sobol_total", s.total, "total Sobol' index S_Ti (Jansen 1999) of the point means");
    const std::string ci = "95% percentile bootstrap interval (" + std::to_string(s.bootstrap) +
                           " resamples of the base samples)";
    out.write("/sensitivity/sobol_first_ci", {"output", "parameter", "bound"},
              std::span<const double>(with_bounds(s.first_lo, s.first_hi)));
    out.attr("/sensitivity/sobol_first_ci", "description", ci);
    out.write("/sensitivity/sobol_total_ci", {"output", "parameter", "bound"},
              std::span<const double>(with_bounds(s.total_lo, s.total_hi)));
    out.attr("/sensitivity/sobol_total_ci", "description", ci);
  } else {
    put("/sensitivity/morris_mu_star", s.mu_star,
        "Morris mu*: mean absolute elementary effect over the full range of the parameter, output units");
    put("/sensitivity/morris_sigma", s.sigma,
        "Morris sigma: standard deviation of the elementary effects (interactions, non-linearity)");
  }
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

SensitivityResults analyze_sweep(const fs::path& path, const AnalyzeOptions& options) {
  if (!fs::exists(path)) throw InputError(path.string(), 0, "", "file not found");
  if (fs::is_directory(path)) {
    const auto status = inspect_checkpoint(path);
    if (!status) throw InputError(path.string(), 0, "", "is a directory, not a sweep file");
    throw InputError(
        path.string(), 0, "",
        "the checkpoint of a sweep that is incomplete: " + std::to_string(status->completed) + " of " +
            std::to_string(status->points) +
            " points done (finish it with careabm sweep --resume, then analyze its output file)");
  }
  SensitivityResults s;
  std::vector<double> values, unit;
  std::int64_t seed = 0, base_samples = 0, trajectories = 0, levels = 0;
  {
    const io::H5Reader in(path);
    if (!in.has_attr("/", "command") || in.root_attr_string("command") != "sweep") {
      throw InputError(path.string(), 0, "command", "not a careabm sweep file");
    }
    s.design = in.root_attr_string("design");
    if (s.design != "saltelli" && s.design != "morris") {
      throw InputError(path.string(), 0, "design",
                       "a '" + s.design + "' design has no sensitivity estimator (use saltelli or morris)");
    }
    if (in.exists("/sensitivity") && !options.force) {
      throw InputError(path.string(), 0, "/sensitivity", "sensitivity results exist (use --force to recompute)");
    }
    const auto completed = in.read_int64("/completed");
    const long done = std::count(completed.begin(), completed.end(), 1);
    if (done != static_cast<long>(completed.size())) {
      throw InputError(path.string(), 0, "/completed",
                       "the sweep is incomplete: " + std::to_string(done) + " of " +
                           std::to_string(completed.size()) + " points done (finish it with careabm sweep --resume)");
    }
    s.outputs = in.labels("output");
    s.parameters = in.labels("parameter");
    s.points = static_cast<long>(completed.size());
    s.replications = static_cast<int>(in.shape("/outputs/values").at(1));
    values = in.read_double("/outputs/values");
    seed = in.root_attr_int64("seed");
    if (s.design == "saltelli") {
      base_samples = in.root_attr_int64("base_samples");
    } else {
      trajectories = in.root_attr_int64("trajectories");
      levels = in.root_attr_int64("levels");
      unit = in.read_double("/design_unit");
    }
  }

  const int O = static_cast<int>(s.outputs.size()), k = static_cast<int>(s.parameters.size());
  s.bootstrap = options.bootstrap;
  const auto nan_matrix = [&] { return Eigen::MatrixXd::Constant(O, k, kNaN); };
  if (s.design == "saltelli") {
    s.first = s.total = s.first_lo = s.first_hi = s.total_lo = s.total_hi = nan_matrix();
  } else {
    s.mu_star = s.sigma = nan_matrix();
  }
  Eigen::MatrixXd design;
  if (s.design == "morris") {
    design.resize(s.points, k);
    for (long i = 0; i < s.points; ++i) {
      for (int j = 0; j < k; ++j) design(i, j) = unit[static_cast<std::size_t>(i) * k + j];
    }
  }
  for (int o = 0; o < O; ++o) {
    const Eigen::VectorXd y = point_means(values, s.points, s.replications, O, o);
    try {
      if (s.design == "saltelli") {
        const auto idx = stats::sobol_indices(y, static_cast<int>(base_samples), k, options.bootstrap,
                                       static_cast<std::uint64_t>(seed));
        s.first.row(o) = idx.first;
        s.total.row(o) = idx.total;
        s.first_lo.row(o) = idx.first_lo;
        s.first_hi.row(o) = idx.first_hi;
        s.total_lo.row(o) = idx.total_lo;
        s.total_hi.row(o) = idx.total_hi;
      } else {
        const auto fx = stats::morris_effects(design, y, static_cast<int>(trajectories), k, static_cast<int>(levels));
        s.mu_star.row(o) = fx.mu_star;
        s.sigma.row(o) = fx.sigma;
      }
    } catch (const std::invalid_argument& e) {
      s.warnings.push_back("output '" + s.outputs[o] + "': no indices (" + e.what() + ")");
    }
  }

  // Through a copy and a rename: the sweep file is whole at every moment.
  io::AtomicOutput output(path, true);
  fs::copy_file(path, output.temp_path(), fs::copy_options::overwrite_existing);
  auto out = io::H5Writer::open_existing(output.temp_path());
  write_results(out, s);
  out.close();
  output.commit();
  return s;
}

void print_sensitivity(std::ostream& out, const SensitivityResults& s) {
  std::size_t width = 9;
  for (const auto& p : s.parameters) width = std::max(width, p.size());
  const auto pad = [&](const std::string& text, std::size_t w) {
    return text + std::string(w > text.size() ? w - text.size() : 1, ' ');
  };
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    out << "\n" << s.outputs[o] << " (" << s.design << " design, " << s.points << " points x " << s.replications
        << " replications; indices of the point means)\n";
    if (s.design == "saltelli") {
      out << pad("parameter", width + 2) << pad("first-order S1 [95% CI]", 28) << "total ST [95% CI]\n";
      for (std::size_t j = 0; j < s.parameters.size(); ++j) {
        const auto cell = [&](double v, double lo, double hi) {
          return fixed(v, 3) + " [" + fixed(lo, 3) + ", " + fixed(hi, 3) + "]";
        };
        out << pad(s.parameters[j], width + 2)
            << pad(cell(s.first(o, j), s.first_lo(o, j), s.first_hi(o, j)), 28)
            << cell(s.total(o, j), s.total_lo(o, j), s.total_hi(o, j)) << "\n";
      }
    } else {
      out << pad("parameter", width + 2) << pad("mu*", 14) << "sigma\n";
      for (std::size_t j = 0; j < s.parameters.size(); ++j) {
        out << pad(s.parameters[j], width + 2) << pad(fixed(s.mu_star(o, j), 2), 14) << fixed(s.sigma(o, j), 2)
            << "\n";
      }
    }
  }
}

}  // namespace careabm::sweep
