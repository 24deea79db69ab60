"""Small synthetic careabm output files that follow the HDF5 contract.

They exist to test the analysis side independently of the C++ simulator, and
to show the exact layouts of analysis/README.md ("Output layouts"): `h5dump -H`
or `ncdump -h` on one of these files shows them.

The numbers are made up but internally consistent where the contract says a
reader can check them: stocks balance with flows in every cell, the first
year has zero flows, moves inside the region (in.X and out.X of transfer,
upgrade, mobility) cancel over all cells, workforce/fte includes the working
share of BBL trainees, shortage/fte = demand/fte - workforce/fte exactly,
unfilled = max(0, shortage persons) and surplus = max(0, -shortage persons)
per cell, and summaries are mean, p025, p05, p50, p95, p975 over the
replication axis.

The attributes are what careabm writes (CF-1.8, analysis/README.md, "Units and
CF attributes"): the root attribute Conventions, long_name on every variable and
coordinate, UDUNITS-2 units (counts of persons and FTE are "1", FTE-years
"year", yearly rates "year-1"), flag attributes on /completed, and no units on
the values of scenario keys along `parameter` (their keys' units differ).

legacy=True writes the layout of files from before p025/p975, /shortage/unfilled,
the labour-market flows, the cost intervals and the CF attributes existed (units
such as "persons" and "FTE", no long_name), so that the fallbacks of the
reader, the figures and the report stay tested.
"""

from __future__ import annotations

import numpy as np
import h5py

from .stats import SUMMARY_STATS, LEGACY_SUMMARY_STATS, paired_interval, ratio_interval

STRING = h5py.string_dtype("utf-8")
STATS = SUMMARY_STATS                  # mean, p025, p05, p50, p95, p975
LEGACY_STATS = LEGACY_SUMMARY_STATS    # mean, p05, p50, p95 (older files)
STAT_QUANTILES = {"p025": 0.025, "p05": 0.05, "p50": 0.50, "p95": 0.95, "p975": 0.975}
INTERVAL = ("mean", "lo95", "hi95")
BOUND = ("lo", "hi")

YEARS = tuple(range(2022, 2031))
OCCUPATIONS = ("helper", "vig", "mbo_nurse")
BRANCHES = ("nursing_home", "home_care", "other")
SUBREGIONS = ("north", "south")
# As careabm writes them (core/flows.h): inflows, then outflows.
FLOWS = ("in.graduates", "in.reentry", "in.career_switchers", "in.outside_region", "in.transfer",
         "in.upgrade", "in.mobility", "in.recruited_reserve", "in.recruited_outside",
         "out.retirement", "out.to_reserve", "out.left_region", "out.death_disability", "out.transfer",
         "out.upgrade", "out.mobility")
LEGACY_FLOWS = ("in.graduates", "in.reentry", "in.career_switchers", "in.transfer",
                "out.retirement", "out.to_reserve", "out.left_region", "out.transfer")
INTERNAL_MOVES = ("transfer", "upgrade", "mobility")  # in.X and out.X cancel over all cells
NEEDS = ("home_light", "home_intensive", "wlz_somatic", "wlz_pg")
SETTINGS = ("home", "home_full_package", "nursing_home")
PROGRAMMES = ("mbo2_helper", "mbo3_vig_bbl", "mbo4_nurse")

# The uncertain parameters of a synthetic `run --uncertainty` file:
# (key, distribution, lower, central, upper).
PARAMETERS = (
    ("outflow.rate.vig", "uniform", 0.07, 0.09, 0.11),
    ("clients.demand.hours_per_fte", "normal", 1200.0, 1400.0, 1600.0),
    ("labour_market.recruitment.efficiency", "triangular", 0.2, 0.5, 0.8),
)

SCENARIO_TEXT = """name = "synthetic"
[time]
first_year = 2022
last_year = 2030
"""

