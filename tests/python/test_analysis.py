#!/usr/bin/env python3
"""Tests of the analysis package (analysis/careabm_analysis) on synthetic files.

Run from the repository root:  /usr/bin/python3 tests/python/test_analysis.py
(ctest runs it with PYTHONPATH=<source>/analysis; exit code 77 = skipped when
numpy, h5py, xarray, h5netcdf or matplotlib are missing.)
"""

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ANALYSIS = os.path.normpath(os.path.join(HERE, "..", "..", "analysis"))

_missing = []
for _module in ("numpy", "h5py", "xarray", "h5netcdf", "matplotlib"):
    try:
        __import__(_module)
    except ImportError as _error:  # pragma: no cover - depends on the machine
        _missing.append(f"{_module} ({_error})")
if _missing:
    print("skipping the analysis tests: cannot import " + ", ".join(_missing), file=sys.stderr)
    sys.exit(77)

try:
    import careabm_analysis  # noqa: F401  (found through PYTHONPATH)
except ImportError:
    sys.path.insert(0, ANALYSIS)

import h5py  # noqa: E402
import numpy as np  # noqa: E402

from careabm_analysis import CareabmFileError, open_output  # noqa: E402
from careabm_analysis import figures as F  # noqa: E402
from careabm_analysis import report as R  # noqa: E402
from careabm_analysis import stats as ST  # noqa: E402
from careabm_analysis import synthetic as S  # noqa: E402
from careabm_analysis.__main__ import main as cli_main  # noqa: E402

TMP = None
FILES = {}
_OUTPUTS = {}


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="careabm-analysis-test-")
    FILES.update(S.write_all(os.path.join(TMP, "synthetic")))
    legacy = os.path.join(TMP, "legacy")
    os.makedirs(legacy)
    FILES["run-legacy"] = S.write_run(os.path.join(legacy, "run.h5"), legacy=True)
    FILES["compare-legacy"] = S.write_compare(os.path.join(legacy, "compare.h5"), legacy=True)
    FILES["size-cohorts-legacy"] = S.write_size_cohorts(os.path.join(legacy, "size_cohorts.h5"), legacy=True)


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def output(kind):
    if kind not in _OUTPUTS:
        _OUTPUTS[kind] = open_output(FILES[kind])
    return _OUTPUTS[kind]


def legend_texts(ax):
    """The entries of the panel's legend and of its figure's shared legend."""
    legend = ax.get_legend()
    own = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    return own + figure_legend_texts(ax.figure)


def figure_legend_texts(fig):
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def band_limits(ax, label):
    """(lower, upper) per x of the fill_between band with this legend label."""
    bands = [c for c in ax.collections if c.get_label() == label]
    if not bands:
        raise AssertionError(f"no band '{label}' in {[c.get_label() for c in ax.collections]}")
    vertices = bands[0].get_paths()[0].vertices
    xs = np.unique(vertices[:, 0])
    lower = np.array([vertices[vertices[:, 0] == x, 1].min() for x in xs])
    upper = np.array([vertices[vertices[:, 0] == x, 1].max() for x in xs])
    return xs, lower, upper


def without_images(html):
    """The page without its embedded base64 images (which may hold any letters)."""
    return re.sub(r'src="data:image/png;base64,[^"]*"', 'src=""', html)


def section(html, sid):
    """The HTML of <section id="sid">."""
    start = html.index(f'<section id="{sid}">')
    return html[start:html.index("</section>", start)]


def cell(mean, lo, hi, prefix="", digits=0):
    """A report cell: mean [lo, hi], as careabm prints intervals."""
    f = lambda v: f"{float(v):,.{digits}f}"  # noqa: E731
    return f'{prefix}{f(mean)} <span class="range">[{f(lo)}, {f(hi)}]</span>'


