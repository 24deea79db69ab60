"""A self-contained HTML report of one careabm output file.

    write_report("baseline.h5", "baseline_report")   # -> baseline_report/index.html

index.html embeds every figure as a base64 PNG, so it can be mailed or
opened anywhere. The figures are also written to DIR/figures/<id>.png (and
.svg with svg=True). Each section is a <section id="..."> with an <h2>; the
ids are stable (see SECTIONS) so that tests and links can rely on them.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import os
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import figures as F
from .reader import CareabmFileError, CareabmOutput, KINDS, open_output
from .stats import paired_interval

# Section ids per kind, in report order. A section marked optional appears only
# when the file holds its data (see applicable_sections).
SECTIONS = {
    "run": ("overview", "shortage", "shortage-table", "supply-demand", "flows", "nursing-homes", "scenario"),
    "compare": ("overview", "shortage-by-scenario", "differences", "difference-table", "cost", "scenario"),
    "sweep": ("overview", "sensitivity-sobol", "sensitivity-morris", "sweep-outputs", "scenario"),
    "size-cohorts": ("overview", "cohorts", "cohorts-table", "scenario"),
}
ALL_SECTION_IDS = sorted({s for ids in SECTIONS.values() for s in ids})

# What each kind must hold for its report (a file without these is an error, exit 2).
REQUIRED = {
    "run": ("shortage/persons", "workforce/fte", "demand/fte", "workforce/flows"),
    "compare": ("shortage/persons", "difference/shortage/persons",
                "difference/cost/total", "difference/cost/per_fte_year_gained"),
    "sweep": ("design", "outputs/values"),
    "size-cohorts": ("cohorts/shortage", "cohorts/extra_enrolment"),
}

MAX_SWEEP_OUTPUT_FIGURES = 4


@dataclass
class Section:
    id: str
    heading: str
    body: str  # HTML


def applicable_sections(out: CareabmOutput) -> list:
    """Section ids that a report of this file contains."""
    ids = []
    for sid in SECTIONS[out.kind]:
        if sid == "sensitivity-sobol" and not out.has("sensitivity/sobol_first"):
            continue
        if sid == "sensitivity-morris" and not out.has("sensitivity/morris_mu_star"):
            continue
        if sid == "scenario" and not out.scenario_text:
            continue
        # A scenario without clients (workforce only) has no nursing-home figure.
        if sid == "nursing-homes" and not (out.has("clients/count") and out.has("clients/waiting")):
            continue
        ids.append(sid)
    return ids


# --- HTML pieces -------------------------------------------------------------------

def _e(value) -> str:
    return html.escape(str(value))


def _num(value, digits: int = 0) -> str:
    v = float(value)
    if not np.isfinite(v):
        return "–"
    return f"{v:,.{digits}f}"


class _FigureWriter:
    def __init__(self, outdir: str, svg: bool):
        self.dir = os.path.join(outdir, "figures")
        self.svg = svg
        os.makedirs(self.dir, exist_ok=True)

    def html(self, fig_id: str, fig, caption: str) -> str:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        png = buf.getvalue()
        with open(os.path.join(self.dir, fig_id + ".png"), "wb") as fh:
            fh.write(png)
        links = f'<a href="figures/{_e(fig_id)}.png">PNG</a>'
        if self.svg:
            fig.savefig(os.path.join(self.dir, fig_id + ".svg"), format="svg")
            links += f' · <a href="figures/{_e(fig_id)}.svg">SVG</a>'
        title = fig._suptitle.get_text() if fig._suptitle is not None else fig.axes[0].get_title()
        data = base64.b64encode(png).decode("ascii")
        return (f'<figure id="fig-{_e(fig_id)}"><img src="data:image/png;base64,{data}" alt="{_e(title)}">'
                f"<figcaption>{caption} <span class=\"links\">({links})</span></figcaption></figure>")


def _table(header: list, rows: list, caption: str = "", cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" if i else f"<th>{c}</th>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _range_cell(mean, lo, hi, digits: int = 0) -> str:
    return f"{_num(mean, digits)} <span class=\"range\">({_num(lo, digits)} – {_num(hi, digits)})</span>"


# --- sections --------------------------------------------------------------------

def _overview(out: CareabmOutput) -> str:
    a = out.attrs
    rows = [("file", _e(out.path)), ("kind", _e(out.kind)), ("scenario", _e(out.scenario_name)),
            ("careabm version", _e(a.get("careabm_version", "?"))), ("seed", _e(a.get("seed", "?"))),
            ("replications", _e(out.replications if out.replications is not None else "?")),
            ("created (UTC)", _e(a.get("created_utc", "?")))]
    if "year" in out.root.coords:
        years = out.coord("year")
        rows.append(("years", f"{years[0]}–{years[-1]}"))
    if out.kind == "compare":
        rows.append(("scenarios (base first)", _e(", ".join(map(str, out.scenarios)))))
    if out.kind == "sweep":
        done = out.variable("completed").values.astype(bool) if out.has("completed") else None
        points = out.root.sizes.get("point", 0)
        rows.append(("design", _e(a.get("design", "?"))))
        rows.append(("points complete", f"{int(done.sum()) if done is not None else '?'} of {points}"))
        rows.append(("parameters", _e(", ".join(map(str, out.coord("parameter"))))))
        rows.append(("outputs", _e(", ".join(map(str, out.coord("output"))))))
    if out.kind == "size-cohorts":
        for key in ("programme", "occupation", "by_year", "goal", "answer"):
            rows.append((key, _e(a.get(key, "?"))))
    intro = {
        "run": "What the baseline says per occupation and year. Shortage = demand − supply; "
               "a negative shortage is a surplus. Bands and ranges show the spread across replications.",
        "compare": "The effect of each alternative against the base scenario, paired by replication "
                   "(common random numbers), with 95% confidence intervals.",
        "sweep": "Which parameters drive the results, from a parameter sweep.",
        "size-cohorts": _cohort_answer(out),
    }[out.kind]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<p class="lead">{intro}</p><table class="meta">{table}</table>'


def _shortage_table(out: CareabmOutput) -> str:
    """Shortage in persons by year and occupation: mean (p05 – p95) across replications."""
    da = out.variable("shortage/persons", "the shortage table")
    if "replication" in da.dims:
        per_occ = F._sum_except(da, ("replication", "year", "occupation"))
        occs = [str(o) for o in per_occ["occupation"].values.tolist()]
        values = np.concatenate([per_occ.values, per_occ.values.sum(-1, keepdims=True)], axis=-1)
        mean = values.mean(0)
        p05, p95 = np.quantile(values, (0.05, 0.95), axis=0)
        source = f"across {values.shape[0]} replications (sums over subregions and branches per replication)"
    else:  # only the summary: means add up, quantiles do not
        summ = out.variable("summary/shortage/persons", "the shortage table")
        per_occ = F._sum_except(summ, ("stat", "year", "occupation"))
        occs = [str(o) for o in per_occ["occupation"].values.tolist()]
        mean = per_occ.sel(stat="mean").values
        mean = np.concatenate([mean, mean.sum(-1, keepdims=True)], axis=-1)
        p05 = p95 = np.full_like(mean, np.nan)
        source = "from /summary/shortage/persons (means only: quantiles of cells do not add up)"
    years = per_occ["year"].values.tolist()
    rows = [[_e(y)] + [_range_cell(mean[i, j], p05[i, j], p95[i, j]) for j in range(len(occs) + 1)]
            for i, y in enumerate(years)]
    caption = f"Shortage in persons by year and occupation: mean (p05 – p95) {source}."
    return _table(["year"] + [F._label(o) for o in occs] + ["all occupations"], rows, caption, "numbers")


def paired_difference(out: CareabmOutput, group: str, name: str, keep=("year", "occupation")):
    """Mean, lo95, hi95 of alternative − base summed to `keep`, per alternative: {alt: (keep-array x3)}."""
    reps = F._sum_except(out.variable(f"{group}/{name}"), ("scenario", "replication") + tuple(keep))
    base = reps.isel(scenario=0).values
    return {str(alt): paired_interval(reps.sel(scenario=alt).values - base, axis=0)
            for alt in out.scenarios[1:]}


def _difference_table(out: CareabmOutput) -> str:
    by_occ, method = F.difference_by_occupation(out, "shortage", "persons")
    occs = [str(o) for o in by_occ["occupation"].values.tolist()]
    years = by_occ["year"].values.tolist()
    if method == "paired":
        totals = paired_difference(out, "shortage", "persons", keep=("year",))
    else:
        summed = F._sum_except(out.variable("difference/shortage/persons"), ("alternative", "interval", "year"))
        totals = {str(a): tuple(summed.sel(alternative=a, interval=i).values for i in ("mean", "lo95", "hi95"))
                  for a in summed["alternative"].values.tolist()}
    base = out.scenarios[0]
    parts = []
    for alt in by_occ["alternative"].values.tolist():
        sel = by_occ.sel(alternative=alt)
        m, lo, hi = (sel.sel(interval=i).values for i in ("mean", "lo95", "hi95"))
        tm, tlo, thi = totals[str(alt)]
        rows = [[_e(y)] + [_range_cell(m[i, j], lo[i, j], hi[i, j]) for j in range(len(occs))]
                + [_range_cell(tm[i], tlo[i], thi[i])] for i, y in enumerate(years)]
        parts.append(_table(["year"] + [F._label(o) for o in occs] + ["all occupations"], rows,
                            f"{_e(alt)} − {_e(base)}: change in shortage (persons), mean (95% interval). "
                            "Negative = the alternative has the smaller shortage.", "numbers"))
    return "".join(parts)


def _cost_table(out: CareabmOutput) -> str:
    total = out.variable("difference/cost/total")
    per = out.variable("difference/cost/per_fte_year_gained")
    gained = out.variable("difference/cost/fte_years_gained").values if out.has(
        "difference/cost/fte_years_gained") else np.where(per.values != 0, total.values / per.values, np.nan)
    rows = [[_e(a), "€ " + _num(t), _num(g, 1), "€ " + _num(p) if np.isfinite(p) else "no gain"]
            for a, t, g, p in zip(total["alternative"].values.tolist(), total.values, gained, per.values)]
    return _table(["alternative", "total cost", "FTE-years of shortage removed", "cost per FTE-year gained"],
                  rows, "Cost over the whole horizon (euro).", "numbers")


def _sobol_table(out: CareabmOutput) -> str:
    first, total = out.variable("sensitivity/sobol_first"), out.variable("sensitivity/sobol_total")
    fci = out.variable("sensitivity/sobol_first_ci") if out.has("sensitivity/sobol_first_ci") else None
    tci = out.variable("sensitivity/sobol_total_ci") if out.has("sensitivity/sobol_total_ci") else None
    parts = []
    for o in first["output"].values.tolist():
        rows = []
        for p in first["parameter"].values.tolist():
            cells = [_e(p)]
            for da, ci in ((first, fci), (total, tci)):
                v = da.sel(output=o, parameter=p).values
                if ci is not None:
                    b = ci.sel(output=o, parameter=p)
                    cells.append(_range_cell(v, b.sel(bound="lo").values, b.sel(bound="hi").values, 2))
                else:
                    cells.append(_num(v, 2))
            rows.append(cells)
        parts.append(_table(["parameter", "first-order S1", "total ST"], rows,
                            f"{_e(o)}: Sobol indices (95% interval).", "numbers"))
    return "".join(parts)


def _morris_table(out: CareabmOutput) -> str:
    mu, sigma = out.variable("sensitivity/morris_mu_star"), out.variable("sensitivity/morris_sigma")
    parts = []
    for o in mu["output"].values.tolist():
        rows = [[_e(p), _num(mu.sel(output=o, parameter=p).values, 2), _num(sigma.sel(output=o, parameter=p).values, 2)]
                for p in mu["parameter"].values.tolist()]
        parts.append(_table(["parameter", "μ*", "σ"], rows, f"{_e(o)}: Morris elementary effects.", "numbers"))
    return "".join(parts)


def _cohort_answer(out: CareabmOutput) -> str:
    a = out.attrs
    answer = a.get("answer")
    goal = f"{float(a.get('goal', 0)):g}"
    occupation, programme, by_year = a.get("occupation", "?"), a.get("programme", "?"), a.get("by_year", "?")
    if answer is not None and np.isfinite(float(answer)):
        return (f"To bring the mean shortage of {_e(F._label(occupation))} in {_e(by_year)} to at most "
                f"{_e(goal)} persons, enrol <strong>{float(answer):g} extra trainees per year</strong> "
                f"in {_e(programme)}.")
    return (f"None of the tried extra enrolments in {_e(programme)} brings the mean shortage of "
            f"{_e(F._label(occupation))} in {_e(by_year)} to {_e(goal)} persons or less.")


def _cohorts_table(out: CareabmOutput) -> str:
    shortage = out.variable("cohorts/shortage")
    extra = out.variable("cohorts/extra_enrolment").values
    goal = float(out.attrs.get("goal", 0))
    stats = [s for s in ("mean", "p05", "p50", "p95") if s in shortage["stat"].values.tolist()]
    rows = []
    for i in np.argsort(extra):
        values = [shortage.sel(stat=s).values[i] for s in stats]
        mean = shortage.sel(stat="mean").values[i] if "mean" in stats else np.nan
        rows.append([_num(extra[i])] + [_num(v) for v in values] + ["yes" if mean <= goal else "no"])
    return _table(["extra trainees per year"] + [f"shortage {s} (persons)" for s in stats]
                  + [f"mean ≤ goal ({goal:g})"], rows,
                  "Shortage in the target year for each candidate extra enrolment.", "numbers")


def _scenario(out: CareabmOutput) -> str:
    parts = []
    for name, text in out.scenario_text.items():
        parts.append(f"<details><summary>{_e(name)}</summary><pre>{_e(text)}</pre></details>")
    return "".join(parts)


def build_sections(out: CareabmOutput, figs: _FigureWriter) -> list:
    ids = applicable_sections(out)
    builders: dict[str, Callable[[], tuple]] = {
        "overview": lambda: ("Overview", _overview(out)),
        "shortage": lambda: ("Shortage by occupation", figs.html(
            "shortage", F.shortage_fan(out),
            "Median shortage per occupation (summed over subregions and branches), with the 50% and 90% "
            "bands across replications. Above zero: more demand than supply.")),
        "shortage-table": lambda: ("Shortage by year and occupation", _shortage_table(out)),
        "supply-demand": lambda: ("Supply and demand by branch", figs.html(
            "supply-demand", F.supply_demand(out),
            "Supply (workforce FTE, including the working share of BBL trainees) and demand in FTE per "
            "branch, mean over replications.")),
        "flows": lambda: ("Inflow and outflow per year", figs.html(
            "flows", F.flows(out),
            "Workers entering (up) and leaving (down) the region's care sector per year, mean over "
            "replications. Moves inside the region cancel out and are shown only as a net residual.")),
        "nursing-homes": lambda: ("Nursing-home places", figs.html(
            "nursing-homes", F.nursing_home_places(out),
            "Places needed (residents plus the waiting list) against capacity, in persons.")),
        "shortage-by-scenario": lambda: ("Shortage by scenario", figs.html(
            "shortage-by-scenario", F.compare_shortage(out),
            "Median shortage per occupation in each scenario, with the 90% band across replications.")),
        "differences": lambda: ("Effect of the alternatives", figs.html(
            "differences", F.compare_differences(out),
            "Alternative − base in shortage (persons), paired by replication, with 95% confidence "
            "intervals. Below zero: the alternative reduces the shortage.")),
        "difference-table": lambda: ("Effect by year and occupation", _difference_table(out)),
        "cost": lambda: ("Cost", figs.html(
            "cost", F.compare_cost(out),
            "Total cost of each alternative and its cost per FTE-year of shortage removed.")
            + _cost_table(out)),
        "sensitivity-sobol": lambda: ("Sensitivity: Sobol indices", figs.html(
            "sensitivity-sobol", F.sobol_indices(out),
            "Share of the output variance due to each parameter alone (S1) and including its "
            "interactions (ST), with 95% intervals.") + _sobol_table(out)),
        "sensitivity-morris": lambda: ("Sensitivity: Morris screening", figs.html(
            "sensitivity-morris", F.morris_effects(out),
            "μ*: how much the output moves when the parameter moves; σ: how much that depends on the "
            "other parameters.") + _morris_table(out)),
        "sweep-outputs": lambda: ("Outputs against parameters", "".join(
            figs.html(f"sweep-outputs-{i + 1}", F.sweep_outputs(out, str(o)),
                      f"{_e(o)} (mean over replications) at each completed sweep point.")
            for i, o in enumerate(out.coord("output")[:MAX_SWEEP_OUTPUT_FIGURES]))),
        "cohorts": lambda: ("How many extra trainees", f"<p class=\"lead\">{_cohort_answer(out)}</p>" + figs.html(
            "cohorts", F.cohort_sizing(out),
            "Shortage in the target year for each candidate extra enrolment, with the goal and the answer.")),
        "cohorts-table": lambda: ("Candidates", _cohorts_table(out)),
        "scenario": lambda: ("Resolved scenario", _scenario(out)),
    }
    return [Section(sid, *builders[sid]()) for sid in ids]


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1200px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
nav ul{columns:2;list-style:none;padding:0}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.92em;color:#444}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ddd;padding:.25em .55em}thead th{background:#f3f3f3}
table.numbers td{text-align:right;white-space:nowrap}.range{color:#777;font-size:.9em}
table.meta th{text-align:left;background:#fafafa}.lead{font-size:1.05em}
pre{background:#f7f7f7;padding:1em;overflow:auto}
"""