CELL = ("year", "subregion", "branch", "occupation")
CONVENTIONS = "CF-1.8"
# (group, name): (dims without replication, long_name), in the order careabm writes them;
# units are "1" (UDUNITS-2 has no persons or FTE: the thing counted is in long_name).
VARIABLES = {
    ("workforce", "headcount"): (CELL, "active workers"),
    ("workforce", "reserve"): (CELL, "reserve: qualified people out of the sector"),
    ("workforce", "self_employed"): (CELL, "active self-employed workers"),
    ("workforce", "flows"): (CELL + ("flow",), "workers moving in or out during the year"),
    ("workforce", "fte"): (CELL, "supply in full-time equivalents"),
    ("workforce", "trainee_fte"): (CELL, "BBL trainees' supply in full-time equivalents"),
    ("demand", "fte"): (CELL, "demand in full-time equivalents"),
    ("shortage", "fte"): (CELL, "shortage in full-time equivalents"),
    ("shortage", "persons"): (CELL, "shortage in persons"),
    ("shortage", "unfilled"): (CELL, "unfilled demand in persons"),
    ("shortage", "surplus"): (CELL, "surplus in persons"),
    ("training", "enrolled"): (("year", "programme"), "new trainees during the year"),
    ("training", "graduates"): (("year", "programme"), "graduates during the year"),
    ("training", "dropouts"): (("year", "programme"), "dropouts during the year"),
    ("training", "students"): (("year", "programme"), "trainees studying"),
    ("clients", "count"): (("year", "subregion", "need", "setting"), "clients"),
    ("clients", "waiting"): (("year", "subregion"), "clients waiting for a nursing-home place"),
    ("clients", "capacity"): (("year", "subregion"), "nursing-home places"),
    ("clients", "new"): (("year", "subregion"), "new clients during the year"),
    ("clients", "deaths"): (("year", "subregion"), "deaths of clients during the year"),
    ("clients", "informal_share"): (("year", "subregion"), "share of home-care demand covered by informal care"),
}
VARIABLE_DIMS = {key: dims for key, (dims, _) in VARIABLES.items()}
LONG_NAMES = {key: long_name for key, (_, long_name) in VARIABLES.items()}
UNITS = {key: "1" for key in VARIABLES}
# The units of files from before the CF attributes (legacy=True).
LEGACY_UNITS = {
    ("workforce", "headcount"): "persons", ("workforce", "fte"): "FTE", ("workforce", "flows"): "persons per year",
    ("demand", "fte"): "FTE", ("shortage", "fte"): "FTE", ("shortage", "persons"): "persons",
    ("clients", "count"): "persons", ("clients", "waiting"): "persons", ("clients", "capacity"): "places",
    ("training", "enrolled"): "persons per year", ("training", "graduates"): "persons per year",
    ("training", "dropouts"): "persons per year",
}
# long_name of each coordinate, as careabm writes them; numeric coordinates also carry units "1".
COORDINATE_NAMES = {
    "year": "year", "subregion": "subregion", "branch": "branch", "occupation": "occupation",
    "flow": "flow (in.* into the cell, out.* out of it)", "replication": "replication",
    "stat": "statistic over replications", "programme": "training programme", "need": "need level",
    "setting": "care setting", "intervention": "intervention", "parameter": "parameter", "scenario": "scenario",
    "alternative": "alternative scenario", "interval": "mean and 95% confidence interval", "point": "design point",
    "output": "sweep output", "bound": "end of the parameter's range", "candidate": "candidate extra enrolment",
}
# The description of the values of scenario keys along `parameter`, which carry no units.
PARAMETER_UNITS = ("each parameter's column keeps the units of its scenario key (no units attribute: they "
                   "differ between keys)")
# What files from before the layout change held.
LEGACY_VARIABLES = (("workforce", "headcount"), ("workforce", "fte"), ("workforce", "flows"), ("demand", "fte"),
                    ("shortage", "fte"), ("shortage", "persons"), ("clients", "count"), ("clients", "waiting"),
                    ("clients", "capacity"), ("training", "enrolled"), ("training", "graduates"),
                    ("training", "dropouts"))


# --- low-level writers -------------------------------------------------------

def write_scale(f: h5py.File, name: str, values, cf: bool = True) -> h5py.Dataset:
    """A root dimension scale; strings become variable-length UTF-8, numbers int64 (as careabm),
    with careabm's long_name (and units "1" when numeric) unless cf=False (older files)."""
    values = list(values)
    if values and isinstance(values[0], str):
        ds = f.create_dataset(name, data=np.array(values, dtype=object), dtype=STRING)
    else:
        ds = f.create_dataset(name, data=np.asarray(values, dtype=np.int64))
    ds.make_scale(name)
    if cf:
        ds.attrs["long_name"] = COORDINATE_NAMES.get(name, name)
        if ds.dtype.kind in "iuf":
            ds.attrs["units"] = "1"
    return ds


def write_variable(f: h5py.File, path: str, data, dims, units: str | None = None,
                   compress: bool = True, description: str | None = None,
                   long_name: str | None = None) -> h5py.Dataset:
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
    if long_name:
        ds.attrs["long_name"] = long_name
    if units:
        ds.attrs["units"] = units
    if description:
        ds.attrs["description"] = description
    return ds


