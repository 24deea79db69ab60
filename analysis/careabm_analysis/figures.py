"""One function per figure. Each takes a loaded output (reader.open_output) and
returns a matplotlib Figure; save_figure writes it as PNG (and SVG on request).

Figures are built on matplotlib.figure.Figure (Agg canvas), not pyplot, so no
global state is kept and no display is needed.

| function               | file kind     | reads                                             |
| ---------------------- | ------------- | ------------------------------------------------- |
| shortage_fan           | run, compare* | /shortage/persons                                 |
| supply_demand          | run, compare* | /workforce/fte, /demand/fte                       |
| flows                  | run, compare* | /workforce/flows                                  |
| nursing_home_places    | run, compare* | /clients/count, /clients/waiting, /clients/capacity (optional) |
| compare_shortage       | compare       | /shortage/persons [scenario, ...]                 |
| compare_differences    | compare       | /difference/<group>/<name> (+ paired replications) |
| compare_cost           | compare       | /difference/cost/total, /difference/cost/per_fte_year_gained |
| sobol_indices          | sweep         | /sensitivity/sobol_{first,total}[_ci]             |
| morris_effects         | sweep         | /sensitivity/morris_mu_star, /sensitivity/morris_sigma |
| sweep_outputs          | sweep         | /design, /outputs/values, /completed              |
| cohort_sizing          | size-cohorts  | /cohorts/shortage, /cohorts/extra_enrolment, attrs goal, answer |

(*) on a compare file these draw one scenario (the base unless scenario= is given).
"""

from __future__ import annotations

import math
import os

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402

from .reader import CareabmFileError, CareabmOutput  # noqa: E402
from .stats import FAN_QUANTILES, paired_interval, quantiles  # noqa: E402

UNITS = {
    "persons": "persons", "headcount": "persons", "fte": "FTE", "flows": "persons per year",
    "count": "persons", "waiting": "persons", "capacity": "places", "enrolled": "persons",
    "graduates": "persons per year", "dropouts": "persons per year",
}
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


def _shared_legend(fig, axes) -> None:
    """One legend for panels that share their series: in the spare grid cell if there is
    one (per-panel legends of long scenario names would cover the data), else on the first panel."""
    handles, labels = axes[0].get_legend_handles_labels()
    spare = [ax for ax in fig.axes if not ax.get_visible()]
    if spare:
        spare[0].set_visible(True)
        spare[0].axis("off")
        spare[0].legend(handles, labels, loc="center", fontsize="small", frameon=False)
    else:
        axes[0].legend(fontsize="small", loc="best")


def _run_view(out: CareabmOutput, scenario: str | None, needed_for: str) -> CareabmOutput:
    out.require_kind(("run", "compare"), needed_for)
    return out.select_scenario(scenario)


def _label(name) -> str:
    return str(name).replace("_", " ")


def _units(da, name: str) -> str:
    return str(da.attrs.get("units") or UNITS.get(name, ""))


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

def shortage_fan(out: CareabmOutput, scenario: str | None = None) -> Figure:
    """Shortage in persons over time, one panel per occupation: median, 50% and 90% bands
    across replications (of the shortage summed over subregions and branches)."""
    what = "the shortage fan chart"
    run = _run_view(out, scenario, what)
    da = run.variable("shortage/persons", what)
    total = _sum_except(da, ("replication", "year", "occupation"))
    years = total["year"].values
    occupations = total["occupation"].values.tolist()
    fig, axes = _grid(len(occupations))
    for ax, occupation in zip(axes, occupations):
        q05, q25, q50, q75, q95 = quantiles(total.sel(occupation=occupation).values, axis=0,
                                            qs=FAN_QUANTILES)
        ax.fill_between(years, q05, q95, color=COLOURS[0], alpha=0.18, lw=0, label="90% band (p05–p95)")
        ax.fill_between(years, q25, q75, color=COLOURS[0], alpha=0.38, lw=0, label="50% band (p25–p75)")
        ax.plot(years, q50, color=COLOURS[0], lw=2, label="median")
        ax.axhline(0, color="black", lw=0.8, ls=":", label="no shortage")
        ax.set_title(_label(occupation))
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel("shortage (persons)")
        ax.legend(fontsize="small", loc="best")
    fig.suptitle(f"Shortage of care workers by occupation, {run.scenario_name} "
                 f"(persons; negative = surplus; bands across {_reps_phrase(run)})")
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
        ax.legend(fontsize="small", loc="best")
    fig.suptitle(f"Supply and demand by branch, {run.scenario_name} (FTE, mean of {_reps_phrase(run)})")
    return fig


# --- (c) flows -----------------------------------------------------------------

