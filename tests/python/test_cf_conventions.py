#!/usr/bin/env python3
"""CF-1.8 attributes of careabm's outputs (analysis/README.md, "Units and CF attributes").

Writes a file of every kind with the real careabm (run with --uncertainty and
--agents-out, compare, size-cohorts, sweep + analyze) and checks: the root
attribute Conventions; long_name and units on every variable but the
parameter values, whose keys' units differ (units valid
UDUNITS-2 strings when the udunits2 program is installed, Debian's
udunits-bin); long_name on coordinates; that an unmodified xarray
`da.plot()` labels its axes "long_name [units]", with the h5netcdf engine and,
when python3-netcdf4 is installed, the netcdf4 engine (netCDF-C, as R's
ncdf4); that ncdump reads the header and the data of a microdata file; flag
attributes on coded columns; that no microdata column shares a dimension's
name; the sweep's /outputs/units. Exit 77 (skipped) without numpy, h5py,
xarray or h5netcdf.
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

try:
    import netCDF4  # noqa: F401  (xarray's netcdf4 engine; netCDF-C underneath, as R's ncdf4)
    ENGINES = ("h5netcdf", "netcdf4")
except ImportError:
    ENGINES = ("h5netcdf",)

BINARY = os.environ.get("CAREABM_BINARY", "build/careabm")
SOURCE = os.environ.get("CAREABM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
AGENT_YEAR = 2025

from test_output_contract import ALTERNATIVE  # noqa: E402  (the retention alternative of pipeline.toml)


# Values of scenario keys along the `parameter` axis: each column keeps its key's units
# (persons, hours per FTE, shares, ...), which differ between keys. CF gives a variable one
# units, and "1" would call them dimensionless, so exactly these carry no units (their
# description says why).
PARAMETER_VALUES = {"design", "parameter_bounds", "uncertainty/parameters", "uncertainty/lower",
                    "uncertainty/upper", "uncertainty/central"}


def example(name):
    return os.path.join(SOURCE, "scenarios", "examples", name)


def careabm(*args):
    subprocess.run([BINARY, *args, "--quiet"], check=True, stdout=subprocess.DEVNULL)


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)




def label(axis_label):
    """An axis label as one line (xarray wraps long labels)."""
    return " ".join(axis_label.split())


def udunits_accepts(units):
    """True when UDUNITS-2 parses `units` (the udunits2 program exits 0)."""
    result = subprocess.run(["udunits2", "-H", units, "-W", ""], capture_output=True, text=True)
    return result.returncode == 0


class CfConventions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-cf-")
        cls.files = {}
        run = os.path.join(cls.tmp, "run.h5")
        careabm("run", example("labour-market.toml"), "-o", run, "-r", "2", "--uncertainty", "--agents-out",
                str(AGENT_YEAR))
        cls.files["run"] = run
        minimal = os.path.join(cls.tmp, "minimal.h5")
        careabm("run", example("minimal.toml"), "-o", minimal, "-r", "3", "--agents-out", str(AGENT_YEAR))
        cls.files["minimal"] = minimal
        alternative = os.path.join(cls.tmp, "retention.toml")
        with open(alternative, "w") as f:
            f.write(ALTERNATIVE.format(base=example("pipeline.toml"), name="retention"))
        compare = os.path.join(cls.tmp, "compare.h5")
        careabm("compare", example("pipeline.toml"), alternative, "-o", compare, "-r", "2")
        cls.files["compare"] = compare
        cohorts = os.path.join(cls.tmp, "cohorts.h5")
        careabm("size-cohorts", example("pipeline.toml"), "--programme", "mbo3_vig_bbl", "--occupation", "vig",
                "--by", "2028", "-r", "2", "-o", cohorts)
        cls.files["size-cohorts"] = cohorts
        sweep = os.path.join(cls.tmp, "sweep.h5")
        careabm("sweep", os.path.join(SOURCE, "scenarios", "sweeps", "minimal-saltelli.toml"), "-o", sweep)
        subprocess.run([BINARY, "analyze", sweep, "--force"], check=True, stdout=subprocess.DEVNULL)
        cls.files["sweep"] = sweep

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def variables(self, f):
        """(path, dataset) of every dataset that is not a dimension scale."""
        found = []
        f.visititems(lambda n, o: found.append((n, o)) if isinstance(o, h5py.Dataset) else None)
        return [(n, o) for n, o in found if text(o.attrs.get("CLASS", b"")) != "DIMENSION_SCALE"]

    def test_conventions_attribute(self):
        for kind, path in self.files.items():
            with h5py.File(path, "r") as f:
                self.assertEqual(text(f.attrs["Conventions"]), "CF-1.8", kind)
                self.assertNotIn("conventions", f.attrs, kind)

    def test_every_variable_has_long_name_and_udunits_units(self):
        seen_units, seen_parameter_values = set(), set()
        for kind, path in self.files.items():
            with h5py.File(path, "r") as f:
                for name, ds in self.variables(f):
                    where = f"{kind}: /{name}"
                    self.assertTrue(text(ds.attrs.get("long_name", "")), f"{where} has no long_name")
                    if name in PARAMETER_VALUES:
                        self.assertNotIn("units", ds.attrs, f"{where}: its keys' units differ, not one units")
                        self.assertIn("units of its scenario key", text(ds.attrs["description"]), where)
                        seen_parameter_values.add(name)
                    elif ds.dtype.kind in "iuf":  # strings (scenario text, labels) are not quantities
                        self.assertIn("units", ds.attrs, f"{where} has no units")
                        seen_units.add(text(ds.attrs["units"]))
        self.assertEqual(seen_parameter_values, PARAMETER_VALUES)
        self.assertTrue({"1", "year", "year-1", "h week-1"} <= seen_units, seen_units)
        if shutil.which("udunits2") is None:
            self.skipTest("udunits2 not installed (udunits-bin): units not parsed")
        self.assertFalse(udunits_accepts("persons"), "udunits2 must refuse what UDUNITS does not know")
        for units in sorted(seen_units):
            self.assertTrue(udunits_accepts(units), f"units {units!r} are not UDUNITS-2")

    def test_coordinates_have_long_name(self):
        for kind, path in self.files.items():
            with h5py.File(path, "r") as f:
                for name, ds in f.items():
                    if isinstance(ds, h5py.Dataset) and text(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                        self.assertTrue(text(ds.attrs.get("long_name", "")), f"{kind}: /{name}")
                        if ds.dtype.kind in "iuf":
                            self.assertEqual(text(ds.attrs.get("units", "")), "1", f"{kind}: /{name}")
            # Groups' copies of the scales carry them too: xarray labels axes from the group it opens.
            with h5py.File(path, "r") as f:
                if "shortage" in f and "year" in f["shortage"]:
                    self.assertEqual(text(f["shortage/year"].attrs["long_name"]), "year")

    def test_plot_labels_axes_with_long_name_and_units(self):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        for engine in ENGINES:
            with self.subTest(engine=engine), xr.open_dataset(self.files["run"], group="shortage",
                                                              engine=engine) as ds:
                line = ds["persons"].isel(replication=0, subregion=0, branch=0, occupation=0)
                fig = plt.figure()
                line.plot()
                ax = fig.axes[0]
                self.assertEqual(label(ax.get_xlabel()), "year [1]")
                self.assertEqual(label(ax.get_ylabel()), "shortage in persons [1]")
                plt.close(fig)
                grid = ds["fte"].isel(subregion=0, branch=0, occupation=0)  # [replication, year]
                fig = plt.figure()
                grid.plot()
                self.assertEqual(label(fig.axes[0].get_xlabel()), "year [1]")
                self.assertEqual(label(fig.axes[0].get_ylabel()), "replication [1]")
                self.assertEqual(label(fig.axes[1].get_ylabel()), "shortage in full-time equivalents [1]")
                plt.close(fig)
            with xr.open_dataset(self.files["run"], group=f"agents/{AGENT_YEAR}", engine=engine) as agents:
                fig = plt.figure()
                agents["hours"].isel({f"agent_{AGENT_YEAR}": slice(0, 50)}).plot()
                self.assertEqual(label(fig.axes[0].get_ylabel()), "contract hours per week [h week-1]")
                plt.close(fig)

    def test_microdata_columns_and_flags(self):
        with h5py.File(self.files["minimal"], "r") as f:
            dims = {text(d) for d in f} | {f"agent_{AGENT_YEAR}"}
            group = f[f"agents/{AGENT_YEAR}"]
            columns = [n for n in group if n != f"agent_{AGENT_YEAR}"]
            self.assertEqual(sorted(set(columns) & dims), [], "no column shares a dimension's name")
            for column, labels in (("subregion_code", "subregion"), ("branch_code", "branch"),
                                   ("occupation_code", "occupation"), ("qualification_code", "occupation")):
                ds = group[column]
                names = [text(x) for x in f[labels][()]]
                np.testing.assert_array_equal(ds.attrs["flag_values"], np.arange(len(names)))
                self.assertEqual(ds.attrs["flag_values"].dtype, ds.dtype)
                self.assertEqual(text(ds.attrs["flag_meanings"]).split(" "), names)
                self.assertTrue(((ds[()] >= 0) & (ds[()] < len(names))).all())
            self.assertEqual(text(group["state"].attrs["flag_meanings"]), "active in_upgrade_training reserve")
            self.assertEqual(group["state"].attrs["flag_values"].dtype, np.int8)
            self.assertEqual(text(group["female"].attrs["flag_meanings"]), "male female")
            self.assertEqual(text(group["employment"].attrs["flag_meanings"]), "employee self_employed")
            # No stored index: the dimension is netCDF's dimension without a variable.
            scale = group[f"agent_{AGENT_YEAR}"]
            self.assertTrue(text(scale.attrs["NAME"]).startswith("This is a netCDF dimension but not a netCDF variable."))
            self.assertEqual(scale.id.get_storage_size(), 0)
            self.assertEqual(scale.shape, group["uid"].shape)
            self.assertEqual(group["replication_index"][()].max(), 2)

    @unittest.skipUnless(shutil.which("ncdump"), "ncdump not installed (netcdf-bin)")
    def test_ncdump_reads_a_microdata_file(self):
        header = subprocess.run(["ncdump", "-h", self.files["minimal"]], check=True, capture_output=True,
                                text=True).stdout
        self.assertIn(f"agent_{AGENT_YEAR} = UNLIMITED", header)
        self.assertIn(f"int subregion_code(agent_{AGENT_YEAR})", header)
        self.assertIn('state:flag_meanings = "active in_upgrade_training reserve"', header)
        self.assertIn(':Conventions = "CF-1.8"', header)
        self.assertIn('headcount:long_name = "active workers"', header)
        full = subprocess.run(["ncdump", self.files["minimal"]], check=True, capture_output=True, text=True).stdout
        with h5py.File(self.files["minimal"], "r") as f:
            first = int(f[f"agents/{AGENT_YEAR}/age"][0])
        self.assertRegex(full, rf"\n\s*age = {first},")

    @unittest.skipUnless("netcdf4" in ENGINES, "python3-netcdf4 not installed")
    def test_netcdf_c_reads_the_microdata(self):
        with netCDF4.Dataset(self.files["minimal"]) as nc:
            group = nc.groups["agents"].groups[str(AGENT_YEAR)]
            with h5py.File(self.files["minimal"], "r") as f:
                np.testing.assert_array_equal(group.variables["occupation_code"][:],
                                              f[f"agents/{AGENT_YEAR}/occupation_code"][()])
            self.assertTrue(group.dimensions[f"agent_{AGENT_YEAR}"].isunlimited())

    def test_report_figures_name_what_is_counted_not_units_1(self):
        try:
            import matplotlib  # noqa: F401
            from careabm_analysis import figures, open_output
        except ImportError as error:
            self.skipTest(f"cannot import {error.name}")
        fig = figures.compare_differences(open_output(self.files["compare"]))
        self.assertIn("(persons)", fig.axes[0].get_ylabel())

    def test_r_ncdf4_reads_the_microdata_columns(self):
        """The columns that shared a dimension's name were what R's ncdf4 could not read."""
        if shutil.which("Rscript") is None:
            self.skipTest("R not installed (r-base-core)")
        script = ('if (!requireNamespace("ncdf4", quietly = TRUE)) quit(status = 77)\n'
                  'nc <- ncdf4::nc_open(commandArgs(TRUE)[1])\n'
                  f'for (v in c("replication_index", "subregion_code", "branch_code", "occupation_code", "age"))\n'
                  f'  cat(v, sum(ncdf4::ncvar_get(nc, paste0("agents/{AGENT_YEAR}/", v))), "\\n")\n'
                  'ncdf4::nc_close(nc)\n')
        result = subprocess.run(["Rscript", "-e", script, self.files["minimal"]], capture_output=True, text=True,
                                timeout=120)
        if result.returncode == 77:
            self.skipTest("R package ncdf4 not installed (r-cran-ncdf4)")
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(self.files["minimal"], "r") as f:
            for line in result.stdout.strip().splitlines():
                name, total = line.split()
                self.assertEqual(int(float(total)), int(f[f"agents/{AGENT_YEAR}/{name}"][()].sum()), name)

    def test_sweep_outputs_carry_their_units(self):
        with h5py.File(self.files["sweep"], "r") as f:
            outputs = [text(o) for o in f["output"][()]]
            units = [text(u) for u in f["outputs/units"][()]]
            self.assertEqual(len(units), len(outputs))
            self.assertEqual(units, ["1"] * len(outputs))  # the minimal sweep's outputs: persons, counts
            self.assertEqual(text(f["outputs/values"].attrs["units"]), "1")
            self.assertEqual(list(f["completed"].attrs["flag_values"]), [0, 1])


if __name__ == "__main__":
    unittest.main(verbosity=1)