def summarise(values: np.ndarray, axis: int = 0, stats=STATS) -> np.ndarray:
    """The summary statistics `stats` (mean, p025, p05, p50, p95, p975) along `axis`, as a new
    leading axis; quantiles interpolate linearly (numpy's default, as careabm)."""
    values = np.asarray(values, dtype=float)
    return np.stack([values.mean(axis=axis) if s == "mean" else np.quantile(values, STAT_QUANTILES[s], axis=axis)
                     for s in stats])


def _root_attrs(f: h5py.File, command: str, scenario_name: str, seed: int, replications: int):
    f.attrs["careabm_version"] = "0.0.0-synthetic"
    f.attrs["command"] = command
    f.attrs["command_line"] = f"careabm {command} (synthetic)"
    f.attrs["scenario_name"] = scenario_name
    f.attrs["seed"] = np.int64(seed)
    f.attrs["replications"] = np.int64(replications)
    f.attrs["created_utc"] = "2024-01-01T00:00:00Z"


def _cf_root(f: h5py.File, comment: str | None = None):
    f.attrs["Conventions"] = CONVENTIONS
    if comment:
        f.attrs["comment"] = comment


def _attributes(key, legacy: bool) -> dict:
    """write_variable's units and long_name of the run variable `key`, as careabm writes them
    (legacy: the units of older files, no long_name)."""
    if legacy:
        return {"units": LEGACY_UNITS.get(key)}
    return {"units": UNITS[key], "long_name": LONG_NAMES[key]}


def _common_scales(f: h5py.File, replications: int, legacy: bool = False):
    cf = not legacy
    write_scale(f, "year", YEARS, cf)
    write_scale(f, "subregion", SUBREGIONS, cf)
    write_scale(f, "branch", BRANCHES, cf)
    write_scale(f, "occupation", OCCUPATIONS, cf)
    write_scale(f, "flow", LEGACY_FLOWS if legacy else FLOWS, cf)
    write_scale(f, "replication", range(replications), cf)
    write_scale(f, "stat", LEGACY_STATS if legacy else STATS, cf)
    write_scale(f, "programme", PROGRAMMES, cf)
    write_scale(f, "need", NEEDS, cf)
    write_scale(f, "setting", SETTINGS, cf)


# --- model-like numbers ------------------------------------------------------

def simulate(replications: int, seed: int, retention_effect: float = 0.0,
             with_capacity: bool = True, demand_scale=None, legacy: bool = False) -> dict:
    """Per-replication arrays for every run variable, keyed (group, name).

    The same seed gives the same draws whatever retention_effect or demand_scale
    is, like the model's common random numbers, so paired differences are small.
    demand_scale (one factor per replication) plays the drawn parameters of
    `run --uncertainty`.
    """
    rng = np.random.default_rng(seed)
    flows_labels = LEGACY_FLOWS if legacy else FLOWS
    ny, ns, nb, no, nf = len(YEARS), len(SUBREGIONS), len(BRANCHES), len(OCCUPATIONS), len(flows_labels)
    shape = (replications, ny, ns, nb, no)
    base = rng.uniform(80, 200, size=(ns, nb, no))
    draw = rng.poisson(lam=1.0, size=shape + (nf,)).astype(float)
    flows = np.round(draw * base[None, None, :, :, :, None] * 0.02)
    out = np.array([f.startswith("out.") for f in flows_labels])
    leaving = np.array([f in ("out.to_reserve", "out.left_region") for f in flows_labels])
    flows[..., leaving] = np.round(flows[..., leaving] * (1.0 - retention_effect))
    # Moves inside the region leave one cell and enter another: out.X is in.X of other cells.
    cells = ns * nb * no
    for move in INTERNAL_MOVES:
        if f"in.{move}" in flows_labels:
            i, o = flows_labels.index(f"in.{move}"), flows_labels.index(f"out.{move}")
            flat = flows[..., i].reshape(replications, ny, cells)
            flows[..., o] = np.roll(flat, 1, axis=-1).reshape(shape)
    flows[:, 0] = 0.0  # the first year holds the initial population, no flows
    net = flows[..., ~out].sum(-1) - flows[..., out].sum(-1)
    headcount = np.round(base)[None, None] + np.cumsum(net, axis=1)
    part_time = 0.7
    trainee_fte = np.round(rng.uniform(0, 3, size=shape), 2) * (np.arange(ny) > 0)[None, :, None, None, None]
    supply = headcount * part_time + trainee_fte
    growth = np.array([1.03 ** i for i in range(ny)])[None, :, None, None, None]
    tilt = rng.uniform(0.85, 1.2, size=(ns, nb, no))[None, None]  # some cells end with a surplus
    demand = base[None, None] * part_time * 1.05 * growth * tilt + rng.normal(0, 1, size=shape)
    if demand_scale is not None:
        demand = demand * np.asarray(demand_scale, dtype=float)[:, None, None, None, None]
    shortage_fte = demand - supply
    shortage_persons = shortage_fte / part_time
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
    students = np.cumsum(enrolled - graduates - dropouts, axis=1) + 100
    new = rng.poisson(lam=30, size=(replications, ny, ns)).astype(float)
    data = {
        ("workforce", "headcount"): headcount.astype(np.int64),
        ("workforce", "reserve"): np.round(base * 0.2)[None, None].repeat(replications, 0).repeat(ny, 1)
        .astype(np.int64),
        ("workforce", "self_employed"): np.floor(headcount * 0.1).astype(np.int64),
        ("workforce", "flows"): flows.astype(np.int64),
        ("workforce", "fte"): supply,
        ("workforce", "trainee_fte"): trainee_fte,
        ("demand", "fte"): demand,
        ("shortage", "fte"): shortage_fte,
        ("shortage", "persons"): shortage_persons,
        ("shortage", "unfilled"): np.maximum(0.0, shortage_persons),
        ("shortage", "surplus"): np.maximum(0.0, -shortage_persons),
        ("training", "enrolled"): enrolled,
        ("training", "graduates"): graduates,
        ("training", "dropouts"): dropouts,
        ("training", "students"): students,
        ("clients", "count"): clients,
        ("clients", "waiting"): waiting,
        ("clients", "capacity"): capacity,
        ("clients", "new"): new,
        ("clients", "deaths"): np.round(new * 0.8),
        ("clients", "informal_share"): np.full((replications, ny, ns), 0.35),
    }
    if not with_capacity:
        del data[("clients", "capacity")]
    if legacy:
        data = {k: v for k, v in data.items() if k in LEGACY_VARIABLES}
    return data