def suptitle(fig):
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def png_bytes(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    return buf.getvalue()


def run_cli(*args):
    """In-process CLI: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(list(args))
        except SystemExit as stop:  # argparse
            code = stop.code
    return code, out.getvalue(), err.getvalue()


def run_subprocess(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = ANALYSIS + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CAREABM_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "careabm_analysis", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def write_hdf5(path, attrs=None):
    with h5py.File(path, "w") as f:
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
        f.create_dataset("x", data=np.arange(3))
    return path


# --- reader ----------------------------------------------------------------------

class ReaderTest(unittest.TestCase):
    def test_kind_detection(self):
        for key, kind in (("run", "run"), ("run-uncertainty", "run"), ("compare", "compare"),
                          ("compare-uncertainty", "compare"), ("sweep", "sweep"),
                          ("sweep-lhs", "sweep"), ("size-cohorts", "size-cohorts"), ("run-legacy", "run")):
            self.assertEqual(output(key).kind, kind)

    def test_groups_have_labelled_dims_from_the_root_scales(self):
        fte = output("run")["workforce"]["fte"]
        self.assertEqual(fte.dims, ("replication", "year", "subregion", "branch", "occupation"))
        self.assertEqual(fte["occupation"].values.tolist(), list(S.OCCUPATIONS))
        self.assertEqual(fte["year"].values.tolist(), list(S.YEARS))
        self.assertEqual(output("run")["workforce"]["flows"]["flow"].values.tolist(), list(S.FLOWS))
        summary = output("run")["summary/shortage"]["persons"]
        self.assertEqual(summary.dims[0], "stat")
        self.assertEqual(summary["stat"].values.tolist(), ["mean", "p025", "p05", "p50", "p95", "p975"])
        for name in ("unfilled", "surplus"):
            self.assertEqual(output("run")["shortage"][name].dims,
                             ("replication", "year", "subregion", "branch", "occupation"))
        cost = output("compare")["difference/cost"]
        for name in ("total", "fte_years_gained", "per_fte_year_gained"):
            self.assertEqual(cost[name].dims, ("alternative", "interval"))
        self.assertEqual(output("compare")["cost"]["by_year"].dims, ("scenario", "replication", "year"))
        self.assertEqual(output("compare")["cost"]["unfilled_fte_years"].dims, ("scenario", "replication"))
        diff = output("compare")["difference/shortage"]["persons"]
        self.assertEqual(diff.dims[:2], ("alternative", "interval"))
        self.assertEqual(diff["interval"].values.tolist(), ["mean", "lo95", "hi95"])
        sobol = output("sweep")["sensitivity"]["sobol_first_ci"]
        self.assertEqual(sobol.dims, ("output", "parameter", "bound"))

    def test_summary_is_the_replication_statistics(self):
        out = output("run")
        reps = out.variable("shortage/persons")
        summ = out.variable("summary/shortage/persons")
        np.testing.assert_allclose(summ.sel(stat="mean").values, reps.mean("replication").values)
        for stat, q in (("p025", 0.025), ("p05", 0.05), ("p50", 0.5), ("p95", 0.95), ("p975", 0.975)):
            np.testing.assert_allclose(summ.sel(stat=stat).values, np.quantile(reps.values, q, axis=0))

    def test_the_95_interval_is_read_from_p025_and_p975(self):
        summ = output("run").variable("summary/shortage/persons")
        lo, hi, level = ST.summary_interval(summ)
        self.assertEqual(level, "95%")
        np.testing.assert_array_equal(lo.values, summ.sel(stat="p025").values)
        np.testing.assert_array_equal(hi.values, summ.sel(stat="p975").values)
        old = open_output(FILES["run-legacy"]).variable("summary/shortage/persons")
        lo, hi, level = ST.summary_interval(old)
        self.assertEqual(level, "90%")
        np.testing.assert_array_equal(lo.values, old.sel(stat="p05").values)
        mean, lo, hi = ST.interval95(np.arange(41.0))
        self.assertEqual((mean, lo, hi), (20.0, 1.0, 39.0))

    def test_unfilled_and_surplus(self):
        for key in ("run", "run-legacy", "compare", "compare-legacy"):
            with self.subTest(file=key):
                out = output(key) if key in ("run", "compare") else open_output(FILES[key])
                persons = out.variable("shortage/persons").values
                np.testing.assert_array_equal(out.shortage("unfilled").values, np.maximum(0, persons))
                np.testing.assert_array_equal(out.shortage("surplus").values, np.maximum(0, -persons))
                self.assertEqual(out.shortage("unfilled").dims, out.variable("shortage/persons").dims)
        self.assertFalse(open_output(FILES["run-legacy"]).has("shortage/unfilled"))
        self.assertTrue(output("run").has("shortage/unfilled"))
        self.assertTrue((output("run").variable("shortage/persons") < 0).any(), "some cells have a surplus")

    def test_new_flow_labels(self):
        flows = output("run").coord("flow")
        for label in ("in.mobility", "in.recruited_reserve", "in.recruited_outside", "out.mobility",
                      "in.graduates", "out.retirement"):
            self.assertIn(label, flows)

    def test_parameter_runs(self):
        out = output("run-uncertainty")
        self.assertTrue(out.has_parameter_runs and out.used_uncertainty)
        self.assertFalse(output("run").has_parameter_runs or output("run").used_uncertainty)
        drawn = out.parameter_runs()
        self.assertEqual(drawn.kind, "run")
        self.assertEqual(drawn["shortage"]["persons"].dims, out["shortage"]["persons"].dims)
        np.testing.assert_array_equal(drawn.variable("shortage/persons").values,
                                      out.variable("uncertainty/shortage/persons").values)
        self.assertEqual(drawn.variable("summary/shortage/persons")["stat"].values.tolist(), list(S.STATS))
        rows = out.uncertain_parameters()
        self.assertEqual([r["key"] for r in rows], [p[0] for p in S.PARAMETERS])
        for row, (key, dist, lower, central, upper) in zip(rows, S.PARAMETERS):
            self.assertEqual((row["distribution"], row["lower"], row["central"], row["upper"]),
                             (dist, lower, central, upper))
            self.assertTrue(lower <= row["drawn_min"] <= row["drawn_max"] <= upper)
        self.assertEqual(out.variable("uncertainty/parameters").dims, ("replication", "parameter"))
        cmp = output("compare-uncertainty")
        self.assertTrue(cmp.used_uncertainty)
        self.assertFalse(cmp.has_parameter_runs)
        with self.assertRaisesRegex(CareabmFileError, "runs with drawn parameters"):
            output("run").parameter_runs()

    def test_scenario_text_and_selection(self):
        self.assertIn("first_year", output("run").scenario_text["synthetic"])
        cmp = output("compare")
        self.assertEqual(cmp.scenarios, ["baseline", "retention", "retention_strong"])
        view = cmp.select_scenario("retention")
        self.assertEqual(view.kind, "run")
        self.assertEqual(view.scenario_name, "retention")
        self.assertNotIn("scenario", view["shortage"]["persons"].dims)
        self.assertIn('"retention"', view.scenario_text["retention"])
        with self.assertRaisesRegex(CareabmFileError, "no scenario 'nope'"):
            cmp.select_scenario("nope")

    def test_synthetic_files_carry_what_careabm_writes(self):
        """Conventions, long_name and UDUNITS units as in real files, so that the tests exercise
        the real labels; the values of scenario keys along `parameter` have no units; the legacy
        files keep the older units."""
        def text(value):
            return value.decode() if isinstance(value, bytes) else str(value)
        parameter_values = {"design", "parameter_bounds", "uncertainty/parameters", "uncertainty/lower",
                            "uncertainty/upper", "uncertainty/central"}
        for kind, path in FILES.items():
            with self.subTest(kind=kind), h5py.File(path, "r") as f:
                legacy = kind.endswith("-legacy")
                self.assertNotIn("conventions", f.attrs)
                if legacy:
                    self.assertNotIn("Conventions", f.attrs)
                    continue
                self.assertEqual(text(f.attrs["Conventions"]), "CF-1.8")
                found = []
                f.visititems(lambda n, o: found.append((n, o)) if isinstance(o, h5py.Dataset) else None)
                for name, ds in found:
                    self.assertTrue(text(ds.attrs.get("long_name", "")), f"/{name} has no long_name")
                    if name in parameter_values:
                        self.assertNotIn("units", ds.attrs, name)
                    elif ds.dtype.kind in "iuf":
                        self.assertIn(text(ds.attrs.get("units", "")), {"1", "year", "year-1"}, name)
        with h5py.File(FILES["run-legacy"], "r") as f:
            self.assertEqual(text(f["shortage/persons"].attrs["units"]), "persons")

    def test_missing_file(self):
        path = os.path.join(TMP, "does-not-exist.h5")
        with self.assertRaisesRegex(CareabmFileError, re.escape(path) + ": no such file"):
            open_output(path)

    def test_not_hdf5(self):
        path = os.path.join(TMP, "text.h5")
        with open(path, "w") as fh:
            fh.write("not hdf5\n")
        with self.assertRaisesRegex(CareabmFileError, "not an HDF5 file"):
            open_output(path)

    def test_hdf5_without_command_is_not_careabm(self):
        path = write_hdf5(os.path.join(TMP, "plain.h5"))
        with self.assertRaisesRegex(CareabmFileError, r"plain\.h5: not a careabm output.*'command'"):
            open_output(path)

    def test_unknown_kind(self):
        path = write_hdf5(os.path.join(TMP, "calibrate.h5"), {"command": "calibrate"})
        with self.assertRaisesRegex(CareabmFileError, "unknown kind 'calibrate'"):
            open_output(path)

    def test_axis_without_dimension_scale(self):
        path = os.path.join(TMP, "noscale.h5")
        with h5py.File(path, "w") as f:
            f.attrs["command"] = "run"
            f.create_dataset("shortage/persons", data=np.zeros((2, 3)))
        with self.assertRaisesRegex(CareabmFileError, "/shortage/persons has an axis without an HDF5 dimension scale"):
            open_output(path)

    def test_fixed_length_string_scales_are_decoded(self):
        path = os.path.join(TMP, "fixed.h5")
        with h5py.File(path, "w") as f:
            f.attrs["command"] = np.bytes_("run")
            occupation = f.create_dataset("occupation", data=np.array([b"helper", b"vig"], dtype="S6"))
            occupation.make_scale("occupation")
            fte = f.create_dataset("workforce/fte", data=np.arange(2.0))
            fte.dims[0].attach_scale(occupation)
        out = open_output(path)
        self.assertEqual(out.kind, "run")
        self.assertEqual(out["workforce"]["fte"].sel(occupation="vig").item(), 1.0)

    def test_missing_dataset_names_file_and_purpose(self):
        with self.assertRaises(CareabmFileError) as caught:
            output("run").variable("clients/nothing", "a test figure")
        message = str(caught.exception)
        self.assertIn(FILES["run"], message)
        self.assertIn("/clients/nothing", message)
        self.assertIn("a test figure", message)


# --- figures --------------------------------------------------------------------

class FigureTest(unittest.TestCase):
    def assert_figure(self, fig, title_words, xlabel, ylabel_words, legend_entries):
        png = png_bytes(fig)
        self.assertTrue(png.startswith(b"\x89PNG") and len(png) > 1000)
        title = suptitle(fig) or fig.axes[0].get_title()
        for word in title_words:
            self.assertIn(word, title)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        for ax in visible:
            self.assertIn(xlabel, ax.get_xlabel())
            if ax.get_ylabel() or ax.get_subplotspec().is_first_col():  # panels sharing y: the first labels it
                for word in ylabel_words:
                    self.assertIn(word, ax.get_ylabel())
            self.assertTrue(ax.get_title() or suptitle(fig))
        texts = [t for ax in visible for t in legend_texts(ax)]
        for entry in legend_entries:
            self.assertTrue(any(entry in t for t in texts), f"no legend entry '{entry}' in {texts}")
        return visible

    def test_shortage_fan(self):
        fig = F.shortage_fan(output("run"))
        axes = self.assert_figure(fig, ["Shortage", "occupation", "persons", "95% intervals"], "year",
                                  ["shortage", "(persons)"], ["median", "50% band", "95% interval (p025–p975)"])
        self.assertEqual([ax.get_title() for ax in axes], [o.replace("_", " ") for o in S.OCCUPATIONS])

    def test_shortage_fan_band_is_the_replication_quantiles(self):
        fig = F.shortage_fan(output("run"))
        ax = fig.axes[S.OCCUPATIONS.index("vig")]
        median = [line for line in ax.get_lines() if line.get_label() == "median"][0]
        persons = output("run").variable("shortage/persons").sel(occupation="vig").sum(["subregion", "branch"])
        np.testing.assert_allclose(median.get_ydata(), np.median(persons.values, axis=0))
        _, lower, upper = band_limits(ax, "95% interval (p025–p975)")
        np.testing.assert_allclose(lower, np.quantile(persons.values, 0.025, axis=0))
        np.testing.assert_allclose(upper, np.quantile(persons.values, 0.975, axis=0))

    def test_shortage_fan_with_parameters_draws_both_intervals(self):
        out = output("run-uncertainty")
        fig = F.shortage_fan(out)
        texts = figure_legend_texts(fig)
        for entry in ("95% interval with parameters (p025–p975)", "median with parameters",
                      "95% interval (simulation only) (p025–p975)", "median (simulation only)"):
            self.assertIn(entry, texts)
        self.assertIn("simulation-only and with-parameter 95% intervals", suptitle(fig))
        ax = fig.axes[S.OCCUPATIONS.index("vig")]
        for path, label in (("shortage/persons", "95% interval (simulation only) (p025–p975)"),
                            ("uncertainty/shortage/persons", "95% interval with parameters (p025–p975)")):
            total = out.variable(path).sel(occupation="vig").sum(["subregion", "branch"]).values
            _, lower, upper = band_limits(ax, label)
            np.testing.assert_allclose(lower, np.quantile(total, 0.025, axis=0))
            np.testing.assert_allclose(upper, np.quantile(total, 0.975, axis=0))
        plain = F.shortage_fan(out, parameters=False)
        self.assertFalse(any("with parameters" in t for a in plain.axes for t in legend_texts(a)))

    def test_shortage_fan_on_compare_draws_the_base(self):
        fig = F.shortage_fan(output("compare"))
        self.assertIn("baseline", suptitle(fig))

    def test_supply_demand(self):
        fig = F.supply_demand(output("run"))
        axes = self.assert_figure(fig, ["Supply and demand", "FTE"], "year", ["FTE"], ["supply", "demand"])
        self.assertEqual(len(axes), len(S.BRANCHES))

    def test_flows(self):
        fig = F.flows(output("run"))
        self.assert_figure(fig, ["Flows", "per year"], "year", ["persons per year"],
                           ["in: graduates", "in: reentry", "in: career switchers", "in: outside region",
                            "in: recruited from the reserve", "in: recruited from outside", "out: retirement",
                            "out: to reserve", "out: left region", "out: death or disability", "net change"])
        texts = legend_texts(fig.axes[0])
        for move in S.INTERNAL_MOVES:
            self.assertFalse(any(t.startswith((f"in: {move}", f"out: {move}", f"net {move}")) for t in texts),
                             f"moves inside the region ({move}) are netted, not stacked: {texts}")

    def test_flows_of_an_older_file(self):
        fig = F.flows(open_output(FILES["run-legacy"]))
        self.assertIn("in: graduates", legend_texts(fig.axes[0]))

    def test_flow_table_skips_the_first_year(self):
        years, inflow, outflow, internal = F.flow_table(output("run"))
        self.assertEqual(years.tolist(), list(S.YEARS[1:]))
        self.assertEqual(sorted(internal), sorted(S.INTERNAL_MOVES))
        for move, net in internal.items():
            np.testing.assert_allclose(net, 0, atol=1e-9, err_msg=f"{move} cancels over all cells")
        self.assertEqual(set(inflow), {"graduates", "reentry", "career_switchers", "outside_region",
                                       "recruited_reserve", "recruited_outside"})
        self.assertEqual(set(outflow), {"retirement", "to_reserve", "left_region", "death_disability"})

    def test_nursing_home_places(self):
        fig = F.nursing_home_places(output("run"))
        self.assert_figure(fig, ["Nursing-home places", "capacity", "waiting list"], "year", ["persons"],
                           ["places needed", "residents", "capacity", "waiting list",
                            "places needed, 95% interval (p025–p975)"])

    def test_nursing_home_places_without_capacity(self):
        path = S.write_run(os.path.join(TMP, "nocap.h5"), with_capacity=False)
        fig = F.nursing_home_places(open_output(path))
        self.assertFalse(any("capacity" in t for t in legend_texts(fig.axes[0])))

    def test_compare_differences(self):
        fig = F.compare_differences(output("compare"))
        self.assert_figure(fig, ["alternative", "baseline", "95% confidence intervals"], "year",
                           ["difference", "persons"], ["A: retention", "B: retention strong"])
        self.assertEqual(fig.legends[0].get_title().get_text(), "alternative − base: mean and 95% confidence interval")

    def test_paired_difference_agrees_with_the_difference_group(self):
        out = output("compare")
        data, method = F.difference_by_occupation(out)
        self.assertEqual(method, "paired")
        summed = out.variable("difference/shortage/persons").sum(["subregion", "branch"])
        np.testing.assert_allclose(data.sel(interval="mean").values, summed.sel(interval="mean").values,
                                   atol=1e-9)
        lo, hi = data.sel(interval="lo95").values, data.sel(interval="hi95").values
        self.assertTrue(np.all(lo[:, 1:] <= hi[:, 1:]))

    def test_compare_cost(self):
        out = output("compare")
        fig = F.compare_cost(out)
        self.assertIn("Cost", suptitle(fig))
        self.assertIn("95% interval over 5 replications (p025–p975", suptitle(fig))
        ax1, ax2, ax3 = fig.axes
        self.assertIn("million euro", ax1.get_xlabel())
        self.assertIn("FTE-years", ax2.get_xlabel())
        self.assertIn("per FTE-year", ax3.get_xlabel())
        self.assertEqual(ax1.get_ylabel(), "alternative")
        self.assertEqual([t.get_text() for t in ax1.get_yticklabels()], ["A: retention", "B: retention strong"])
        self.assertIn("mean over replications", figure_legend_texts(fig))
        # The error bars are the 2.5-97.5% quantiles of the paired per-replication values.
        total = out.variable("cost/by_year").sum("year").values        # [scenario, replication]
        unfilled = out.variable("cost/unfilled_fte_years").values
        cost, gain = total[1:] - total[0], unfilled[0] - unfilled[1:]  # [alternative, replication]
        for ax, values, scale in ((ax1, cost, 1e6), (ax2, gain, 1.0), (ax3, cost / gain, 1e3)):
            bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"][0]
            segments = bars.lines[2][0].get_segments()
            np.testing.assert_allclose([seg[:, 0].min() for seg in segments],
                                       np.quantile(values, 0.025, axis=1) / scale)
            np.testing.assert_allclose([seg[:, 0].max() for seg in segments],
                                       np.quantile(values, 0.975, axis=1) / scale)
        self.assertTrue(png_bytes(fig).startswith(b"\x89PNG"))

    def test_cost_spread(self):
        out = output("compare")
        alts, cost, spans = F.cost_spread(out)
        by_year = out.variable("cost/by_year").values
        paired = by_year[1:] - by_year[0]                                # [alternative, replication, year]
        np.testing.assert_allclose(cost["total"][0], paired.sum(-1).mean(-1))
        # The synthetic costs start in the third year: the yearly mean is over the years paid.
        self.assertEqual(spans, [(S.YEARS[2], S.YEARS[-1])] * 2)
        per_year = paired[:, :, 2:].mean(-1)
        np.testing.assert_allclose(cost["per_year"], (per_year.mean(-1), *np.quantile(per_year, (0.025, 0.975),
                                                                                      axis=-1)))
        # The ratio of means, as /difference/cost/per_fte_year_gained.
        np.testing.assert_allclose(cost["per_fte_year_gained"][0],
                                   out.variable("difference/cost/per_fte_year_gained").sel(interval="mean").values)
        # A replication that gains nothing has no finite cost per FTE-year: no upper bound.
        lo, hi = F._quantiles_with_infinity(np.array([[1.0, 2.0, 3.0, np.inf]]))
        self.assertTrue(np.isfinite(lo[0]) and np.isinf(hi[0]))
        self.assertIsNone(F.cost_spread(open_output(FILES["compare-legacy"])))

    def test_cost_by_year(self):
        out = output("compare")
        fig = F.cost_by_year(out)
        self.assertIn("Cost per year", suptitle(fig))
        self.assertEqual(figure_legend_texts(fig), ["A: retention", "B: retention strong"])
        paired = out.variable("cost/by_year").values[1] - out.variable("cost/by_year").values[0]
        line = [ln for ln in fig.axes[0].get_lines() if len(ln.get_xdata()) == len(S.YEARS)][0]
        np.testing.assert_allclose(line.get_ydata(), paired.mean(0) / 1e6)
        with self.assertRaisesRegex(CareabmFileError, "/cost/by_year"):
            F.cost_by_year(open_output(FILES["compare-legacy"]))

    def test_cost_intervals_match_the_replications(self):
        out = output("compare")
        total = out.variable("cost/by_year").sum("year").values        # [scenario, replication]
        unfilled = out.variable("cost/unfilled_fte_years").values
        for i, alt in enumerate(out.scenarios[1:], start=1):
            cost, gain = total[i] - total[0], unfilled[0] - unfilled[i]
            for name, expected in (("total", ST.paired_interval(cost)), ("fte_years_gained", ST.paired_interval(gain)),
                                   ("per_fte_year_gained", ST.ratio_interval(cost, gain))):
                np.testing.assert_allclose(out.variable(f"difference/cost/{name}").sel(alternative=alt).values,
                                           np.array(expected, dtype=float))
        alts, cost, intervals = F.cost_summary(out)
        self.assertTrue(intervals)
        self.assertEqual(alts, out.scenarios[1:])

    def test_compare_cost_of_an_older_file(self):
        out = open_output(FILES["compare-legacy"])
        self.assertEqual(out.variable("difference/cost/total").dims, ("alternative",))
        fig = F.compare_cost(out)
        self.assertIn("no intervals", suptitle(fig))
        for ax in fig.axes:
            self.assertFalse([c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"])
        alts, cost, intervals = F.cost_summary(out)
        self.assertFalse(intervals)
        np.testing.assert_allclose(cost["total"][0], out.variable("difference/cost/total").values)

    def test_compare_shortage(self):
        fig = F.compare_shortage(output("compare"))
        self.assert_figure(fig, ["scenario", "persons"], "year", ["persons"],
                           ["base: baseline", "A: retention", "B: retention strong"])
        self.assertEqual(len(fig.legends), 1, "one legend for the figure")
        self.assertIn("median and 95% interval", fig.legends[0].get_title().get_text())

    def test_sobol(self):
        fig = F.sobol_indices(output("sweep"))
        axes = self.assert_figure(fig, ["Sobol"], "Sobol index", ["parameter"],
                                  ["first-order index S1", "total index ST", "95% interval"])
        self.assertEqual(len(axes), 2)
        self.assertEqual([t.get_text() for t in axes[0].get_yticklabels()],
                         output("sweep").coord("parameter"))

    def test_morris(self):
        fig = F.morris_effects(output("sweep-morris"))
        self.assert_figure(fig, ["Morris"], "elementary effect", ["parameter"], ["μ*", "σ"])
        self.assertIn("persons", fig.axes[0].get_xlabel())

    def test_sweep_outputs_uses_completed_points(self):
        fig = F.sweep_outputs(output("sweep-lhs"))
        self.assert_figure(fig, ["Sweep", "11 of 12 points complete"], "parameter value", ["persons"],
                           ["sweep point"])
        self.assertEqual(len(fig.axes[0].collections[0].get_offsets()), 11)

    def test_cohort_sizing(self):
        fig = F.cohort_sizing(output("size-cohorts"))
        self.assert_figure(fig, ["extra trainees", "vig", "2030"], "trainees per year", ["persons", "2030"],
                           ["goal: shortage ≤ 0 persons", "answer: 60 extra trainees per year",
                            "95% interval (p025–p975) across replications", "mean"])
        shortage = output("size-cohorts").variable("cohorts/shortage")
        _, lower, upper = band_limits(fig.axes[0], "95% interval (p025–p975) across replications")
        np.testing.assert_allclose(lower, shortage.sel(stat="p025").values)  # candidates are in order
        np.testing.assert_allclose(upper, shortage.sel(stat="p975").values)

    def test_cohort_sizing_of_an_older_file_says_90(self):
        out = open_output(FILES["size-cohorts-legacy"])
        fig = F.cohort_sizing(out)
        texts = legend_texts(fig.axes[0])
        self.assertIn("90% interval (p05–p95) across replications", texts)
        self.assertFalse(any("95%" in t for t in texts))
        _, lower, _ = band_limits(fig.axes[0], "90% interval (p05–p95) across replications")
        np.testing.assert_allclose(lower, out.variable("cohorts/shortage").sel(stat="p05").values)

    def test_cohort_sizing_without_answer(self):
        path = S.write_size_cohorts(os.path.join(TMP, "noanswer.h5"), answer=float("nan"))
        fig = F.cohort_sizing(open_output(path))
        self.assertIn("answer: no candidate reaches the goal", legend_texts(fig.axes[0]))

    def test_wrong_kind_is_a_clear_error(self):
        with self.assertRaisesRegex(CareabmFileError, "'run' file; the cohort-sizing chart needs a 'size-cohorts'"):
            F.cohort_sizing(output("run"))
        with self.assertRaisesRegex(CareabmFileError, "needs a 'compare' file"):
            F.compare_differences(output("run"))
        with self.assertRaisesRegex(CareabmFileError, "needs a 'run' or 'compare' file"):
            F.shortage_fan(output("sweep"))

    def test_missing_data_is_a_clear_error(self):
        path = S.write_run(os.path.join(TMP, "noshortage.h5"), omit=("shortage/persons",))
        with self.assertRaisesRegex(CareabmFileError, r"has no dataset /shortage/persons \(needed for the shortage"):
            F.shortage_fan(open_output(path))
        with self.assertRaisesRegex(CareabmFileError, "/sensitivity/sobol_first"):
            F.sobol_indices(output("sweep-lhs"))

    def test_save_png_and_svg(self):
        fig = F.cohort_sizing(output("size-cohorts"))
        written = F.save_figure(fig, os.path.join(TMP, "cohorts"), svg=True)
        self.assertEqual([os.path.basename(p) for p in written], ["cohorts.png", "cohorts.svg"])
        for p in written:
            self.assertGreater(os.path.getsize(p), 1000)


# --- layout ----------------------------------------------------------------------

def _overlap(a, b, slack=0.5):
    """Whether two display-space boxes overlap by more than `slack` pixels each way."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > slack) and (min(a.y1, b.y1) - max(a.y0, b.y0) > slack)


def _tick_labels(ax):
    """The tick labels the renderer draws: visible, non-empty, at a tick inside the view."""
    labels = []
    for axis, index in ((ax.xaxis, 0), (ax.yaxis, 1)):
        lo, hi = sorted(axis.get_view_interval())
        tolerance = 1e-9 * max(1.0, abs(hi - lo))
        labels += [t for t in axis.get_ticklabels()
                   if t.get_visible() and t.get_text() and lo - tolerance <= t.get_position()[index] <= hi + tolerance]
    return labels


def layout_problems(fig):
    """What a reader would see as broken in fig, measured with matplotlib's renderer
    (get_window_extent) after the constrained layout ran: a legend or a tick label over a
    panel's data area, legends and tick labels over each other, titles and axis labels over
    a data area, and anything outside the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    axes = [ax for ax in fig.axes if ax.get_visible()]
    areas = [(ax, ax.get_window_extent(renderer)) for ax in axes]
    legends = fig.legends + [ax.get_legend() for ax in axes if ax.get_legend() is not None]
    ticks = [(ax, t, t.get_window_extent(renderer)) for ax in axes for t in _tick_labels(ax)]
    labels = [t for ax in axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label) if t.get_text()]
    if fig._suptitle is not None:
        labels.append(fig._suptitle)
    problems = []
    for legend in legends:
        box = legend.get_window_extent(renderer)
        problems += [f"legend over the data of '{ax.get_title()}'" for ax, area in areas if _overlap(box, area)]
        problems += [f"legend over tick label '{t.get_text()}'" for _, t, tb in ticks if _overlap(box, tb)]
        problems += [f"legend over '{t.get_text()}'" for t in labels if _overlap(box, t.get_window_extent(renderer))]
    for i, a in enumerate(legends):
        problems += ["two legends overlap" for b in legends[i + 1:]
                     if _overlap(a.get_window_extent(renderer), b.get_window_extent(renderer))]
    for _, t, tb in ticks:
        problems += [f"tick label '{t.get_text()}' over the data of '{ax.get_title()}'"
                     for ax, area in areas if _overlap(tb, area)]
    for i, (_, a, ab) in enumerate(ticks):
        problems += [f"tick labels '{a.get_text()}' and '{b.get_text()}' overlap"
                     for _, b, bb in ticks[i + 1:] if _overlap(ab, bb)]
    for t in labels:
        box = t.get_window_extent(renderer)
        problems += [f"'{t.get_text()}' over the data of '{ax.get_title()}'" for ax, area in areas
                     if _overlap(box, area)]
    everything = ([(f"legend of {len(lg.get_texts())} entries", lg.get_window_extent(renderer)) for lg in legends]
                  + [(f"tick label '{t.get_text()}'", tb) for _, t, tb in ticks]
                  + [(f"'{t.get_text()}'", t.get_window_extent(renderer)) for t in labels]
                  + [(f"panel '{ax.get_title()}'", area) for ax, area in areas])
    problems += [f"{what} outside the figure" for what, box in everything
                 if box.x0 < page.x0 - 1 or box.y0 < page.y0 - 1 or box.x1 > page.x1 + 1 or box.y1 > page.y1 + 1]
    return problems


class LayoutTest(unittest.TestCase):
    """Every figure, and above all those of eight alternatives with long names and twenty long
    parameter keys: legends and tick labels stay off the data and off each other, nothing
    leaves the figure, and panels keep a readable size."""

    FIGURES = {
        "run": ("shortage", "supply-demand", "flows", "nursing-homes"),
        "run-uncertainty": ("shortage",),
        "compare": ("shortage-by-scenario", "differences", "cost", "cost-by-year"),
        "compare-wide": ("shortage-by-scenario", "differences", "cost", "cost-by-year"),
        "sweep": ("sensitivity-sobol", "sweep-outputs"),
        "sweep-morris": ("sensitivity-morris",),
        "sweep-wide": ("sensitivity-sobol", "sweep-outputs"),
        "sweep-morris-wide": ("sensitivity-morris",),
        "size-cohorts": ("cohorts",),
    }

    def test_the_wide_files_are_wide(self):
        self.assertEqual(len(output("compare-wide").scenarios), 9)
        self.assertGreater(max(len(s) for s in output("compare-wide").scenarios), 40)
        params = output("sweep-wide").coord("parameter")
        self.assertEqual(len(params), 20)
        self.assertGreaterEqual(max(len(p) for p in params), 50)

    def test_nothing_overlaps_and_everything_is_inside(self):
        for key, names in self.FIGURES.items():
            for name in names:
                with self.subTest(file=key, figure=name):
                    fig = F.FIGURES[name](output(key))
                    self.assertEqual(layout_problems(fig), [])
                    self.assertLessEqual(len(fig.legends) + sum(ax.get_legend() is not None for ax in fig.axes), 1,
                                         "one legend per figure")

    def test_the_checker_sees_a_legend_over_the_data(self):
        fig = F.compare_shortage(output("compare-wide"))
        fig.axes[0].legend(*fig.axes[0].get_legend_handles_labels(), loc="center")
        self.assertTrue(any(p.startswith("legend over the data") for p in layout_problems(fig)))
        fig = F.compare_cost(output("compare-wide"))
        fig.axes[0].set_xticks(np.linspace(*fig.axes[0].get_xlim(), 40))  # labels that run into each other
        self.assertTrue(any(p.startswith("tick labels") and "overlap" in p for p in layout_problems(fig)))

    def test_panels_keep_their_size_with_long_keys(self):
        for key, name in (("sweep-wide", "sensitivity-sobol"), ("sweep-morris-wide", "sensitivity-morris")):
            with self.subTest(file=key):
                fig = F.FIGURES[name](output(key))
                fig.canvas.draw()
                for ax in fig.axes:
                    box = ax.get_window_extent(fig.canvas.get_renderer())
                    self.assertGreaterEqual(box.width / fig.dpi, 3.0, "a panel squeezed by its labels")
                labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
                self.assertEqual(labels, output(key).coord("parameter"), "whole keys, not clipped")

    def test_figures_grow_with_the_number_of_bars(self):
        for name, small, wide in (("cost", "compare", "compare-wide"), ("sensitivity-sobol", "sweep", "sweep-wide"),
                                  ("sensitivity-morris", "sweep-morris", "sweep-morris-wide")):
            with self.subTest(figure=name):
                height = [F.FIGURES[name](output(k)).get_size_inches()[1] for k in (small, wide)]
                self.assertGreater(height[1], height[0] + 2)

    def test_scenario_keys(self):
        out = output("compare-wide")
        keys = F.scenario_keys(out)
        self.assertEqual(list(keys.values()), ["base"] + list("ABCDEFGH"))
        self.assertEqual(F.scenario_label(out, out.scenarios[5]), "E: care-technology")  # the base's name dropped
        self.assertEqual(len(F.scenario_label(out, out.scenarios[1])), len("A: ") + 30)
        self.assertTrue(F.scenario_label(out, out.scenarios[1]).endswith("…"))
        self.assertEqual(F.wrap_key("labour_market.allocation.vacancy_weight", 20),
                         "labour_market.\nallocation.vacancy_\nweight")


# --- report ----------------------------------------------------------------------

EXPECTED_SECTIONS = {
    "run": ["overview", "shortage", "shortage-table", "supply-demand", "flows", "nursing-homes", "scenario"],
    "run-uncertainty": ["overview", "shortage", "shortage-table", "uncertainty", "supply-demand", "flows",
                        "nursing-homes", "scenario"],
    "compare": ["overview", "shortage-by-scenario", "differences", "difference-table", "cost", "scenario"],
    "compare-uncertainty": ["overview", "shortage-by-scenario", "differences", "difference-table", "cost",
                            "scenario"],
    "sweep": ["overview", "sensitivity-sobol", "sweep-outputs", "scenario"],
    "sweep-morris": ["overview", "sensitivity-morris", "sweep-outputs", "scenario"],
    "sweep-lhs": ["overview", "sweep-outputs", "scenario"],
    "size-cohorts": ["overview", "cohorts", "cohorts-table", "scenario"],
    "compare-wide": ["overview", "shortage-by-scenario", "differences", "difference-table", "cost", "scenario"],
    "sweep-wide": ["overview", "sensitivity-sobol", "sweep-outputs", "scenario"],
}


class ReportTest(unittest.TestCase):
    pages = {}

    @classmethod
    def page(cls, key):
        if key not in cls.pages:
            source = output(key) if key in EXPECTED_SECTIONS else FILES[key]
            index = R.write_report(source, os.path.join(TMP, "report-" + key))
            with open(index, encoding="utf-8") as fh:
                cls.pages[key] = fh.read()
        return cls.pages[key]

    def sections(self, html):
        return re.findall(r'<section id="([^"]+)">', html)

    def test_sections_per_kind(self):
        for key, expected in EXPECTED_SECTIONS.items():
            with self.subTest(kind=key):
                html = self.page(key)
                found = self.sections(html)
                self.assertEqual(found, expected)
                for absent in set(R.ALL_SECTION_IDS) - set(expected):
                    self.assertNotIn(f'id="{absent}"', html)
                self.assertEqual(found, R.applicable_sections(output(key)))

    def test_self_contained(self):
        for key in EXPECTED_SECTIONS:
            html = self.page(key)
            sources = re.findall(r'<img src="([^"]*)"', html)
            self.assertTrue(sources, key)
            self.assertTrue(all(s.startswith("data:image/png;base64,") for s in sources), key)
            self.assertNotIn("<script", html)
            self.assertNotIn('<link rel="stylesheet"', html)

    def test_figures_are_written_beside_the_report(self):
        self.page("run")
        names = sorted(os.listdir(os.path.join(TMP, "report-run", "figures")))
        self.assertEqual(names, ["flows.png", "nursing-homes.png", "shortage.png", "supply-demand.png"])

    def test_run_key_table(self):
        html = self.page("run")
        table = section(html, "shortage-table")
        self.assertIn("Shortage in persons by year and occupation", table)
        self.assertIn("mean [95% interval]", table)
        self.assertIn("2.5–97.5% quantiles", table)
        header = re.findall(r"<th>([^<]*)</th>", table[table.index("<thead>"):table.index("</thead>")])
        self.assertEqual(header, ["year"] + [o.replace("_", " ") for o in S.OCCUPATIONS] + ["total", "unfilled"])
        for year in S.YEARS:
            self.assertIn(f"<th>{year}</th>", table)
        # The last year's total and unfilled cells: mean [p025, p975] of the per-replication sums.
        out = output("run")
        persons = out.variable("shortage/persons").isel(year=-1)
        total = persons.sum(["subregion", "branch", "occupation"]).values
        unfilled = np.maximum(0, persons).sum(["subregion", "branch", "occupation"]).values
        self.assertTrue((unfilled > total).all(), "surpluses in some cells: unfilled exceeds the net total")
        last = table[table.index(f"<th>{S.YEARS[-1]}</th>"):]
        last = last[:last.index("</tr>")]
        cells = re.findall(r"<td>(.*?)</td>", last)
        self.assertEqual(cells[-2], cell(total.mean(), *np.quantile(total, (0.025, 0.975))))
        self.assertEqual(cells[-1], cell(unfilled.mean(), *np.quantile(unfilled, (0.025, 0.975))))
        vig = persons.sel(occupation="vig").sum(["subregion", "branch"]).values
        self.assertEqual(cells[S.OCCUPATIONS.index("vig")], cell(vig.mean(), *np.quantile(vig, (0.025, 0.975))))

    def test_no_90_percent_bands_in_current_files(self):
        for key in EXPECTED_SECTIONS:
            html = without_images(self.page(key))
            for word in ("90%", "p05", "p95"):
                self.assertFalse(word in html, f"{key}: '{word}' in {re.findall(r'.{80}' + word + r'.{40}', html)}")

    def test_uncertainty_report_shows_both_intervals(self):
        html = self.page("run-uncertainty")
        out = output("run-uncertainty")
        self.assertIn("written with <code>--uncertainty</code>", section(html, "overview"))
        self.assertIn("parameter uncertainty", section(html, "overview"))
        figure = section(html, "shortage")
        self.assertIn("simulation noise only", figure)
        self.assertIn("runs with drawn parameters", figure)
        table = section(html, "shortage-table")
        self.assertIn("simulation noise only", table)
        self.assertIn("parameters and simulation together", table)
        rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>"):])
        self.assertEqual(len(rows), 2 * len(S.YEARS))
        for year, sim_row, par_row in zip(S.YEARS, rows[0::2], rows[1::2]):
            self.assertIn(f"{year} <span class=\"kind\">simulation</span>", sim_row)
            self.assertIn("+ parameters", par_row)
        # The last year: the total of the scenario's own runs, then of the runs with parameters.
        for row, path in ((rows[-2], "shortage/persons"), (rows[-1], "uncertainty/shortage/persons")):
            values = out.variable(path).isel(year=-1)
            total = values.sum(["subregion", "branch", "occupation"]).values
            unfilled = np.maximum(0, values).sum(["subregion", "branch", "occupation"]).values
            cells = re.findall(r"<td>(.*?)</td>", row)
            self.assertEqual(cells[-2], cell(total.mean(), *np.quantile(total, (0.025, 0.975))), path)
            self.assertEqual(cells[-1], cell(unfilled.mean(), *np.quantile(unfilled, (0.025, 0.975))), path)
        self.assertNotEqual(rows[-2].split("<td>", 1)[1], rows[-1].split("<td>", 1)[1])
        params = section(html, "uncertainty")
        header = re.findall(r"<th>([^<]*)</th>", params[params.index("<thead>"):params.index("</thead>")])
        self.assertEqual(header[:5], ["key", "distribution", "lower", "central", "upper"])
        for key, dist, lower, central, upper in S.PARAMETERS:
            self.assertIn(f"<tr><th>{key}</th><td>{dist}</td><td>{lower:g}</td><td>{central:g}</td>"
                          f"<td>{upper:g}</td>", params)

    def test_run_without_uncertainty_has_one_row_per_year(self):
        table = section(self.page("run"), "shortage-table")
        self.assertNotIn("+ parameters", table)
        self.assertEqual(len(re.findall(r"<tr>", table[table.index("<tbody>"):])), len(S.YEARS))

    def test_compare_tables(self):
        html = self.page("compare")
        out = output("compare")
        diff = section(html, "difference-table")
        self.assertIn("retention − baseline: change in shortage (persons)", diff)
        self.assertIn("95% confidence interval", diff)
        self.assertIn("<th>unfilled</th>", diff)
        # The unfilled column: paired interval of the difference of per-replication unfilled totals.
        unfilled = np.maximum(0, out.variable("shortage/persons").isel(year=-1)).sum(
            ["subregion", "branch", "occupation"]).values  # [scenario, replication]
        expected = ST.paired_interval(unfilled[1] - unfilled[0])
        first_table = diff[:diff.index("</table>")]
        last = first_table[first_table.index(f"<th>{S.YEARS[-1]}</th>"):]
        self.assertEqual(re.findall(r"<td>(.*?)</td>", last[:last.index("</tr>")])[-1], cell(*expected))

    def test_cost_table_shows_intervals(self):
        html = self.page("compare")
        out = output("compare")
        cost = section(html, "cost")
        self.assertIn("cost per FTE-year gained", cost)
        self.assertIn("FTE-years of unfilled demand removed", cost)
        self.assertIn("mean [95% confidence interval of the mean]", cost)
        spread = cost[cost.index('id="table-cost"'):cost.index('id="table-cost-confidence"')]
        confidence = cost[cost.index('id="table-cost-confidence"'):]
        self.assertIn("95% interval over 5 paired replications", spread)
        total = out.variable("cost/by_year").sum("year").values        # [scenario, replication]
        unfilled = out.variable("cost/unfilled_fte_years").values
        for i, (alt, key) in enumerate(zip(out.scenarios[1:], "AB"), start=1):
            # The spread over replications: the quantiles of the paired per-replication values.
            row = spread[spread.index(f"<tr><th>{key}: {alt}</th>"):]
            cells = re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")])
            c, g = total[i] - total[0], unfilled[0] - unfilled[i]
            q = lambda v: (v.mean(), *np.quantile(v, (0.025, 0.975)))  # noqa: E731
            per_year = (out.variable("cost/by_year").values[i] - out.variable("cost/by_year").values[0])[:, 2:]
            self.assertEqual(cells, [cell(*q(c), prefix="€ "), cell(*q(per_year.mean(-1)), prefix="€ "),
                                     f"{S.YEARS[2]}–{S.YEARS[-1]}", cell(*q(g), digits=1),
                                     cell(c.mean() / g.mean(), *np.quantile(c / g, (0.025, 0.975)), prefix="€ ")])
            # How sure the means are: the file's confidence intervals, as careabm compare prints them.
            row = confidence[confidence.index(f"<tr><th>{key}: {alt}</th>"):]
            cells = re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")])
            values = {n: out.variable(f"difference/cost/{n}").sel(alternative=alt).values
                      for n in ("total", "fte_years_gained", "per_fte_year_gained")}
            self.assertEqual(cells, [cell(*values["total"], prefix="€ "),
                                     cell(*values["fte_years_gained"], digits=1),
                                     cell(*values["per_fte_year_gained"], prefix="€ ")])
        by_year = section(html, "cost")
        self.assertIn('id="table-cost-by-year"', by_year)
        self.assertIn('id="fig-cost-by-year"', by_year)

    def test_compare_with_uncertainty_says_so(self):
        overview = section(self.page("compare-uncertainty"), "overview")
        self.assertIn("parameter uncertainty", overview)
        self.assertIn("--uncertainty", overview)
        for key, *_ in S.PARAMETERS:
            self.assertIn(key, overview)
        self.assertNotIn("parameter uncertainty", section(self.page("compare"), "overview"))

    def test_older_files_still_report(self):
        run = self.page("run-legacy")
        self.assertEqual(self.sections(run), EXPECTED_SECTIONS["run"])
        table = section(run, "shortage-table")
        self.assertIn("<th>unfilled</th>", table)  # computed from /shortage/persons
        self.assertIn("mean [95% interval]", table)  # from the replications
        cmp = self.page("compare-legacy")
        cost = section(cmp, "cost")
        self.assertIn("€ 2,500,000", cost)
        self.assertIn("predates the cost intervals", cost)
        self.assertNotIn('class="range"', cost)
        cohorts = without_images(self.page("size-cohorts-legacy"))
        self.assertIn("90% interval (p05–p95)", section(cohorts, "cohorts-table"))
        self.assertIn("90%", section(cohorts, "overview"))
        self.assertFalse("95% interval (p025–p975)" in cohorts)

    def test_cohorts_table_reads_the_95_interval(self):
        table = section(self.page("size-cohorts"), "cohorts-table")
        self.assertIn("mean [95% interval (p025–p975)]", table)
        shortage = output("size-cohorts").variable("cohorts/shortage")
        first = table[table.index("<tbody>"):]
        first = first[:first.index("</tr>")]
        self.assertIn(cell(*(shortage.sel(stat=s).values[0] for s in ("mean", "p025", "p975"))), first)

    def test_cohort_answer_in_words(self):
        self.assertIn("enrol <strong>60 extra trainees per year</strong> in mbo3_vig_bbl", self.page("size-cohorts"))

    def test_headline_at_the_top(self):
        for key in EXPECTED_SECTIONS:
            with self.subTest(file=key):
                html = self.page(key)
                self.assertLess(html.index("</h1>"), html.index('<p class="headline" id="headline">'))
                self.assertLess(html.index('id="headline"'), html.index("<nav>"))
        self.assertEqual(R.headline_year(range(2022, 2041)), 2031)
        self.assertEqual(R.headline_year(S.YEARS), S.YEARS[-1])  # the synthetic files end before 2031

    def headline(self, key):
        html = self.page(key)
        start = html.index('id="headline">') + len('id="headline">')
        return html[start:html.index("</p>", start)]

    def test_run_headline(self):
        persons = output("run").variable("shortage/persons").isel(year=-1)
        total = persons.sum(["subregion", "branch", "occupation"]).values
        unfilled = np.maximum(0, persons).sum(["subregion", "branch", "occupation"]).values
        span = lambda v: f"{v.mean():,.0f} [{np.quantile(v, 0.025):,.0f}–{np.quantile(v, 0.975):,.0f}]"  # noqa: E731
        text = self.headline("run")
        self.assertTrue(text.startswith(f"In {S.YEARS[-1]} the shortage is {span(total)} persons (95% interval "
                                        "over 5 replications"), text)
        self.assertIn(f"the unfilled demand (cells short of staff only) is {span(unfilled)} persons", text)
        self.assertIn("With the uncertain parameters drawn, the shortage is", self.headline("run-uncertainty"))
        self.assertNotIn("surplus)", text)
        # A net surplus is said to be one.
        path = os.path.join(TMP, "surplus.h5")
        shutil.copy(FILES["run"], path)
        with h5py.File(path, "r+") as f:
            f["shortage/persons"][...] = -np.abs(f["shortage/persons"][...])
        self.assertIn("persons (95% interval over 5 replications; negative: a surplus)", R.headline(open_output(path)))

    def test_compare_headline(self):
        out = output("compare")
        text = self.headline("compare")
        self.assertTrue(text.startswith(f"In {S.YEARS[-1]} the base (baseline) has a shortage of "), text)
        unfilled = np.maximum(0, out.variable("shortage/persons").isel(year=-1)).sum(
            ["subregion", "branch", "occupation"]).values  # [scenario, replication]
        change = [ST.paired_interval(unfilled[i] - unfilled[0]) for i in (1, 2)]
        best = int(np.argmin([c[0] for c in change]))
        mean, lo, hi = change[best]
        self.assertIn(f"{'AB'[best]} ({out.scenarios[best + 1]}) removes the most unfilled demand in {S.YEARS[-1]}: "
                      f"{-mean:,.0f} [{-hi:,.0f}–{-lo:,.0f}] persons", text)
        self.assertIn("per FTE-year of unfilled demand removed", text)
        wide = self.headline("compare-wide")
        self.assertIn("removes the most unfilled demand", wide)

    def test_sweep_headlines(self):
        self.assertTrue(self.headline("sweep").startswith(
            "Of 3 parameters, outflow.early_career.hazard drives shortage.persons.total.2030 most: total Sobol index "),
            self.headline("sweep"))
        self.assertIn("11 of 12 points complete", self.headline("sweep"))
        self.assertTrue(self.headline("sweep-morris").startswith(
            "Of 3 parameters, outflow.early_career.hazard moves shortage.persons.total.2030 most: μ* = 300 persons."))
        self.assertTrue(self.headline("sweep-lhs").startswith("11 of 12 points complete; over them"))

    def test_size_cohorts_headline(self):
        shortage = output("size-cohorts").variable("cohorts/shortage")
        c = int(np.flatnonzero(output("size-cohorts").variable("cohorts/extra_enrolment").values == 60)[0])
        mean, lo, hi = (shortage.sel(stat=s).values[c] for s in ("mean", "p025", "p975"))
        text = self.headline("size-cohorts")
        self.assertIn("enrol 60 extra trainees per year in mbo3_vig_bbl", text)
        self.assertIn(f"at that enrolment the shortage of vig in 2030 is {mean:,.0f} [{lo:,.0f}–{hi:,.0f}] persons",
                      text)

    def test_every_table_has_a_csv(self):
        for key in EXPECTED_SECTIONS:
            with self.subTest(file=key):
                html = without_images(self.page(key))
                ids = re.findall(r'<table id="table-([^"]+)"', html)
                self.assertEqual(len(ids), html.count("<table"), "every table has an id")
                self.assertEqual(sorted(os.listdir(os.path.join(TMP, "report-" + key, "tables"))),
                                 sorted(i + ".csv" for i in ids))
                for i in ids:
                    self.assertIn(f'href="tables/{i}.csv"', html)

    def read_csv(self, key, table):
        import csv
        with open(os.path.join(TMP, "report-" + key, "tables", table + ".csv"), encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    def test_csv_holds_the_numbers(self):
        self.page("run")
        rows = self.read_csv("run", "shortage")
        self.assertEqual(rows[0][:4], ["year", "helper (mean)", "helper (lower)", "helper (upper)"])
        self.assertEqual(rows[0][-3:], ["unfilled (mean)", "unfilled (lower)", "unfilled (upper)"])
        self.assertEqual(len(rows), 1 + len(S.YEARS))
        persons = output("run").variable("shortage/persons").isel(year=-1)
        total = persons.sum(["subregion", "branch", "occupation"]).values
        last = dict(zip(rows[0], rows[-1]))
        self.assertEqual(last["year"], str(S.YEARS[-1]))
        np.testing.assert_allclose([float(last[f"total ({w})"]) for w in ("mean", "lower", "upper")],
                                   [total.mean(), *np.quantile(total, (0.025, 0.975))], rtol=1e-11)
        self.page("compare")
        cost = self.read_csv("compare", "cost")
        self.assertEqual([r[0] for r in cost[1:]], ["A: retention", "B: retention_strong"])
        by_year = output("compare").variable("cost/by_year").values
        np.testing.assert_allclose(float(dict(zip(cost[0], cost[1]))["cost over the horizon (euro) (mean)"]),
                                   (by_year[1] - by_year[0]).sum(-1).mean(), rtol=1e-11)
        self.assertEqual(self.read_csv("compare", "scenario-key")[1:],
                         [["base", "baseline", ""], ["A", "retention", ""], ["B", "retention_strong", ""]])
        # The key table's description is the scenario's own; a text that is not TOML has none.
        self.assertEqual(R._description('name = "x"\ndescription = "more staff"\n[time]\n'), "more staff")
        self.assertEqual(R._description("not [ toml"), "")
        self.assertEqual(R._description("description = 3"), "")

    def test_csv_numbers_have_at_most_12_significant_digits(self):
        """No arithmetic noise (22.440000000000015) in any CSV cell: 12 significant digits at most."""
        self.assertEqual(R._csv_value(22.440000000000015), "22.44")
        self.assertEqual(R._csv_value(np.float64(0.1) + np.float64(0.2)), "0.3")
        self.assertEqual(R._csv_value(1234567.891234567), "1234567.89123")
        number = re.compile(r"^-?(\d+)(?:\.(\d+))?(?:[eE][-+]?\d+)?$")
        for key in EXPECTED_SECTIONS:
            self.page(key)
            directory = os.path.join(TMP, "report-" + key, "tables")
            for table in sorted(os.listdir(directory)):
                for row in self.read_csv(key, table[:-len(".csv")]):
                    for cell in row:
                        match = number.match(cell)
                        if match:
                            digits = (match.group(1) + (match.group(2) or "")).lstrip("0")
                            self.assertLessEqual(len(digits), 12, f"{key}: {table}: {cell}")

    def test_svg_on_request(self):
        outdir = os.path.join(TMP, "report-svg")
        R.write_report(output("size-cohorts"), outdir, svg=True)
        self.assertTrue(os.path.exists(os.path.join(outdir, "figures", "cohorts.svg")))
        with open(os.path.join(outdir, "index.html"), encoding="utf-8") as fh:
            self.assertIn('href="figures/cohorts.svg"', fh.read())


# --- command line ----------------------------------------------------------------

class CommandLineTest(unittest.TestCase):
    def assert_one_line_error(self, code, stderr, *words):
        self.assertEqual(code, 2, stderr)
        self.assertNotIn("Traceback", stderr)
        self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)
        for word in words:
            self.assertIn(word, stderr)

    def test_report_command_succeeds(self):
        outdir = os.path.join(TMP, "cli-report")
        proc = run_subprocess("report", FILES["size-cohorts"], "-o", outdir, "--svg")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        self.assertIn("index.html", proc.stdout)
        self.assertTrue(os.path.getsize(os.path.join(outdir, "index.html")) > 10000)
        self.assertTrue(os.path.exists(os.path.join(outdir, "figures", "cohorts.svg")))

    def test_non_hdf5_file_exits_2(self):
        path = os.path.join(TMP, "notes.h5")
        with open(path, "w") as fh:
            fh.write("hello\n")
        proc = run_subprocess("report", path, "-o", os.path.join(TMP, "never"))
        self.assert_one_line_error(proc.returncode, proc.stderr, path, "not an HDF5 file")
        self.assertFalse(os.path.exists(os.path.join(TMP, "never")))

    def test_wrong_kind_exits_2(self):
        proc = run_subprocess("figure", FILES["run"], "cohorts", "-o", os.path.join(TMP, "x.png"))
        self.assert_one_line_error(proc.returncode, proc.stderr, FILES["run"], "'run' file", "size-cohorts")

    def test_missing_file_exits_2(self):
        path = os.path.join(TMP, "missing.h5")
        self.assert_one_line_error(*run_cli("report", path, "-o", os.path.join(TMP, "r"))[::2],
                                   path, "no such file")

    def test_non_careabm_hdf5_exits_2(self):
        path = write_hdf5(os.path.join(TMP, "other.h5"))
        self.assert_one_line_error(*run_cli("report", path, "-o", os.path.join(TMP, "r"))[::2],
                                   "not a careabm output")

    def test_unknown_kind_exits_2(self):
        path = write_hdf5(os.path.join(TMP, "calibrate-kind.h5"), {"command": "calibrate"})
        self.assert_one_line_error(*run_cli("report", path, "-o", os.path.join(TMP, "r"))[::2],
                                   "unknown kind 'calibrate'")

    def test_report_of_file_lacking_data_exits_2(self):
        path = S.write_run(os.path.join(TMP, "noflows.h5"), omit=("workforce/flows",))
        code, _, err = run_cli("report", path, "-o", os.path.join(TMP, "r-noflows"))
        self.assert_one_line_error(code, err, "/workforce/flows", "the run report")

    def test_run_without_clients_has_no_nursing_home_section(self):
        path = S.write_run(os.path.join(TMP, "noclients.h5"), omit=("clients/count", "clients/waiting"))
        outdir = os.path.join(TMP, "r-noclients")
        code, _, err = run_cli("report", path, "-o", outdir)
        self.assertEqual(code, 0, err)
        with open(os.path.join(outdir, "index.html")) as f:
            page = f.read()
        self.assertIn('id="shortage"', page)
        self.assertNotIn('id="nursing-homes"', page)

    def test_bad_arguments_exit_2(self):
        code, _, err = run_cli("report")
        self.assertEqual(code, 2)
        self.assertNotIn("Traceback", err)

    def test_figure_command_writes_svg(self):
        target = os.path.join(TMP, "diff.svg")
        code, out, err = run_cli("figure", FILES["compare"], "differences", "--variable", "workforce/fte",
                                 "-o", target)
        self.assertEqual(code, 0, err)
        with open(target, encoding="utf-8") as fh:
            self.assertIn("<svg", fh.read(2000))


if __name__ == "__main__":
    unittest.main(verbosity=1)
