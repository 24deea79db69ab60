"""Small synthetic careabm output files that follow the HDF5 contract.

They exist to test the analysis side before (and independently of) the C++
simulator, and to show the C++ side the exact layouts in analysis/README.md
("Output layouts"): `h5dump -H` on one of these files is the reference.

The numbers are made up but internally consistent where the contract says a
reader can check them: stocks balance with flows in every cell, the first
year has zero flows, shortage/fte = demand/fte - workforce/fte exactly, and
summaries are mean/p05/p50/p95 over the replication axis.
"""

from __future__ import annotations

import numpy as np
import h5py

STRING = h5py.string_dtype("utf-8")
STATS = ("mean", "p05", "p50", "p95")
INTERVAL = ("mean", "lo95", "hi95")
BOUND = ("lo", "hi")

YEARS = tuple(range(2022, 2031))
OCCUPATIONS = ("helper", "vig", "mbo_nurse")
BRANCHES = ("nursing_home", "home_care", "other")
SUBREGIONS = ("north", "south")
FLOWS = ("in.graduates", "in.reentry", "in.career_switchers", "in.transfer",
         "out.retirement", "out.to_reserve", "out.left_region", "out.transfer")
NEEDS = ("home_light", "home_intensive", "wlz_somatic", "wlz_pg")
SETTINGS = ("home", "home_full_package", "nursing_home")
PROGRAMMES = ("mbo2_helper", "mbo3_vig_bbl", "mbo4_nurse")

SCENARIO_TEXT = """name = "synthetic"
[time]
first_year = 2022
last_year = 2030
"""

# Units attribute per variable name (readers fall back to these too).
UNITS = {
    ("workforce", "headcount"): "persons",
    ("workforce", "fte"): "FTE",
    ("workforce", "flows"): "persons per year",
    ("demand", "fte"): "FTE",
    ("shortage", "fte"): "FTE",
    ("shortage", "persons"): "persons",
    ("clients", "count"): "persons",
    ("clients", "waiting"): "persons",
    ("clients", "capacity"): "places",
    ("training", "enrolled"): "persons",
    ("training", "graduates"): "persons per year",
    ("training", "dropouts"): "persons per year",
}

CELL = ("year", "subregion", "branch", "occupation")
VARIABLE_DIMS = {
    ("workforce", "headcount"): CELL,
    ("workforce", "fte"): CELL,
    ("workforce", "flows"): CELL + ("flow",),
    ("demand", "fte"): CELL,
    ("shortage", "fte"): CELL,
    ("shortage", "persons"): CELL,
    ("clients", "count"): ("year", "subregion", "need", "setting"),
    ("clients", "waiting"): ("year", "subregion"),
    ("clients", "capacity"): ("year", "subregion"),
    ("training", "enrolled"): ("year", "programme"),
    ("training", "graduates"): ("year", "programme"),
    ("training", "dropouts"): ("year", "programme"),
}


# --- low-level writers -------------------------------------------------------

def write_scale(f: h5py.File, name: str, values) -> h5py.Dataset:
    """A root dimension scale; strings become variable-length UTF-8."""
    values = list(values)
    if values and isinstance(values[0], str):
        ds = f.create_dataset(name, data=np.array(values, dtype=object), dtype=STRING)
    else:
        ds = f.create_dataset(name, data=np.asarray(values, dtype=np.int32))
    ds.make_scale(name)
    return ds


def write_variable(f: h5py.File, path: str, data, dims, units: str | None = None,
                   compress: bool = True) -> h5py.Dataset:
    """A dataset with every axis attached to the root dimension scale of that name."""
    data = np.asarray(data)
    if data.ndim != len(dims):
        raise ValueError(f"{path}: {data.ndim} axes but dims {dims}")
    kwargs = {"compression": "gzip", "chunks": True} if compress and data.ndim else {}
    if data.dtype.kind in "US" or data.dtype == object:
        ds = f.create_dataset(path, data=np.asarray(data, dtype=object), dtype=STRING)
    else:
        ds = f.create_dataset(path, data=data, **kwargs)
    for axis, dim in enumerate(dims):
        ds.dims[axis].attach_scale(f[dim])
    if units:
        ds.attrs["units"] = units
    return ds