def _write_run_variables(f: h5py.File, data: dict, omit=(), prefix: str = "", stats=STATS,
                         legacy: bool = False):
    """/<prefix><group>/<name> [replication, ...] and /<prefix>summary/<group>/<name> [stat, ...]."""
    for (group, name), values in data.items():
        if f"{group}/{name}" in omit:
            continue
        dims = VARIABLE_DIMS[(group, name)]
        attributes = _attributes((group, name), legacy)
        write_variable(f, f"{prefix}{group}/{name}", values, ("replication",) + dims, **attributes)
        write_variable(f, f"{prefix}summary/{group}/{name}", summarise(values, stats=stats), ("stat",) + dims,
                       **attributes)


def draw_parameters(replications: int, seed: int) -> np.ndarray:
    """[replication, parameter]: a Latin hypercube over replications within each band."""
    rng = np.random.default_rng(seed + 7919)
    values = np.empty((replications, len(PARAMETERS)))
    for k, (_, _, lower, _, upper) in enumerate(PARAMETERS):
        strata = (rng.permutation(replications) + rng.uniform(0, 1, replications)) / replications
        values[:, k] = lower + strata * (upper - lower)
    return values


# --- the four kinds of file -------------------------------------------------

def write_run(path, replications: int = 5, seed: int = 1, with_capacity: bool = True,
              omit: tuple = (), legacy: bool = False, uncertainty: bool = False) -> str:
    """A `careabm run` file. `omit` lists "group/name" datasets to leave out (for tests).

    uncertainty=True adds what `careabm run --uncertainty` writes: /uncertainty/parameters,
    the bands, and every variable again under /uncertainty/ (runs with drawn parameters).
    legacy=True writes the older layout (see the module docstring).
    """
    stats = LEGACY_STATS if legacy else STATS
    data = simulate(replications, seed, with_capacity=with_capacity, legacy=legacy)
    with h5py.File(path, "w") as f:
        _root_attrs(f, "run", "synthetic", seed, replications)
        if not legacy:
            _cf_root(f, "stocks at the end of each year (first year: initial population); flows during the year; "
                        "headcount[y] = headcount[y-1] + sum(in.*) - sum(out.*)")
        write_variable(f, "scenario", SCENARIO_TEXT, (),
                       long_name=None if legacy else "the resolved scenario (TOML)")
        _common_scales(f, replications, legacy)
        _write_run_variables(f, data, omit, stats=stats, legacy=legacy)
        if uncertainty:
            draws = draw_parameters(replications, seed)
            write_scale(f, "parameter", [p[0] for p in PARAMETERS], not legacy)
            _write_draws(f, draws, legacy)
            for i, name, long_name in ((2, "lower", "lower end of the band"), (3, "central", "the scenario's value"),
                                       (4, "upper", "upper end of the band")):
                write_variable(f, f"uncertainty/{name}", np.array([p[i] for p in PARAMETERS]), ("parameter",),
                               long_name=None if legacy else long_name,
                               description=None if legacy else PARAMETER_UNITS)
            write_variable(f, "uncertainty/distribution", np.array([p[1] for p in PARAMETERS], dtype=object),
                           ("parameter",), long_name=None if legacy else "distribution of the parameter's band")
            # The drawn outflow rate moves demand-side numbers here: a wider spread than simulation alone.
            scale = 1.0 + 2.0 * (draws[:, 0] - PARAMETERS[0][3])
            drawn = simulate(replications, seed, with_capacity=with_capacity, demand_scale=scale, legacy=legacy)
            _write_run_variables(f, drawn, omit, prefix="uncertainty/", stats=stats, legacy=legacy)
    return str(path)


