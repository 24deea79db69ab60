#include "experiments/analyze.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/errors.h"
#include "experiments/sweep_checkpoint.h"
#include "io/atomic_output.h"
#include "io/cf.h"
#include "io/h5_writer.h"
#include "io/output_readers.h"
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
  const auto put = [&](const std::string& path, const Eigen::MatrixXd& m, const std::string& long_name,
                       const std::string& units, const std::string& description) {
    out.write(path, dims, std::span<const double>(row_major(m)));
    io::cf::describe(out, path, long_name, units);
    out.attr(path, "description", description);
  };
  if (s.design == "saltelli") {
    put("/sensitivity/sobol_first", s.first, "first-order Sobol' index", "1",
        "first-order Sobol' index S_i (Saltelli et al. 2010) of the point means over replications");
    put("/sensitivity/sobol_total", s.total, "total Sobol' index", "1",
        "total Sobol' index S_Ti (Jansen 1999) of the point means");
    const std::string ci = "95% percentile bootstrap interval (" + std::to_string(s.bootstrap) +
                           " resamples of the base samples)";
    out.write("/sensitivity/sobol_first_ci", {"output", "parameter", "bound"},
              std::span<const double>(with_bounds(s.first_lo, s.first_hi)));
    io::cf::describe(out, "/sensitivity/sobol_first_ci", "95% interval of the first-order Sobol' index", "1");
    out.attr("/sensitivity/sobol_first_ci", "description", ci);
    out.write("/sensitivity/sobol_total_ci", {"output", "parameter", "bound"},
              std::span<const double>(with_bounds(s.total_lo, s.total_hi)));
    io::cf::describe(out, "/sensitivity/sobol_total_ci", "95% interval of the total Sobol' index", "1");
    out.attr("/sensitivity/sobol_total_ci", "description", ci);
  } else {
    put("/sensitivity/morris_mu_star", s.mu_star, "Morris mu*: mean absolute elementary effect", "1",
        "Morris mu*: mean absolute elementary effect over the full range of the parameter, output units");
    put("/sensitivity/morris_sigma", s.sigma, "Morris sigma: standard deviation of the elementary effects",
        "1", "Morris sigma: standard deviation of the elementary effects (interactions, non-linearity)");
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
  io::SweepContents sweep;
  {
    const io::OutputFile in(path);
    in.require_kind({io::OutputKind::sweep}, "sweep results to analyse");
    s.design = in.attr_string("design");
    if (s.design != "saltelli" && s.design != "morris") {
      in.fail("design", "a '" + s.design + "' design has no sensitivity estimator (use saltelli or morris)");
    }
    if (in.exists("/sensitivity") && !options.force) {
      in.fail("/sensitivity", "sensitivity results exist (use --force to recompute)");
    }
    io::SweepParts parts;
    parts.design_unit = s.design == "morris";
    parts.for_update = true;
    sweep = io::read_sweep(in, parts);
  }
  if (sweep.done() != sweep.points) {
    throw InputError(path.string(), 0, "/completed",
                     "the sweep is incomplete: " + std::to_string(sweep.done()) + " of " + std::to_string(sweep.points) +
                         " points done (finish it with careabm sweep --resume)");
  }
  s.outputs = sweep.outputs;
  s.parameters = sweep.parameters;
  s.points = static_cast<long>(sweep.points);
  s.replications = static_cast<int>(sweep.replications);
  const std::vector<double>& values = sweep.values;
  const std::vector<double>& unit = sweep.design_unit;
  const std::int64_t seed = sweep.seed, base_samples = sweep.base_samples, trajectories = sweep.trajectories,
                     levels = sweep.levels;

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
  out.remove("/sensitivity");  // results of an earlier analysis (--force), whatever their shape
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

void print_sweep_outputs(std::ostream& out, const io::SweepContents& sweep) {
  const std::size_t P = sweep.points, R = sweep.replications, O = sweep.outputs.size();
  if (sweep.values.size() != P * R * O || sweep.completed.size() != P) {
    throw std::invalid_argument("print_sweep_outputs: the sweep's sizes do not match");
  }
  if (sweep.done() == 0) {
    out << "no point of the sweep is complete yet\n";
    return;
  }
  out << "output                              mean of points   lowest point    highest point\n";
  for (std::size_t o = 0; o < O; ++o) {
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < P; ++i) {
      if (sweep.completed[i] != 1) continue;
      double m = 0;
      for (std::size_t r = 0; r < R; ++r) m += sweep.values[(i * R + r) * O + o];
      m /= static_cast<double>(R);
      sum += m;
      lo = std::min(lo, m);
      hi = std::max(hi, m);
    }
    char line[256];
    std::snprintf(line, sizeof line, "%-34s %14.1f %14.1f %16.1f\n", sweep.outputs[o].c_str(),
                  sum / static_cast<double>(sweep.done()), lo, hi);
    out << line;
  }
}

void print_sweep_summary(std::ostream& out, const io::SweepContents& sweep, const std::string& file) {
  out << "sweep of " << sweep.scenario_name << " (" << file << "): " << sweep.design << " design, "
      << sweep.parameters.size() << " parameters, " << sweep.points << " points x " << sweep.replications
      << " replications; " << sweep.done() << " of " << sweep.points << " points complete\n";
  if (sweep.done() > 0 && sweep.done() < sweep.points) out << "over the completed points only:\n";
  print_sweep_outputs(out, sweep);
  if (!sweep.has_sensitivity) return;
  const auto O = static_cast<Eigen::Index>(sweep.outputs.size()), k = static_cast<Eigen::Index>(sweep.parameters.size());
  // [output][parameter] (or [output][parameter][bound] with stride 2 and offset) as a matrix.
  const auto matrix = [&](const std::vector<double>& v, int stride, int offset) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(O, k, kNaN);
    if (v.size() != static_cast<std::size_t>(O * k * stride)) return m;
    for (Eigen::Index i = 0; i < O; ++i)
      for (Eigen::Index j = 0; j < k; ++j) m(i, j) = v[static_cast<std::size_t>((i * k + j) * stride + offset)];
    return m;
  };
  SensitivityResults s;
  s.outputs = sweep.outputs;
  s.parameters = sweep.parameters;
  s.points = static_cast<long>(sweep.points);
  s.replications = static_cast<int>(sweep.replications);
  if (!sweep.sobol_first.empty()) {
    s.design = "saltelli";
    s.first = matrix(sweep.sobol_first, 1, 0);
    s.total = matrix(sweep.sobol_total, 1, 0);
    s.first_lo = matrix(sweep.sobol_first_ci, 2, 0);
    s.first_hi = matrix(sweep.sobol_first_ci, 2, 1);
    s.total_lo = matrix(sweep.sobol_total_ci, 2, 0);
    s.total_hi = matrix(sweep.sobol_total_ci, 2, 1);
    out << "\nsensitivity indices stored in the file (careabm analyze):";
    print_sensitivity(out, s);
  }
  if (!sweep.morris_mu_star.empty()) {
    s.design = "morris";
    s.mu_star = matrix(sweep.morris_mu_star, 1, 0);
    s.sigma = matrix(sweep.morris_sigma, 1, 0);
    out << "\nsensitivity measures stored in the file (careabm analyze):";
    print_sensitivity(out, s);
  }
}

}  // namespace careabm::sweep