def flow_table(run: CareabmOutput, needed_for: str = "the flows chart"):
    """Mean flows per year over replications, summed over cells: (years, {label: values}).

    Flows that appear as both in.X and out.X (moves inside the region: transfers,
    upgrades) cancel when summed over every cell; they are shown as one net series.
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
    colour = iter(COLOURS * 4)
    for reason, v in inflow.items():
        ax.bar(years, v, width, bottom=up, color=next(colour), label=f"in: {_label(reason)}")
        up += v
    cmap = matplotlib.colormaps["Oranges"]
    for i, (reason, v) in enumerate(outflow.items()):
        ax.bar(years, -v, width, bottom=-down, color=cmap(0.35 + 0.6 * i / max(1, len(outflow))),
               label=f"out: {_label(reason)}")
        down += v
    scale = max(1.0, float(np.abs(up).max(initial=0) + np.abs(down).max(initial=0)))
    for reason, net in internal.items():
        if np.abs(net).max(initial=0) <= 1e-9 * scale:
            continue  # moves inside the region cancel exactly, as they should
        pos, neg = np.clip(net, 0, None), np.clip(net, None, 0)
        ax.bar(years, pos, width, bottom=up, color="0.6", hatch="//", label=f"net {_label(reason)}")
        ax.bar(years, neg, width, bottom=-down, color="0.6", hatch="//")
        up += pos
        down -= neg
    ax.plot(years, up - down, color="black", marker="o", lw=1.5, label="net change in headcount")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
    ax.set_ylabel("persons per year (inflow up, outflow down)")
    ax.set_title(f"Flows of care workers per year, {run.scenario_name} (mean of {_reps_phrase(run)})")
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
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
    q05, q50, q95 = np.quantile(needed.values, (0.05, 0.5, 0.95), axis=0)
    ax.fill_between(years, q05, q95, color=COLOURS[1], alpha=0.15, lw=0, label="places needed, 90% band")
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
    ax.set_title(f"Nursing-home places needed against capacity, with the waiting list, {run.scenario_name}")
    ax.legend(fontsize="small", loc="upper left")
    return fig


# --- (e) compare -----------------------------------------------------------------

def compare_shortage(out: CareabmOutput) -> Figure:
    """Shortage in persons per occupation for every scenario: median and 90% band."""
    what = "the scenario shortage chart"
    out.require_kind("compare", what)
    da = out.variable("shortage/persons", what)
    total = _sum_except(da, ("scenario", "replication", "year", "occupation"))
    years = total["year"].values
    occupations = total["occupation"].values.tolist()
    fig, axes = _grid(len(occupations))
    for ax, occupation in zip(axes, occupations):
        for i, name in enumerate(out.scenarios):
            v = total.sel(scenario=name, occupation=occupation).values
            q05, q50, q95 = np.quantile(v, (0.05, 0.5, 0.95), axis=0)
            c = COLOURS[i % len(COLOURS)]
            ax.fill_between(years, q05, q95, color=c, alpha=0.15, lw=0)
            ax.plot(years, q50, color=c, lw=2, label=f"{name} (median, 90% band)")
        ax.axhline(0, color="black", lw=0.8, ls=":")
        ax.set_title(_label(occupation))
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel("shortage (persons)")
        ax.legend(fontsize="small", loc="best")
    fig.suptitle(f"Shortage by scenario and occupation (persons; bands across {_reps_phrase(out)})")
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
    for ax, occupation in zip(axes, occupations):
        sel = data.sel(occupation=occupation) if has_occ else data
        for i, alt in enumerate(sel["alternative"].values.tolist()):
            c = COLOURS[(i + 1) % len(COLOURS)]
            v = sel.sel(alternative=alt)
            ax.fill_between(years, v.sel(interval="lo95").values, v.sel(interval="hi95").values,
                            color=c, alpha=0.2, lw=0, label=f"{alt}: 95% interval")
            ax.plot(years, v.sel(interval="mean").values, color=c, lw=2, label=f"{alt} − {base} (mean)")
        ax.axhline(0, color="black", lw=0.8, ls=":")
        ax.set_title(_label(occupation) if occupation is not None else "all")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))  # whole years
        ax.set_ylabel(f"difference in {_label(group)} ({units})")
    _shared_legend(fig, axes)
    note = "paired replications" if method == "paired" else "summed cell intervals, conservative"
    fig.suptitle(f"Effect of each alternative on {_label(group)} ({units}), "
                 f"alternative − {base}, 95% intervals ({note})")
    return fig


def compare_cost(out: CareabmOutput) -> Figure:
    """Total cost and cost per FTE-year of shortage removed, per alternative."""
    what = "the cost comparison"
    out.require_kind("compare", what)
    out.require(["difference/cost/total", "difference/cost/per_fte_year_gained"], what)
    total = out.variable("difference/cost/total")
    per = out.variable("difference/cost/per_fte_year_gained")
    alts = [str(a) for a in total["alternative"].values.tolist()]
    x = np.arange(len(alts))
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ax1.bar(x, total.values / 1e6, color=COLOURS[0], label="total cost over the horizon")
    ax1.set_ylabel("total cost (million euro)")
    ax1.set_title("Total cost")
    values = per.values.astype(float)
    shown = np.where(np.isfinite(values), values / 1e3, 0.0)
    bars = ax2.bar(x, shown, color=COLOURS[2], label="cost per FTE-year gained")
    for bar, v in zip(bars, values):
        text = "no gain" if not np.isfinite(v) else f"€{v:,.0f}"
        ax2.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                     va="bottom", fontsize="small")
    ax2.set_ylabel("thousand euro per FTE-year")
    ax2.set_title("Cost per FTE-year of shortage removed")
    for ax in (ax1, ax2):
        ax.set_xticks(x, [_label(a) for a in alts])
        ax.set_xlabel("alternative")
        ax.legend(fontsize="small", loc="best")
    fig.suptitle("Cost of each alternative (euro)")
    return fig


# --- (f) sweep -----------------------------------------------------------------

def _output_units(out: CareabmOutput) -> dict:
    if out.has("outputs/units"):
        units = out.variable("outputs/units")
        return {str(o): str(u) for o, u in zip(units["output"].values.tolist(), units.values.tolist())}
    return {}


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
    y = np.arange(len(params))
    fig, axes = _grid(len(outputs), width=5.2, height=0.45 * len(params) + 1.6, max_cols=2, sharex=False)
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
        ax.set_yticks(y, params)
        ax.invert_yaxis()
        ax.set_xlim(left=min(0.0, ax.get_xlim()[0]))
        ax.set_title(str(output))
        ax.set_xlabel("Sobol index (share of output variance, 0–1)")
        ax.set_ylabel("parameter")
        ax.legend(fontsize="small", loc="lower right")
    fig.suptitle(f"Which parameters drive the results: Sobol indices ({out.attrs.get('design', '')} design)")
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
    y = np.arange(len(params))
    fig, axes = _grid(len(outputs), width=5.2, height=0.45 * len(params) + 1.6, max_cols=2, sharex=False)
    for ax, output in zip(axes, outputs):
        ax.barh(y - 0.2, mu.sel(output=output).values, 0.4, color=COLOURS[0],
                label="μ* (mean absolute elementary effect)")
        ax.barh(y + 0.2, sigma.sel(output=output).values, 0.4, color=COLOURS[4],
                label="σ (spread: interactions, non-linearity)")
        ax.set_yticks(y, params)
        ax.invert_yaxis()
        ax.set_title(str(output))
        ax.set_xlabel(f"elementary effect ({units.get(str(output), 'output units')})")
        ax.set_ylabel("parameter")
        ax.legend(fontsize="small", loc="lower right")
    fig.suptitle("Which parameters matter: Morris screening (μ*, σ)")
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
    fig, axes = _grid(len(params), width=3.8, height=3.2, max_cols=4, sharex=False)
    for i, (ax, p) in enumerate(zip(axes, params)):
        ax.scatter(design.sel(parameter=p).values[done], y, s=14, color=COLOURS[0], alpha=0.7,
                   label=f"sweep point (mean of {out.replications or ''} replications)")
        ax.set_title(p, fontsize="medium")
        ax.set_xlabel(f"{p} (parameter value)")
        ax.set_ylabel(f"{output} ({unit})")
        ax.tick_params(labelbottom=True)
        if i == 0:
            ax.legend(fontsize="x-small", loc="best")
    fig.suptitle(f"Sweep ({out.attrs.get('design', '')} design): {output} against each parameter, "
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
    stat = {s: shortage.sel(stat=s).values[order] for s in ("mean", "p05", "p50", "p95")
            if s in shortage["stat"].values.tolist()}
    a = out.attrs
    occupation, programme, by_year = a.get("occupation", "?"), a.get("programme", "?"), a.get("by_year", "?")
    fig = Figure(figsize=(8.5, 5), layout="constrained")
    ax = fig.subplots()
    if "p05" in stat and "p95" in stat:
        ax.fill_between(x, stat["p05"], stat["p95"], color=COLOURS[0], alpha=0.2, lw=0,
                        label="90% band across replications (p05–p95)")
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
    ax.set_title(f"How many extra trainees: shortage of {_label(occupation)} in {by_year} "
                 f"against extra enrolment in {programme}")
    ax.legend(fontsize="small", loc="best")
    return fig


FIGURES = {
    "shortage": shortage_fan,
    "supply-demand": supply_demand,
    "flows": flows,
    "nursing-homes": nursing_home_places,
    "shortage-by-scenario": compare_shortage,
    "differences": compare_differences,
    "cost": compare_cost,
    "sensitivity-sobol": sobol_indices,
    "sensitivity-morris": morris_effects,
    "sweep-outputs": sweep_outputs,
    "cohorts": cohort_sizing,
}
