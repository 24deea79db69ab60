#include "experiments/sweep.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/errors.h"
#include "core/interrupt.h"
#include "experiments/output.h"
#include "experiments/sweep_checkpoint.h"
#include "io/atomic_output.h"
#include "io/cf.h"
#include "io/durable_file.h"
#include "io/h5_reader.h"
#include "io/h5_writer.h"

namespace careabm::sweep {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

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

// The sweep file, built in memory once from the checkpoint's points: every
// dataset with its final values (all points complete).
std::vector<unsigned char> output_image(const SweepSpec& spec, const Checkpoint& checkpoint, bool resumed,
                                        const Eigen::MatrixXd& unit, const Eigen::MatrixXd& values,
                                        const std::vector<double>& outputs) {
  const long P = spec.points();
  auto out = io::H5Writer::in_memory();
  // seed: the design's; scenario_seed: the replications' (common random numbers).
  // command_line and created_utc are those of the invocation that started the sweep.
  experiments::write_provenance(out, "sweep", checkpoint.command_line(), spec.scenario_name, spec.seed,
                                static_cast<std::int64_t>(spec.replications), checkpoint.created_utc());
  out.root_attr("scenario_seed", static_cast<std::int64_t>(spec.scenario_seed));
  out.root_attr("design", design_name(spec.design));
  out.root_attr("points", static_cast<std::int64_t>(P));
  out.root_attr("comment",
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
  if (resumed) out.root_attr("resumed_utc", experiments::utc_now());
  out.string_dataset("/scenario", spec.scenario_text);
  out.attr("/scenario", "long_name", "the resolved base scenario (TOML)");
  out.string_dataset("/sweep", spec.text);
  out.attr("/sweep", "long_name", "the sweep file (TOML)");

  std::vector<std::int64_t> points(P), reps(spec.replications);
  for (long i = 0; i < P; ++i) points[i] = i;
  for (int r = 0; r < spec.replications; ++r) reps[r] = r;
  std::vector<std::string> parameters, output_names;
  for (const auto& p : spec.parameters) parameters.push_back(p.key);
  for (const auto& o : spec.outputs) output_names.push_back(o.name);
  out.dimension("point", points);
  out.dimension("parameter", parameters);
  out.dimension("output", output_names);
  out.dimension("replication", reps);
  out.dimension("bound", {"lo", "hi"});

  // Parameters keep the units of their scenario keys, which differ from key to key: CF gives a
  // variable one units, and "1" would call them dimensionless, so /design and
  // /parameter_bounds have none (io/cf.h: parameter_values).
  out.write("/design", {"point", "parameter"}, std::span<const double>(row_major(values)));
  io::cf::parameter_values(out, "/design", "parameter value");
  out.attr("/design", "description",
           std::string("the parameter values run at each point; ") + std::string(io::cf::kParameterUnits));
  out.write("/design_unit", {"point", "parameter"}, std::span<const double>(row_major(unit)));
  io::cf::describe(out, "/design_unit", "parameter value on the unit hypercube", "1");
  out.attr("/design_unit", "description",
           "the design on the unit hypercube before scaling to each parameter's range and distribution "
           "(Morris effects are per unit of this scale)");
  std::vector<double> bounds;
  for (const auto& p : spec.parameters) bounds.insert(bounds.end(), {p.lower, p.upper});
  out.write("/parameter_bounds", {"parameter", "bound"}, std::span<const double>(bounds));
  io::cf::parameter_values(out, "/parameter_bounds", "end of the parameter's range");
  out.attr("/parameter_bounds", "description",
           std::string("the range each parameter was sampled from; ") + std::string(io::cf::kParameterUnits));
  const std::vector<std::int8_t> completed(P, 1);
  out.write("/completed", {"point"}, std::span<const std::int8_t>(completed));
  io::cf::describe(out, "/completed", "point complete", "1");
  io::cf::flags(out, "/completed", {"incomplete", "complete"}, true);
  out.attr("/completed", "description", "1 = all replications of the point are in /outputs/values");
  out.write("/outputs/values", {"point", "replication", "output"}, std::span<const double>(outputs));
  out.attr("/outputs/values", "long_name", "sweep output");
  // CF gives a variable one units: the outputs' own, when they share them (the default
  // "1"); otherwise each output's are in /outputs/units only.
  std::vector<std::string> units;
  for (const auto& o : spec.outputs) units.push_back(o.units);
  if (std::all_of(units.begin(), units.end(), [&](const std::string& u) { return u == units.front(); }))
    out.attr("/outputs/values", "units", units.empty() ? "1" : units.front());
  out.attr("/outputs/values", "description",
           "the sweep's outputs (see /sweep) per point and replication; NaN where the point is not complete");
  out.write_strings("/outputs/units", {"output"}, units);
  out.attr("/outputs/units", "long_name", "units of each output (UDUNITS-2)");
  return out.image();
}

// The fingerprint of a sweep file; nullopt unless it is a complete sweep.
std::optional<Fingerprint> finished_sweep_fingerprint(const fs::path& path) {
  try {
    const io::H5Reader in(path);
    if (in.root_attr_string("command") != "sweep") return std::nullopt;
    for (auto c : in.read_int64("/completed")) {
      if (c != 1) return std::nullopt;
    }
    const auto shape = in.shape("/outputs/values");
    if (shape.size() != 3) return std::nullopt;
    return fingerprint_of(in.root_attr_string("careabm_version"), in.string_dataset("/sweep"),
                          in.string_dataset("/scenario"), in.read_double("/design"), shape[0], shape[1],
                          shape[2]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// True when `path` is a complete sweep of exactly this sweep (file, base scenario,
// design and sizes; made by any careabm version).
bool is_finished_sweep(const fs::path& path, const Fingerprint& fingerprint) {
  auto found = finished_sweep_fingerprint(path);
  if (!found) return false;
  found->careabm_version = fingerprint.careabm_version;
  return found->value() == fingerprint.value();
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
              const Eigen::MatrixXd& values, Checkpoint& checkpoint, bool& workers_released)
      : spec_(spec),
        options_(options),
        session_(session),
        values_(values),
        checkpoint_(checkpoint),
        workers_(session.size()),
        workers_released_(workers_released) {
    const auto& completed = checkpoint.completed();
    for (long i = 0; i < static_cast<long>(completed.size()); ++i) {
      if (completed[i]) {
        ++done_;
      } else {
        pending_.push_back(i);
      }
    }
  }

  // Hands out the pending points and passes each finished one to the checkpoint's
  // writer thread, which appends it to the journal while computing goes on.
  void run() {
    CheckpointWriter writer(checkpoint_);
    writer_ = &writer;
    PointPool pool(spec_, options_.threads);
    if (options_.progress) options_.progress(done_, spec_.points());
    while (true) {
      feed(pool);
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
      count_written();
    }
    stop_workers();
    writer.finish();
    count_written();
    write_error_ = writer.error();
    writer_ = nullptr;
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
  // Why a checkpoint write failed ("" if none did); nothing was handed out after it.
  const std::string& write_error() const { return write_error_; }

 private:
  struct Worker {
    bool ready = false;
    int slots = 0;
    int busy = 0;
  };

  bool can_hand_out() const {
    return !interrupt_signal() && !failure_.failed && !writer_->failed() && next_ < pending_.size() &&
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

  void feed(PointPool& pool) {
    long point;
    while (local_busy_ < options_.threads && take(point)) {
      pool.submit({point, row_of(values_, point)});
      ++local_busy_;
    }
    for (int w = 1; w < session_.size(); ++w) {
      while (workers_[w].busy < workers_[w].slots && take(point)) {
        mpi::send_point(w, point, row_of(values_, point));
        ++workers_[w].busy;
      }
    }
  }

  void finish(Finished& f) {
    if (!f.error) return writer_->submit(f.point, std::move(f.values));
    try {
      std::rethrow_exception(f.error);
    } catch (const InputError& e) {
      fail(f.point, true, e.what());
    } catch (const std::exception& e) {
      fail(f.point, false, e.what());
    }
  }

  void receive(mpi::FromWorker& m) {
    auto& w = workers_[m.worker];
    switch (m.kind) {
      case mpi::FromWorker::ready:
        w.ready = true;
        w.slots = m.slots;
        break;
      case mpi::FromWorker::result:
        --w.busy;
        writer_->submit(m.point, std::move(m.values));
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

  void count_written() {
    const long written = writer_->take_written();
    if (written == 0) return;
    done_ += written;
    run_now_ += written;
    if (options_.progress) options_.progress(done_, spec_.points());
  }

  const SweepSpec& spec_;
  const SweepOptions& options_;
  const mpi::Session& session_;
  const Eigen::MatrixXd& values_;
  Checkpoint& checkpoint_;
  CheckpointWriter* writer_ = nullptr;  // during run()
  std::vector<Worker> workers_;
  std::vector<long> pending_;
  std::size_t next_ = 0;
  long handed_out_ = 0;
  int local_busy_ = 0;
  long done_ = 0, run_now_ = 0;
  FirstFailure failure_;
  std::string write_error_;
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
  const Fingerprint fingerprint = fingerprint_of(spec, values);
  const auto warn = [&](const std::string& message) {
    if (options.warn) options.warn(message);
  };

  if (fs::is_directory(final_path)) throw InputError(final_path.string(), 0, "-o", "is a directory");
  if (!fs::is_directory(io::directory_of(final_path))) {
    throw InputError(final_path.string(), 0, "-o", "directory does not exist");
  }
  const bool has_checkpoint = fs::exists(fs::symlink_status(partial));
  if (options.resume && fs::exists(final_path) && is_finished_sweep(final_path, fingerprint)) {
    // Done already. A checkpoint of the same sweep beside it is what a kill while
    // cleaning up leaves (or a restart that --force began): it adds nothing.
    if (has_checkpoint && checkpoint_adds_nothing(partial, fingerprint)) {
      discard_checkpoint(partial);
      warn("removed " + partial.string() + ", left over from this finished sweep");
    }
    outcome.complete = outcome.already_done = true;
    outcome.completed = outcome.points;
    return outcome;
  }
  if (fs::exists(final_path) && !options.force) {
    throw InputError(final_path.string(), 0, "-o", "output file exists (use --force to overwrite)");
  }
  const bool resuming = options.resume && has_checkpoint;
  if (!resuming && has_checkpoint) {
    if (!options.force) {
      throw InputError(
          partial.string(), 0, "",
          "an interrupted sweep left this checkpoint: continue it with --resume, or start over with "
          "--force");
    }
    discard_checkpoint(partial);
  }

  Checkpoint checkpoint = resuming ? Checkpoint::resume(partial, fingerprint, spec.path, warn)
                                   : Checkpoint::create(partial, fingerprint, options.command_line);
  Coordinator c(spec, options, session, values, checkpoint, workers_released);
  c.run();
  outcome.completed = c.done();
  outcome.run_now = c.run_now();
  if (!c.write_error().empty()) {
    throw OutputError("cannot write the sweep checkpoint " + c.write_error() + "; the points completed (" +
                      std::to_string(outcome.completed) + " of " + std::to_string(outcome.points) +
                      ") are kept in " + partial.string() +
                      ": once the disk has room, continue with --resume");
  }
  if (const auto& f = c.failure(); f.failed) {
    const std::string message = "sweep point " + std::to_string(f.point) + " failed: " + f.message +
                                " (completed points are kept in " + partial.string() + ")";
    if (f.input_error) throw InputError(message);
    throw std::runtime_error(message);
  }
  outcome.complete = outcome.completed == outcome.points;
  if (!outcome.complete) return outcome;

  // Every point is in the checkpoint: read them back (each record checked once
  // more), build the output in memory, write it beside its final name, flush it,
  // and rename it into place; only then remove the checkpoint.
  const auto outputs = checkpoint.read_values();
  const auto image = output_image(spec, checkpoint, resuming, unit, values, outputs);
  io::AtomicOutput out(final_path, options.force);
  try {
    io::write_whole_file(out.temp_path(), image);
    out.commit();
  } catch (const OutputError& e) {
    throw OutputError("cannot write the sweep's output " + std::string(e.what()) +
                      "; every point is kept in " + partial.string() +
                      ": once the disk has room, continue with --resume");
  }
  checkpoint.remove();
  return outcome;
}

}  // namespace

fs::path partial_path(const fs::path& output) { return checkpoint_path(output); }

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



}  // namespace careabm::sweep
