"""One function per figure. Each takes a loaded output (reader.open_output) and
returns a matplotlib Figure; save_figure writes it as PNG (and SVG on request).

Figures are built on matplotlib.figure.Figure (Agg canvas), not pyplot, so no
global state is kept and no display is needed.

| function               | file kind     | reads                                             |
| ---------------------- | ------------- | ------------------------------------------------- |
| shortage_fan           | run, compare* | /shortage/persons (+ /uncertainty/shortage/persons) |
| supply_demand          | run, compare* | /workforce/fte, /demand/fte                       |
| flows                  | run, compare* | /workforce/flows                                  |
| nursing_home_places    | run, compare* | /clients/count, /clients/waiting, /clients/capacity (optional) |
| compare_shortage       | compare       | /shortage/persons [scenario, ...]                 |
| compare_differences    | compare       | /difference/<group>/<name> (+ paired replications) |
| compare_cost           | compare       | /difference/cost/{total,fte_years_gained,per_fte_year_gained} |
| sobol_indices          | sweep         | /sensitivity/sobol_{first,total}[_ci]             |
| morris_effects         | sweep         | /sensitivity/morris_mu_star, /sensitivity/morris_sigma |
| sweep_outputs          | sweep         | /design, /outputs/values, /completed              |
| cohort_sizing          | size-cohorts  | /cohorts/shortage, /cohorts/extra_enrolment, attrs goal, answer |

(*) on a compare file these draw one scenario (the base unless scenario= is given).

Intervals: a "95% interval" is the 2.5-97.5% quantiles over replications
(p025-p975), computed from the replications of sums (quantiles of cells do not
add up) or read from the summaries; files that predate p025/p975 fall back to
p05-p95 and say "90%". /difference intervals are 95% confidence intervals of
the mean paired difference, and are called so.
"""

from __future__ import annotations

import math
import os
import re
import textwrap
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.lines  # noqa: E402
import matplotlib.patches  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402

from .reader import CareabmFileError, CareabmOutput  # noqa: E402
from .stats import (FAN_QUANTILES, INTERVAL_95, interval_label, paired_interval,  # noqa: E402
                    quantiles, summary_interval)

UNITS = {
    "persons": "persons", "headcount": "persons", "fte": "FTE", "flows": "persons per year",
    "unfilled": "persons", "surplus": "persons", "count": "persons", "waiting": "persons", "capacity": "places", "enrolled": "persons",
    "graduates": "persons per year", "dropouts": "persons per year",
}
# Legend names of flow reasons whose label alone reads badly; others: underscores become spaces.
FLOW_NAMES = {"recruited_reserve": "recruited from the reserve", "recruited_outside": "recruited from outside",
              "death_disability": "death or disability", "mobility": "job changes (mobility)"}
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


# --- helpers -------------------------------------------------------------------

def _sum_except(da, keep):
    """Sum over every dimension not in keep, then order dims as in keep."""
    drop = [d for d in da.dims if d not in keep]
    return da.sum(drop).transpose(*[d for d in keep if d in da.dims])


def _grid(n: int, width: float = 4.2, height: float = 3.2, max_cols: int = 3, sharex: bool = True):
    cols = max(1, min(max_cols, n))
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols + 0.6, height * rows + 0.9), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    for ax in flat[:n]:  # every panel labels its axis (one over a hidden cell would have none)
        ax.xaxis.set_tick_params(labelbottom=True)
    return fig, flat[:n]


def _renderer(fig):
    """The figure's Agg renderer, for measuring text before the figure is saved."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def legend_below(fig, handles, labels, fontsize="small", title=None):
    """One legend for the whole figure, under the panels, never over the data.

    matplotlib 3.6 (Debian 12) leaves figure legends out of the constrained layout, so
    the legend is measured: as many columns as fit the figure's width, then the figure
    grows by the legend's height and the layout keeps that strip free.
    """
    renderer = _renderer(fig)
    width, height = fig.get_size_inches()
    for ncol in range(len(labels), 0, -1):
        legend = fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=ncol,
                            fontsize=fontsize, frameon=False, title=title, title_fontsize=fontsize)
        box = legend.get_window_extent(renderer)
        if box.width <= 0.96 * width * fig.dpi or ncol == 1:
            break
        legend.remove()
    strip = box.height / fig.dpi + 0.15
    fig.set_size_inches(width, height + strip)
    share = strip / (height + strip)
    fig.get_layout_engine().set(rect=(0, share, 1, 1 - share))
    return legend


def _shared_legend(fig, axes) -> None:
    """The legend of the first panel's series, once for the figure (panels share their series)."""
    handles, labels = axes[0].get_legend_handles_labels()
    legend_below(fig, handles, labels)


def shorten(name, width: int = 30) -> str:
    """A label of at most `width` characters (the key table gives the whole name)."""
    name = str(name)
    return name if len(name) <= width else name[:width - 1] + "…"


def wrap_key(key, width: int = 30) -> str:
    """A dotted parameter key on lines of at most `width` characters where it can be,
    broken after a '.' or '_' (never inside a word)."""
    lines, line = [], ""
    for piece in re.findall(r"[^._]+[._]*|[._]+", str(key)):
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    return "\n".join(lines + [line])


def scenario_keys(out: CareabmOutput) -> dict:
    """{scenario: key}: the base is "base", the alternatives A, B, C, ... in file order
    (AA, AB, ... after Z), so legends and bars stay short however long the names."""
    keys = {}
    for i, name in enumerate(out.scenarios):
        if i == 0:
            keys[name] = "base"
            continue
        n, key = i - 1, ""
        while True:
            key = chr(ord("A") + n % 26) + key
            n = n // 26 - 1
            if n < 0:
                break
        keys[name] = key
    return keys


