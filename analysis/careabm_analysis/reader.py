"""Read a careabm HDF5 output file into labelled xarray Datasets.

    out = open_output("baseline.h5")
    out.kind                       # "run", "compare", "sweep" or "size-cohorts"
    out["workforce"]               # xarray.Dataset, dims labelled from the root scales
    out.variable("shortage/persons", needed_for="the shortage chart")
    out.shortage("unfilled")       # max(0, shortage persons) per cell (computed for older files)
    out.parameter_runs()           # run --uncertainty: the runs with drawn parameters, run-like

Every group of the file is loaded with xarray (engine="h5netcdf") and closed,
so no file handle stays open. Opening a subgroup with xarray does not attach
the coordinates of dimension scales that live in the root group, so they are
attached here from the root group. Agent microdata (/agents) is not loaded.

Anything wrong with the file raises CareabmFileError with a message that names
the file and the dataset or attribute at fault: a missing file or dataset, a
file that is not HDF5 or not careabm's, values that are neither numbers nor
strings, an axis without a dimension scale or of another length than its root
scale's labels, a root attribute `replications` that the /replication axis does
not hold, or more values in all than MAX_VALUES (checked from the metadata,
before anything is loaded: HDF5 stores unwritten chunks in no space, so a small
file can declare any size).
"""

from __future__ import annotations

import os
from typing import Iterable

import numpy as np

KINDS = ("run", "compare", "sweep", "size-cohorts")
SKIPPED_GROUPS = ("agents",)
# The most values the reader loads from one file (careabm's own read limit, 2^28).
MAX_VALUES = 1 << 28


class CareabmFileError(Exception):
    """The file is missing, not a careabm output, of the wrong kind, or lacks a dataset."""


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value[()])
    return str(value)