def _write_draws(f: h5py.File, draws, legacy: bool = False):
    """/uncertainty/parameters [replication, parameter]: long_name, no units (the keys' differ)."""
    write_variable(f, "uncertainty/parameters", draws, ("replication", "parameter"),
                   long_name=None if legacy else "drawn value of the parameter",
                   description=None if legacy else PARAMETER_UNITS)


def t_quantile_975(df: int) -> float:
    """Student t 0.975 quantile (same as careabm_analysis.stats)."""
    from .stats import t_quantile_975 as t
    return t(df)


# Eight alternatives with long names (as `careabm compare base.toml interventions/*.toml`
# names them): (name, retention effect, cost over the horizon in euro).
WIDE_ALTERNATIVES = tuple(
    (f"baseline-{name}", effect, cost) for name, effect, cost in (
        ("retention-of-starters-in-nursing-homes-and-home-care", 0.25, 8.0e6),
        ("certificate-track-for-career-switchers", 0.10, 4.0e6),
        ("larger-contracts-for-part-timers", 0.15, 4.5e6),
        ("regional-flex-pool", 0.20, 3.4e6),
        ("care-technology", 0.35, 25.0e6),
        ("reablement-of-clients-at-home", 0.30, 29.0e6),
        ("light-care-at-home", 0.02, 0.0),
        ("everything-together-at-half-strength", 0.45, 38.0e6)))
# Twenty parameter keys of 39 to 55 characters, like a sweep over the labour market.
WIDE_PARAMETERS = (
    "labour_market.allocation.vacancy_weight", "labour_market.matching.efficiency.helper",
    "labour_market.matching.efficiency.vig_and_mbo_nurse", "labour_market.matching.elasticity.unemployed",
    "labour_market.recruitment.outside_pool.size.helper", "labour_market.recruitment.outside_pool.size.vig",
    "labour_market.feedback.elasticity.nursing_home.vig", "labour_market.feedback.cap.home_care.mbo_nurse",
    "labour_market.mobility.rate.helper_to_vig_on_the_job", "labour_market.mobility.vacancy_pull.mbo_nurse",
    "outflow.rate.vig.tenure_below_two_years_multiplier", "outflow.rate.mbo_nurse.age_band_55_to_64_multiplier",
    "training.supervision.trainees_per_supervisor.vig", "training.programmes.mbo3_vig_bbl.dropout_rate",
    "training.programmes.hbo_nurse.entry_probability", "clients.demand.home_care.hours_per_client_per_week",
    "clients.incidence.age_band_85_plus.wlz_pg_multiplier", "clients.indication_policy.at_home_share_from_2024",
    "workforce.contract_hours.part_time_factor.home_care", "workforce.sickness_absence.nursing_home.all_staff")