def scenario_label(out: CareabmOutput, name, width: int = 30) -> str:
    """"A: retention starters" — the key, then the name without the base's name in front
    (alternatives are often named base-something) shortened to `width`."""
    name, base = str(name), str(out.scenarios[0])
    short = name
    if name != base and len(name) > len(base) + 1 and name.startswith(base) and name[len(base)] in "-_. ":
        short = name[len(base) + 1:]
    return f"{scenario_keys(out)[name]}: {shorten(_label(short), width)}"


def suptitle(fig, text: str, width: int | None = None):
    """The figure's title, wrapped to lines that fit its width (measured, not guessed)."""
    renderer = _renderer(fig)
    limit = 0.95 * fig.get_size_inches()[0] * fig.dpi
    chars = width or max(len(line) for line in text.splitlines())
    while True:
        wrapped = "\n".join(textwrap.fill(line, chars) for line in text.splitlines())
        title = fig.suptitle(wrapped)
        if title.get_window_extent(renderer).width <= limit or chars <= 20:
            return title
        chars = int(chars * 0.9)


def _run_view(out: CareabmOutput, scenario: str | None, needed_for: str) -> CareabmOutput:
    out.require_kind(("run", "compare"), needed_for)
    return out.select_scenario(scenario)


def _label(name) -> str:
    return str(name).replace("_", " ")


def _flow_name(reason: str) -> str:
    return FLOW_NAMES.get(reason, _label(reason))


def _units(da, name: str) -> str:
    # careabm's files carry UDUNITS units, where persons and FTE are "1": name the thing instead.
    units = str(da.attrs.get("units") or "")
    return UNITS.get(name, "") if units in ("", "1") else units


def _reps_phrase(out: CareabmOutput) -> str:
    r = out.replications
    return f"{r} replications" if r else "replications"


def save_figure(fig: Figure, path, svg: bool = False, dpi: int = 110) -> list:
    """Write fig to path (.png added if there is no extension); with svg, also an .svg beside it."""
    path = os.fspath(path)
    root, ext = os.path.splitext(path)
    if not ext:
        path, ext = root + ".png", ".png"
    written = []
    fig.savefig(path, dpi=dpi)
    written.append(path)
    if svg and ext.lower() != ".svg":
        fig.savefig(root + ".svg")
        written.append(root + ".svg")
    return written


# --- (a) shortage fan chart ----------------------------------------------------

def shortage_fan(out: CareabmOutput, scenario: str | None = None, parameters: bool | None = None) -> Figure:
    """Shortage in persons over time, one panel per occupation: median, 50% and 95% bands
    across replications (of the shortage summed over subregions and branches).

    For a `run --uncertainty` file (parameters=None or True) a second 95% band shows the
    runs with drawn parameters (parameters and simulation together) beside the
    scenario's own runs (simulation noise only).
    """
    what = "the shortage fan chart"
    run = _run_view(out, scenario, what)
    da = run.variable("shortage/persons", what)
    total = _sum_except(da, ("replication", "year", "occupation"))
    with_parameters = run.has_parameter_runs if parameters is None else bool(parameters)
    drawn = None
    if with_parameters:
        drawn = _sum_except(run.parameter_runs().variable("shortage/persons", what),
                            ("replication", "year", "occupation"))
    years = total["year"].values
    occupations = total["occupation"].values.tolist()
    fig, axes = _grid(len(occupations))
    simulation = " (simulation only)" if drawn is not None else ""
    for ax, occupation in zip(axes, occupations):
        if drawn is not None:
            lo, med, hi = quantiles(drawn.sel(occupation=occupation).values, axis=0,
                                    qs=(INTERVAL_95[0], 0.5, INTERVAL_95[1]))
            ax.fill_between(years, lo, hi, color=COLOURS[4], alpha=0.16, lw=0,
                            label="95% interval with parameters (p025–p975)")
            ax.plot(years, lo, color=COLOURS[4], lw=1, ls="--")
            ax.plot(years, hi, color=COLOURS[4], lw=1, ls="--")
            ax.plot(years, med, color=COLOURS[4], lw=1.5, ls="-.", label="median with parameters")
        q025, q25, q50, q75, q975 = quantiles(total.sel(occupation=occupation).values, axis=0,
                                              qs=FAN_QUANTILES)
        ax.fill_between(years, q025, q975, color=COLOURS[0], alpha=0.18, lw=0,
                        label=f"95% interval{simulation} (p025–p975)")
        ax.fill_between(years, q25, q75, color=COLOURS[0], alpha=0.38, lw=0, label="50% band (p25–p75)")
        ax.plot(years, q50, color=COLOURS[0], lw=2, label=f"median{simulation}")
        ax.axhline(0, color="black", lw=0.8, ls=":", label="no shortage")
        ax.set_title(_label(occupation))
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel("shortage (persons)")
    _shared_legend(fig, axes)
    bands = ("simulation-only and with-parameter 95% intervals" if drawn is not None
             else "95% intervals")
    suptitle(fig, f"Shortage of care workers by occupation, {run.scenario_name}\n"
                 f"(persons; negative = surplus; {bands} across {_reps_phrase(run)})")
    return fig


# --- (b) supply against demand ------------------------------------------------

