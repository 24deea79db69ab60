#!/usr/bin/env python3
"""The HDF5 output contract (analysis/README.md, "Output layouts"), checked from Python as users read it.

Runs `careabm run` on the minimal example, then opens the file with h5py and
with xarray (h5netcdf engine) and checks labelled axes, the stock-flow identity,
shortage = demand - supply, and the summary statistics. Exit 77 (skipped) when
numpy, h5py, xarray or h5netcdf are not importable.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import h5py
    import numpy as np
    import xarray as xr
    import h5netcdf  # noqa: F401  (the engine xarray needs)
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (install python3-h5py python3-xarray python3-h5netcdf)")
    sys.exit(77)

BINARY = os.environ.get("CAREABM_BINARY", "build/careabm")
SOURCE = os.environ.get("CAREABM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CELL_DIMS = ("year", "subregion", "branch", "occupation")


class OutputContract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-contract-")
        cls.path = os.path.join(cls.tmp, "minimal.h5")
        scenario = os.path.join(SOURCE, "scenarios", "examples", "minimal.toml")
        subprocess.run([BINARY, "run", scenario, "-o", cls.path, "-r", "5", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def open(self, group):
        return xr.open_dataset(self.path, group=group, engine="h5netcdf")

    def test_root_attributes_and_scenario(self):
        with h5py.File(self.path, "r") as f:
            for name in ("careabm_version", "command", "scenario_name", "seed", "replications", "created_utc"):
                self.assertIn(name, f.attrs, name)
            self.assertEqual(int(f.attrs["replications"]), 5)
            text = f["scenario"][()]
            text = text.decode() if isinstance(text, bytes) else text
            self.assertIn("[outflow]", text)

    def test_labelled_axes_in_xarray(self):
        ds = self.open("workforce")
        self.assertEqual(ds["headcount"].dims, ("replication",) + CELL_DIMS)
        self.assertEqual(ds["flows"].dims, ("replication",) + CELL_DIMS + ("flow",))
        self.assertEqual(list(ds["occupation"].values), ["helper", "vig", "nurse"])
        self.assertTrue(all(str(f).startswith(("in.", "out.")) for f in ds["flow"].values))
        self.assertEqual(int(ds["year"].values[0]), 2022)
        summary = self.open("summary/shortage")
        self.assertEqual(summary["persons"].dims, ("stat",) + CELL_DIMS)
        self.assertEqual(list(summary["stat"].values), ["mean", "p025", "p05", "p50", "p95", "p975"])

    def test_dimension_scales_in_h5py(self):
        with h5py.File(self.path, "r") as f:
            dims = [d.label or d[0].name.rsplit("/", 1)[-1] for d in f["workforce/headcount"].dims]
            self.assertEqual(tuple(dims), ("replication",) + CELL_DIMS)

    def test_stock_flow_identity_holds_exactly(self):
        ds = self.open("workforce")
        head = ds["headcount"].values
        flows = ds["flows"]
        sign = np.array([1 if str(f).startswith("in.") else -1 for f in ds["flow"].values])
        net = (flows.values * sign).sum(axis=-1)
        np.testing.assert_array_equal(head[:, 1:], head[:, :-1] + net[:, 1:])
        self.assertTrue((flows.values[:, 0] == 0).all(), "the first year has no flows")

    def test_shortage_is_demand_minus_supply(self):
        supply = self.open("workforce")["fte"].values
        demand = self.open("demand")["fte"].values
        shortage = self.open("shortage")["fte"].values
        np.testing.assert_array_equal(shortage, demand - supply)

    def test_summaries_match_the_replications(self):
        reps = self.open("shortage")["persons"]
        summary = self.open("summary/shortage")["persons"]
        np.testing.assert_allclose(summary.sel(stat="mean").values, reps.mean("replication").values, rtol=1e-12)
        np.testing.assert_allclose(summary.sel(stat="p50").values, np.quantile(reps.values, 0.5, axis=0), rtol=1e-12)
        np.testing.assert_allclose(summary.sel(stat="p05").values, np.quantile(reps.values, 0.05, axis=0), rtol=1e-12)
        self.assertTrue((summary.sel(stat="p05").values <= summary.sel(stat="p95").values).all())

    def test_careabm_report_on_real_outputs(self):
        """`careabm report` draws the sections that apply: no nursing homes without clients."""
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            self.skipTest("matplotlib not installed (python3-matplotlib)")
        outdir = os.path.join(self.tmp, "report-minimal")
        subprocess.run([BINARY, "report", self.path, "-o", outdir], check=True, stdout=subprocess.DEVNULL)
        page = open(os.path.join(outdir, "index.html")).read()
        for section in ("overview", "shortage", "shortage-table", "supply-demand", "flows", "scenario"):
            self.assertIn(f'id="{section}"', page)
        self.assertNotIn('id="nursing-homes"', page)

        pipeline = os.path.join(self.tmp, "pipeline.h5")
        scenario = os.path.join(SOURCE, "scenarios", "examples", "pipeline.toml")
        subprocess.run([BINARY, "run", scenario, "-o", pipeline, "-r", "3", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        outdir = os.path.join(self.tmp, "report-pipeline")
        subprocess.run([BINARY, "report", pipeline, "-o", outdir], check=True, stdout=subprocess.DEVNULL)
        page = open(os.path.join(outdir, "index.html")).read()
        self.assertIn('id="nursing-homes"', page)
        self.assertIn("data:image/png;base64,", page)

    def test_careabm_report_rejects_a_non_careabm_file(self):
        bogus = os.path.join(self.tmp, "bogus.h5")
        with open(bogus, "w") as f:
            f.write("not hdf5")
        result = subprocess.run([BINARY, "report", bogus, "-o", os.path.join(self.tmp, "r")],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("Traceback", result.stderr)

    @unittest.skipUnless(shutil.which("ncdump"), "ncdump not installed (netcdf-bin)")
    def test_ncdump_reads_the_header(self):
        out = subprocess.run(["ncdump", "-h", self.path], check=True, capture_output=True, text=True).stdout
        self.assertIn("occupation = 3", out)
        self.assertIn("group: workforce", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
