// careabm._careabm: the Python module's compiled part (pybind11). It calls the
// same experiment functions as the careabm program (experiments/run.h,
// experiments/compare.h) and returns each output file as the bytes of an HDF5
// image built in memory, so a run from Python holds exactly what `careabm run`
// writes; careabm/__init__.py turns the image into an xarray.Dataset.
// The GIL is released while a scenario is loaded, simulated and written, so
// other Python threads run meanwhile.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <signal.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/interrupt.h"
#include "experiments/compare.h"
#include "experiments/memory.h"
#include "experiments/replications.h"
#include "experiments/run.h"
#include "io/h5_writer.h"
#include "scenario/document.h"
#include "scenario/load.h"

namespace py = pybind11;
using namespace careabm;

namespace {

int threads_or_default(std::optional<int> threads) {
  if (threads && (*threads < 1 || *threads > 4096)) {
    throw InputError("", 0, "threads", "expected a whole number in [1, 4096], got " + std::to_string(*threads));
  }
  return threads.value_or(experiments::default_threads());
}

// Refuses what the machine cannot hold, as every command that simulates does.
void require_memory(const experiments::MemoryEstimate& estimate) {
  experiments::require_memory(estimate, experiments::memory_limit(0));
}

// Ctrl-C during a call from the main thread stops it at the next replication, as it
// stops the program, and raises KeyboardInterrupt: Python's own handler only notes
// the signal for the interpreter, which runs no code until the call returns. So
// careabm's handlers stand in for Python's during the call (a second Ctrl-C ends
// the process at once, as the program's does) and Python's come back after it.
class InterruptibleCall {
 public:
  InterruptibleCall() : active_(on_main_thread()) {
    if (!active_) return;
    sigaction(SIGINT, nullptr, &old_int_);
    sigaction(SIGTERM, nullptr, &old_term_);
    clear_interrupt();
    install_interrupt_handlers();
  }
  InterruptibleCall(const InterruptibleCall&) = delete;
  InterruptibleCall& operator=(const InterruptibleCall&) = delete;
  ~InterruptibleCall() { restore(); }

  // After the call: a signal that arrived while it ran still stops it.
  void finish() {
    const int signal = active_ ? interrupt_signal() : 0;
    restore();
    if (signal) throw Interrupted(signal);
  }

 private:
  static bool on_main_thread() {
    const auto threading = py::module_::import("threading");
    return threading.attr("current_thread")().is(threading.attr("main_thread")());
  }
  void restore() {
    if (!active_) return;
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    clear_interrupt();
    active_ = false;
  }

  bool active_;
  struct sigaction old_int_ {}, old_term_ {};
};

py::bytes as_bytes(const std::vector<unsigned char>& image) {
  return py::bytes(reinterpret_cast<const char*>(image.data()), image.size());
}

py::bytes run(const std::string& scenario, const std::vector<std::string>& overrides,
              std::optional<std::int64_t> replications, std::optional<std::int64_t> seed, std::optional<int> threads,
              const std::optional<std::string>& agents_out, bool uncertainty, const std::string& command_line) {
  std::vector<unsigned char> image;
  InterruptibleCall call;
  {
    py::gil_scoped_release release;
    if (replications && (*replications < 1 || *replications > 1000000)) {
      throw InputError("", 0, "replications", "expected a whole number in [1, 1000000]");
    }
    if (seed && *seed < 0) throw InputError("", 0, "seed", "expected a whole number >= 0");
    experiments::RunRequest request{scenario, overrides, replications, seed, agents_out, uncertainty};
    const auto prepared = experiments::prepare_run(request);
    const int n = threads_or_default(threads);
    require_memory(experiments::estimate_run(prepared.doc, prepared.p, {prepared.runs(), n, true}));
    auto out = io::H5Writer::in_memory();  // the microdata go into it as replications finish
    const auto outcome = experiments::simulate_run(prepared, n, out);
    experiments::write_run_outcome(out, prepared, outcome, command_line);
    image = out.image();
  }
  call.finish();
  return as_bytes(image);
}

py::bytes compare(const std::string& base, const std::vector<std::string>& alternatives,
                  std::optional<std::int64_t> replications, std::optional<int> threads, bool uncertainty,
                  const std::string& command_line) {
  std::vector<unsigned char> image;
  InterruptibleCall call;
  {
    py::gil_scoped_release release;
    if (alternatives.empty()) throw InputError("", 0, "alternatives", "expected at least one alternative scenario");
    if (replications && (*replications < 1 || *replications > 1000000)) {
      throw InputError("", 0, "replications", "expected a whole number in [1, 1000000]");
    }
    auto scenarios = experiments::load_compare(base, {alternatives.begin(), alternatives.end()},
                                               static_cast<int>(replications.value_or(0)));
    const int n = threads_or_default(threads);
    std::vector<std::filesystem::path> inputs;
    require_memory(experiments::estimate_compare(scenarios, n, inputs));
    experiments::run_compare(scenarios, n, {}, uncertainty);
    auto out = io::H5Writer::in_memory();
    experiments::write_compare(out, scenarios, command_line);
    image = out.image();
  }
  call.finish();
  return as_bytes(image);
}

std::string check(const std::string& scenario, const std::vector<std::string>& overrides) {
  py::gil_scoped_release release;
  const auto doc = scenario::Document::load(scenario, overrides);
  const Params p = scenario::load_params(doc);
  // As `careabm check`: what `run` would need with the scenario's replications.
  require_memory(experiments::estimate_run(doc, p, {p.replications, experiments::default_threads(), true}));
  return doc.resolved_text();
}

}  // namespace

PYBIND11_MODULE(_careabm, m) {
  m.doc() = "careabm's compiled core; use the careabm package (careabm.run, careabm.compare, careabm.check)";
  m.attr("version") = CAREABM_VERSION;
  // HDF5's own exit handling is left as it is (io::begin_hdf5() is the program's):
  // h5py shares the library in this process.

  // Bad input: args (message, file, line, key); careabm/__init__.py raises
  // careabm.ScenarioError from it.
  // A bare pointer, never released: a static py::object would be released after
  // the interpreter has gone.
  static PyObject* const input_error = PyErr_NewException("careabm._careabm.InputError", PyExc_ValueError, nullptr);
  m.attr("InputError") = py::handle(input_error);
  py::register_exception_translator([](std::exception_ptr failure) {
    try {
      if (failure) std::rethrow_exception(failure);
    } catch (const InputError& e) {
      const py::tuple args = py::make_tuple(e.what(), e.file(), e.line(), e.key());
      PyErr_SetObject(input_error, args.ptr());
    } catch (const Interrupted&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  m.def("run", &run, py::arg("scenario"), py::arg("overrides"), py::arg("replications"), py::arg("seed"),
        py::arg("threads"), py::arg("agents_out"), py::arg("uncertainty"), py::arg("command_line"),
        "Runs a scenario as `careabm run`; returns the output file's HDF5 image (bytes).");
  m.def("compare", &compare, py::arg("base"), py::arg("alternatives"), py::arg("replications"), py::arg("threads"),
        py::arg("uncertainty"), py::arg("command_line"),
        "Compares scenarios as `careabm compare`; returns the output file's HDF5 image (bytes).");
  m.def("check", &check, py::arg("scenario"), py::arg("overrides"),
        "Validates a scenario as `careabm check`; returns the resolved scenario (TOML text).");
}