def summarise(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """mean, p05, p50, p95 along `axis`, as a new leading axis."""
    return np.stack([values.mean(axis=axis),
                     np.quantile(values, 0.05, axis=axis),
                     np.quantile(values, 0.50, axis=axis),
                     np.quantile(values, 0.95, axis=axis)])


def _root_attrs(f: h5py.File, command: str, scenario_name: str, seed: int, replications: int):
    f.attrs["careabm_version"] = "0.0.0-synthetic"
    f.attrs["command"] = command
    f.attrs["scenario_name"] = scenario_name
    f.attrs["seed"] = np.int64(seed)
    f.attrs["replications"] = np.int64(replications)
    f.attrs["created_utc"] = "2024-01-01T00:00:00Z"


def _common_scales(f: h5py.File, replications: int):
    write_scale(f, "year", YEARS)
    write_scale(f, "occupation", OCCUPATIONS)
    write_scale(f, "branch", BRANCHES)
    write_scale(f, "subregion", SUBREGIONS)
    write_scale(f, "flow", FLOWS)
    write_scale(f, "replication", range(replications))
    write_scale(f, "need", NEEDS)
    write_scale(f, "setting", SETTINGS)
    write_scale(f, "programme", PROGRAMMES)
    write_scale(f, "stat", STATS)


# --- model-like numbers ------------------------------------------------------

def simulate(replications: int, seed: int, retention_effect: float = 0.0,
             with_capacity: bool = True) -> dict:
    """Per-replication arrays for every contract variable, keyed (group, name).

    The same seed gives the same draws whatever retention_effect is, like the
    model's common random numbers, so paired differences are small.
    """
    rng = np.random.default_rng(seed)
    ny, ns, nb, no, nf = len(YEARS), len(SUBREGIONS), len(BRANCHES), len(OCCUPATIONS), len(FLOWS)
    shape = (replications, ny, ns, nb, no)
    base = rng.uniform(80, 200, size=(ns, nb, no))
    flows = np.zeros(shape + (nf,))
    draw = rng.poisson(lam=1.0, size=shape + (nf,)).astype(float)
    scale = base[None, None, :, :, :, None] * 0.02
    flows[:] = np.round(draw * scale)
    out = np.array([f.startswith("out.") for f in FLOWS])
    leaving = np.array([f in ("out.to_reserve", "out.left_region") for f in FLOWS])
    flows[..., leaving] = np.round(flows[..., leaving] * (1.0 - retention_effect))
    flows[:, 0] = 0.0  # the first year holds the initial population, no flows
    net = flows[..., ~out].sum(-1) - flows[..., out].sum(-1)
    headcount = base[None, None] + np.cumsum(net, axis=1)
    part_time = 0.7
    supply = headcount * part_time
    growth = np.array([1.03 ** i for i in range(ny)])[None, :, None, None, None]
    demand = base[None, None] * part_time * 1.05 * growth + rng.normal(0, 1, size=shape)
    shortage_fte = demand - supply
    clients = rng.poisson(lam=40, size=(replications, ny, ns, len(NEEDS), len(SETTINGS))).astype(float)
    clients *= np.linspace(1.0, 1.3, ny)[None, :, None, None, None]
    clients = np.round(clients)
    # Wlz clients get a nursing-home place while there is one, otherwise they wait.
    capacity = np.full((replications, ny, ns), 150.0)
    home = SETTINGS.index("nursing_home")
    wanting = clients[..., home].sum(-1)
    placed = np.minimum(1.0, capacity / np.maximum(wanting, 1.0))
    clients[..., home] = np.floor(clients[..., home] * placed[..., None])
    waiting = wanting - clients[..., home].sum(-1)
    enrolled = rng.poisson(lam=60, size=(replications, ny, len(PROGRAMMES))).astype(float)
    graduates = np.round(enrolled * 0.3)
    dropouts = np.round(enrolled * 0.1)
    data = {
        ("workforce", "headcount"): headcount,
        ("workforce", "fte"): supply,
        ("workforce", "flows"): flows,
        ("demand", "fte"): demand,
        ("shortage", "fte"): shortage_fte,
        ("shortage", "persons"): shortage_fte / part_time,
        ("clients", "count"): clients,
        ("clients", "waiting"): waiting,
        ("training", "enrolled"): enrolled,
        ("training", "graduates"): graduates,
        ("training", "dropouts"): dropouts,
    }
    if with_capacity:
        data[("clients", "capacity")] = capacity
    return data


# --- the four kinds of file -------------------------------------------------

def write_run(path, replications: int = 5, seed: int = 1, with_capacity: bool = True,
              omit: tuple = ()) -> str:
    """A `careabm run` file. `omit` lists "group/name" datasets to leave out (for tests)."""
    data = simulate(replications, seed, with_capacity=with_capacity)
    with h5py.File(path, "w") as f:
        _root_attrs(f, "run", "synthetic", seed, replications)
        write_variable(f, "scenario", SCENARIO_TEXT, ())
        _common_scales(f, replications)
        for (group, name), values in data.items():
            if f"{group}/{name}" in omit:
                continue
            dims = VARIABLE_DIMS[(group, name)]
            write_variable(f, f"{group}/{name}", values, ("replication",) + dims, UNITS[(group, name)])
            write_variable(f, f"summary/{group}/{name}", summarise(values), ("stat",) + dims,
                           UNITS[(group, name)])
    return str(path)


def t_quantile_975(df: int) -> float:
    """Student t 0.975 quantile (same as careabm_analysis.stats)."""
    from .stats import t_quantile_975 as t
    return t(df)


def write_compare(path, replications: int = 5, seed: int = 1) -> str:
    """A `careabm compare` file: base 'baseline' and two alternatives."""
    scenarios = ("baseline", "retention", "retention_strong")
    effects = (0.0, 0.3, 0.6)
    costs = (0.0, 2.5e6, 6.0e6)  # euros over the horizon
    runs = [simulate(replications, seed, retention_effect=e) for e in effects]
    with h5py.File(path, "w") as f:
        _root_attrs(f, "compare", scenarios[0], seed, replications)
        _common_scales(f, replications)
        write_scale(f, "scenario", scenarios)
        write_scale(f, "alternative", scenarios[1:])
        write_scale(f, "interval", INTERVAL)
        texts = [SCENARIO_TEXT.replace('"synthetic"', f'"{s}"') for s in scenarios]
        write_variable(f, "scenario_text", np.array(texts, dtype=object), ("scenario",))
        for key in runs[0]:
            group, name = key
            dims = VARIABLE_DIMS[key]
            stacked = np.stack([run[key] for run in runs])  # [scenario, replication, ...]
            write_variable(f, f"{group}/{name}", stacked, ("scenario", "replication") + dims,
                           UNITS[key])
            write_variable(f, f"summary/{group}/{name}", summarise(stacked, axis=1),
                           ("stat", "scenario") + dims, UNITS[key])
            paired = stacked[1:] - stacked[0][None]  # [alternative, replication, ...]
            mean = paired.mean(axis=1)
            half = t_quantile_975(replications - 1) * paired.std(axis=1, ddof=1) / np.sqrt(replications)
            write_variable(f, f"difference/{group}/{name}", np.stack([mean, mean - half, mean + half], axis=1),
                           ("alternative", "interval") + dims, UNITS[key])
        gained = -np.stack([run[("shortage", "fte")] for run in runs[1:]]) \
            + runs[0][("shortage", "fte")][None]
        fte_years = gained.mean(axis=1).sum(axis=(1, 2, 3, 4))
        total = np.array(costs[1:])
        per = np.where(fte_years > 0, total / np.where(fte_years > 0, fte_years, 1), np.nan)
        write_variable(f, "difference/cost/total", total, ("alternative",), "euro")
        write_variable(f, "difference/cost/fte_years_gained", fte_years, ("alternative",), "FTE-years")
        write_variable(f, "difference/cost/per_fte_year_gained", per, ("alternative",), "euro per FTE-year")
    return str(path)


def write_sweep(path, design: str = "saltelli", points: int = 12, replications: int = 2,
                seed: int = 1, incomplete: int = 1) -> str:
    """A `careabm sweep` file. design: grid, lhs, saltelli or morris."""
    parameters = ("outflow.early_career.hazard", "training.vig.enrolment", "demand.technology.effect")
    outputs = ("shortage.persons.total.2030", "shortage.fte.vig.2030")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, size=(points, len(parameters)))
    weights = np.array([[300, -150, -80], [60, -50, -10]])
    out = values @ weights.T  # [point, output]
    reps = out[:, None, :] + rng.normal(0, 5, size=(points, replications, len(outputs)))
    completed = np.ones(points, dtype=np.int8)
    if incomplete:
        completed[-incomplete:] = 0
        reps[-incomplete:] = np.nan
    with h5py.File(path, "w") as f:
        _root_attrs(f, "sweep", "synthetic", seed, replications)
        f.attrs["design"] = design
        f.attrs["points"] = np.int64(points)
        write_variable(f, "scenario", SCENARIO_TEXT, ())
        write_scale(f, "point", range(points))
        write_scale(f, "parameter", parameters)
        write_scale(f, "output", outputs)
        write_scale(f, "replication", range(replications))
        write_scale(f, "bound", BOUND)
        write_variable(f, "design", values, ("point", "parameter"))
        write_variable(f, "parameter_bounds", np.array([[0.0, 1.0]] * len(parameters)), ("parameter", "bound"))
        write_variable(f, "completed", completed, ("point",))
        write_variable(f, "outputs/values", reps, ("point", "replication", "output"))
        write_variable(f, "outputs/units", np.array(["persons", "FTE"], dtype=object), ("output",))
        share = weights.astype(float) ** 2 / (weights.astype(float) ** 2).sum(axis=1, keepdims=True)
        if design == "saltelli":
            first = share * 0.9
            total_idx = np.minimum(share * 1.1, 1.0)
            write_variable(f, "sensitivity/sobol_first", first, ("output", "parameter"))
            write_variable(f, "sensitivity/sobol_total", total_idx, ("output", "parameter"))
            write_variable(f, "sensitivity/sobol_first_ci",
                           np.stack([first - 0.05, first + 0.05], axis=-1), ("output", "parameter", "bound"))
            write_variable(f, "sensitivity/sobol_total_ci",
                           np.stack([total_idx - 0.05, total_idx + 0.05], axis=-1),
                           ("output", "parameter", "bound"))
        elif design == "morris":
            write_variable(f, "sensitivity/morris_mu_star", np.abs(weights).astype(float), ("output", "parameter"))
            write_variable(f, "sensitivity/morris_sigma", np.abs(weights) * 0.2, ("output", "parameter"))
    return str(path)