def write_compare(path, replications: int = 5, seed: int = 1, legacy: bool = False,
                  uncertainty: bool = False, alternatives=None) -> str:
    """A `careabm compare` file: base 'baseline' and two alternatives, or `alternatives`
    ((name, retention effect, cost over the horizon) each; WIDE_ALTERNATIVES has eight).

    legacy=True: 4 stats, the old flows, /difference/cost/* as [alternative] and no /cost.
    uncertainty=True: /uncertainty/parameters and the root attribute `uncertainty`.
    """
    stats = LEGACY_STATS if legacy else STATS
    alternatives = alternatives or (("retention", 0.3, 2.5e6), ("retention_strong", 0.6, 6.0e6))
    scenarios = ("baseline",) + tuple(a[0] for a in alternatives)
    effects = (0.0,) + tuple(a[1] for a in alternatives)
    costs = (0.0,) + tuple(a[2] for a in alternatives)  # euros over the horizon (mean)
    runs = [simulate(replications, seed, retention_effect=e, legacy=legacy) for e in effects]
    rng = np.random.default_rng(seed + 1)
    ny = len(YEARS)
    # Intervention cost per year from the third year on, with some spread over replications.
    spread = 1.0 + 0.02 * rng.standard_normal((len(scenarios), replications))
    by_year = np.zeros((len(scenarios), replications, ny))
    for s_, cost in enumerate(costs):
        by_year[s_, :, 2:] = cost * spread[s_, :, None] / (ny - 2)
    cf = not legacy
    with h5py.File(path, "w") as f:
        _root_attrs(f, "compare", scenarios[0], seed, replications)
        if cf:
            _cf_root(f, "every scenario ran with the base's seed: replication r of each uses the same random "
                        "stream (common random numbers); /difference = alternative - base paired by replication, "
                        "mean and 95% confidence interval mean -+ t(0.975, R-1) sd/sqrt(R)")
        _common_scales(f, replications, legacy)
        write_scale(f, "scenario", scenarios, cf)
        write_scale(f, "alternative", scenarios[1:], cf)
        write_scale(f, "interval", INTERVAL, cf)
        texts = [SCENARIO_TEXT.replace('"synthetic"', f'"{s}"') for s in scenarios]
        write_variable(f, "scenario_text", np.array(texts, dtype=object), ("scenario",),
                       long_name="the resolved scenario (TOML)" if cf else None)
        for key in runs[0]:
            group, name = key
            dims = VARIABLE_DIMS[key]
            attributes = _attributes(key, legacy)
            stacked = np.stack([run[key] for run in runs])  # [scenario, replication, ...]
            write_variable(f, f"{group}/{name}", stacked, ("scenario", "replication") + dims, **attributes)
            write_variable(f, f"summary/{group}/{name}", summarise(stacked, axis=1, stats=stats),
                           ("stat", "scenario") + dims, **attributes)
            paired = stacked[1:] - stacked[0][None]  # [alternative, replication, ...]
            mean = paired.mean(axis=1)
            half = t_quantile_975(replications - 1) * paired.std(axis=1, ddof=1) / np.sqrt(replications)
            if cf:
                attributes["long_name"] = "difference in " + attributes["long_name"]
            write_variable(f, f"difference/{group}/{name}", np.stack([mean, mean - half, mean + half], axis=1),
                           ("alternative", "interval") + dims, **attributes)
        total_cost = by_year.sum(-1)  # [scenario, replication]
        if legacy:  # [alternative]: means only; FTE-years gained from the net shortage
            gained = (runs[0][("shortage", "fte")][None] - np.stack([r[("shortage", "fte")] for r in runs[1:]]))
            fte_years = gained.mean(axis=1).sum(axis=(1, 2, 3, 4))
            total = np.array(costs[1:])
            per = np.where(fte_years > 0, total / np.where(fte_years > 0, fte_years, 1), np.nan)
            write_variable(f, "difference/cost/total", total, ("alternative",), "euro")
            write_variable(f, "difference/cost/fte_years_gained", fte_years, ("alternative",), "FTE-years")
            write_variable(f, "difference/cost/per_fte_year_gained", per, ("alternative",), "euro per FTE-year")
            return str(path)
        unfilled = np.stack([np.maximum(0.0, r[("shortage", "fte")]).sum(axis=(1, 2, 3, 4)) for r in runs])
        write_variable(f, "cost/by_year", by_year, ("scenario", "replication", "year"), "1",
                       description="intervention cost in the year (all interventions of the scenario)",
                       long_name="intervention cost in euros")
        write_variable(f, "cost/unfilled_fte_years", unfilled, ("scenario", "replication"), "year",
                       description="sum over years and cells of max(0, /shortage/fte)",
                       long_name="unfilled demand in full-time-equivalent years")
        total, gained, per = [], [], []
        for a in range(1, len(scenarios)):
            cost = total_cost[a] - total_cost[0]
            gain = unfilled[0] - unfilled[a]
            total.append(paired_interval(cost))
            gained.append(paired_interval(gain))
            per.append(ratio_interval(cost, gain))
        for name, values, units, long_name in (
                ("total", total, "1", "difference in intervention cost in euros"),
                ("fte_years_gained", gained, "year", "unfilled demand removed in full-time-equivalent years"),
                ("per_fte_year_gained", per, "year-1", "euros per full-time-equivalent year gained")):
            write_variable(f, f"difference/cost/{name}", np.array(values, dtype=float), ("alternative", "interval"),
                           units, long_name=long_name)
        if uncertainty:
            f.attrs["uncertainty"] = "parameters drawn per replication ([uncertainty] of each scenario)"
            write_scale(f, "parameter", [p[0] for p in PARAMETERS])
            _write_draws(f, draw_parameters(replications, seed))
    return str(path)


