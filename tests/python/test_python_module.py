#!/usr/bin/env python3
"""The Python module (python/careabm): careabm.run, compare and check against the program.

Every array the module returns must be bit-identical to the file `careabm run` /
`careabm compare` writes for the same scenario, overrides and seed (read back with
h5py); check() must return what `careabm check` prints; bad input must raise
careabm.ScenarioError with the file, line and key the program names; the GIL must
be released while a scenario simulates; Ctrl-C must stop a run with
KeyboardInterrupt; and the example loop (python/examples) must run. Exit 77
(skipped) when the module is not built (no pybind11) or numpy, h5py or xarray
are missing.
"""
import os
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import unittest

try:
    import h5py
    import numpy as np
    import xarray  # noqa: F401
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (install python3-h5py python3-xarray)")
    sys.exit(77)
try:
    import careabm
except ImportError as e:  # pragma: no cover
    print(f"skipped: the careabm Python module is not built ({e}); install pybind11-dev and rebuild")
    sys.exit(77)

BINARY = os.environ.get("CAREABM_BINARY", "build/careabm")
SOURCE = os.environ.get("CAREABM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# The compare contract's intervention alternative (a scenario extending {base}).
from test_output_contract import ALTERNATIVE  # noqa: E402

# Root attributes that describe the call rather than the results.
CALL_ATTRIBUTES = ("created_utc", "command_line")


def example(name):
    return os.path.join(SOURCE, "scenarios", "examples", name)


def careabm_cli(*args, cwd=None, check=True):
    return subprocess.run([BINARY, *args], check=check, capture_output=True, text=True, cwd=cwd)


def text(value):
    return value.decode() if isinstance(value, bytes) else value


class SameAsProgram(unittest.TestCase):
    """Checks a Dataset from the module against the file the program wrote."""

    def assert_same_as_file(self, ds, path):
        with h5py.File(path, "r") as f:
            seen = set()

            def visit(name, obj):
                if not isinstance(obj, h5py.Dataset):
                    return
                if text(obj.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                    if "/" in name:
                        return
                    stored = obj.asstr()[()] if h5py.check_string_dtype(obj.dtype) else obj[()]
                    np.testing.assert_array_equal(ds[name].values, stored, err_msg=name)
                    return
                seen.add(name)
                self.assertIn(name, ds.variables, name)
                var = ds[name]
                self.assertEqual(var.dims, tuple(d[0].name.rsplit("/", 1)[-1] for d in obj.dims), name)
                if h5py.check_string_dtype(obj.dtype):
                    self.assertEqual(np.asarray(var.values).tolist(), np.asarray(obj.asstr()[()]).tolist(), name)
                    return
                stored = obj[()]
                self.assertEqual(var.dtype, stored.dtype, name)
                # Bit-identical: the same bytes, NaN included.
                self.assertEqual(np.ascontiguousarray(var.values).tobytes(), stored.tobytes(), name)
                for key in ("units", "description"):
                    if key in obj.attrs:
                        self.assertEqual(var.attrs[key], text(obj.attrs[key]), f"{name}: {key}")

            f.visititems(visit)
            self.assertEqual(seen, {str(v) for v in ds.data_vars}, "the Dataset holds exactly the file's variables")
            for key, value in f.attrs.items():
                if key not in CALL_ATTRIBUTES:
                    self.assertEqual(ds.attrs[key], text(value.item() if hasattr(value, "item") else value), key)


class Run(SameAsProgram):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="careabm-pymodule-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_run_is_bit_identical_to_the_program(self):
        path = os.path.join(self.tmp.name, "run.h5")
        careabm_cli("run", example("minimal.toml"), "-o", path, "-r", "3", "--seed", "11", "--threads", "2",
                    "--set", "outflow.rate.vig=0.08", "--set", 'description="from a test"', "--quiet")
        # numpy scalars, as a design matrix gives them; another thread count (results do not depend on it).
        ds = careabm.run(example("minimal.toml"), set={"outflow.rate.vig": np.float64(0.08),
                                                       "description": "from a test"},
                         replications=3, seed=np.int64(11), threads=1)
        self.assert_same_as_file(ds, path)
        self.assertEqual(ds.attrs["command"], "run")
        self.assertEqual(ds["workforce/headcount"].dims, ("replication", "year", "subregion", "branch", "occupation"))
        self.assertEqual(ds["summary/shortage/persons"].dims[0], "stat")
        self.assertEqual(list(ds["occupation"].values), ["helper", "vig", "nurse"])
        self.assertEqual(ds["shortage/persons"].attrs["units"], "1")  # UDUNITS: a count
        self.assertEqual(ds["shortage/persons"].attrs["long_name"], "shortage in persons")
        resolved = tomllib.loads(str(ds["scenario"].values))
        self.assertEqual(resolved["outflow"]["rate"]["vig"], 0.08)
        self.assertEqual(resolved["run"]["seed"], 11)

    def test_uncertainty_and_agents_are_bit_identical_to_the_program(self):
        path = os.path.join(self.tmp.name, "uncertainty.h5")
        careabm_cli("run", example("labour-market.toml"), "-o", path, "-r", "2", "--uncertainty",
                    "--agents-out", "2025", "--set", "run.seed=5", "--quiet")
        ds = careabm.run(example("labour-market.toml"), set=["run.seed=5"], replications=2, uncertainty=True,
                         agents_out=[2025])
        self.assert_same_as_file(ds, path)
        self.assertIn("uncertainty/parameters", ds)
        self.assertIn("agents/2025/age", ds)

    def test_load_reads_a_program_file_into_the_same_form(self):
        path = os.path.join(self.tmp.name, "open.h5")
        careabm_cli("run", example("minimal.toml"), "-o", path, "-r", "2", "--quiet")
        self.assert_same_as_file(careabm.load(path), path)

    def test_version_is_the_programs_with_its_commit(self):
        # The module and the program are one build: the same version string, commit included,
        # which is also what every output file records.
        printed = careabm_cli("--version").stdout.split()[-1]
        self.assertEqual(careabm.__version__, printed)
        ds = careabm.run(example("minimal.toml"), replications=1)
        self.assertEqual(ds.attrs["careabm_version"], careabm.__version__)

    def test_the_seed_changes_the_results(self):
        a = careabm.run(example("minimal.toml"), replications=1, seed=1)
        b = careabm.run(example("minimal.toml"), replications=1, seed=2)
        self.assertFalse(np.array_equal(a["workforce/headcount"].values, b["workforce/headcount"].values))


class Compare(SameAsProgram):
    def test_compare_is_bit_identical_to_the_program(self):
        with tempfile.TemporaryDirectory(prefix="careabm-pymodule-") as tmp:
            alternative = os.path.join(tmp, "retention.toml")
            with open(alternative, "w") as f:
                f.write(ALTERNATIVE.format(base=example("minimal.toml"), name="retention"))
            path = os.path.join(tmp, "compare.h5")
            careabm_cli("compare", example("minimal.toml"), alternative, "-o", path, "-r", "3", "--quiet")
            ds = careabm.compare(example("minimal.toml"), alternative, replications=3)
            self.assert_same_as_file(ds, path)
            self.assertEqual(ds["difference/shortage/persons"].dims[:2], ("alternative", "interval"))
            self.assertEqual(list(ds["scenario"].values), ["minimal", "retention"])


class Check(unittest.TestCase):
    def test_check_returns_what_the_program_prints(self):
        printed = careabm_cli("check", example("minimal.toml"), "--set", "outflow.rate.vig=0.1").stdout
        resolved = careabm.check(example("minimal.toml"), set={"outflow.rate.vig": 0.1})
        self.assertEqual(resolved, printed)
        self.assertEqual(tomllib.loads(resolved)["outflow"]["rate"]["vig"], 0.1)

    def test_bad_input_raises_scenario_error_with_file_line_and_key(self):
        with tempfile.TemporaryDirectory(prefix="careabm-pymodule-") as tmp:
            bad = os.path.join(tmp, "bad.toml")
            with open(bad, "w") as f:
                f.write(f'extends = "{example("minimal.toml")}"\n\n[outflow]\nrate = {{ helper = 1.5 }}\n')
            program = careabm_cli("check", bad, check=False)
            self.assertEqual(program.returncode, 2)
            for call in (lambda: careabm.check(bad), lambda: careabm.run(bad, replications=1)):
                with self.assertRaises(careabm.ScenarioError) as caught:
                    call()
                e = caught.exception
                self.assertIsInstance(e, ValueError)
                self.assertEqual((e.file, e.line, e.key), (bad, 4, "outflow.rate.helper"))
                self.assertIn(str(e), program.stderr)

    def test_bad_arguments_raise_scenario_error(self):
        cases = [
            (lambda: careabm.run(example("minimal.toml"), set={"outflow.rate.vig": 2.0}), "outflow.rate.vig", "--set"),
            (lambda: careabm.run(example("minimal.toml"), agents_out=[1900]), "--agents-out", ""),
            (lambda: careabm.run(example("minimal.toml"), agents_out=[]), "--agents-out", ""),
            (lambda: careabm.run(example("minimal.toml"), replications=0), "replications", ""),
            (lambda: careabm.run(example("minimal.toml"), uncertainty=True), "uncertainty", example("minimal.toml")),
            (lambda: careabm.run(example("minimal.toml"), set={"outflow.rate.vig": object()}), "outflow.rate.vig", ""),
            (lambda: careabm.check(os.path.join(SOURCE, "no-such-scenario.toml")), "", None),
        ]
        for call, key, file in cases:
            with self.assertRaises(careabm.ScenarioError) as caught:
                call()
            if key:
                self.assertEqual(caught.exception.key, key, str(caught.exception))
            if file is not None:
                self.assertEqual(caught.exception.file, file, str(caught.exception))


class Threads(unittest.TestCase):
    def test_the_gil_is_released_while_simulating(self):
        # A second Python thread notes the time every millisecond it runs while the
        # compiled run() simulates. Holding the GIL, the call would let it run only at
        # its edges (a switch interval, 5 ms, before or after), never in its middle.
        stamps, stop = [], threading.Event()

        def ticker():
            last = 0.0
            while not stop.is_set():
                now = time.monotonic()
                if now - last >= 0.001:
                    stamps.append(now)
                    last = now

        thread = threading.Thread(target=ticker)
        thread.start()
        try:
            while not stamps:
                time.sleep(0.001)
            started = time.monotonic()
            image = careabm._careabm.run(example("pipeline.toml"), [], 40, 3, 1, None, False, "test")  # ~1 s on one thread
            ended = time.monotonic()
        finally:
            stop.set()
            thread.join()
        self.assertGreater(len(image), 0)
        seconds = ended - started
        self.assertGreater(seconds, 0.1, "the run should take long enough to see its middle")
        middle = [t for t in stamps if started + 0.25 * seconds < t < ended - 0.25 * seconds]
        self.assertGreater(len(middle), 10, f"the other thread ran {len(middle)} times in the middle {seconds / 2:.2f} s")


INTERRUPTED_RUN = """
import os, signal, sys, threading, time
import careabm
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    careabm.run(sys.argv[1], replications=1000, threads=1)
    print("finished")
except KeyboardInterrupt:
    print("interrupted", time.monotonic() - started)
print("python's handler is back:", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
print("runs again:", careabm.run(sys.argv[1], replications=1).attrs["replications"])
"""


class Interrupt(unittest.TestCase):
    def test_ctrl_c_stops_a_run_with_keyboard_interrupt(self):
        # In a child process: SIGINT half a second into a run of 1,000 replications.
        result = subprocess.run([sys.executable, "-c", INTERRUPTED_RUN, example("pipeline.toml")],
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertTrue(lines[0].startswith("interrupted "), result.stdout)
        self.assertLess(float(lines[0].split()[1]), 30, "it stops at the next replication")
        self.assertEqual(lines[1:], ["python's handler is back: True", "runs again: 1"])


class Example(unittest.TestCase):
    def test_parameter_loop_example_runs(self):
        script = os.path.join(SOURCE, "python", "examples", "parameter_loop.py")
        with tempfile.TemporaryDirectory(prefix="careabm-pymodule-") as tmp:
            result = subprocess.run([sys.executable, script, "--samples", "4", "--replications", "1",
                                     "--out", os.path.join(tmp, "loop.npz")],
                                    capture_output=True, text=True, env=dict(os.environ, CAREABM_SOURCE_DIR=SOURCE))
            self.assertEqual(result.returncode, 0, result.stderr)
            data = np.load(os.path.join(tmp, "loop.npz"))
            self.assertEqual(data["X"].shape, (4, 2))
            self.assertEqual(data["Y"].shape, (4,))
            self.assertTrue(np.all(np.isfinite(data["Y"])))
            # A run with the first sample's values reproduces its output.
            x = data["X"][0]
            ds = careabm.run(example("minimal.toml"), set={"outflow.rate.vig": x[0], "outflow.rate.nurse": x[1]},
                             replications=1, seed=int(data["seed"]))
            last = ds["shortage/persons"].sel(year=ds["year"].values[-1]).sum(["subregion", "branch", "occupation"])
            self.assertEqual(float(last.mean("replication")), data["Y"][0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