def write_size_cohorts(path, replications: int = 5, seed: int = 1, answer: float = 60.0) -> str:
    """A `careabm size-cohorts` file for programme mbo3_vig_bbl, occupation vig, by 2030."""
    extra = np.arange(0.0, 101.0, 20.0)
    rng = np.random.default_rng(seed)
    per_rep = 90.0 - 1.5 * extra[:, None] + rng.normal(0, 8, size=(extra.size, replications))
    stats = summarise(per_rep, axis=1)  # [stat, candidate]
    with h5py.File(path, "w") as f:
        _root_attrs(f, "size-cohorts", "synthetic", seed, replications)
        f.attrs["programme"] = "mbo3_vig_bbl"
        f.attrs["occupation"] = "vig"
        f.attrs["by_year"] = np.int64(2030)
        f.attrs["goal"] = 0.0
        f.attrs["answer"] = float(answer)
        write_variable(f, "scenario", SCENARIO_TEXT, ())
        write_scale(f, "candidate", range(extra.size))
        write_scale(f, "replication", range(replications))
        write_scale(f, "stat", STATS)
        write_variable(f, "cohorts/extra_enrolment", extra, ("candidate",), "persons per year")
        write_variable(f, "cohorts/shortage", stats, ("stat", "candidate"), "persons")
        write_variable(f, "cohorts/shortage_replications", per_rep, ("candidate", "replication"), "persons")
    return str(path)


def write_all(directory) -> dict:
    """One file of each kind in `directory`; returns {kind: path}."""
    from pathlib import Path
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    return {
        "run": write_run(d / "run.h5"),
        "compare": write_compare(d / "compare.h5"),
        "sweep": write_sweep(d / "sweep_saltelli.h5", design="saltelli"),
        "sweep-morris": write_sweep(d / "sweep_morris.h5", design="morris"),
        "sweep-lhs": write_sweep(d / "sweep_lhs.h5", design="lhs"),
        "size-cohorts": write_size_cohorts(d / "size_cohorts.h5"),
    }