def supply_demand(out: CareabmOutput, scenario: str | None = None) -> Figure:
    """Supply (/workforce/fte) against demand (/demand/fte) per branch, summed over
    subregions and occupations, mean over replications."""
    what = "the supply and demand chart"
    run = _run_view(out, scenario, what)
    supply = _sum_except(run.variable("workforce/fte", what), ("replication", "year", "branch")).mean("replication")
    demand = _sum_except(run.variable("demand/fte", what), ("replication", "year", "branch")).mean("replication")
    years = supply["year"].values
    branches = supply["branch"].values.tolist()
    fig, axes = _grid(len(branches))
    for ax, branch in zip(axes, branches):
        s = supply.sel(branch=branch).values
        d = demand.sel(branch=branch).values
        ax.plot(years, d, color=COLOURS[1], lw=2, label="demand")
        ax.plot(years, s, color=COLOURS[0], lw=2, label="supply")
        ax.fill_between(years, s, d, where=d >= s, interpolate=True, color=COLOURS[1], alpha=0.2,
                        lw=0, label="shortage")
        ax.fill_between(years, s, d, where=d < s, interpolate=True, color=COLOURS[2], alpha=0.2,
                        lw=0, label="surplus")
        ax.set_title(_label(branch))
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel("FTE")
    _shared_legend(fig, axes)
    suptitle(fig, f"Supply and demand by branch, {run.scenario_name} (FTE, mean of {_reps_phrase(run)})")
    return fig


# --- (c) flows -----------------------------------------------------------------

def flow_table(run: CareabmOutput, needed_for: str = "the flows chart"):
    """Mean flows per year over replications, summed over cells: (years, {label: values}).

    Labels are whatever the file's /flow holds, each starting with in. or out. (careabm
    writes in.graduates, in.reentry, in.career_switchers, in.outside_region, in.transfer,
    in.upgrade, in.mobility, in.recruited_reserve, in.recruited_outside, out.retirement,
    out.to_reserve, out.left_region, out.death_disability, out.transfer, out.upgrade,
    out.mobility). Flows that appear as both in.X and out.X (moves inside the region:
    transfers, upgrades, job changes between occupations) cancel when summed over every
    cell; they are returned apart as one net series each.
    """
    da = run.variable("workforce/flows", needed_for)
    table = _sum_except(da, ("replication", "year", "flow")).mean("replication")
    labels = [str(f) for f in table["flow"].values.tolist()]
    bad = [f for f in labels if not (f.startswith("in.") or f.startswith("out."))]
    if bad:
        raise CareabmFileError(f"{run.path}: flow labels must start with 'in.' or 'out.': {', '.join(bad)}")
    years = table["year"].values[1:]  # the first year holds the initial population, no flows
    values = {f: table.sel(flow=f).values[1:] for f in labels}
    inflow = {f[3:]: v for f, v in values.items() if f.startswith("in.")}
    outflow = {f[4:]: v for f, v in values.items() if f.startswith("out.")}
    internal = {}
    for reason in [r for r in inflow if r in outflow]:
        internal[reason] = inflow.pop(reason) - outflow.pop(reason)
    return years, inflow, outflow, internal


def flows(out: CareabmOutput, scenario: str | None = None) -> Figure:
    """Inflow by source (stacked up) and outflow by reason (stacked down) per year."""
    what = "the flows chart"
    run = _run_view(out, scenario, what)
    years, inflow, outflow, internal = flow_table(run, what)
    fig = Figure(figsize=(9.5, 5.2), layout="constrained")
    ax = fig.subplots()
    width = 0.8
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    tab10 = matplotlib.colormaps["tab10"]
    colour = iter([tab10(i) for i in (0, 2, 4, 5, 6, 7, 8, 9)] * 4)  # no orange or red: those are the outflows
    for reason, v in inflow.items():
        ax.bar(years, v, width, bottom=up, color=next(colour), label=f"in: {_flow_name(reason)}")
        up += v
    cmap = matplotlib.colormaps["Oranges"]
    for i, (reason, v) in enumerate(outflow.items()):
        ax.bar(years, -v, width, bottom=-down, color=cmap(0.35 + 0.6 * i / max(1, len(outflow))),
               label=f"out: {_flow_name(reason)}")
        down += v
    scale = max(1.0, float(np.abs(up).max(initial=0) + np.abs(down).max(initial=0)))
    for reason, net in internal.items():
        if np.abs(net).max(initial=0) <= 1e-9 * scale:
            continue  # moves inside the region cancel exactly, as they should
        pos, neg = np.clip(net, 0, None), np.clip(net, None, 0)
        ax.bar(years, pos, width, bottom=up, color="0.6", hatch="//", label=f"net {_flow_name(reason)}")
        ax.bar(years, neg, width, bottom=-down, color="0.6", hatch="//")
        up += pos
        down -= neg
    ax.plot(years, up - down, color="black", marker="o", lw=1.5, label="net change in headcount")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
    ax.set_ylabel("persons per year (inflow up, outflow down)")
    suptitle(fig, f"Flows of care workers per year, {run.scenario_name} (mean of {_reps_phrase(run)})")
    legend_below(fig, *ax.get_legend_handles_labels())
    return fig


# --- (d) nursing-home places --------------------------------------------------