def render_html(out: CareabmOutput, sections: list) -> str:
    title = {"run": "Baseline", "compare": "Comparison of scenarios", "sweep": "Parameter sweep",
             "size-cohorts": "Training cohort sizing"}[out.kind]
    heading = f"careabm: {title} — {_e(out.scenario_name)}"
    nav = "".join(f'<li><a href="#{s.id}">{_e(s.heading)}</a></li>' for s in sections)
    body = "".join(f'<section id="{s.id}"><h2>{_e(s.heading)}</h2>{s.body}</section>' for s in sections)
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"generator\" content=\"careabm_analysis\"><meta name=\"careabm-kind\" content=\"{_e(out.kind)}\">"
            f"<title>{heading}</title><style>{CSS}</style></head><body>"
            f"<h1>{heading}</h1><nav><ul>{nav}</ul></nav>{body}"
            f"<footer><p>Made {made} from {_e(os.path.basename(out.path))} by careabm_analysis.</p></footer>"
            "</body></html>\n")


def write_report(path, outdir, svg: bool = False) -> str:
    """Write outdir/index.html for the careabm output at path; returns its path.

    Raises CareabmFileError when the file is missing, not a careabm output, of a
    kind without a report, or lacks what its report needs.
    """
    out = path if isinstance(path, CareabmOutput) else open_output(path)
    if out.kind not in SECTIONS:
        raise CareabmFileError(f"{out.path}: no report for careabm '{out.kind}' files "
                               f"(reports exist for {', '.join(KINDS)})")
    out.require(REQUIRED[out.kind], f"the {out.kind} report")
    outdir = os.fspath(outdir)
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise CareabmFileError(f"{outdir}: exists and is not a directory")
    os.makedirs(outdir, exist_ok=True)
    sections = build_sections(out, _FigureWriter(outdir, svg))
    index = os.path.join(outdir, "index.html")
    tmp = index + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render_html(out, sections))
    os.replace(tmp, index)
    return index
