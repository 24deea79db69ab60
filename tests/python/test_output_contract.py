#!/usr/bin/env python3
"""The HDF5 output contract (analysis/README.md, "Output layouts"), checked from Python as users read it.

Runs `careabm run` on the minimal example, then opens the file with h5py and
with xarray (h5netcdf engine) and checks labelled axes, the stock-flow identity,
shortage = demand - supply, unfilled and surplus, and the summary statistics.
Then `careabm run --uncertainty` on the labour-market example and `careabm
compare` with an intervention alternative: their layouts, and that `careabm
report` shows what the terminal printed (both intervals and the parameter table;
cost intervals). Last, that analysis/README.md documents every dataset, root
attribute, dimension and flow label the binary writes. Exit 77 (skipped) when
numpy, h5py, xarray or h5netcdf are not importable.
"""
import os
import re
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
STATS = ["mean", "p025", "p05", "p50", "p95", "p975"]
FLOWS = ["in.graduates", "in.reentry", "in.career_switchers", "in.outside_region", "in.transfer", "in.upgrade",
         "in.mobility", "in.recruited_reserve", "in.recruited_outside", "out.retirement", "out.to_reserve",
         "out.left_region", "out.death_disability", "out.transfer", "out.upgrade", "out.mobility"]
README = os.path.join(SOURCE, "analysis", "README.md")


def example(name):
    return os.path.join(SOURCE, "scenarios", "examples", name)


def careabm(*args, tmp=None):
    """Run the binary; returns its stdout (raises on a non-zero exit)."""
    result = subprocess.run([BINARY, *args], check=True, capture_output=True, text=True, cwd=tmp)
    return result.stdout


def have_matplotlib():
    try:
        import matplotlib  # noqa: F401
        return True
    except ImportError:
        return False


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def intervals_of(line):
    """[(mean, lo, hi), ...] of every whole-number "mean [lo, hi]" in a terminal line or a report row
    (thousands separators dropped)."""
    line = re.sub(r"(?<=\d),(?=\d)", "", line)
    return [tuple(int(v) for v in m) for m in re.findall(r"(-?\d+)(?: <span class=\"range\">)?\s*\[(-?\d+) (-?\d+)\]",
                                                          line.replace(", ", " "))]


