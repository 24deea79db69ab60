"""A self-contained HTML report of one careabm output file.

    write_report("baseline.h5", "baseline_report")   # -> baseline_report/index.html

index.html embeds every figure as a base64 PNG, so it can be mailed or
opened anywhere. The figures are also written to DIR/figures/<id>.png (and
.svg with svg=True). Each section is a <section id="..."> with an <h2>; the
ids are stable (see SECTIONS) so that tests and links can rely on them.

Intervals follow one convention: a "95% interval" is the 2.5-97.5% quantiles
over replications (p025-p975), of per-replication sums where the table sums
cells. /difference and cost intervals are 95% confidence intervals of the mean
paired difference and are called so. Files written before p025/p975 existed
fall back to p05-p95 and say "90%".
"""

from __future__ import annotations

import base64
import csv
import datetime
import html
import io
import os
import re
import tomllib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import figures as F
from .reader import CareabmFileError, CareabmOutput, KINDS, open_output
from .stats import interval95, interval_label, paired_interval, summary_interval

# Section ids per kind, in report order. A section marked optional appears only
# when the file holds its data (see applicable_sections).
SECTIONS = {
    "run": ("overview", "shortage", "shortage-table", "uncertainty", "supply-demand", "flows", "nursing-homes",
            "scenario"),
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
FIGURE_DPI = 110
# The year the headline and the compare summary speak of (the regional forecasts' horizon,
# as careabm compare prints it); the last year when a file does not reach it.
HEADLINE_YEAR = 2031

# The dimensions of every variable the report and the figures read, per kind (a
# tuple of alternatives where older files differ). A variable that is present
# must have them, hold numbers and no empty axis; otherwise the file is damaged
# or hand-edited and the report stops with exit 2 (check_inputs) instead of
# drawing from the wrong cells.
_CELL = ("year", "subregion", "branch", "occupation")
_RUN = ("replication",) + _CELL
_CLIENTS = ("replication", "year", "subregion", "need", "setting")
_SUBREGION = ("replication", "year", "subregion")
_RUN_LAYOUT = {
    **{f"{g}/{n}": (_RUN,) for g, n in (("shortage", "persons"), ("shortage", "unfilled"), ("shortage", "surplus"),
                                        ("workforce", "fte"), ("demand", "fte"))},
    "workforce/flows": (_RUN + ("flow",),),
    "clients/count": (_CLIENTS,),
    "clients/waiting": (_SUBREGION,),
    "clients/capacity": (_SUBREGION,),
    "summary/shortage/persons": (("stat",) + _CELL,),
    "summary/shortage/unfilled": (("stat",) + _CELL,),
}
LAYOUT = {
    "run": {
        **_RUN_LAYOUT,
        "uncertainty/parameters": (("replication", "parameter"),),
        **{f"uncertainty/{n}": (("parameter",),) for n in ("lower", "upper", "central")},
        **{f"uncertainty/{k}": v for k, v in _RUN_LAYOUT.items()},
    },
    "compare": {
        **{k: (("scenario",) + v[0],) if not k.startswith("summary/") else (("stat", "scenario") + _CELL,)
           for k, v in _RUN_LAYOUT.items()},
        **{f"difference/shortage/{n}": (("alternative", "interval") + _CELL,) for n in ("persons", "unfilled")},
        **{f"difference/cost/{n}": (("alternative", "interval"), ("alternative",))
           for n in ("total", "fte_years_gained", "per_fte_year_gained")},
        "cost/by_year": (("scenario", "replication", "year"),),
        "cost/unfilled_fte_years": (("scenario", "replication"),),
        "uncertainty/parameters": (("replication", "parameter"),),
    },
    "sweep": {
        "design": (("point", "parameter"),),
        "design_unit": (("point", "parameter"),),
        "completed": (("point",),),
        "outputs/values": (("point", "replication", "output"),),
        **{f"sensitivity/{n}": (("output", "parameter"),)
           for n in ("sobol_first", "sobol_total", "morris_mu_star", "morris_sigma")},
        **{f"sensitivity/{n}": (("output", "parameter", "bound"),) for n in ("sobol_first_ci", "sobol_total_ci")},
    },
    "size-cohorts": {
        "cohorts/extra_enrolment": (("candidate",),),
        "cohorts/shortage": (("stat", "candidate"),),
        "cohorts/shortage_replications": (("candidate", "replication"),),
        "cohorts/trajectory": (("stat", "candidate", "year"),),
    },
}


def _dims_text(dims) -> str:
    return "(" + ", ".join(map(str, dims)) + ")"


def _check_variable(out: CareabmOutput, path: str, layouts) -> None:
    da = out.variable(path)
    if tuple(da.dims) not in layouts:
        raise CareabmFileError(f"{out.path}: /{path} has dimensions {_dims_text(da.dims)}, expected "
                               + " or ".join(_dims_text(d) for d in layouts))
    if da.dtype.kind not in "iufb":
        raise CareabmFileError(f"{out.path}: /{path} holds {da.dtype} values, not numbers")
    empty = [d for d in da.dims if da.sizes[d] == 0]
    if empty:
        raise CareabmFileError(f"{out.path}: /{path} has no entries along '{empty[0]}'")


def _require_labels(out: CareabmOutput, dim: str, needed) -> None:
    labels = [str(v) for v in out.coord(dim)]
    missing = [n for n in needed if n not in labels]
    if missing:
        raise CareabmFileError(f"{out.path}: /{dim} has no label '{missing[0]}'")


def check_inputs(out: CareabmOutput) -> None:
    """Raise CareabmFileError naming the file and the dataset when what the report or a
    figure reads does not have the layout of its kind (LAYOUT, the labels they select)."""
    for path, layouts in LAYOUT.get(out.kind, {}).items():
        if out.has(path) and path.strip("/") not in out.groups:
            _check_variable(out, path, layouts)
    if "stat" in out.root.coords:
        stats = [str(v) for v in out.coord("stat")]
        _require_labels(out, "stat", ["mean"])
        if not ({"p025", "p975"} <= set(stats) or {"p05", "p95"} <= set(stats)):
            raise CareabmFileError(f"{out.path}: /stat has neither p025 and p975 nor p05 and p95")
    if out.kind == "compare":
        _require_labels(out, "interval", ["mean", "lo95", "hi95"])
        scenarios = [str(v) for v in out.coord("scenario")]
        if [str(v) for v in out.coord("alternative")] != scenarios[1:]:
            raise CareabmFileError(f"{out.path}: /alternative must be the scenarios after the base "
                                   "(/scenario without its first label)")
        for key, ds in out.groups.items():
            if not key.startswith("difference"):
                continue
            for name in ds.data_vars:
                dims = tuple(ds[name].dims)
                legacy_cost = key == "difference/cost" and dims == ("alternative",)
                if not legacy_cost and dims[:2] != ("alternative", "interval"):
                    raise CareabmFileError(f"{out.path}: /{key}/{name} has dimensions {_dims_text(dims)}, "
                                           "expected (alternative, interval, ...)")
                if ds[name].dtype.kind not in "iufb":
                    raise CareabmFileError(f"{out.path}: /{key}/{name} holds {ds[name].dtype} values, not numbers")
    if out.kind == "sweep" and (out.has("sensitivity/sobol_first_ci") or out.has("sensitivity/sobol_total_ci")):
        _require_labels(out, "bound", ["lo", "hi"])
    numbers = {"size-cohorts": ("goal", "answer", "by_year"), "sweep": ("points",)}.get(out.kind, ())
    for name in numbers:
        value = out.attrs.get(name)
        if value is not None and (isinstance(value, (str, bool)) or not isinstance(value, (int, float))):
            raise CareabmFileError(f"{out.path}: the root attribute '{name}' is {value!r}, not a number")


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
        # The table of uncertain parameters: only for run --uncertainty files.
        if sid == "uncertainty" and not out.has("uncertainty/parameters"):
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
    if np.isnan(v):
        return "–"
    if np.isinf(v):  # e.g. cost per FTE-year of a replication that gains nothing
        return "∞" if v > 0 else "−∞"
    return f"{v:,.{digits}f}"


@dataclass
class Cell:
    """A table cell: its HTML, and the values its CSV row holds (one, or mean, lower, upper)."""
    html: str
    values: tuple


def _value_cell(value, digits: int = 0) -> Cell:
    return Cell(_num(value, digits), (value,))


def _range_cell(mean, lo, hi, digits: int = 0, prefix: str = "") -> Cell:
    """mean [lo, hi], as careabm prints intervals; just the mean when there is no interval."""
    text = prefix + _num(mean, digits)
    if not (np.isnan(float(lo)) or np.isnan(float(hi))):
        text += f" <span class=\"range\">[{_num(lo, digits)}, {_num(hi, digits)}]</span>"
    return Cell(text, (mean, lo, hi))


def _csv_value(value) -> str:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (float, np.floating)) or (isinstance(value, np.ndarray) and value.shape == ()):
        v = float(value)
        # 12 significant digits: more than any result holds (Monte Carlo error is far larger), and
        # arithmetic noise such as 22.440000000000015 reads 22.44.
        return "" if np.isnan(v) else f"{v:.12g}"
    return html.unescape(re.sub(r"<[^>]+>", "", str(value))).strip()