def _plain(value):
    """HDF5 attribute value as a plain Python value."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return _plain(value[()])
        if value.size == 1:
            return _plain(value.reshape(-1)[0])
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


class CareabmOutput:
    """The groups of one careabm output file, as xarray Datasets keyed by group path.

    Keys are group paths without the leading slash ("workforce",
    "summary/shortage", "difference/cost", "sensitivity", ...); "" (also "/")
    is the root group: dimension coordinates and root datasets such as
    /scenario, /design, /completed.
    """

    def __init__(self, path: str, attrs: dict, groups: dict):
        self.path = str(path)
        self.attrs = attrs
        self.groups = groups
        self.kind = _text(attrs.get("command", ""))

    # --- groups and variables ------------------------------------------------

    @property
    def root(self):
        return self.groups[""]

    def __getitem__(self, group: str):
        return self.group(group)

    def __contains__(self, path: str) -> bool:
        return self.has(path)

    def group(self, name: str, needed_for: str | None = None):
        key = name.strip("/")
        if key not in self.groups:
            raise CareabmFileError(self._missing(f"group /{key}", needed_for))
        return self.groups[key]

    def has(self, path: str) -> bool:
        """True for an existing group ("clients") or variable ("clients/capacity")."""
        key = path.strip("/")
        if key in self.groups:
            return True
        group, _, name = key.rpartition("/")
        ds = self.groups.get(group)
        return ds is not None and name in ds.variables

    def variable(self, path: str, needed_for: str | None = None):
        """The DataArray at "group/name" (root datasets: "name"), or CareabmFileError."""
        key = path.strip("/")
        group, _, name = key.rpartition("/")
        ds = self.groups.get(group)
        if ds is None or name not in ds.variables:
            raise CareabmFileError(self._missing(f"dataset /{key}", needed_for))
        return ds[name]

    def require(self, paths: Iterable[str], needed_for: str | None = None) -> None:
        """Raise one CareabmFileError naming every missing path."""
        missing = [p for p in paths if not self.has(p)]
        if missing:
            what = ", ".join("/" + p.strip("/") for p in missing)
            raise CareabmFileError(self._missing(what, needed_for))

    def require_kind(self, kinds, needed_for: str | None = None) -> None:
        kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
        if self.kind not in kinds:
            want = " or ".join(f"'{k}'" for k in kinds)
            purpose = f" {needed_for}" if needed_for else ""
            raise CareabmFileError(
                f"{self.path}: is a careabm '{self.kind}' file;{purpose} needs a {want} file")

    def _missing(self, what: str, needed_for: str | None) -> str:
        purpose = f" (needed for {needed_for})" if needed_for else ""
        return f"{self.path}: careabm '{self.kind}' file has no {what}{purpose}"

    # --- convenience ---------------------------------------------------------

    def coord(self, dim: str) -> list:
        """Labels of a root dimension as a list (strings or ints)."""
        if dim not in self.root.coords:
            raise CareabmFileError(self._missing(f"dimension scale /{dim}", None))
        return self.root[dim].values.tolist()

    @property
    def scenario_name(self) -> str:
        return _text(self.attrs.get("scenario_name", ""))

    @property
    def replications(self) -> int | None:
        if "replication" in self.root.coords:
            return int(self.root.sizes["replication"])
        value = self.attrs.get("replications")
        return int(value) if value is not None else None

    @property
    def scenarios(self) -> list:
        """Scenario names of a compare file, base first (empty for other kinds)."""
        return self.coord("scenario") if "scenario" in self.root.coords else []

    @property
    def scenario_text(self) -> dict:
        """{scenario name: resolved TOML text}."""
        root = self.root
        if "scenario_text" in root.variables:
            names = root["scenario"].values.tolist()
            return {str(n): _text(t) for n, t in zip(names, root["scenario_text"].values.tolist())}
        if "scenario" in root.variables and root["scenario"].ndim == 0:
            return {self.scenario_name: _text(root["scenario"].values)}
        return {}

    # --- shortage: net, unfilled, surplus ------------------------------------------

    SHORTAGE_PARTS = ("persons", "unfilled", "surplus")

    def shortage(self, part: str = "persons", needed_for: str | None = None):
        """/shortage/<part> for part in persons, unfilled, surplus.

        unfilled = max(0, shortage persons) and surplus = max(0, -shortage persons)
        per cell. Files written before /shortage/unfilled and /shortage/surplus
        existed get them computed from /shortage/persons. A total of unfilled
        over cells is the demand no one fills: surpluses elsewhere do not offset it.
        """
        if part not in self.SHORTAGE_PARTS:
            raise ValueError(f"shortage part must be one of {', '.join(self.SHORTAGE_PARTS)}, not {part!r}")
        if self.has(f"shortage/{part}"):
            return self.variable(f"shortage/{part}")
        persons = self.variable("shortage/persons", needed_for)
        part_values = persons.clip(min=0) if part == "unfilled" else (-persons).clip(min=0)
        return part_values.rename(part).assign_attrs(units="persons")

    # --- parameter uncertainty (run --uncertainty, compare --uncertainty) --------------

    @property
    def has_parameter_runs(self) -> bool:
        """True for a `run --uncertainty` file: the runs with drawn parameters are under /uncertainty/."""
        return self.has("uncertainty/shortage/persons")

    @property
    def used_uncertainty(self) -> bool:
        """True when the file was written with --uncertainty (run or compare)."""
        return (self.has("uncertainty/parameters") or "uncertainty" in self.attrs
                or self.has_parameter_runs)

    def parameter_runs(self) -> "CareabmOutput":
        """A run-like view of the runs with drawn parameters of a `run --uncertainty` file.

        /uncertainty/<group>/<name> becomes <group>/<name> and
        /uncertainty/summary/<group>/<name> becomes summary/<group>/<name>, so every
        figure and table function reads them as it reads the scenario's own runs.
        """
        if not self.has_parameter_runs:
            raise CareabmFileError(self._missing("runs with drawn parameters (/uncertainty/shortage/persons; "
                                                 "written by careabm run --uncertainty)", None))
        groups = {"": self.root}
        for key, ds in self.groups.items():
            if key.startswith("uncertainty/"):
                groups[key[len("uncertainty/"):]] = ds
        attrs = dict(self.attrs, parameter_runs=True)
        return CareabmOutput(self.path, attrs, groups)

    def uncertain_parameters(self) -> list:
        """Rows {key, distribution, lower, central, upper, drawn_min, drawn_max} of
        /uncertainty/... (missing values are None); [] without /uncertainty/parameters."""
        if not self.has("uncertainty/parameters"):
            return []
        group = self.group("uncertainty")
        drawn = group["parameters"]
        keys = [str(k) for k in drawn["parameter"].values.tolist()]
        rows = []
        for i, key in enumerate(keys):
            row = {"key": key}
            for name in ("distribution", "lower", "central", "upper"):
                row[name] = _plain(group[name].values[i]) if name in group.variables else None
            values = np.asarray(drawn.isel(parameter=i).values, dtype=float)
            row["drawn_min"] = float(np.nanmin(values)) if values.size else None
            row["drawn_max"] = float(np.nanmax(values)) if values.size else None
            rows.append(row)
        return rows

    def select_scenario(self, scenario: str | None = None) -> "CareabmOutput":
        """A run-like view of one scenario of a compare file (the base if None).

        For files of other kinds, returns self.
        """
        if self.kind != "compare":
            return self
        names = self.scenarios
        name = names[0] if scenario is None else scenario
        if name not in names:
            raise CareabmFileError(f"{self.path}: no scenario '{name}' (scenarios: {', '.join(names)})")
        groups = {}
        for key, ds in self.groups.items():
            if key.startswith("difference"):
                continue
            if "scenario" in ds.dims and key != "":
                ds = ds.sel(scenario=name, drop=True)
            groups[key] = ds
        root = self.root.drop_vars(["scenario_text"], errors="ignore")
        groups[""] = root.drop_dims(["scenario", "alternative"], errors="ignore")
        text = self.scenario_text.get(name)
        if text is not None:
            groups[""] = groups[""].assign(scenario=((), text))
        attrs = dict(self.attrs, command="run", scenario_name=name, compare_file=self.path)
        view = CareabmOutput(self.path, attrs, groups)
        return view

    def __repr__(self) -> str:
        groups = ", ".join(sorted(k for k in self.groups if k))
        return f"<CareabmOutput {self.kind!r} {self.path}: {groups}>"


# --- opening -----------------------------------------------------------------

def _data_groups(h5) -> list:
    """Paths of groups that directly hold datasets, agents excluded."""
    import h5py

    found = set()

    def visit(name, obj):
        top = name.split("/", 1)[0]
        if top in SKIPPED_GROUPS:
            return
        if isinstance(obj, h5py.Dataset):
            found.add(name.rpartition("/")[0])

    h5.visititems(visit)
    found.add("")
    return sorted(found)


def _decode_strings(ds):
    """Fixed-length HDF5 strings arrive as bytes; make every string a str."""
    for name in list(ds.variables):
        values = ds[name].values
        if values.dtype.kind == "S" or (values.dtype == object and values.size
                                        and isinstance(values.reshape(-1)[0], bytes)):
            decoded = np.vectorize(_text, otypes=[object])(values) if values.size else values.astype(object)
            if name in ds.coords:
                ds = ds.assign_coords({name: (ds[name].dims, decoded, ds[name].attrs)})
            else:
                ds[name] = (ds[name].dims, decoded, ds[name].attrs)
    return ds


def _stored_kind(dataset) -> str | None:
    """'number' or 'string' for what careabm stores; None for anything else."""
    import h5py

    kind = dataset.dtype.kind
    if kind in "iufb":
        return "number"
    if kind in "SU" or h5py.check_string_dtype(dataset.dtype) is not None:
        return "string"
    return None


def _check_declared(path: str, h5) -> None:
    """Every dataset the reader loads holds numbers or strings, and together they hold at
    most MAX_VALUES values; the root attribute `replications` is the length of /replication."""
    import h5py

    total = 0

    def visit(name, obj):
        nonlocal total
        if name.split("/", 1)[0] in SKIPPED_GROUPS or not isinstance(obj, h5py.Dataset):
            return None
        if _stored_kind(obj) is None:
            return f"{path}: /{name} holds values of type {obj.dtype}, neither numbers nor strings"
        size = int(obj.size or 0)
        if size > MAX_VALUES - total:
            return (f"{path}: /{name} declares {size} values, which with the datasets before it is more than "
                    f"a careabm output holds ({MAX_VALUES} in all); the file is damaged or was not written by careabm")
        total += size
        return None

    problem = h5.visititems(visit)
    if problem:
        raise CareabmFileError(problem)
    if "replications" in h5.attrs and isinstance(h5.get("replication"), h5py.Dataset):
        declared = _plain(h5.attrs["replications"])
        length = h5["replication"].shape[0] if h5["replication"].ndim == 1 else None
        if isinstance(declared, bool) or not isinstance(declared, int) or declared != length:
            raise CareabmFileError(
                f"{path}: the root attribute 'replications' is {declared!r}, but /replication has "
                f"{length if length is not None else 'no list of'} labels")


def _open_group(path: str, group: str):
    import xarray as xr

    kwargs = {"engine": "h5netcdf", "phony_dims": "access"}
    if group:
        kwargs["group"] = group
    with xr.open_dataset(path, **kwargs) as ds:
        # One variable at a time, so that a dataset that cannot be read is named.
        for name, variable in ds.variables.items():
            try:
                variable.load()
            except (OSError, RuntimeError, ValueError, TypeError) as error:
                where = f"/{group}/{name}" if group else f"/{name}"
                raise CareabmFileError(f"{path}: {where} cannot be read ({error})") from None
        return _decode_strings(ds.load())


def _attach_root_coords(path: str, group: str, ds, root):
    """Label the dims of a subgroup Dataset with the root dimension scales."""
    for dim in ds.dims:
        if str(dim).startswith("phony_dim"):
            bad = [v for v in ds.variables if dim in ds[v].dims]
            raise CareabmFileError(
                f"{path}: /{group}/{bad[0] if bad else '?'} has an axis without an HDF5 dimension scale "
                "(every axis must be attached to a root dimension scale)")
        if dim not in root.coords:
            continue
        if root.sizes[dim] != ds.sizes[dim]:
            users = [v for v in ds.data_vars if dim in ds[v].dims] or [dim]
            raise CareabmFileError(
                f"{path}: /{group}/{users[0]}: axis '{dim}' has {ds.sizes[dim]} entries, "
                f"but the root scale /{dim} has {root.sizes[dim]} labels")
        if dim in ds.coords:
            continue
        ds = ds.assign_coords({dim: root[dim]})
    return ds


def open_output(path) -> CareabmOutput:
    """Load a careabm HDF5 output file; raises CareabmFileError when it is not one."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CareabmFileError(f"{path}: no such file")
    if os.path.isdir(path):
        raise CareabmFileError(f"{path}: is a directory, not a careabm output file")
    import h5py

    if not h5py.is_hdf5(path):
        raise CareabmFileError(f"{path}: not an HDF5 file, so not a careabm output")
    try:
        with h5py.File(path, "r") as h5:
            attrs = {k: _plain(v) for k, v in h5.attrs.items()}
            group_paths = _data_groups(h5)
            if "command" in attrs:
                _check_declared(path, h5)
    except CareabmFileError:
        raise
    except (OSError, RuntimeError, ValueError, KeyError, TypeError) as error:
        raise CareabmFileError(f"{path}: cannot read HDF5 file ({error})") from None
    if "command" not in attrs:
        raise CareabmFileError(
            f"{path}: not a careabm output (HDF5 file without the root attribute 'command')")
    if not isinstance(attrs["command"], str):
        raise CareabmFileError(f"{path}: the root attribute 'command' is not a string ({attrs['command']!r})")
    kind = attrs["command"]
    if kind not in KINDS:
        raise CareabmFileError(
            f"{path}: careabm file of unknown kind '{kind}' (expected one of {', '.join(KINDS)})")
    groups = {}
    group = ""
    try:
        root = _open_group(path, "")
        for dim in root.dims:
            if str(dim).startswith("phony_dim"):
                bad = [v for v in root.variables if dim in root[v].dims]
                raise CareabmFileError(
                    f"{path}: /{bad[0] if bad else '?'} (a root dataset) has an axis without an HDF5 dimension scale")
        groups[""] = root
        for group in group_paths:
            if group:
                groups[group] = _attach_root_coords(path, group, _open_group(path, group), root)
    except CareabmFileError:
        raise
    except (OSError, RuntimeError, ValueError, KeyError, TypeError, IndexError) as error:
        where = f" in /{group}" if group else ""
        raise CareabmFileError(f"{path}: cannot read{where} as netCDF-4/HDF5 with labelled axes ({error})") from None
    return CareabmOutput(path, attrs, groups)