def report_rows(page, sid):
    """Rows (as HTML) of the body of the first table in <section id="sid">."""
    start = page.index(f'<section id="{sid}">')
    body = page[page.index("<tbody>", start):page.index("</tbody>", start)]
    return re.findall(r"<tr>(.*?)</tr>", body)


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
        self.assertEqual(list(summary["stat"].values), STATS)
        self.assertEqual([str(f) for f in ds["flow"].values], FLOWS)
        shortage = self.open("shortage")
        for name in ("unfilled", "surplus"):
            self.assertEqual(shortage[name].dims, ("replication",) + CELL_DIMS)

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

    def test_unfilled_and_surplus_are_the_parts_of_the_shortage(self):
        shortage = self.open("shortage")
        persons = shortage["persons"].values
        np.testing.assert_array_equal(shortage["unfilled"].values, np.maximum(0, persons))
        np.testing.assert_array_equal(shortage["surplus"].values, np.maximum(0, -persons))

    def test_summaries_match_the_replications(self):
        reps = self.open("shortage")["persons"]
        summary = self.open("summary/shortage")["persons"]
        np.testing.assert_allclose(summary.sel(stat="mean").values, reps.mean("replication").values, rtol=1e-12)
        for stat, q in (("p025", 0.025), ("p05", 0.05), ("p50", 0.5), ("p95", 0.95), ("p975", 0.975)):
            np.testing.assert_allclose(summary.sel(stat=stat).values, np.quantile(reps.values, q, axis=0),
                                       rtol=1e-12, atol=1e-9, err_msg=stat)
        self.assertTrue((summary.sel(stat="p025").values <= summary.sel(stat="p975").values).all())

    def test_careabm_report_on_real_outputs(self):
        """`careabm report` draws the sections that apply: no nursing homes without clients."""
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            self.skipTest("matplotlib not installed (python3-matplotlib)")
        outdir = os.path.join(self.tmp, "report-minimal")
        subprocess.run([BINARY, "report", self.path, "-o", outdir], check=True, stdout=subprocess.DEVNULL)
        page = read(os.path.join(outdir, "index.html"))
        for section in ("overview", "shortage", "shortage-table", "supply-demand", "flows", "scenario"):
            self.assertIn(f'id="{section}"', page)
        self.assertNotIn('id="nursing-homes"', page)

        pipeline = os.path.join(self.tmp, "pipeline.h5")
        scenario = os.path.join(SOURCE, "scenarios", "examples", "pipeline.toml")
        subprocess.run([BINARY, "run", scenario, "-o", pipeline, "-r", "3", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        outdir = os.path.join(self.tmp, "report-pipeline")
        subprocess.run([BINARY, "report", pipeline, "-o", outdir], check=True, stdout=subprocess.DEVNULL)
        page = read(os.path.join(outdir, "index.html"))
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


class UncertaintyContract(unittest.TestCase):
    """`careabm run --uncertainty` on the labour-market example (it has an [uncertainty] section)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-uncertainty-")
        cls.path = os.path.join(cls.tmp, "labour-market.h5")
        cls.stdout = careabm("run", example("labour-market.toml"), "-o", cls.path, "-r", "4", "--quiet",
                             "--uncertainty")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_layout(self):
        with h5py.File(self.path, "r") as f:
            self.assertEqual(text(f.attrs["command"]), "run")
            keys = [text(k) for k in f["parameter"][()]]
            self.assertIn("outflow.rate.vig", keys)
            dims = lambda path: tuple(d[0].name.rsplit("/", 1)[-1] for d in f[path].dims)  # noqa: E731
            self.assertEqual(dims("uncertainty/parameters"), ("replication", "parameter"))
            for name in ("lower", "upper", "central", "distribution"):
                self.assertEqual(dims(f"uncertainty/{name}"), ("parameter",), name)
            draws = f["uncertainty/parameters"][()]
            lower, upper, central = (f[f"uncertainty/{n}"][()] for n in ("lower", "upper", "central"))
            self.assertTrue(((draws >= lower) & (draws <= upper)).all())
            self.assertTrue(((central >= lower) & (central <= upper)).all())
            self.assertTrue(set(text(d) for d in f["uncertainty/distribution"][()])
                            <= {"uniform", "log_uniform", "triangular", "normal"})
            for name in ("persons", "unfilled", "surplus", "fte"):
                self.assertEqual(dims(f"uncertainty/shortage/{name}"), dims(f"shortage/{name}"))
                self.assertEqual(dims(f"uncertainty/summary/shortage/{name}"), ("stat",) + CELL_DIMS)
            drawn = f["uncertainty/shortage/persons"][()]
            np.testing.assert_array_equal(f["uncertainty/shortage/unfilled"][()], np.maximum(0, drawn))
            np.testing.assert_allclose(f["uncertainty/summary/shortage/persons"][1], np.quantile(drawn, 0.025, axis=0))
            self.assertFalse(np.array_equal(drawn, f["shortage/persons"][()]), "the drawn runs differ")
            # In every cell: the stock-flow identity holds for the drawn runs too.
            head = f["uncertainty/workforce/headcount"][()]
            flows = f["uncertainty/workforce/flows"][()]
            sign = np.array([1 if text(x).startswith("in.") else -1 for x in f["flow"][()]])
            np.testing.assert_array_equal(head[:, 1:], head[:, :-1] + (flows * sign).sum(-1)[:, 1:])

    @unittest.skipUnless(have_matplotlib(), "matplotlib not installed (python3-matplotlib)")
    def test_report_shows_both_intervals_as_the_terminal(self):
        outdir = os.path.join(self.tmp, "report")
        careabm("report", self.path, "-o", outdir)
        page = read(os.path.join(outdir, "index.html"))
        for sid in ("overview", "shortage", "shortage-table", "uncertainty"):
            self.assertIn(f'<section id="{sid}">', page)
        # The terminal's first table (by occupation): rows "YEAR simulation ..." and "+ parameters ...".
        terminal = self.stdout[:self.stdout.index("\n\n")] if "\n\n" in self.stdout else self.stdout
        expected = [intervals_of(line) for line in terminal.splitlines()
                    if re.match(r"^(\d{4} simulation|\s+\+ parameters)", line)]
        rows = report_rows(page, "shortage-table")
        self.assertEqual(len(rows), len(expected))
        self.assertTrue(len(expected) >= 2 and len(expected) % 2 == 0)
        self.assertIn("simulation", rows[0])
        self.assertIn("+ parameters", rows[1])
        self.assertEqual([intervals_of(r) for r in rows], expected)
        header = page[page.index('<section id="shortage-table">'):]
        header = header[header.index("<thead>"):header.index("</thead>")]
        self.assertTrue(header.endswith("<th>total</th><th>unfilled</th></tr>"), header)
        params = page[page.index('<section id="uncertainty">'):]
        params = params[:params.index("</section>")]
        for key in ("outflow.rate.vig", "labour_market.recruitment.efficiency"):
            self.assertIn(f"<th>{key}</th>", params)
        self.assertIn("<td>triangular</td>", params)
        self.assertIn("<td>0.07</td><td>0.09</td><td>0.11</td>", params)  # outflow.rate.vig: lower, central, upper
        figure = page[page.index('<section id="shortage">'):]
        self.assertIn("runs with drawn parameters", figure[:figure.index("</section>")])


ALTERNATIVE = """extends = "{base}"
name = "{name}"

[interventions.starters]
kind = "retention"
start_year = 2024
effect = 0.5
tenure_below = 3
cost_per_unit = 2000
"""


class CompareContract(unittest.TestCase):
    """`careabm compare` with an intervention alternative (as tests/integration/test_compare.cpp)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-compare-")
        alternative = os.path.join(cls.tmp, "retention.toml")
        with open(alternative, "w") as f:
            f.write(ALTERNATIVE.format(base=example("pipeline.toml"), name="retention"))
        cls.path = os.path.join(cls.tmp, "compare.h5")
        cls.stdout = careabm("compare", example("pipeline.toml"), alternative, "-o", cls.path, "-r", "3", "--quiet")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_cost_layout(self):
        with h5py.File(self.path, "r") as f:
            dims = lambda path: tuple(d[0].name.rsplit("/", 1)[-1] for d in f[path].dims)  # noqa: E731
            for name in ("total", "fte_years_gained", "per_fte_year_gained"):
                self.assertEqual(dims(f"difference/cost/{name}"), ("alternative", "interval"))
            self.assertEqual([text(i) for i in f["interval"][()]], ["mean", "lo95", "hi95"])
            self.assertEqual(dims("cost/by_year"), ("scenario", "replication", "year"))
            self.assertEqual(dims("cost/unfilled_fte_years"), ("scenario", "replication"))
            self.assertEqual(dims("shortage/unfilled"), ("scenario", "replication") + CELL_DIMS)
            self.assertEqual(list(text(x) for x in f["stat"][()]), STATS)
            by_year, unfilled = f["cost/by_year"][()], f["cost/unfilled_fte_years"][()]
            np.testing.assert_allclose(unfilled, np.maximum(0, f["shortage/fte"][()]).sum(axis=(2, 3, 4, 5)))
            total = by_year.sum(-1)
            np.testing.assert_allclose(f["difference/cost/total"][0, 0], (total[1] - total[0]).mean())
            np.testing.assert_allclose(f["difference/cost/fte_years_gained"][0, 0], (unfilled[0] - unfilled[1]).mean())
            t = f["difference/cost/total"][0]
            self.assertTrue(t[1] <= t[0] <= t[2])
            self.assertNotIn("uncertainty", f.attrs)

    @unittest.skipUnless(have_matplotlib(), "matplotlib not installed (python3-matplotlib)")
    def test_report_cost_table_has_the_terminal_intervals(self):
        outdir = os.path.join(self.tmp, "report")
        careabm("report", self.path, "-o", outdir)
        page = read(os.path.join(outdir, "index.html"))
        start = page.index('id="table-cost-confidence"')  # the means' confidence intervals, as the terminal
        row = re.findall(r"<tr>(.*?)</tr>", page[page.index("<tbody>", start):page.index("</tbody>", start)])[0]
        self.assertIn("<th>A: retention</th>", row)
        cells = intervals_of(row)
        terminal = {line.split("  ")[1].strip() if line.startswith("  ") else line: intervals_of(line)
                    for line in self.stdout.splitlines() if "[" in line}
        cost = [v for k, v in terminal.items() if k.startswith("cost over the horizon")][0]
        per = [v for k, v in terminal.items() if k.startswith("euro per FTE-year")][0]
        self.assertEqual(cells[0], cost[0])
        self.assertEqual(cells[-1], per[0])
        self.assertIn("95% confidence interval", page[page.index('<section id="cost">'):])

    def test_compare_with_uncertainty_is_marked(self):
        base = os.path.join(self.tmp, "lm.toml")
        alternative = os.path.join(self.tmp, "lm-retention.toml")
        with open(base, "w") as f:
            f.write(f'extends = "{example("labour-market.toml")}"\nname = "lm"\n')
        with open(alternative, "w") as f:
            f.write(ALTERNATIVE.format(base=example("labour-market.toml"), name="lm-retention"))
        path = os.path.join(self.tmp, "compare-uncertainty.h5")
        careabm("compare", base, alternative, "-o", path, "-r", "3", "--quiet", "--uncertainty")
        with h5py.File(path, "r") as f:
            self.assertIn("uncertainty", f.attrs)
            self.assertEqual(f["uncertainty/parameters"].shape[0], 3)
        if have_matplotlib():
            outdir = os.path.join(self.tmp, "report-uncertainty")
            careabm("report", path, "-o", outdir)
            page = read(os.path.join(outdir, "index.html"))
            overview = page[page.index('<section id="overview">'):page.index("</section>")]
            self.assertIn("parameter uncertainty", overview)
            self.assertIn("outflow.rate.vig", overview)


class ReadmeDocumentsTheFiles(unittest.TestCase):
    """analysis/README.md ("Output layouts") names every dataset, root attribute, dimension and flow
    label that careabm writes: run (with --uncertainty), compare, sweep (+ analyze), size-cohorts."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-readme-")
        cls.readme = read(README)
        cls.files = {}
        run = os.path.join(cls.tmp, "run.h5")
        careabm("run", example("labour-market.toml"), "-o", run, "-r", "2", "--quiet", "--uncertainty")
        cls.files["run"] = run
        alternative = os.path.join(cls.tmp, "retention.toml")
        with open(alternative, "w") as f:
            f.write(ALTERNATIVE.format(base=example("pipeline.toml"), name="retention"))
        compare = os.path.join(cls.tmp, "compare.h5")
        careabm("compare", example("pipeline.toml"), alternative, "-o", compare, "-r", "2", "--quiet")
        cls.files["compare"] = compare
        cohorts = os.path.join(cls.tmp, "cohorts.h5")
        careabm("size-cohorts", example("pipeline.toml"), "--programme", "mbo3_vig_bbl", "--occupation", "vig",
                "--by", "2028", "--from", "2023", "-r", "2", "-o", cohorts, "--quiet")
        cls.files["size-cohorts"] = cohorts
        sweep = os.path.join(cls.tmp, "sweep.h5")
        careabm("sweep", os.path.join(SOURCE, "scenarios", "sweeps", "minimal-saltelli.toml"), "-o", sweep, "--quiet")
        careabm("analyze", sweep, "--force")
        cls.files["sweep"] = sweep

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    GENERIC = ("summary/", "uncertainty/summary/", "agents/")  # described as patterns
    RUN_GROUPS = ("workforce/", "demand/", "shortage/", "training/", "clients/", "interventions/")

    def documented(self, path):
        return f"`/{path}`" in self.readme or f"`/{path}` " in self.readme

    def test_every_dataset_and_attribute(self):
        import h5py as h
        for kind, path in self.files.items():
            with h.File(path, "r") as f:
                for name in f.attrs:
                    self.assertIn(f"`{name}`", self.readme, f"{kind}: root attribute {name}")
                datasets = []
                f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h.Dataset) else None)
                for name in datasets:
                    obj = f[name]
                    base = name.rsplit("/", 1)[-1]
                    if text(obj.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                        if "/" not in name:  # a root scale: the dimension itself
                            self.assertTrue(f"`/{base}`" in self.readme or f"`{base}`" in self.readme,
                                            f"{kind}: dimension {base}")
                        continue
                    if name.startswith(self.GENERIC):
                        continue
                    if name.startswith("difference/") and not name.startswith("difference/cost/"):
                        continue  # /difference/<group>/<name>: one per variable
                    if name.startswith("uncertainty/") and name[len("uncertainty/"):].startswith(self.RUN_GROUPS):
                        continue  # /uncertainty/<group>/<name>: the run variables again
                    self.assertTrue(self.documented(name), f"{kind}: /{name} is not in analysis/README.md")

    def test_the_top_readme_output_section_lists_the_run_file(self):
        """README.md, "Output": every root attribute and variable of a run file (groups, not the
        summary copies) and the summaries' stat axis as the file holds it."""
        readme = read(os.path.join(SOURCE, "README.md"))
        section = readme[readme.index("\n## Output\n"):]
        block = section[section.index("```\n") + 4:]
        block = block[:block.index("```")]
        lines = block.splitlines()
        with h5py.File(self.files["run"], "r") as f:
            for attribute in f.attrs:
                self.assertRegex(lines[0] + lines[1], rf"\b{attribute}\b", "root attributes")
            stats = ", ".join(text(s) for s in f["stat"][()])
            self.assertIn(f"stat axis ({stats})", block)
            datasets = []
            f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset) else None)
            for name in datasets:
                if "/" not in name or name.startswith(self.GENERIC + ("uncertainty/",)):
                    continue
                if text(f[name].attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                    continue
                group, base = name.split("/", 1)
                self.assertTrue(f"/{name}" in block or any(line.startswith(f"/{group}/") and
                                                           re.search(rf"\b{base}\b", line) for line in lines),
                                f"/{name} is not in README.md, Output")

    def test_every_flow_label(self):
        with h5py.File(self.files["run"], "r") as f:
            for label in f["flow"][()]:
                self.assertIn(f"`{text(label)}`", self.readme)

    def test_no_reference_outside_the_repository(self):
        """No file of the repository names a file or path outside it: what users need, it carries."""
        this = os.path.abspath(__file__)
        # Spelled in pieces, so that this file does not itself hold the paths it looks for.
        outside = ("/" + "work/", ".." + "/shared", "DESIGN" + ".md", "DATA" + ".md")
        for root, dirs, names in os.walk(SOURCE):
            dirs[:] = [d for d in dirs if not d.startswith((".git", "build")) and d != "__pycache__"]
            for name in names:
                path = os.path.join(root, name)
                if os.path.abspath(path) == this or not name.endswith(
                        (".py", ".md", ".toml", ".cpp", ".h", ".txt", ".csv", ".sh", ".json", ".cmake")):
                    continue
                content = read(path)
                for text_ in outside:
                    self.assertNotIn(text_, content, path)


if __name__ == "__main__":
    unittest.main(verbosity=1)