class _Writer:
    """Writes the report's figures (figures/<id>.png, and .svg on request) and tables
    (tables/<id>.csv) beside index.html, and returns the HTML that shows each."""

    def __init__(self, outdir: str, svg: bool):
        self.outdir = outdir
        self.svg = svg
        self.tables = []  # ids of the CSV files written, in page order
        os.makedirs(os.path.join(outdir, "figures"), exist_ok=True)
        os.makedirs(os.path.join(outdir, "tables"), exist_ok=True)

    def html(self, fig_id: str, fig, caption: str) -> str:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=FIGURE_DPI)
        png = buf.getvalue()
        with open(os.path.join(self.outdir, "figures", fig_id + ".png"), "wb") as fh:
            fh.write(png)
        links = f'<a href="figures/{_e(fig_id)}.png">PNG</a>'
        if self.svg:
            fig.savefig(os.path.join(self.outdir, "figures", fig_id + ".svg"), format="svg")
            links += f' · <a href="figures/{_e(fig_id)}.svg">SVG</a>'
        title = fig._suptitle.get_text() if fig._suptitle is not None else fig.axes[0].get_title()
        data = base64.b64encode(png).decode("ascii")
        return (f'<figure id="fig-{_e(fig_id)}"><img src="data:image/png;base64,{data}" alt="{_e(title)}">'
                f"<figcaption>{caption} <span class=\"links\">({links})</span></figcaption></figure>")

    def table(self, table_id: str, header: list, rows: list, caption: str = "", cls: str = "") -> str:
        """An HTML table whose first column is a row heading, and the same as CSV: a column of
        intervals becomes three (mean, lower, upper), HTML becomes plain text."""
        table_id = _slug(table_id)
        if table_id in self.tables:
            raise ValueError(f"two tables named {table_id}")  # a bug here, not in the file
        self.tables.append(table_id)
        ranged = [any(isinstance(r[j], Cell) and len(r[j].values) == 3 for r in rows) for j in range(len(header))]
        csv_header = []
        for h, wide in zip(header, ranged):
            csv_header += [f"{h} (mean)", f"{h} (lower)", f"{h} (upper)"] if wide else [h]
        csv_rows = []
        for r in rows:
            fields = []
            for c, wide in zip(r, ranged):
                values = list(c.values) if isinstance(c, Cell) else [c]
                fields += [_csv_value(v) for v in values] + [""] * ((3 if wide else 1) - len(values))
            csv_rows.append(fields)
        _write_csv(os.path.join(self.outdir, "tables", table_id + ".csv"), [csv_header] + csv_rows)
        link = f' <a class="csv" href="tables/{_e(table_id)}.csv">CSV</a>'
        return _table(header, [[c.html if isinstance(c, Cell) else c for c in r] for r in rows], caption + link,
                      cls, table_id)