def nursing_home_places(out: CareabmOutput, scenario: str | None = None) -> Figure:
    """Nursing-home places needed (residents + waiting list) against capacity."""
    what = "the nursing-home places chart"
    run = _run_view(out, scenario, what)
    count = run.variable("clients/count", what)
    settings = count["setting"].values.tolist()
    if "nursing_home" not in settings:
        raise CareabmFileError(f"{run.path}: /setting has no 'nursing_home' (needed for {what})")
    residents = _sum_except(count.sel(setting="nursing_home"), ("replication", "year"))
    waiting = _sum_except(run.variable("clients/waiting", what), ("replication", "year"))
    needed = residents + waiting
    years = residents["year"].values
    fig = Figure(figsize=(8.5, 5), layout="constrained")
    ax = fig.subplots()
    ax.bar(years, waiting.mean("replication").values, 0.6, color="#f4a582", label="waiting list (mean)")
    lo, hi = np.quantile(needed.values, INTERVAL_95, axis=0)
    ax.fill_between(years, lo, hi, color=COLOURS[1], alpha=0.15, lw=0,
                    label="places needed, 95% interval (p025–p975)")
    ax.plot(years, needed.mean("replication").values, color=COLOURS[1], lw=2,
            label="places needed (residents + waiting, mean)")
    ax.plot(years, residents.mean("replication").values, color=COLOURS[0], lw=2, label="residents (mean)")
    if run.has("clients/capacity"):
        capacity = _sum_except(run.variable("clients/capacity"), ("replication", "year")).mean("replication")
        ax.step(years, capacity.values, where="mid", color="black", ls="--", lw=1.5, label="capacity (places)")
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
    ax.set_ylabel("persons (nursing-home places)")
    ax.set_ylim(bottom=0)
    suptitle(fig, f"Nursing-home places needed against capacity, with the waiting list, {run.scenario_name}")
    legend_below(fig, *ax.get_legend_handles_labels())
    return fig


# --- (e) compare -----------------------------------------------------------------

def scenario_colour(i: int, n: int):
    """The colour of the i-th of n scenarios: distinct for up to 20."""
    return matplotlib.colormaps["tab10" if n <= 10 else "tab20"](i % (10 if n <= 10 else 20))


def compare_shortage(out: CareabmOutput) -> Figure:
    """Shortage in persons per occupation for every scenario: median and 95% interval."""
    what = "the scenario shortage chart"
    out.require_kind("compare", what)
    da = out.variable("shortage/persons", what)
    total = _sum_except(da, ("scenario", "replication", "year", "occupation"))
    years = total["year"].values
    occupations = total["occupation"].values.tolist()
    fig, axes = _grid(len(occupations))
    handles = {}
    for ax, occupation in zip(axes, occupations):
        for i, name in enumerate(out.scenarios):
            v = total.sel(scenario=name, occupation=occupation).values
            lo, q50, hi = np.quantile(v, (INTERVAL_95[0], 0.5, INTERVAL_95[1]), axis=0)
            c = scenario_colour(i, len(out.scenarios))
            band = ax.fill_between(years, lo, hi, color=c, alpha=0.15, lw=0)
            (line,) = ax.plot(years, q50, color=c, lw=2)
            handles[name] = (band, line)
        ax.axhline(0, color="black", lw=0.8, ls=":")
        ax.set_title(_label(occupation))
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel("shortage (persons)")
    legend_below(fig, list(handles.values()), [scenario_label(out, name) for name in handles],
                 title="scenario: median and 95% interval (p025–p975)")
    suptitle(fig, f"Shortage by scenario and occupation (persons; 95% intervals (p025–p975) across "
                  f"{_reps_phrase(out)})")
    return fig


def difference_by_occupation(out: CareabmOutput, group: str = "shortage", name: str = "persons"):
    """Alternative − base per year and occupation (summed over other cells), with 95% intervals.

    Returns (DataArray [alternative, interval, year, occupation], method). The mean is the
    sum of /difference means. The interval of a sum cannot be summed from cell intervals,
    so it is recomputed from the paired replications (method "paired"); without them the
    sum of the cell intervals is used, which is conservative (method "conservative").
    """
    what = "the intervention comparison"
    out.require_kind("compare", what)
    diff = out.variable(f"difference/{group}/{name}", what)
    keep = ("alternative", "interval", "year", "occupation")
    summed = _sum_except(diff, keep)
    if out.has(f"{group}/{name}") and "replication" in out.variable(f"{group}/{name}").dims:
        reps = _sum_except(out.variable(f"{group}/{name}"), ("scenario", "replication", "year", "occupation"))
        base = reps.isel(scenario=0).values
        result = summed.copy()
        for i, alt in enumerate(summed["alternative"].values.tolist()):
            mean, lo, hi = paired_interval(reps.sel(scenario=alt).values - base, axis=0)
            result[i] = np.stack([mean, lo, hi])
        return result, "paired"
    return summed, "conservative"


def compare_differences(out: CareabmOutput, group: str = "shortage", name: str = "persons") -> Figure:
    """Differences (alternative − base) over time, per occupation, with 95% intervals."""
    data, method = difference_by_occupation(out, group, name)
    units = _units(out.variable(f"difference/{group}/{name}"), name)
    base = out.scenarios[0] if out.scenarios else "base"
    years = data["year"].values
    has_occ = "occupation" in data.dims
    occupations = data["occupation"].values.tolist() if has_occ else [None]
    fig, axes = _grid(len(occupations))
    n = len(out.scenarios)
    handles = {}
    for ax, occupation in zip(axes, occupations):
        sel = data.sel(occupation=occupation) if has_occ else data
        for i, alt in enumerate(sel["alternative"].values.tolist()):
            c = scenario_colour(i + 1, n)  # the base keeps the first colour, as in compare_shortage
            v = sel.sel(alternative=alt)
            band = ax.fill_between(years, v.sel(interval="lo95").values, v.sel(interval="hi95").values,
                                   color=c, alpha=0.2, lw=0)
            (line,) = ax.plot(years, v.sel(interval="mean").values, color=c, lw=2)
            handles[str(alt)] = (band, line)
        ax.axhline(0, color="black", lw=0.8, ls=":")
        ax.set_title(_label(occupation) if occupation is not None else "all")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel(f"difference in {_label(group)} ({units})")
    legend_below(fig, list(handles.values()), [scenario_label(out, alt) for alt in handles],
                 title="alternative − base: mean and 95% confidence interval")
    note = "paired replications" if method == "paired" else "summed cell intervals, conservative"
    suptitle(fig, f"Effect of each alternative on {_label(group)} ({units}), "
                  f"alternative − {base}, 95% confidence intervals of the mean ({note})")
    return fig