def write_sweep(path, design: str = "saltelli", points: int = 12, replications: int = 2,
                seed: int = 1, incomplete: int = 1, parameters=None) -> str:
    """A `careabm sweep` file. design: grid, lhs, saltelli or morris. `parameters`: the
    keys swept (default three short ones; WIDE_PARAMETERS has twenty long ones)."""
    outputs = ("shortage.persons.total.2030", "shortage.fte.vig.2030")
    rng = np.random.default_rng(seed)
    if parameters is None:
        parameters = ("outflow.early_career.hazard", "training.vig.enrolment", "demand.technology.effect")
        weights = np.array([[300, -150, -80], [60, -50, -10]])
    else:  # the largest effects fall on middle parameters, where a legend inside the panel would sit
        parameters = tuple(parameters)
        weights = np.round(rng.uniform(-60, 60, size=(len(outputs), len(parameters))))
        weights[:, len(parameters) // 2] = (400, 90)
    unit = rng.uniform(0, 1, size=(points, len(parameters)))
    values = unit  # the bounds below are [0, 1]
    out = values @ weights.T  # [point, output]
    reps = out[:, None, :] + rng.normal(0, 5, size=(points, replications, len(outputs)))
    completed = np.ones(points, dtype=np.int8)
    if incomplete:
        completed[-incomplete:] = 0
        reps[-incomplete:] = np.nan
    with h5py.File(path, "w") as f:
        _root_attrs(f, "sweep", "synthetic", seed, replications)
        _cf_root(f)
        f.attrs["scenario_seed"] = np.int64(20221)
        f.attrs["design"] = design
        f.attrs["points"] = np.int64(points)
        write_variable(f, "scenario", SCENARIO_TEXT, (), long_name="the resolved base scenario (TOML)")
        # The outputs' selections, as in a sweep file ([[outputs]]: name, variable, year, filters).
        sweep_text = (f'scenario = "synthetic.toml"\n[design]\nkind = "{design}"\n'
                      '[[outputs]]\nname = "shortage.persons.total.2030"\nvariable = "shortage/persons"\n'
                      'year = 2030\n'
                      '[[outputs]]\nname = "shortage.fte.vig.2030"\nvariable = "shortage/fte"\nyear = 2030\n'
                      'occupation = "vig"\n')
        write_variable(f, "sweep", sweep_text, (), long_name="the sweep file (TOML)")
        write_scale(f, "point", range(points))
        write_scale(f, "parameter", parameters)
        write_scale(f, "output", outputs)
        write_scale(f, "replication", range(replications))
        write_scale(f, "bound", BOUND)
        write_variable(f, "design", values, ("point", "parameter"), long_name="parameter value",
                       description="the parameter values run at each point; " + PARAMETER_UNITS)
        write_variable(f, "design_unit", unit, ("point", "parameter"), "1",
                       long_name="parameter value on the unit hypercube")
        write_variable(f, "parameter_bounds", np.array([[0.0, 1.0]] * len(parameters)), ("parameter", "bound"),
                       long_name="end of the parameter's range",
                       description="the range each parameter was sampled from; " + PARAMETER_UNITS)
        ds = write_variable(f, "completed", completed, ("point",), "1", long_name="point complete")
        ds.attrs["flag_values"] = np.array([0, 1], dtype=np.int8)
        ds.attrs["flag_meanings"] = "incomplete complete"
        write_variable(f, "outputs/values", reps, ("point", "replication", "output"), "1", long_name="sweep output")
        write_variable(f, "outputs/units", np.array(["1", "1"], dtype=object), ("output",),
                       long_name="units of each output (UDUNITS-2)")
        share = weights.astype(float) ** 2 / (weights.astype(float) ** 2).sum(axis=1, keepdims=True)
        if design == "saltelli":
            first = share * 0.9
            total_idx = np.minimum(share * 1.1, 1.0)
            write_variable(f, "sensitivity/sobol_first", first, ("output", "parameter"), "1",
                           long_name="first-order Sobol' index")
            write_variable(f, "sensitivity/sobol_total", total_idx, ("output", "parameter"), "1",
                           long_name="total Sobol' index")
            write_variable(f, "sensitivity/sobol_first_ci",
                           np.stack([first - 0.05, first + 0.05], axis=-1), ("output", "parameter", "bound"), "1",
                           long_name="95% interval of the first-order Sobol' index")
            write_variable(f, "sensitivity/sobol_total_ci",
                           np.stack([total_idx - 0.05, total_idx + 0.05], axis=-1),
                           ("output", "parameter", "bound"), "1", long_name="95% interval of the total Sobol' index")
        elif design == "morris":
            write_variable(f, "sensitivity/morris_mu_star", np.abs(weights).astype(float), ("output", "parameter"),
                           "1", long_name="Morris mu*: mean absolute elementary effect")
            write_variable(f, "sensitivity/morris_sigma", np.abs(weights) * 0.2, ("output", "parameter"), "1",
                           long_name="Morris sigma: standard deviation of the elementary effects")
    return str(path)


def write_size_cohorts(path, replications: int = 5, seed: int = 1, answer: float = 60.0,
                       legacy: bool = False) -> str:
    """A `careabm size-cohorts` file for programme mbo3_vig_bbl, occupation vig, by 2030."""
    stats = LEGACY_STATS if legacy else STATS
    extra = np.arange(0.0, 101.0, 20.0)
    rng = np.random.default_rng(seed)
    per_rep = 90.0 - 1.5 * extra[:, None] + rng.normal(0, 8, size=(extra.size, replications))
    ramp = np.linspace(0.3, 1.0, len(YEARS))
    trajectory = per_rep[:, :, None] * ramp[None, None, :]  # [candidate, replication, year]
    with h5py.File(path, "w") as f:
        _root_attrs(f, "size-cohorts", "synthetic", seed, replications)
        f.attrs["programme"] = "mbo3_vig_bbl"
        f.attrs["occupation"] = "vig"
        f.attrs["by_year"] = np.int64(2030)
        f.attrs["from_year"] = np.int64(2023)
        f.attrs["goal"] = 0.0
        f.attrs["answer"] = float(answer)
        cf = not legacy
        if cf:
            _cf_root(f, "candidates are constant extra enrolments a year from from_year, all run with the "
                        "scenario's seed (common random numbers)")
        write_variable(f, "scenario", SCENARIO_TEXT, (), long_name="the resolved scenario (TOML)" if cf else None)
        write_scale(f, "candidate", range(extra.size), cf)
        write_scale(f, "replication", range(replications), cf)
        if cf:
            write_scale(f, "year", YEARS)
        write_scale(f, "stat", stats, cf)
        shortage = {"units": "1", "long_name": "shortage in persons"} if cf else {"units": "persons"}
        write_variable(f, "cohorts/extra_enrolment", extra, ("candidate",), "year-1" if cf else "persons per year",
                       long_name="extra trainees enrolled a year" if cf else None)
        write_variable(f, "cohorts/shortage", summarise(per_rep, axis=1, stats=stats), ("stat", "candidate"),
                       **shortage)
        write_variable(f, "cohorts/shortage_replications", per_rep, ("candidate", "replication"), **shortage)
        if cf:
            write_variable(f, "cohorts/trajectory", summarise(trajectory, axis=1, stats=stats),
                           ("stat", "candidate", "year"), **shortage)
    return str(path)


def write_all(directory) -> dict:
    """One file of each kind in `directory` (and a run and a compare with parameter
    uncertainty); returns {kind: path}."""
    from pathlib import Path
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    return {
        "run": write_run(d / "run.h5"),
        "run-uncertainty": write_run(d / "run_uncertainty.h5", uncertainty=True),
        "compare": write_compare(d / "compare.h5"),
        "compare-uncertainty": write_compare(d / "compare_uncertainty.h5", uncertainty=True),
        "sweep": write_sweep(d / "sweep_saltelli.h5", design="saltelli"),
        "sweep-morris": write_sweep(d / "sweep_morris.h5", design="morris"),
        "sweep-lhs": write_sweep(d / "sweep_lhs.h5", design="lhs"),
        "size-cohorts": write_size_cohorts(d / "size_cohorts.h5"),
        # For the layout checks: eight alternatives with long names, twenty long parameter keys.
        "compare-wide": write_compare(d / "compare_wide.h5", alternatives=WIDE_ALTERNATIVES),
        "sweep-wide": write_sweep(d / "sweep_wide.h5", design="saltelli", points=44, parameters=WIDE_PARAMETERS),
        "sweep-morris-wide": write_sweep(d / "sweep_morris_wide.h5", design="morris", points=42,
                                         parameters=WIDE_PARAMETERS),
    }
