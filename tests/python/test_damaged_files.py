#!/usr/bin/env python3
"""Damaged and hand-edited careabm outputs against the analysis package.

Runs the real `careabm` (CAREABM_BINARY) to make a small file of each kind,
damages copies of them with h5py (relabelled axes, datasets of another rank or
type, missing datasets and attributes, declared sizes far beyond the stored
data, garbled and cut bytes), and checks that the analysis package's `report`
and `figure` commands, called directly as `python3 -m careabm_analysis` does,
exit 2 with one line naming the file and the dataset or attribute at fault,
never a traceback or an internal error; and that `careabm report`, which
checks the file before it starts Python, exits 2 on each as well. Exit 77
(skipped) when numpy, h5py, xarray, h5netcdf or matplotlib are missing.
"""
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import h5py
    import numpy as np
    import xarray  # noqa: F401
    import h5netcdf  # noqa: F401
    import matplotlib  # noqa: F401
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (install python3-h5py python3-xarray python3-h5netcdf python3-matplotlib)")
    sys.exit(77)

BINARY = os.path.abspath(os.environ.get("CAREABM_BINARY", "build/careabm"))
SOURCE = os.environ.get("CAREABM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE, "analysis"))

from careabm_analysis.__main__ import main  # noqa: E402

TMP = tempfile.mkdtemp(prefix="careabm-damaged-py-")
ORIGINALS = {}


def careabm(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, cwd=TMP)
    if result.returncode != 0:
        raise RuntimeError(f"careabm {' '.join(args)} failed: {result.stdout}{result.stderr}")


def setUpModule():
    examples = os.path.join(SOURCE, "scenarios", "examples")
    minimal = os.path.join(examples, "minimal.toml")
    ORIGINALS["run"] = os.path.join(TMP, "run.h5")
    careabm("run", os.path.join(examples, "pipeline.toml"), "-r", "2", "--quiet", "-o", ORIGINALS["run"])
    ORIGINALS["compare"] = os.path.join(TMP, "compare.h5")
    careabm("compare", minimal, minimal, "-r", "2", "--quiet", "-o", ORIGINALS["compare"])
    ORIGINALS["cohorts"] = os.path.join(TMP, "cohorts.h5")
    careabm("size-cohorts", os.path.join(SOURCE, "tests", "data", "cohorts-linear.toml"), "--programme",
            "vig_school", "--occupation", "vig", "--by", "2030", "--from", "2023", "--goal", "10", "-r", "2", "--quiet",
            "-o", ORIGINALS["cohorts"])
    sweep = os.path.join(TMP, "s.toml")
    with open(sweep, "w", encoding="utf-8") as f:
        f.write(f'scenario = "{minimal}"\nseed = 11\nreplications = 2\n[design]\nkind = "saltelli"\n'
                'base_samples = 4\n[[parameters]]\nkey = "outflow.rate.vig"\nlower = 0.06\nupper = 0.12\n'
                '[[parameters]]\nkey = "inflow.career_switchers.per_year.vig"\nlower = 10\nupper = 60\n'
                '[[outputs]]\nname = "shortage_2031"\nvariable = "shortage/persons"\nyear = 2031\n')
    ORIGINALS["sweep"] = os.path.join(TMP, "sweep.h5")
    careabm("sweep", sweep, "--quiet", "-o", ORIGINALS["sweep"])
    careabm("analyze", ORIGINALS["sweep"], "--bootstrap", "20")


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


# --- damage ---------------------------------------------------------------------

def relabel(name, labels):
    """The root scale /name replaced by `labels` and made a scale again (its group copies stay)."""
    def damage(f):
        del f[name]
        if labels and isinstance(labels[0], str):
            f.create_dataset(name, data=np.array(labels, dtype=object), dtype=h5py.string_dtype())
        else:
            f.create_dataset(name, data=np.asarray(labels, dtype=np.int64))
        f[name].make_scale(name)
    return damage


def replace(path, data, dims=()):
    """The dataset at path replaced by `data`, its axes attached to the root scales `dims`."""
    def damage(f):
        del f[path]
        ds = f.create_dataset(path, data=data)
        for axis, dim in enumerate(dims):
            ds.dims[axis].attach_scale(f[dim])
    return damage


def sparse(path, shape, dims=(), scale=None):
    """A chunked dataset of `shape` with no chunk written: nothing stored, any size declared."""
    def damage(f):
        if path in f:
            del f[path]
        ds = f.create_dataset(path, shape=shape, dtype="f8", chunks=(1,) * (len(shape) - 1) + (min(shape[-1], 1024),))
        if scale:
            ds.make_scale(scale)
        for axis, dim in enumerate(dims):
            ds.dims[axis].attach_scale(f[dim])
    return damage


def attribute(name, value=None):
    """The root attribute set to value, or removed (None)."""
    def damage(f):
        if value is None:
            del f.attrs[name]
        else:
            f.attrs[name] = value
    return damage


def remove(path):
    def damage(f):
        del f[path]
    return damage


def both(*damages):
    def damage(f):
        for d in damages:
            d(f)
    return damage


def scribble(path, dataset):
    """The stored bytes of `dataset` (its first chunk) overwritten."""
    with h5py.File(path, "r") as f:
        ds = f[dataset]
        if ds.chunks:
            info = ds.id.get_chunk_info(0)
            offset, size = info.byte_offset, info.size
        else:
            offset, size = ds.id.get_offset(), ds.id.get_storage_size()
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes((0x5A, 0xFF)) * (size // 2))


CELL = ("replication", "year", "subregion", "branch", "occupation")

# (what, original, damage on the open file, the dataset or attribute the message names)
CASES = [
    ("a longer /year", "run", relabel("year", list(range(2022, 2037))), "/year"),
    ("a scalar /shortage/persons", "run", replace("shortage/persons", 1.0), "/shortage/persons"),
    ("a rank-1 /shortage/persons", "run", replace("shortage/persons", np.ones(240)), "/shortage/persons"),
    ("a rank-2 /shortage/persons", "run", replace("shortage/persons", np.ones((2, 10)), ("replication", "year")),
     "/shortage/persons"),
    ("more branch labels", "run", relabel("branch", list("abcdefg")), "/branch"),
    ("more occupation labels", "run", relabel("occupation", list("abcdefgh")), "/occupation"),
    ("/shortage/persons of strings", "run",
     replace("shortage/persons", np.array([b"a"] * 2 * 10 * 2 * 2 * 3).reshape(2, 10, 2, 2, 3), CELL),
     "/shortage/persons"),
    ("/shortage/persons missing", "run", remove("shortage/persons"), "/shortage/persons"),
    ("no root attribute command", "run", attribute("command"), "command"),
    ("command as a number", "run", attribute("command", 3), "command"),
    ("replications inconsistent with /replication", "run", attribute("replications", np.int64(7)), "replications"),
    ("a sparse file declaring 10^8 replications", "run",
     both(attribute("replications", np.int64(10 ** 8)), sparse("replication", (10 ** 8,), scale="replication"),
          sparse("shortage/persons", (10 ** 8, 10, 2, 2, 3), CELL)), "/shortage/persons"),
    ("a sparse dataset of 10^9 values", "run", sparse("big", (10 ** 9,)), "/big"),
    ("values that are neither numbers nor strings", "run",
     lambda f: f.create_dataset("odd", data=np.zeros(2, dtype=[("a", "i4"), ("b", "f8")])), "/odd"),
    ("/stat without an interval", "run", relabel("stat", ["mean", "a", "b", "c", "d", "e"]), "/stat"),
    ("/clients/count of another rank", "run",
     replace("clients/count", np.ones((2, 10, 2)), ("replication", "year", "subregion")), "/clients/count"),
    ("alternatives that are not the scenarios after the base", "compare", relabel("alternative", ["other"]),
     "/alternative"),
    ("/difference/shortage/persons of another rank", "compare",
     replace("difference/shortage/persons", np.ones((1, 3)), ("alternative", "interval")),
     "/difference/shortage/persons"),
    ("/interval without lo95", "compare", relabel("interval", ["mean", "lo", "hi95"]), "/interval"),
    ("a rank-1 /cohorts/shortage", "cohorts", replace("cohorts/shortage", np.ones(5), ("candidate",)),
     "/cohorts/shortage"),
    ("goal as text", "cohorts", attribute("goal", "ten"), "goal"),
    ("more /output labels", "sweep", relabel("output", ["shortage_2031", "b", "c"]), "/output"),
    ("stored Sobol' indices of another rank", "sweep",
     replace("sensitivity/sobol_first", np.ones(2), ("parameter",)), "/sensitivity/sobol_first"),
]


def report(path):
    """`python3 -m careabm_analysis report PATH` in this process: (status, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["report", path, "-o", os.path.join(TMP, "report")])
    return status, err.getvalue()


class DamagedFileTest(unittest.TestCase):
    def setUp(self):
        os.environ.pop("CAREABM_DEBUG", None)

    def assert_refused(self, status, message, path, key):
        self.assertEqual(status, 2, message)
        self.assertIn(path, message)
        if key:
            self.assertIn(key, message)
        self.assertNotIn("internal error", message)
        self.assertNotIn("Traceback", message)
        self.assertEqual(message.count("\n"), 1, message)
        self.assertFalse(os.path.exists(os.path.join(TMP, "report", "index.html")))

    def test_originals_report(self):
        for kind, path in ORIGINALS.items():
            with self.subTest(kind=kind):
                status, message = report(path)
                self.assertEqual(status, 0, message)
                shutil.rmtree(os.path.join(TMP, "report"))

    def test_damaged_files_exit_2_naming_file_and_dataset(self):
        for n, (what, original, damage, key) in enumerate(CASES):
            with self.subTest(what):
                path = os.path.join(TMP, f"case{n}.h5")
                shutil.copy(ORIGINALS[original], path)
                with h5py.File(path, "r+") as f:
                    damage(f)
                self.assert_refused(*report(path), path, key)
                # careabm report checks the file itself before it starts Python.
                result = subprocess.run([BINARY, "report", path, "-o", os.path.join(TMP, "report")],
                                        capture_output=True, text=True)
                self.assert_refused(result.returncode, result.stdout + result.stderr, path, None)

    def test_figures_of_damaged_files_exit_2(self):
        path = os.path.join(TMP, "figure.h5")
        shutil.copy(ORIGINALS["run"], path)
        with h5py.File(path, "r+") as f:
            replace("workforce/flows", np.ones((2, 10)), ("replication", "year"))(f)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main(["figure", path, "flows", "-o", os.path.join(TMP, "flows.png")])
        self.assert_refused(status, err.getvalue(), path, "/workforce/flows")

    def test_garbled_and_cut_files_exit_2(self):
        garbled = os.path.join(TMP, "garbled.h5")
        shutil.copy(ORIGINALS["run"], garbled)
        scribble(garbled, "shortage/persons")
        self.assert_refused(*report(garbled), garbled, "/shortage/persons")
        cut = os.path.join(TMP, "cut.h5")
        shutil.copy(ORIGINALS["run"], cut)
        os.truncate(cut, os.path.getsize(cut) // 2)
        self.assert_refused(*report(cut), cut, None)
        head = os.path.join(TMP, "head.h5")
        shutil.copy(ORIGINALS["run"], head)
        with open(head, "r+b") as fh:
            fh.write(b"\x5a" * 4096)
        self.assert_refused(*report(head), head, None)


if __name__ == "__main__":
    unittest.main(verbosity=1)