COST_NAMES = ("total", "fte_years_gained", "per_fte_year_gained")


def cost_summary(out: CareabmOutput, needed_for: str = "the cost comparison"):
    """Per alternative: {name: (mean, lo, hi)} for total, fte_years_gained and
    per_fte_year_gained (numpy arrays over /alternative), and whether the file has
    intervals.

    Current files hold /difference/cost/* as [alternative, interval] (mean, lo95, hi95:
    95% confidence intervals over paired replications). Older files hold [alternative]
    only (lo, hi are NaN then), and may lack fte_years_gained, which is then
    total / per_fte_year_gained.
    """
    out.require_kind("compare", needed_for)
    out.require(["difference/cost/total", "difference/cost/per_fte_year_gained"], needed_for)
    alternatives = [str(a) for a in out.variable("difference/cost/total")["alternative"].values.tolist()]
    result, intervals = {}, True
    for name in COST_NAMES:
        if not out.has(f"difference/cost/{name}"):
            continue
        da = out.variable(f"difference/cost/{name}")
        if "interval" in da.dims:
            da = da.transpose("alternative", "interval")
            result[name] = tuple(np.asarray(da.sel(interval=i).values, dtype=float)
                                 for i in ("mean", "lo95", "hi95"))
        else:
            mean = np.asarray(da.values, dtype=float)
            result[name] = (mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan))
            intervals = False
    if "fte_years_gained" not in result:
        total, per = result["total"][0], result["per_fte_year_gained"][0]
        with np.errstate(divide="ignore", invalid="ignore"):
            gained = np.where(np.isfinite(per) & (per != 0), total / per, np.nan)
        result["fte_years_gained"] = (gained, np.full_like(gained, np.nan), np.full_like(gained, np.nan))
    return alternatives, result, intervals


def cost_replications(out: CareabmOutput):
    """The cost side per replication, paired with the base: (alternatives, years, cost, gain)
    with cost [alternative, replication, year] = alternative − base of /cost/by_year (euro)
    and gain [alternative, replication] = base − alternative of /cost/unfilled_fte_years
    (FTE-years of unfilled demand removed); None for older files without /cost."""
    if not (out.has("cost/by_year") and out.has("cost/unfilled_fte_years")):
        return None
    by_year = out.variable("cost/by_year").transpose("scenario", "replication", "year")
    unfilled = out.variable("cost/unfilled_fte_years").transpose("scenario", "replication")
    base, alts = out.scenarios[0], out.scenarios[1:]
    cost = by_year.sel(scenario=alts).values - by_year.sel(scenario=base).values[None]
    gain = unfilled.sel(scenario=base).values[None] - unfilled.sel(scenario=alts).values
    return [str(a) for a in alts], by_year["year"].values.tolist(), cost.astype(float), gain.astype(float)


def _quantiles_with_infinity(values: np.ndarray, axis: int = -1):
    """2.5% and 97.5% quantiles where values may be +inf (a quantile among infinities is +inf)."""
    with np.errstate(invalid="ignore"):
        lo, hi = np.quantile(values, INTERVAL_95, axis=axis)
    infinite = np.isinf(values).any(axis=axis)
    return np.where(np.isnan(lo) & infinite, np.inf, lo), np.where(np.isnan(hi) & infinite, np.inf, hi)


