#include "experiments/sweep.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cmath>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include "core/errors.h"
#include "io/h5_reader.h"
#include "io/h5_writer.h"
#include "experiments/output.h"

namespace careabm::sweep {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_interrupt(int signal) { g_signal = signal; }

std::vector<double> row_of(const Eigen::MatrixXd& m, long i) {
  std::vector<double> row(m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j) row[j] = m(i, j);
  return row;
}

std::vector<double> row_major(const Eigen::MatrixXd& m) {
  std::vector<double> out;
  out.reserve(m.size());
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) out.push_back(m(i, j));
  }
  return out;
}

// The resolved scenario text without its first line, which names the path the
// scenario was loaded by (that differs with the working directory).
std::string scenario_body(const std::string& text) {
  const auto eol = text.find('\n');
  return text.rfind("# careabm resolved scenario", 0) == 0 && eol != std::string::npos ? text.substr(eol + 1)
                                                                                        : text;
}

// ------------------------------------------------------------ local threads

struct Job {
  long point;
  std::vector<double> parameters;
};

struct Finished {
  long point = -1;
  std::vector<double> values;
  std::exception_ptr error;
};

// `threads` threads that run points (all replications of a point in one thread,
// so the points run in parallel) and queue their results for the main thread.
class PointPool {
 public:
  PointPool(const SweepSpec& spec, int threads) : spec_(spec) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~PointPool() {
    {
      const std::lock_guard lock(mutex_);
      shutdown_ = true;
      jobs_.clear();
    }
    jobs_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  PointPool(const PointPool&) = delete;
  PointPool& operator=(const PointPool&) = delete;

  void submit(Job job) {
    {
      const std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    jobs_ready_.notify_one();
  }

  // A finished point, waiting up to `wait` for one.
  bool next(Finished& out, std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (!done_ready_.wait_for(lock, wait, [this] { return !done_.empty(); })) return false;
    out = std::move(done_.front());
    done_.pop_front();
    return true;
  }

 private:
  void work() {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        jobs_ready_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
        if (shutdown_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      Finished f;
      f.point = job.point;
      try {
        f.values = run_point(spec_, job.parameters);
      } catch (...) {
        f.error = std::current_exception();
      }
      {
        const std::lock_guard lock(mutex_);
        done_.push_back(std::move(f));
      }
      done_ready_.notify_one();
    }
  }

  const SweepSpec& spec_;
  std::mutex mutex_;
  std::condition_variable jobs_ready_, done_ready_;
  std::deque<Job> jobs_;
  std::deque<Finished> done_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// ------------------------------------------------------------ the file

void create_file(const fs::path& path, const SweepSpec& spec, const SweepOptions& options,
                 const Eigen::MatrixXd& unit, const Eigen::MatrixXd& values) {
  const long P = spec.points();
  io::H5Writer out(path);
  // seed: the design's; scenario_seed: the replications' (common random numbers).
  experiments::write_provenance(out, "sweep", options.command_line, spec.scenario_name, spec.seed,
                        static_cast<std::int64_t>(spec.replications));
  out.root_attr("scenario_seed", static_cast<std::int64_t>(spec.scenario_seed));
  out.root_attr("design", design_name(spec.design));
  out.root_attr("points", static_cast<std::int64_t>(P));
  out.root_attr("conventions",
                "seed: the design's (sweep file) seed; scenario_seed: the base scenario's run.seed, which "
                "drives the replications of every point (common random numbers across points)");
  switch (spec.design) {
    case DesignKind::grid: break;
    case DesignKind::lhs: break;
    case DesignKind::saltelli: out.root_attr("base_samples", static_cast<std::int64_t>(spec.base_samples)); break;
    case DesignKind::morris:
      out.root_attr("trajectories", static_cast<std::int64_t>(spec.trajectories));
      out.root_attr("levels", static_cast<std::int64_t>(spec.morris_levels));
      break;
  }
  out.string_dataset("/scenario", spec.scenario_text);
  out.string_dataset("/sweep", spec.text);

  std::vector<std::int64_t> points(P), reps(spec.replications);
  for (long i = 0; i < P; ++i) points[i] = i;
  for (int r = 0; r < spec.replications; ++r) reps[r] = r;
  std::vector<std::string> parameters, outputs;
  for (const auto& p : spec.parameters) parameters.push_back(p.key);
  for (const auto& o : spec.outputs) outputs.push_back(o.name);
  out.dimension("point", points);
  out.dimension("parameter", parameters);
  out.dimension("output", outputs);
  out.dimension("replication", reps);
  out.dimension("bound", {"lo", "hi"});

  out.write("/design", {"point", "parameter"}, std::span<const double>(row_major(values)));
  out.attr("/design", "description", "the parameter values run at each point");
  out.write("/design_unit", {"point", "parameter"}, std::span<const double>(row_major(unit)));
  out.attr("/design_unit", "description",
           "the design on the unit hypercube before scaling to each parameter's range and distribution "
           "(Morris effects are per unit of this scale)");
  std::vector<double> bounds;
  for (const auto& p : spec.parameters) bounds.insert(bounds.end(), {p.lower, p.upper});
  out.write("/parameter_bounds", {"parameter", "bound"}, std::span<const double>(bounds));
  out.attr("/parameter_bounds", "description", "the range each parameter was sampled from");
  const std::vector<std::int8_t> completed(P, 0);
  out.write("/completed", {"point"}, std::span<const std::int8_t>(completed));
  out.attr("/completed", "description", "1 = all replications of the point are in /outputs/values");
  const std::vector<double> nan(static_cast<std::size_t>(P) * spec.replications * spec.outputs.size(),
                                std::numeric_limits<double>::quiet_NaN());
  out.write("/outputs/values", {"point", "replication", "output"}, std::span<const double>(nan));
  out.attr("/outputs/values", "description",
           "the sweep's outputs (see /sweep) per point and replication; NaN where the point is not complete");
  out.close();
}

// An interrupted sweep's file must come from the same sweep and base scenario.
std::vector<std::int64_t> check_partial(const fs::path& path, const SweepSpec& spec, const Eigen::MatrixXd& values) {
  const auto mismatch = [&](const std::string& what) {
    return InputError(path.string(), 0, "--resume",
                      "this interrupted sweep does not match " + spec.path.string() + " (" + what +
                          "); start over with --force");
  };
  std::unique_ptr<io::H5Reader> in;
  try {
    in = std::make_unique<io::H5Reader>(path);
    if (in->root_attr_string("command") != "sweep") throw mismatch("not a sweep file");
    if (in->string_dataset("/sweep") != spec.text) throw mismatch("the sweep file has changed");
    if (scenario_body(in->string_dataset("/scenario")) != scenario_body(spec.scenario_text)) {
      throw mismatch("the base scenario has changed");
    }
    const auto stored = in->read_double("/design");
    const auto expected = row_major(values);
    if (stored.size() != expected.size() ||
        !std::equal(stored.begin(), stored.end(), expected.begin(),
                    [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; })) {
      throw mismatch("the design differs");
    }
    const auto shape = in->shape("/outputs/values");
    if (shape != std::vector<std::size_t>{static_cast<std::size_t>(spec.points()),
                                          static_cast<std::size_t>(spec.replications), spec.outputs.size()}) {
      throw mismatch("/outputs/values has another shape");
    }
    return in->read_int64("/completed");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(path.string(), 0, "--resume",
                     std::string("cannot read the interrupted sweep (") + e.what() + "); start over with --force");
  }
}

// True when `path` is a finished sweep of this sweep file.
bool is_finished_sweep(const fs::path& path, const SweepSpec& spec) {
  try {
    const io::H5Reader in(path);
    if (in.string_dataset("/sweep") != spec.text) return false;
    for (auto c : in.read_int64("/completed")) {
      if (c != 1) return false;
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// ------------------------------------------------------------ coordinator

struct FirstFailure {
  bool failed = false;
  bool input_error = false;
  long point = -1;
  std::string message;
};

class Coordinator {
 public:
  Coordinator(const SweepSpec& spec, const SweepOptions& options, const mpi::Session& session,
              const Eigen::MatrixXd& values, const std::vector<std::int64_t>& completed, const fs::path& partial,
              bool& workers_released)
      : spec_(spec),
        options_(options),
        session_(session),
        values_(values),
        writer_(io::H5Writer::open_existing(partial)),
        partial_(partial),
        workers_(session.size()),
        workers_released_(workers_released) {
    for (long i = 0; i < static_cast<long>(completed.size()); ++i) {
      if (completed[i] == 1) {
        ++done_;
      } else {
        pending_.push_back(i);
      }
    }
  }

  void run() {
    PointPool pool(spec_, options_.threads);
    if (options_.progress) options_.progress(done_, spec_.points());
    while (true) {
      feed_local(pool);
      for (int w = 1; w < session_.size(); ++w) feed_worker(w);
      if (busy() == 0 && !can_hand_out() && all_workers_ready()) break;
      Finished f;
      if (pool.next(f, session_.distributed() ? 1ms : 100ms)) {
        do {
          --local_busy_;
          finish(f);
        } while (pool.next(f, 0ms));
      }
      if (session_.distributed()) {
        mpi::FromWorker m;
        while (mpi::poll_worker(m)) receive(m);
      }
    }
    stop_workers();
    writer_.close();
  }

  // Every worker is idle when this is called: no result is left unreceived.
  void stop_workers() {
    if (workers_released_) return;
    workers_released_ = true;
    for (int w = 1; w < session_.size(); ++w) mpi::send_stop(w);
  }

  long done() const { return done_; }
  long run_now() const { return run_now_; }
  const FirstFailure& failure() const { return failure_; }

 private:
  struct Worker {
    bool ready = false;
    int slots = 0;
    int busy = 0;
  };

  bool can_hand_out() const {
    return !interrupt_signal() && !failure_.failed && next_ < pending_.size() &&
           (options_.stop_after < 0 || handed_out_ < options_.stop_after);
  }
  bool take(long& point) {
    if (!can_hand_out()) return false;
    point = pending_[next_++];
    ++handed_out_;
    return true;
  }
  int busy() const {
    int n = local_busy_;
    for (const auto& w : workers_) n += w.busy;
    return n;
  }
  bool all_workers_ready() const {
    for (int w = 1; w < session_.size(); ++w) {
      if (!workers_[w].ready) return false;
    }
    return true;
  }

  void feed_local(PointPool& pool) {
    long point;
    while (local_busy_ < options_.threads && take(point)) {
      pool.submit({point, row_of(values_, point)});
      ++local_busy_;
    }
  }
  void feed_worker(int w) {
    long point;
    while (workers_[w].busy < workers_[w].slots && take(point)) {
      mpi::send_point(w, point, row_of(values_, point));
      ++workers_[w].busy;
    }
  }

  void finish(const Finished& f) {
    if (!f.error) return record(f.point, f.values);
    try {
      std::rethrow_exception(f.error);
    } catch (const InputError& e) {
      fail(f.point, true, e.what());
    } catch (const std::exception& e) {
      fail(f.point, false, e.what());
    }
  }

  void receive(const mpi::FromWorker& m) {
    auto& w = workers_[m.worker];
    switch (m.kind) {
      case mpi::FromWorker::ready:
        w.ready = true;
        w.slots = m.slots;
        break;
      case mpi::FromWorker::result:
        --w.busy;
        record(m.point, m.values);
        break;
      case mpi::FromWorker::failed:
        --w.busy;
        fail(m.point, m.input_error, m.message);
        break;
    }
  }

  void fail(long point, bool input_error, const std::string& message) {
    if (failure_.failed) return;
    failure_ = {true, input_error, point, message};
  }

  // Writes one finished point and makes it durable: the values, then the flag, then
  // a close and reopen (H5Writer has no flush of its own; this writes every cache to
  // disk), so a kill after this loses nothing already recorded.
  void record(long point, const std::vector<double>& values) {
    writer_.write_slice("/outputs/values", static_cast<std::size_t>(point), std::span<const double>(values));
    const std::int8_t one = 1;
    writer_.write_slice("/completed", static_cast<std::size_t>(point), std::span<const std::int8_t>(&one, 1));
    writer_.close();
    writer_ = io::H5Writer::open_existing(partial_);
    ++done_;
    ++run_now_;
    if (options_.progress) options_.progress(done_, spec_.points());
  }

  const SweepSpec& spec_;
  const SweepOptions& options_;
  const mpi::Session& session_;
  const Eigen::MatrixXd& values_;
  io::H5Writer writer_;
  fs::path partial_;
  std::vector<Worker> workers_;
  std::vector<long> pending_;
  std::size_t next_ = 0;
  long handed_out_ = 0;
  int local_busy_ = 0;
  long done_ = 0, run_now_ = 0;
  FirstFailure failure_;
  bool& workers_released_;
};

SweepOutcome coordinate(const SweepSpec& spec, const SweepOptions& options, const mpi::Session& session,
                        bool& workers_released) {
  const fs::path& final_path = options.output;
  const fs::path partial = partial_path(final_path);
  SweepOutcome outcome;
  outcome.points = spec.points();

  const Eigen::MatrixXd unit = unit_design(spec);
  const Eigen::MatrixXd values = parameter_values(spec, unit);

  if (fs::is_directory(final_path)) throw InputError(final_path.string(), 0, "-o", "is a directory");
  const fs::path dir = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  if (!fs::is_directory(dir)) throw InputError(final_path.string(), 0, "-o", "directory does not exist");
  const bool resuming = options.resume && fs::exists(partial);
  if (options.resume && !resuming && fs::exists(final_path) && is_finished_sweep(final_path, spec)) {
    outcome.complete = outcome.already_done = true;
    outcome.completed = outcome.points;
    return outcome;
  }
  if (fs::exists(final_path) && !options.force) {
    throw InputError(final_path.string(), 0, "-o", "output file exists (use --force to overwrite)");
  }
  if (!resuming && fs::exists(partial) && !options.force) {
    throw InputError(partial.string(), 0, "",
                     "an interrupted sweep left this file: continue it with --resume, or start over with --force");
  }

  std::vector<std::int64_t> completed;
  if (resuming) {
    completed = check_partial(partial, spec, values);
    auto writer = io::H5Writer::open_existing(partial);
    writer.root_attr("resumed_utc", experiments::utc_now());
    writer.close();
  } else {
    create_file(partial, spec, options, unit, values);
    completed.assign(spec.points(), 0);
  }

  Coordinator c(spec, options, session, values, completed, partial, workers_released);
  c.run();
  outcome.completed = c.done();
  outcome.run_now = c.run_now();
  if (const auto& f = c.failure(); f.failed) {
    const std::string message = "sweep point " + std::to_string(f.point) + " failed: " + f.message +
                                " (completed points are kept in " + partial.string() + ")";
    if (f.input_error) throw InputError(message);
    throw std::runtime_error(message);
  }
  outcome.complete = outcome.completed == outcome.points;
  if (outcome.complete) fs::rename(partial, final_path);  // atomic; replaces OUT under --force
  return outcome;
}

}  // namespace

fs::path partial_path(const fs::path& output) { return fs::path(output.string() + ".partial"); }

SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options, const mpi::Session& session) {
  // Whatever happens on rank 0 (an early error, nothing to do, the end), the worker
  // ranks are told to stop exactly once.
  bool released = false;
  struct Release {
    const mpi::Session& session;
    bool& released;
    ~Release() {
      if (released) return;
      released = true;
      for (int w = 1; w < session.size(); ++w) mpi::send_stop(w);
    }
  } release{session, released};
  return coordinate(spec, options, session, released);
}

void serve_points(const SweepSpec& spec, int threads) {
  PointPool pool(spec, threads);
  mpi::send_ready(threads);
  while (true) {
    mpi::FromCoordinator order;
    while (mpi::poll_coordinator(order)) {
      if (order.kind == mpi::FromCoordinator::stop) return;
      pool.submit({order.point, std::move(order.parameters)});
    }
    Finished f;
    while (pool.next(f, 1ms)) {
      if (!f.error) {
        mpi::send_result(f.point, f.values);
        continue;
      }
      try {
        std::rethrow_exception(f.error);
      } catch (const InputError& e) {
        mpi::send_failure(f.point, true, e.what());
      } catch (const std::exception& e) {
        mpi::send_failure(f.point, false, e.what());
      }
    }
  }
}

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal has the default effect
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() { return g_signal; }

}  // namespace careabm::sweep