def _slug(text) -> str:
    """A file-name-safe id: letters, digits, '.', '_' and '-' kept, anything else '-'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-") or "table"


def _write_csv(path: str, rows: list) -> None:
    tmp = f"{path}.tmp.{os.getpid()}"  # written whole, then renamed: never half a table under the name
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    os.replace(tmp, path)


def _table(header: list, rows: list, caption: str = "", cls: str = "", table_id: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" if i else f"<th>{c}</th>" for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    tid = f' id="table-{_e(table_id)}"' if table_id else ""
    return f'<table{tid} class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _param(value, fmt: str = "g") -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return _e(value)
    v = float(value)
    return "–" if not np.isfinite(v) else _e(format(v, fmt))


# --- sections --------------------------------------------------------------------

def _overview(out: CareabmOutput, w: _Writer) -> str:
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
        rows.append(("scenario keys", "base, " + ", ".join(list(F.scenario_keys(out).values())[1:])
                     + " (the key table below; figures show the keys)"))
    if out.kind in ("run", "compare") and out.used_uncertainty:
        keys = [r["key"] for r in out.uncertain_parameters()]
        what = str(out.attrs.get("uncertainty") or "parameters drawn per replication")
        if keys:
            what = f"{what}; {len(keys)} parameters"
        rows.append(("parameter uncertainty", _e(what) + (f": {_e(', '.join(keys))}" if keys else "")))
    if out.kind in ("run", "compare", "size-cohorts"):
        rows.append(("intervals", _e(_interval_convention(out))))
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
               "a negative shortage is a surplus. The net total lets surpluses offset shortages; the "
               "unfilled total counts only the cells short of staff (the demand no one fills). "
               "Intervals are 95% intervals: the 2.5–97.5% quantiles over replications."
               + (" This file was written with <code>--uncertainty</code>: the shortage chart and table "
                  "show the scenario's own runs (simulation noise only) and, beside them, the runs in which "
                  "every replication drew its own values of the uncertain parameters (parameters and "
                  "simulation together). Other figures show the scenario's own runs."
                  if out.has_parameter_runs else ""),
        "compare": "The effect of each alternative against the base scenario, paired by replication "
                   "(common random numbers), with 95% confidence intervals of the mean difference."
                   + (" Written with <code>--uncertainty</code>: every replication ran with its own draw "
                      "of the uncertain parameters (replication r of every scenario with the same value of "
                      "each parameter they share), so the intervals hold parameter and simulation "
                      "uncertainty together." if out.used_uncertainty else ""),
        "sweep": "Which parameters drive the results, from a parameter sweep.",
        "size-cohorts": _cohort_answer(out),
    }[out.kind]
    meta = w.table("overview", ["item", "value"], [list(r) for r in rows], "", "meta")
    return f'<p class="lead">{intro}</p>{meta}' + (_scenario_key_table(out, w) if out.kind == "compare" else "")


def _description(text: str) -> str:
    """The `description` of a resolved scenario, or "" (the text is the file's, so it may be anything)."""
    try:
        value = tomllib.loads(text).get("description", "")
    except (tomllib.TOMLDecodeError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def _scenario_key_table(out: CareabmOutput, w: _Writer) -> str:
    texts = out.scenario_text
    rows = [[_e(key), _e(name), _e(_description(texts.get(name, "")))]
            for name, key in F.scenario_keys(out).items()]
    return w.table("scenario-key", ["key", "scenario", "description"], rows,
                   "The scenarios and the keys the figures use for them.", "params")


# --- the headline: one sentence at the top of every report, computed from the file ----------

def headline_year(years) -> int:
    """HEADLINE_YEAR when the file has it, else its last year."""
    years = [int(y) for y in years]
    return HEADLINE_YEAR if HEADLINE_YEAR in years else years[-1]


def _span(mean, lo, hi, digits: int = 0) -> str:
    """"14,563 [14,044–15,092]", or the mean alone when there is no interval."""
    text = _num(mean, digits)
    if not (np.isnan(float(lo)) or np.isnan(float(hi))):
        text += f" [{_num(lo, digits)}–{_num(hi, digits)}]"
    return text


def _auto_digits(value) -> int:
    v = abs(float(value)) if np.isfinite(float(value)) else 0.0
    return 0 if v >= 100 else 1 if v >= 10 else 2


def _run_headline(out: CareabmOutput) -> str:
    years, columns, mean, lo, hi, _ = shortage_totals(out, "the headline")
    y = headline_year(years)
    i, t, u = years.index(y), columns.index("total"), columns.index("unfilled")
    occupations = columns[:t]
    j = int(np.argmax(mean[i, :t]))
    reps = out.replications
    over = f"95% interval over {reps} replications" if reps and not np.isnan(lo[i, t]) else "mean"
    surplus = "; negative: a surplus" if min(mean[i, t], lo[i, t]) < 0 else ""
    text = (f"In {y} the shortage is {_span(mean[i, t], lo[i, t], hi[i, t])} persons ({over}{surplus}), "
            f"and the unfilled demand (cells short of staff only) is "
            f"{_span(mean[i, u], lo[i, u], hi[i, u])} persons; the largest shortage is of "
            f"{F._label(occupations[j])}: {_span(mean[i, j], lo[i, j], hi[i, j])}.")
    if out.has_parameter_runs:
        p_years, _, p_mean, p_lo, p_hi, _ = shortage_totals(out.parameter_runs(), "the headline")
        k = p_years.index(y)
        text += (f" With the uncertain parameters drawn, the shortage is {_span(p_mean[k, t], p_lo[k, t], p_hi[k, t])}"
                 " persons (parameters and simulation together).")
    return text


def _compare_headline(out: CareabmOutput) -> str:
    base = out.select_scenario()
    years, columns, mean, lo, hi, _ = shortage_totals(base, "the headline")
    y = headline_year(years)
    i, t = years.index(y), columns.index("total")
    text = (f"In {y} the base ({out.scenarios[0]}) has a shortage of {_span(mean[i, t], lo[i, t], hi[i, t])} "
            "persons (95% interval over replications).")
    if "replication" in out.variable("shortage/persons").dims:
        unfilled = paired_difference(out, "shortage", "unfilled", keep=("year",), data=out.shortage("unfilled"))
    elif out.has("difference/shortage/unfilled"):
        unfilled = _summed_difference(out, "unfilled")
    else:
        return text
    keys = F.scenario_keys(out)
    change = {alt: (m[i], lo_[i], hi_[i]) for alt, (m, lo_, hi_) in unfilled.items()}
    best = min(change, key=lambda a: change[a][0])
    if not change[best][0] < 0:
        return text + f" No alternative reduces the unfilled demand in {y}."
    m, l, h = (-v for v in change[best])
    text += (f" {keys[best]} ({best}) removes the most unfilled demand in {y}: {_span(m, h, l)} persons "
             "(95% confidence interval of the mean)")
    spread = F.cost_spread(out)
    if spread is not None:
        alts, cost, _ = spread
        k = alts.index(best)
        per = [v[k] for v in cost["per_fte_year_gained"]]
        if np.isfinite(per[0]):
            text += (f", at € {_span(*per)} per FTE-year of unfilled demand removed (95% interval over "
                     "replications)")
        gains = cost["fte_years_gained"][0]
        ratios = np.where(gains > 0, cost["per_fte_year_gained"][0], np.nan)
        if np.isfinite(ratios).any():
            cheapest = alts[int(np.nanargmin(ratios))]
            if cheapest != best:
                c = alts.index(cheapest)
                text += (f"; the lowest cost per FTE-year is {keys[cheapest]} ({cheapest}): € "
                         f"{_span(*(v[c] for v in cost['per_fte_year_gained']))}")
    return text + "."


def _sweep_headline(out: CareabmOutput) -> str:
    params = [str(p) for p in out.coord("parameter")]
    outputs = [str(o) for o in out.coord("output")]
    output = outputs[0]
    units = F._output_units(out).get(output, "")
    parts = []
    if out.has("sensitivity/sobol_total"):
        total = out.variable("sensitivity/sobol_total").sel(output=output)
        j = int(np.nanargmax(total.values))
        p = str(total["parameter"].values[j])
        st = float(total.values[j])
        lo = hi = np.nan
        if out.has("sensitivity/sobol_total_ci"):
            b = out.variable("sensitivity/sobol_total_ci").sel(output=output, parameter=p)
            lo, hi = float(b.sel(bound="lo")), float(b.sel(bound="hi"))
        s1 = float(out.variable("sensitivity/sobol_first").sel(output=output, parameter=p))
        parts.append(f"Of {len(params)} parameters, {p} drives {output} most: total Sobol index "
                     f"{_span(st, lo, hi, 2)}, first-order {_num(s1, 2)}.")
    elif out.has("sensitivity/morris_mu_star"):
        mu = out.variable("sensitivity/morris_mu_star").sel(output=output)
        j = int(np.nanargmax(mu.values))
        p = str(mu["parameter"].values[j])
        v = float(mu.values[j])
        parts.append(f"Of {len(params)} parameters, {p} moves {output} most: μ* = {_num(v, _auto_digits(v))}"
                     f"{' ' + units if units else ''}.")
    values = out.variable("outputs/values").sel(output=output)
    done = (out.variable("completed").values.astype(bool) if out.has("completed")
            else np.ones(values.sizes["point"], dtype=bool))
    means = values.mean("replication").values[done]
    text = f"{int(done.sum())} of {done.size} points complete"
    if means.size:
        lo, hi = float(np.nanmin(means)), float(np.nanmax(means))
        d = _auto_digits(max(abs(lo), abs(hi)))
        text += (f"; over them {output} (mean over replications) ranges from {_num(lo, d)} to {_num(hi, d)}"
                 f"{' ' + units if units else ''}")
    parts.append(text + ".")
    return " ".join(parts)


def _cohorts_headline(out: CareabmOutput) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", _cohort_answer(out)))
    answer = out.attrs.get("answer")
    extra = out.variable("cohorts/extra_enrolment").values
    if answer is None or not np.isfinite(float(answer)) or not np.isclose(extra, float(answer)).any():
        return text
    c = int(np.flatnonzero(np.isclose(extra, float(answer)))[0])
    shortage = out.variable("cohorts/shortage")
    mean = float(shortage.sel(stat="mean").values[c]) if "mean" in shortage["stat"].values.tolist() else np.nan
    try:
        lo, hi, level = summary_interval(shortage)
        lo, hi = float(lo.values[c]), float(hi.values[c])
    except KeyError:
        lo = hi = np.nan
        level = None
    a = out.attrs
    where = f"{F._label(a.get('occupation', '?'))} in {a.get('by_year', '?')}"
    how = f" ({level} interval over replications)" if level else ""
    return text.rstrip(".") + f"; at that enrolment the shortage of {where} is {_span(mean, lo, hi)} persons{how}."


def headline(out: CareabmOutput) -> str:
    """One sentence (plain text) with the file's main result, for the top of the report."""
    return {"run": _run_headline, "compare": _compare_headline, "sweep": _sweep_headline,
            "size-cohorts": _cohorts_headline}[out.kind](out)


def _interval_convention(out: CareabmOutput) -> str:
    stats = out.coord("stat") if "stat" in out.root.coords else []
    if stats and "p025" not in stats and "p05" in stats:
        return ("90% intervals (p05–p95) where read from the summaries: this file predates p025/p975; "
                "intervals computed from replications are 95% (2.5–97.5% quantiles)")
    return "95% interval = the 2.5–97.5% quantiles over replications (p025–p975)"


def shortage_totals(run: CareabmOutput, needed_for: str = "the shortage table"):
    """Shortage in persons per year: per occupation, the net total and the unfilled total.

    Returns (years, columns, mean, lo, hi, source) with columns = occupations + ["total",
    "unfilled"] and arrays [year, column]. With replications, lo/hi are the 95% interval
    (2.5-97.5% quantiles) of the per-replication sums; "unfilled" sums max(0, shortage)
    over cells per replication (careabm run prints the same columns). Without
    replications only the means are known (quantiles of cells do not add up).
    """
    da = run.variable("shortage/persons", needed_for)
    if "replication" in da.dims:
        per_occ = F._sum_except(da, ("replication", "year", "occupation"))
        unfilled = F._sum_except(run.shortage("unfilled"), ("replication", "year"))
        values = np.concatenate([per_occ.values, per_occ.values.sum(-1, keepdims=True),
                                 unfilled.values[..., None]], axis=-1)
        mean, lo, hi = interval95(values, axis=0)
        source = (f"95% interval = 2.5–97.5% quantiles across {values.shape[0]} replications "
                  "(of the sums over subregions and branches per replication)")
    else:  # only the summary: means add up, quantiles do not
        summ = run.variable("summary/shortage/persons", needed_for)
        per_occ = F._sum_except(summ, ("stat", "year", "occupation"))
        mean = per_occ.sel(stat="mean").values
        if run.has("summary/shortage/unfilled"):
            un = F._sum_except(run.variable("summary/shortage/unfilled"), ("stat", "year")).sel(stat="mean").values
        else:  # the mean of max(0, x) is not max(0, mean): unknown
            un = np.full(mean.shape[0], np.nan)
        mean = np.concatenate([mean, mean.sum(-1, keepdims=True), un[:, None]], axis=-1)
        lo = hi = np.full_like(mean, np.nan)
        source = "from /summary/shortage (means only: quantiles of cells do not add up)"
    occs = [str(o) for o in per_occ["occupation"].values.tolist()]
    years = per_occ["year"].values.tolist()
    return years, occs + ["total", "unfilled"], mean, lo, hi, source


def _shortage_table(out: CareabmOutput, w: _Writer) -> str:
    """Shortage in persons by year and occupation, net total and unfilled total: mean [95% interval].

    For a run --uncertainty file, two rows per year: the scenario's own runs
    (simulation noise only), then the runs with drawn parameters.
    """
    years, columns, mean, lo, hi, source = shortage_totals(out)
    header = ["year"] + [F._label(c) for c in columns]
    if not out.has_parameter_runs:
        rows = [[_e(y)] + [_range_cell(mean[i, j], lo[i, j], hi[i, j]) for j in range(len(columns))]
                for i, y in enumerate(years)]
        caption = (f"Shortage in persons by year and occupation (demand − supply; negative = surplus): "
                   f"mean [95% interval]; {source}. <em>total</em> nets surpluses against shortages; "
                   "<em>unfilled</em> sums only the cells short of staff (the demand no one fills).")
        return w.table("shortage", header, rows, caption, "numbers")
    p_years, _, p_mean, p_lo, p_hi, _ = shortage_totals(out.parameter_runs())
    rows = []
    for i, y in enumerate(years):
        rows.append([f"{_e(y)} <span class=\"kind\">simulation</span>"]
                    + [_range_cell(mean[i, j], lo[i, j], hi[i, j]) for j in range(len(columns))])
        k = p_years.index(y)
        rows.append(['<span class="kind">+ parameters</span>']
                    + [_range_cell(p_mean[k, j], p_lo[k, j], p_hi[k, j]) for j in range(len(columns))])
    caption = (f"Shortage in persons by year and occupation (demand − supply; negative = surplus): "
               f"mean [95% interval]; {source}. Each year: first the scenario's own values (interval: "
               "simulation noise only), then every replication with its own draw of the uncertain "
               "parameters (interval: parameters and simulation together). <em>total</em> nets surpluses "
               "against shortages; <em>unfilled</em> sums only the cells short of staff.")
    return w.table("shortage", header, rows, caption, "numbers uncertainty")


def _uncertainty_table(out: CareabmOutput, w: _Writer) -> str:
    rows = [[_e(r["key"]), _param(r["distribution"]), _param(r["lower"]), _param(r["central"]),
             _param(r["upper"]),
             f"{_param(r['drawn_min'], '.3g')} – {_param(r['drawn_max'], '.3g')}"]
            for r in out.uncertain_parameters()]
    n = out.variable("uncertainty/parameters").sizes.get("replication", 0)
    return (f"<p>Each of the {n} replications of the runs with parameters drew its own value of every "
            "parameter below (a Latin hypercube over the replications, reproducible from the seed), "
            "within [lower, upper]; <em>central</em> is the scenario's value, used by its own runs.</p>"
            + w.table("uncertain-parameters", ["key", "distribution", "lower", "central", "upper", "drawn (min – max)"], rows,
                     "Uncertain parameters ([uncertainty] of the scenario).", "numbers params"))


def paired_difference(out: CareabmOutput, group: str, name: str, keep=("year", "occupation"), data=None):
    """Mean, lo95, hi95 of alternative − base summed to `keep`, per alternative: {alt: (keep-array x3)}.

    `data` replaces the variable at group/name (e.g. out.shortage("unfilled") of an older file).
    """
    da = out.variable(f"{group}/{name}") if data is None else data
    reps = F._sum_except(da, ("scenario", "replication") + tuple(keep))
    base = reps.isel(scenario=0).values
    return {str(alt): paired_interval(reps.sel(scenario=alt).values - base, axis=0)
            for alt in out.scenarios[1:]}


def _summed_difference(out: CareabmOutput, name: str, keep=("year",)):
    """{alt: (mean, lo, hi)} summing /difference/shortage/<name> over cells (conservative intervals)."""
    summed = F._sum_except(out.variable(f"difference/shortage/{name}"), ("alternative", "interval") + tuple(keep))
    return {str(a): tuple(summed.sel(alternative=a, interval=i).values for i in ("mean", "lo95", "hi95"))
            for a in summed["alternative"].values.tolist()}


def _difference_table(out: CareabmOutput, w: _Writer) -> str:
    by_occ, method = F.difference_by_occupation(out, "shortage", "persons")
    occs = [str(o) for o in by_occ["occupation"].values.tolist()]
    years = by_occ["year"].values.tolist()
    unfilled = None
    if method == "paired":
        totals = paired_difference(out, "shortage", "persons", keep=("year",))
        unfilled = paired_difference(out, "shortage", "unfilled", keep=("year",), data=out.shortage("unfilled"))
    else:
        totals = _summed_difference(out, "persons")
        if out.has("difference/shortage/unfilled"):
            unfilled = _summed_difference(out, "unfilled")
    base = out.scenarios[0]
    header = ["year"] + [F._label(o) for o in occs] + ["total"] + (["unfilled"] if unfilled else [])
    how = ("over paired replications" if method == "paired"
           else "summed cell intervals (conservative: wider than the interval of the sum)")
    parts = []
    for alt in by_occ["alternative"].values.tolist():
        sel = by_occ.sel(alternative=alt)
        m, lo, hi = (sel.sel(interval=i).values for i in ("mean", "lo95", "hi95"))
        tm, tlo, thi = totals[str(alt)]
        rows = []
        for i, y in enumerate(years):
            row = ([_e(y)] + [_range_cell(m[i, j], lo[i, j], hi[i, j]) for j in range(len(occs))]
                   + [_range_cell(tm[i], tlo[i], thi[i])])
            if unfilled:
                um, ulo, uhi = unfilled[str(alt)]
                row.append(_range_cell(um[i], ulo[i], uhi[i]))
            rows.append(row)
        parts.append(w.table(f"difference-{F.scenario_keys(out)[str(alt)]}", header, rows,
                            f"{_alternative_name(out, alt)} − {_e(base)}: change in shortage (persons), mean [95% confidence "
                            f"interval of the mean, {how}]. Negative = the alternative has the smaller "
                            "shortage. <em>total</em>: the net shortage; <em>unfilled</em>: the demand no one "
                            "fills (cells short of staff only).", "numbers"))
    return "".join(parts)


def _alternative_name(out: CareabmOutput, alt) -> str:
    return _e(f"{F.scenario_keys(out)[str(alt)]}: {alt}")


def _cost_table(out: CareabmOutput, w: _Writer) -> str:
    """The cost side, mean [95% interval over the paired replications], then the file's means
    with their 95% confidence intervals (or its means only, for older files)."""
    parts = []
    spread = F.cost_spread(out)
    base = _e(out.scenarios[0] if out.scenarios else "base")
    reps = out.replications
    if spread is not None:
        alts, cost, spans = spread
        rows = []
        for i, a in enumerate(alts):
            total, per_year, gained, per = ([v[i] for v in cost[k]] for k in
                                            ("total", "per_year", "fte_years_gained", "per_fte_year_gained"))
            rows.append([_alternative_name(out, a), _range_cell(*total, prefix="€ "),
                         _range_cell(*per_year, prefix="€ "), _e(f"{spans[i][0]}–{spans[i][1]}"),
                         _range_cell(*gained, digits=1),
                         _range_cell(*per, prefix="€ ") if np.isfinite(per[0]) else "no gain"])
        parts.append(w.table(
            "cost", ["alternative", "cost over the horizon (euro)", "cost per year (euro)", "years paid",
                     "FTE-years of unfilled demand removed", "cost per FTE-year gained (euro)"], rows,
            f"Cost, alternative − {base}: mean [95% interval over {reps or ''} paired replications: the "
            "2.5–97.5% quantiles of alternative<sub>r</sub> − base<sub>r</sub>]. <em>Cost per year</em>: the "
            "cost averaged over the years from the first with a cost difference to the last (<em>years "
            "paid</em>). FTE-years gained count only unfilled demand removed: the sum over years and cells "
            "of max(0, shortage FTE) of the base minus that of the alternative (a larger surplus elsewhere "
            "gains nothing). Cost per FTE-year = mean cost / mean FTE-years gained; its interval is that of "
            "cost<sub>r</sub> / gain<sub>r</sub> (∞ when some replications gain nothing).", "numbers"))
    alts, cost, intervals = F.cost_summary(out, "the cost table")
    rows = []
    for i, a in enumerate(alts):
        total = [v[i] for v in cost["total"]]
        gained = [v[i] for v in cost["fte_years_gained"]]
        per = [v[i] for v in cost["per_fte_year_gained"]]
        rows.append([_alternative_name(out, a), _range_cell(*total, prefix="€ "), _range_cell(*gained, digits=1),
                     _range_cell(*per, prefix="€ ") if np.isfinite(per[0]) else "no gain"])
    if intervals:
        how = f"over {reps} paired replications" if reps else "over paired replications"
        caption = (f"How sure the means are: cost over the whole horizon, alternative − {base}: mean [95% "
                   f"confidence interval of the mean] {how}, as careabm compare prints them. Cost per "
                   "FTE-year = mean cost / mean FTE-years gained, with a delta-method interval.")
        gained = "FTE-years of unfilled demand removed"
    else:
        caption = ("Cost over the whole horizon: means over replications. This file predates the cost "
                   "intervals: its total is the alternative's intervention cost and its FTE-years gained are "
                   "the reduction of the net shortage (FTE), surpluses included.")
        gained = "FTE-years gained"
    parts.append(w.table("cost-confidence", ["alternative", "cost (euro)", gained, "cost per FTE-year gained"],
                         rows, caption, "numbers"))
    return "".join(parts)


def _cost_by_year_table(out: CareabmOutput, w: _Writer) -> str:
    alts, years, cost, _ = F.cost_replications(out)
    keys = F.scenario_keys(out)
    header = ["year"] + [f"{keys[a]} (million euro)" for a in alts]
    rows = []
    for y, year in enumerate(years):
        cells = [_e(year)]
        for a in range(len(alts)):
            v = cost[a, :, y] / 1e6
            cells.append(_range_cell(v.mean(), *np.quantile(v, F.INTERVAL_95), digits=2))
        rows.append(cells)
    return w.table("cost-by-year", header, rows,
                   f"Cost in each year, alternative − {_e(out.scenarios[0])} (million euro): mean [95% interval "
                   "over the paired replications, p025–p975]. Keys: see the overview.", "numbers")


def _sobol_table(out: CareabmOutput, w: _Writer) -> str:
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
                    cells.append(_value_cell(v, 2))
            rows.append(cells)
        parts.append(w.table(f"sobol-{o}", ["parameter", "first-order S1", "total ST"], rows,
                            f"{_e(o)}: Sobol indices (95% interval).", "numbers"))
    return "".join(parts)


def _morris_table(out: CareabmOutput, w: _Writer) -> str:
    mu, sigma = out.variable("sensitivity/morris_mu_star"), out.variable("sensitivity/morris_sigma")
    parts = []
    for o in mu["output"].values.tolist():
        rows = [[_e(p), _value_cell(mu.sel(output=o, parameter=p).values, 2),
                 _value_cell(sigma.sel(output=o, parameter=p).values, 2)]
                for p in mu["parameter"].values.tolist()]
        parts.append(w.table(f"morris-{o}", ["parameter", "μ*", "σ"], rows, f"{_e(o)}: Morris elementary effects.", "numbers"))
    return "".join(parts)


def _cohort_answer(out: CareabmOutput) -> str:
    a = out.attrs
    answer = a.get("answer")
    goal = f"{float(a.get('goal', 0)):g}"
    occupation, programme, by_year = a.get("occupation", "?"), a.get("programme", "?"), a.get("by_year", "?")
    if answer is not None and np.isfinite(float(answer)):
        # The interval, start year and cost are in files of careabm 0.2 and later.
        def known(name):
            value = a.get(name)
            return value is not None and np.isfinite(float(value))
        interval = (f" (95% interval {float(a['answer_lo95']):g}–{float(a['answer_hi95']):g} for the Monte Carlo error)"
                    if known("answer_lo95") and known("answer_hi95") else "")
        start = f" from {_e(a['from_year'])}" if "from_year" in a else ""
        cost = ""
        if known("cost"):
            cost = f", at a cost of EUR {float(a['cost']):,.0f}"
            if known("cost_lo95") and known("cost_hi95"):
                cost += f" ({float(a['cost_lo95']):,.0f}–{float(a['cost_hi95']):,.0f})"
            cost += f" over {_e(a.get('from_year', '?'))}–{_e(by_year)}"
        return (f"To bring the mean shortage of {_e(F._label(occupation))} in {_e(by_year)} to at most "
                f"{_e(goal)} persons, enrol <strong>{float(answer):g} extra trainees per year</strong>{interval} "
                f"in {_e(programme)}{start}{cost}.")
    return (f"None of the tried extra enrolments in {_e(programme)} brings the mean shortage of "
            f"{_e(F._label(occupation))} in {_e(by_year)} to {_e(goal)} persons or less.")


def _cohorts_table(out: CareabmOutput, w: _Writer) -> str:
    shortage = out.variable("cohorts/shortage")
    extra = out.variable("cohorts/extra_enrolment").values
    goal = float(out.attrs.get("goal", 0))
    stats = shortage["stat"].values.tolist()
    mean = shortage.sel(stat="mean").values if "mean" in stats else np.full(extra.shape, np.nan)
    median = shortage.sel(stat="p50").values if "p50" in stats else None
    try:
        lo, hi, level = summary_interval(shortage)
        lo, hi = lo.values, hi.values
    except KeyError:
        lo = hi = np.full(extra.shape, np.nan)
        level = None
    rows = []
    for i in np.argsort(extra):
        row = [_value_cell(extra[i]), _range_cell(mean[i], lo[i], hi[i])]
        if median is not None:
            row.append(_value_cell(median[i]))
        row.append("yes" if mean[i] <= goal else "no")
        rows.append(row)
    what = f"mean [{interval_label(level)}]" if level else "mean"
    header = ["extra trainees per year", f"shortage (persons): {what}"]
    if median is not None:
        header.append("median (persons)")
    header.append(f"mean ≤ goal ({goal:g})")
    caption = "Shortage in the target year for each candidate extra enrolment, across replications."
    if level == "90%":
        caption += " This file predates the 95% interval (p025/p975), so the 90% interval is shown."
    return w.table("cohorts", header, rows, caption, "numbers")


def _scenario(out: CareabmOutput) -> str:
    parts = []
    for name, text in out.scenario_text.items():
        parts.append(f"<details><summary>{_e(name)}</summary><pre>{_e(text)}</pre></details>")
    return "".join(parts)


def _shortage_caption(out: CareabmOutput) -> str:
    text = ("Median shortage per occupation (summed over subregions and branches), with the 50% band "
            "(p25–p75) and the 95% interval (p025–p975) across replications. Above zero: more demand "
            "than supply.")
    if out.has_parameter_runs:
        text += (" Blue: the scenario's own runs (simulation noise only); orange, dashed: the runs with "
                 "drawn parameters (95% interval of parameters and simulation together).")
    return text


def _cost_caption(out: CareabmOutput) -> str:
    if F.cost_replications(out) is not None:
        return ("Cost of each alternative against the base over the horizon, the FTE-years of unfilled demand "
                "it removes and the cost per FTE-year gained: means with 95% intervals over the paired "
                "replications (error bars, 2.5–97.5% quantiles; an arrow: no upper bound, as some replications "
                "gain nothing).")
    if F.cost_summary(out)[2]:
        return ("Cost of each alternative against the base over the horizon, the FTE-years of unfilled demand "
                "it removes and the cost per FTE-year gained: means with 95% confidence intervals (error bars).")
    return "Cost of each alternative over the horizon, FTE-years gained and cost per FTE-year gained: means."


def _cost_by_year(out: CareabmOutput, w: _Writer) -> str:
    """The cost per year, figure and table; nothing for older files without /cost."""
    if F.cost_replications(out) is None:
        return ""
    return w.html("cost-by-year", F.cost_by_year(out),
                  "Intervention cost in each year, alternative − base, with its 95% interval over the paired "
                  "replications (2.5–97.5% quantiles).") + _cost_by_year_table(out, w)


def build_sections(out: CareabmOutput, figs: _Writer) -> list:
    ids = applicable_sections(out)
    builders: dict[str, Callable[[], tuple]] = {
        "overview": lambda: ("Overview", _overview(out, figs)),
        "shortage": lambda: ("Shortage by occupation", figs.html(
            "shortage", F.shortage_fan(out), _shortage_caption(out))),
        "shortage-table": lambda: ("Shortage by year and occupation", _shortage_table(out, figs)),
        "uncertainty": lambda: ("Uncertain parameters", _uncertainty_table(out, figs)),
        "supply-demand": lambda: ("Supply and demand by branch", figs.html(
            "supply-demand", F.supply_demand(out),
            "Supply (workforce FTE, including the working share of BBL trainees) and demand in FTE per "
            "branch, mean over replications.")),
        "flows": lambda: ("Inflow and outflow per year", figs.html(
            "flows", F.flows(out),
            "Workers entering (up) and leaving (down) the region's care sector per year, mean over "
            "replications. Moves inside the region (transfers, upgrades, job changes between occupations) "
            "cancel out and are shown only as a net residual, if any.")),
        "nursing-homes": lambda: ("Nursing-home places", figs.html(
            "nursing-homes", F.nursing_home_places(out),
            "Places needed (residents plus the waiting list) against capacity, in persons.")),
        "shortage-by-scenario": lambda: ("Shortage by scenario", figs.html(
            "shortage-by-scenario", F.compare_shortage(out),
            "Median shortage per occupation in each scenario, with the 95% interval (2.5–97.5% "
            "quantiles) across replications.")),
        "differences": lambda: ("Effect of the alternatives", figs.html(
            "differences", F.compare_differences(out),
            "Alternative − base in shortage (persons), paired by replication, with 95% confidence "
            "intervals of the mean difference. Below zero: the alternative reduces the shortage.")),
        "difference-table": lambda: ("Effect by year and occupation", _difference_table(out, figs)),
        "cost": lambda: ("Cost", figs.html("cost", F.compare_cost(out), _cost_caption(out))
                         + _cost_table(out, figs) + _cost_by_year(out, figs)),
        "sensitivity-sobol": lambda: ("Sensitivity: Sobol indices", figs.html(
            "sensitivity-sobol", F.sobol_indices(out),
            "Share of the output variance due to each parameter alone (S1) and including its "
            "interactions (ST), with 95% intervals.") + _sobol_table(out, figs)),
        "sensitivity-morris": lambda: ("Sensitivity: Morris screening", figs.html(
            "sensitivity-morris", F.morris_effects(out),
            "μ*: how much the output moves when the parameter moves; σ: how much that depends on the "
            "other parameters.") + _morris_table(out, figs)),
        "sweep-outputs": lambda: ("Outputs against parameters", "".join(
            figs.html(f"sweep-outputs-{i + 1}", F.sweep_outputs(out, str(o)),
                      f"{_e(o)} (mean over replications) at each completed sweep point.")
            for i, o in enumerate(out.coord("output")[:MAX_SWEEP_OUTPUT_FIGURES]))),
        "cohorts": lambda: ("How many extra trainees", f"<p class=\"lead\">{_cohort_answer(out)}</p>" + figs.html(
            "cohorts", F.cohort_sizing(out),
            "Shortage in the target year for each candidate extra enrolment, with the goal and the answer.")),
        "cohorts-table": lambda: ("Candidates", _cohorts_table(out, figs)),
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
table.numbers tbody th{text-align:left;white-space:nowrap}.kind{color:#555;font-weight:normal;font-size:.9em}
table.uncertainty tbody tr:nth-child(4n+1),table.uncertainty tbody tr:nth-child(4n+2){background:#f7f9fc}
table.params td:nth-child(2){text-align:left}
pre{background:#f7f7f7;padding:1em;overflow:auto}
.headline{font-size:1.15em;font-weight:600;background:#f4f7fb;border-left:4px solid #1f77b4;padding:.6em .9em}
a.csv{font-weight:normal;font-size:.85em;margin-left:.4em}
"""


def render_html(out: CareabmOutput, sections: list, lead: str = "") -> str:
    title = {"run": "Baseline", "compare": "Comparison of scenarios", "sweep": "Parameter sweep",
             "size-cohorts": "Training cohort sizing"}[out.kind]
    heading = f"careabm: {title} — {_e(out.scenario_name)}"
    nav = "".join(f'<li><a href="#{s.id}">{_e(s.heading)}</a></li>' for s in sections)
    body = "".join(f'<section id="{s.id}"><h2>{_e(s.heading)}</h2>{s.body}</section>' for s in sections)
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"generator\" content=\"careabm_analysis\"><meta name=\"careabm-kind\" content=\"{_e(out.kind)}\">"
            f"<title>{heading}</title><style>{CSS}</style></head><body>"
            f"<h1>{heading}</h1>"
            + (f'<p class="headline" id="headline">{_e(lead)}</p>' if lead else "")
            + f"<nav><ul>{nav}</ul></nav>{body}"
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
    check_inputs(out)
    outdir = os.fspath(outdir)
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise CareabmFileError(f"{outdir}: exists and is not a directory")
    os.makedirs(outdir, exist_ok=True)
    sections = build_sections(out, _Writer(outdir, svg))
    index = os.path.join(outdir, "index.html")
    tmp = index + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render_html(out, sections, headline(out)))
    os.replace(tmp, index)
    return index