def cost_spread(out: CareabmOutput):
    """95% intervals over replications (p025–p975 of the paired per-replication values) of
    the cost side, per alternative; None for older files without /cost.

    Returns (alternatives, {name: (mean, lo, hi)}, spans) for total (euro over the
    horizon), per_year (euro a year, averaged over the years from the alternative's first
    year with a cost difference to the last), fte_years_gained and per_fte_year_gained
    (mean cost / mean gain, as /difference; per replication cost_r / gain_r, +inf where a
    replication gains nothing). spans[i] = (first year, last year) of per_year.
    """
    data = cost_replications(out)
    if data is None:
        return None
    alts, years, cost, gain = data
    total = cost.sum(-1)  # [alternative, replication]
    result = {"total": (total.mean(-1), *np.quantile(total, INTERVAL_95, axis=-1)),
              "fte_years_gained": (gain.mean(-1), *np.quantile(gain, INTERVAL_95, axis=-1))}
    per_year, spans = [], []
    for a in range(len(alts)):
        paying = np.flatnonzero(np.abs(cost[a]).max(axis=0) > 0)
        first = paying[0] if paying.size else 0
        spans.append((years[first], years[-1]))
        per_year.append(cost[a, :, first:].mean(-1))
    per_year = np.array(per_year)
    result["per_year"] = (per_year.mean(-1), *np.quantile(per_year, INTERVAL_95, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gain = gain.mean(-1)
        ratio = np.where(mean_gain > 0, total.mean(-1) / mean_gain, np.nan)
        per_rep = np.where(gain > 0, total / gain, np.inf)
    lo, hi = _quantiles_with_infinity(per_rep)
    result["per_fte_year_gained"] = (ratio, np.where(np.isfinite(ratio), lo, np.nan),
                                     np.where(np.isfinite(ratio), hi, np.nan))
    return alts, result, spans


def _hbars(ax, y, triple, scale, colour):
    """Horizontal bars of the means with the interval as error bars; an infinite upper bound
    is drawn to the panel's edge and marked with an arrow."""
    mean, lo, hi = (np.asarray(v, dtype=float) / scale for v in triple)
    shown = np.where(np.isfinite(mean), mean, 0.0)
    ax.barh(y, shown, 0.6, color=colour)
    ok = np.isfinite(mean) & ~np.isnan(lo) & ~np.isnan(hi)
    if not ok.any():
        return
    finite = np.concatenate([shown, lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
    edge = max(float(finite.max(initial=0.0)), 0.0) * 1.15 or 1.0
    top = np.where(np.isinf(hi), edge, hi)
    err = np.clip(np.stack([shown - lo, top - shown]), 0, None)
    ax.errorbar(shown[ok], y[ok], xerr=err[:, ok], fmt="none", ecolor="black", capsize=4, lw=1.2)
    for yi in y[ok & np.isinf(hi)]:
        ax.annotate("", (edge, yi), xytext=(-14, 0), textcoords="offset points",
                    arrowprops={"arrowstyle": "->", "color": "black"})


def compare_cost(out: CareabmOutput) -> Figure:
    """Per alternative (one row each): cost over the horizon against the base, FTE-years of
    unfilled demand removed and cost per FTE-year gained, with 95% intervals over the
    paired replications (p025–p975); older files without /cost: the file's means (and its
    confidence intervals, if any)."""
    what = "the cost comparison"
    spread = cost_spread(out)
    if spread is not None:
        alts, cost, _ = spread
        interval = f"95% interval over {_reps_phrase(out)} (p025–p975 of alternative − base, paired)"
    else:
        alts, cost, intervals = cost_summary(out, what)
        interval = "95% confidence interval of the mean" if intervals else None
    y = np.arange(len(alts))
    fig = Figure(figsize=(13, 0.42 * len(alts) + 2.2), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    panels = (("total", 1e6, "cost over the horizon (million euro)", "Cost over the horizon"),
              ("fte_years_gained", 1.0, "unfilled demand removed (FTE-years)", "FTE-years gained"),
              ("per_fte_year_gained", 1e3, "thousand euro per FTE-year gained", "Cost per FTE-year gained"))
    for ax, (name, scale, xlabel, title), colour in zip(axes, panels, (COLOURS[0], COLOURS[2], COLOURS[3])):
        _hbars(ax, y, cost[name], scale, colour)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # few, wide tick labels
    for i, v in enumerate(cost["per_fte_year_gained"][0]):
        if not np.isfinite(v):
            axes[2].annotate("no gain", (0, y[i]), xytext=(4, 0), textcoords="offset points", va="center",
                             fontsize="small")
    axes[0].set_yticks(y, [scenario_label(out, a, 40) for a in alts])
    axes[0].invert_yaxis()  # A at the top, as in the key
    axes[0].set_ylabel("alternative")
    handles = [matplotlib.patches.Patch(color="0.55", label="mean over replications")]
    if interval:
        handles.append(matplotlib.lines.Line2D([], [], color="black", marker="|", markersize=8, lw=1.2,
                                               label=interval))
    legend_below(fig, handles, [h.get_label() for h in handles])
    base = out.scenarios[0] if out.scenarios else "base"
    suptitle(fig, f"Cost of each alternative against {base}: means with {interval}" if interval
             else "Cost of each alternative (euro), means (this file has no intervals)")
    return fig


def cost_by_year(out: CareabmOutput) -> Figure:
    """The intervention cost per year, alternative − base, with its 95% interval over the
    paired replications (p025–p975), one line per alternative."""
    what = "the cost per year chart"
    out.require_kind("compare", what)
    out.require(["cost/by_year", "cost/unfilled_fte_years"], what)
    alts, years, cost, _ = cost_replications(out)
    fig = Figure(figsize=(9.5, 5), layout="constrained")
    ax = fig.subplots()
    handles = []
    for a, alt in enumerate(alts):
        c = scenario_colour(a + 1, len(alts) + 1)
        lo, hi = np.quantile(cost[a] / 1e6, INTERVAL_95, axis=0)
        band = ax.fill_between(years, lo, hi, color=c, alpha=0.18, lw=0)
        (line,) = ax.plot(years, cost[a].mean(0) / 1e6, color=c, lw=2, marker="o", markersize=3)
        handles.append((band, line))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))  # whole years
    ax.set_ylabel("cost in the year, alternative − base (million euro)")
    legend_below(fig, handles, [scenario_label(out, a) for a in alts],
                 title="alternative − base: mean and 95% interval (p025–p975)")
    suptitle(fig, f"Cost per year of each alternative against {out.scenarios[0]} (million euro; 95% "
                  f"intervals (p025–p975) over {_reps_phrase(out)})")
    return fig


# --- (f) sweep -----------------------------------------------------------------

def _output_variables(out: CareabmOutput) -> dict:
    """{output: "<group>/<name>"} from the [[outputs]] of the sweep file in /sweep; {} without it."""
    if "sweep" not in out.root.variables:
        return {}
    text = out.root["sweep"].values.item()
    try:
        spec = tomllib.loads(text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text))
    except tomllib.TOMLDecodeError:
        return {}
    outputs = spec.get("outputs", [])
    return {str(o["name"]): str(o["variable"]) for o in outputs if isinstance(o, dict)
            and "name" in o and "variable" in o} if isinstance(outputs, list) else {}


def _output_units(out: CareabmOutput) -> dict:
    """{output: units} for axis labels: careabm's UDUNITS units of each output, where "1" (a count
    of persons or FTE) becomes the thing counted by the output's variable ("persons", "FTE") or
    is left out (the caller's default); {} when the file has no units (older files)."""
    variables = _output_variables(out)
    named = {}
    for output, units in _stored_output_units(out).items():
        if units not in ("", "1"):
            named[output] = units
        elif UNITS.get(variables.get(output, "").split("/")[-1]):
            named[output] = UNITS[variables[output].split("/")[-1]]
    return named


def _stored_output_units(out: CareabmOutput) -> dict:
    """{output: units} from /outputs/units, or from a `units` attribute of /outputs/values
    (one string, or one per output); {} when the file has none (older files)."""
    outputs = [str(o) for o in out.coord("output")] if "output" in out.root.coords else []
    if out.has("outputs/units"):
        units = out.variable("outputs/units")
        return {str(o): str(u) for o, u in zip(units["output"].values.tolist(), units.values.tolist())}
    if out.has("outputs/values"):
        units = out.variable("outputs/values").attrs.get("units")
        if isinstance(units, (bytes, np.bytes_)):
            units = units.decode("utf-8", "replace")
        if isinstance(units, str) and units:
            return {o: units for o in outputs}
        if units is not None and np.ndim(units) == 1 and len(units) == len(outputs):
            return {o: str(u.decode() if isinstance(u, bytes) else u) for o, u in zip(outputs, units)}
    return {}


def _text_width(fig, texts, fontsize) -> float:
    """The widest of `texts` at `fontsize`, in inches (measured with the figure's renderer)."""
    renderer = _renderer(fig)
    widest = 0.0
    for text in texts:
        artist = fig.text(0, 0, str(text), fontsize=fontsize)
        widest = max(widest, artist.get_window_extent(renderer).width / fig.dpi)
        artist.remove()
    return widest


def _parameter_panels(outputs, params, bars_per_parameter: int = 2, max_cols: int = 3):
    """One horizontal-bar panel per output, the parameters down the side once per row of
    panels: the figure's height grows with the number of parameters and its width with
    the longest key (measured), so neither squeezes the bars nor clips a label."""
    probe = Figure(figsize=(4, 4))
    label_width = _text_width(probe, params, matplotlib.rcParams["ytick.labelsize"])
    cols = max(1, min(max_cols, len(outputs)))
    rows = math.ceil(len(outputs) / cols)
    row_height = 0.17 * bars_per_parameter * len(params) + 1.4
    fig = Figure(figsize=(label_width + 0.9 + 4.0 * cols, row_height * rows + 0.8), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharey=True)
    flat = list(axes.ravel())
    for ax in flat[len(outputs):]:
        ax.set_visible(False)
    y = np.arange(len(params))
    flat[0].set_yticks(y, params)
    flat[0].invert_yaxis()  # the first parameter at the top (the axis is shared)
    for row in axes:
        row[0].set_ylabel("parameter")
    return fig, flat[:len(outputs)], y


def sobol_indices(out: CareabmOutput) -> Figure:
    """First-order and total Sobol indices per parameter, one panel per output, with intervals."""
    what = "the Sobol sensitivity chart"
    out.require_kind("sweep", what)
    out.require(["sensitivity/sobol_first", "sensitivity/sobol_total"], what)
    first = out.variable("sensitivity/sobol_first")
    total = out.variable("sensitivity/sobol_total")
    ci = {"first": out.variable("sensitivity/sobol_first_ci") if out.has("sensitivity/sobol_first_ci") else None,
          "total": out.variable("sensitivity/sobol_total_ci") if out.has("sensitivity/sobol_total_ci") else None}
    outputs = first["output"].values.tolist()
    params = [str(p) for p in first["parameter"].values.tolist()]
    fig, axes, y = _parameter_panels(outputs, params)
    for ax, output in zip(axes, outputs):
        for offset, (key, da, c, label) in zip((-0.2, 0.2), (("first", first, COLOURS[0], "first-order index S1"),
                                                          ("total", total, COLOURS[1], "total index ST"))):
            v = da.sel(output=output).values
            err = None
            if ci[key] is not None:
                b = ci[key].sel(output=output)
                err = np.clip(np.stack([v - b.sel(bound="lo").values, b.sel(bound="hi").values - v]), 0, None)
            ax.barh(y + offset, v, 0.4, xerr=err, color=c, capsize=3,
                    label=label + (" (95% interval)" if err is not None else ""))
        ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
        ax.set_title(wrap_key(output, 40))
        ax.set_xlabel("Sobol index (share of output variance, 0–1)")
    _shared_legend(fig, axes)
    suptitle(fig, f"Which parameters drive the results: Sobol indices ({out.attrs.get('design', '')} design)")
    return fig


def morris_effects(out: CareabmOutput) -> Figure:
    """Morris screening: mu* (mean absolute elementary effect) and sigma per parameter."""
    what = "the Morris screening chart"
    out.require_kind("sweep", what)
    out.require(["sensitivity/morris_mu_star", "sensitivity/morris_sigma"], what)
    mu = out.variable("sensitivity/morris_mu_star")
    sigma = out.variable("sensitivity/morris_sigma")
    units = _output_units(out)
    outputs = mu["output"].values.tolist()
    params = [str(p) for p in mu["parameter"].values.tolist()]
    fig, axes, y = _parameter_panels(outputs, params)
    for ax, output in zip(axes, outputs):
        ax.barh(y - 0.2, mu.sel(output=output).values, 0.4, color=COLOURS[0],
                label="μ* (mean absolute elementary effect)")
        ax.barh(y + 0.2, sigma.sel(output=output).values, 0.4, color=COLOURS[4],
                label="σ (spread: interactions, non-linearity)")
        ax.set_title(wrap_key(output, 40))
        ax.set_xlabel(f"elementary effect ({units.get(str(output), 'output units')})")
    _shared_legend(fig, axes)
    suptitle(fig, "Which parameters matter: Morris screening (μ*, σ)")
    return fig


def sweep_outputs(out: CareabmOutput, output: str | None = None) -> Figure:
    """One output (mean over replications) against each parameter, completed points only."""
    what = "the sweep scatter chart"
    out.require_kind("sweep", what)
    out.require(["design", "outputs/values"], what)
    design = out.variable("design")
    values = out.variable("outputs/values")
    outputs = [str(o) for o in values["output"].values.tolist()]
    output = outputs[0] if output is None else output
    if output not in outputs:
        raise CareabmFileError(f"{out.path}: no sweep output '{output}' (outputs: {', '.join(outputs)})")
    done = np.ones(design.sizes["point"], dtype=bool)
    if out.has("completed"):
        done = out.variable("completed").values.astype(bool)
    y = values.sel(output=output).mean("replication").values[done]
    unit = _output_units(out).get(output, "output units")
    params = [str(p) for p in design["parameter"].values.tolist()]
    cols = max(1, min(4, len(params)))
    rows = math.ceil(len(params) / cols)
    fig = Figure(figsize=(3.3 * cols + 0.8, 2.9 * rows + 0.9), layout="constrained")
    grid = fig.subplots(rows, cols, squeeze=False, sharey=True)
    axes = list(grid.ravel())
    for ax in axes[len(params):]:
        ax.set_visible(False)
    for ax, p in zip(axes, params):
        ax.scatter(design.sel(parameter=p).values[done], y, s=14, color=COLOURS[0], alpha=0.7,
                   label=f"sweep point (mean of {out.replications or ''} replications)")
        ax.set_title(wrap_key(p, 30), fontsize="medium")  # long keys on two lines, not over the neighbours
        ax.set_xlabel("parameter value")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    for row in grid:
        row[0].set_ylabel(f"{wrap_key(output, 30)}\n({unit})")
    _shared_legend(fig, axes)
    suptitle(fig, f"Sweep ({out.attrs.get('design', '')} design): {output} against each parameter, "
                  f"{int(done.sum())} of {done.size} points complete")
    return fig


# --- (g) cohort sizing ----------------------------------------------------------

def cohort_sizing(out: CareabmOutput) -> Figure:
    """Shortage at the target year against extra enrolment, with the goal and the answer."""
    what = "the cohort-sizing chart"
    out.require_kind("size-cohorts", what)
    out.require(["cohorts/shortage", "cohorts/extra_enrolment"], what)
    shortage = out.variable("cohorts/shortage")
    order = np.argsort(out.variable("cohorts/extra_enrolment").values)
    x = out.variable("cohorts/extra_enrolment").values[order]
    stat = {s: shortage.sel(stat=s).values[order] for s in ("mean", "p50")
            if s in shortage["stat"].values.tolist()}
    try:
        lo, hi, level = summary_interval(shortage)
        band = (lo.values[order], hi.values[order], level)
    except KeyError:
        band = None
    a = out.attrs
    occupation, programme, by_year = a.get("occupation", "?"), a.get("programme", "?"), a.get("by_year", "?")
    fig = Figure(figsize=(8.5, 5), layout="constrained")
    ax = fig.subplots()
    if band is not None:
        ax.fill_between(x, band[0], band[1], color=COLOURS[0], alpha=0.2, lw=0,
                        label=f"{interval_label(band[2])} across replications")
    if "p50" in stat:
        ax.plot(x, stat["p50"], color=COLOURS[0], lw=1.5, ls="--", label="median")
    if "mean" in stat:
        ax.plot(x, stat["mean"], color=COLOURS[0], lw=2, marker="o", label="mean (candidates)")
    goal = a.get("goal")
    if goal is not None and np.isfinite(float(goal)):
        ax.axhline(float(goal), color=COLOURS[2], lw=1.5, label=f"goal: shortage ≤ {float(goal):g} persons")
    answer = a.get("answer")
    if answer is not None and np.isfinite(float(answer)):
        ax.axvline(float(answer), color=COLOURS[1], lw=1.5, ls="-.",
                   label=f"answer: {float(answer):g} extra trainees per year")
    else:
        ax.plot([], [], " ", label="answer: no candidate reaches the goal")
    ax.set_xlabel(f"extra enrolment in {programme} (trainees per year)")
    ax.set_ylabel(f"shortage of {_label(occupation)} in {by_year} (persons)")
    suptitle(fig, f"How many extra trainees: shortage of {_label(occupation)} in {by_year} "
                  f"against extra enrolment in {programme}")
    legend_below(fig, *ax.get_legend_handles_labels())
    return fig


FIGURES = {
    "shortage": shortage_fan,
    "supply-demand": supply_demand,
    "flows": flows,
    "nursing-homes": nursing_home_places,
    "shortage-by-scenario": compare_shortage,
    "differences": compare_differences,
    "cost": compare_cost,
    "cost-by-year": cost_by_year,
    "sensitivity-sobol": sobol_indices,
    "sensitivity-morris": morris_effects,
    "sweep-outputs": sweep_outputs,
    "cohorts": cohort_sizing,
}
