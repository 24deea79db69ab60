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
from careabm_analysis import synthetic as S  # noqa: E402
from careabm_analysis.__main__ import main as cli_main  # noqa: E402

TMP = None
FILES = {}
_OUTPUTS = {}


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="careabm-analysis-test-")
    FILES.update(S.write_all(os.path.join(TMP, "synthetic")))


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def output(kind):
    if kind not in _OUTPUTS:
        _OUTPUTS[kind] = open_output(FILES[kind])
    return _OUTPUTS[kind]


def legend_texts(ax):
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend is not None else []


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
        for key, kind in (("run", "run"), ("compare", "compare"), ("sweep", "sweep"),
                          ("sweep-lhs", "sweep"), ("size-cohorts", "size-cohorts")):
            self.assertEqual(output(key).kind, kind)

    def test_groups_have_labelled_dims_from_the_root_scales(self):
        fte = output("run")["workforce"]["fte"]
        self.assertEqual(fte.dims, ("replication", "year", "subregion", "branch", "occupation"))
        self.assertEqual(fte["occupation"].values.tolist(), list(S.OCCUPATIONS))
        self.assertEqual(fte["year"].values.tolist(), list(S.YEARS))
        self.assertEqual(output("run")["workforce"]["flows"]["flow"].values.tolist(), list(S.FLOWS))
        summary = output("run")["summary/shortage"]["persons"]
        self.assertEqual(summary.dims[0], "stat")
        self.assertEqual(summary["stat"].values.tolist(), list(S.STATS))
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
            for word in ylabel_words:
                self.assertIn(word, ax.get_ylabel())
            self.assertTrue(ax.get_title() or suptitle(fig))
        texts = [t for ax in visible for t in legend_texts(ax)]
        for entry in legend_entries:
            self.assertTrue(any(entry in t for t in texts), f"no legend entry '{entry}' in {texts}")
        return visible

    def test_shortage_fan(self):
        fig = F.shortage_fan(output("run"))
        axes = self.assert_figure(fig, ["Shortage", "occupation", "persons"], "year", ["shortage", "(persons)"],
                                  ["median", "50% band", "90% band"])
        self.assertEqual([ax.get_title() for ax in axes], [o.replace("_", " ") for o in S.OCCUPATIONS])

    def test_shortage_fan_band_is_the_replication_quantiles(self):
        fig = F.shortage_fan(output("run"))
        ax = fig.axes[S.OCCUPATIONS.index("vig")]
        median = [line for line in ax.get_lines() if line.get_label() == "median"][0]
        persons = output("run").variable("shortage/persons").sel(occupation="vig").sum(["subregion", "branch"])
        np.testing.assert_allclose(median.get_ydata(), np.median(persons.values, axis=0))

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
                           ["in: graduates", "in: reentry", "in: career switchers", "out: retirement",
                            "out: to reserve", "out: left region", "net change"])
        texts = legend_texts(fig.axes[0])
        self.assertFalse(any(t in ("in: transfer", "out: transfer") for t in texts),
                         "moves inside the region are netted, not stacked")

    def test_flow_table_skips_the_first_year(self):
        years, inflow, outflow, internal = F.flow_table(output("run"))
        self.assertEqual(years.tolist(), list(S.YEARS[1:]))
        self.assertIn("transfer", internal)

    def test_nursing_home_places(self):
        fig = F.nursing_home_places(output("run"))
        self.assert_figure(fig, ["Nursing-home places", "capacity", "waiting list"], "year", ["persons"],
                           ["places needed", "residents", "capacity", "waiting list"])

    def test_nursing_home_places_without_capacity(self):
        path = S.write_run(os.path.join(TMP, "nocap.h5"), with_capacity=False)
        fig = F.nursing_home_places(open_output(path))
        self.assertFalse(any("capacity" in t for t in legend_texts(fig.axes[0])))

    def test_compare_differences(self):
        fig = F.compare_differences(output("compare"))
        self.assert_figure(fig, ["alternative", "baseline", "95%"], "year", ["difference", "persons"],
                           ["retention − baseline (mean)", "retention: 95% interval",
                            "retention_strong − baseline (mean)"])

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
        fig = F.compare_cost(output("compare"))
        self.assertIn("Cost", suptitle(fig))
        ax1, ax2 = fig.axes
        self.assertIn("euro", ax1.get_ylabel())
        self.assertIn("per FTE-year", ax2.get_ylabel())
        self.assertEqual(ax1.get_xlabel(), "alternative")
        self.assertIn("cost per FTE-year gained", legend_texts(ax2))
        self.assertTrue(png_bytes(fig).startswith(b"\x89PNG"))

    def test_compare_shortage(self):
        fig = F.compare_shortage(output("compare"))
        self.assert_figure(fig, ["scenario", "persons"], "year", ["persons"],
                           ["baseline (median", "retention (median"])

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
                           ["goal: shortage ≤ 0 persons", "answer: 60 extra trainees per year", "90% band", "mean"])

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


# --- report ----------------------------------------------------------------------

EXPECTED_SECTIONS = {
    "run": ["overview", "shortage", "shortage-table", "supply-demand", "flows", "nursing-homes", "scenario"],
    "compare": ["overview", "shortage-by-scenario", "differences", "difference-table", "cost", "scenario"],
    "sweep": ["overview", "sensitivity-sobol", "sweep-outputs", "scenario"],
    "sweep-morris": ["overview", "sensitivity-morris", "sweep-outputs", "scenario"],
    "sweep-lhs": ["overview", "sweep-outputs", "scenario"],
    "size-cohorts": ["overview", "cohorts", "cohorts-table", "scenario"],
}


class ReportTest(unittest.TestCase):
    pages = {}

    @classmethod
    def page(cls, key):
        if key not in cls.pages:
            index = R.write_report(output(key), os.path.join(TMP, "report-" + key))
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
        table = html[html.index('id="shortage-table"'):]
        table = table[:table.index("</section>")]
        self.assertIn("Shortage in persons by year and occupation", table)
        self.assertIn("p05 – p95", table)
        for occupation in S.OCCUPATIONS:
            self.assertIn(f"<th>{occupation.replace('_', ' ')}</th>", table)
        for year in S.YEARS:
            self.assertIn(f"<th>{year}</th>", table)
        persons = output("run").variable("shortage/persons").sum(["subregion", "branch", "occupation"])
        last = f"{persons.isel(year=-1).mean('replication').item():,.0f}"
        self.assertIn(last, table)

    def test_compare_tables(self):
        html = self.page("compare")
        self.assertIn("retention − baseline: change in shortage (persons)", html)
        self.assertIn("cost per FTE-year gained", html)
        self.assertIn("€ 2,500,000", html)

    def test_cohort_answer_in_words(self):
        self.assertIn("enrol <strong>60 extra trainees per year</strong> in mbo3_vig_bbl", self.page("size-cohorts"))

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
