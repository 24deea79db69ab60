"""careabm from Python: run, compare and check scenarios in-process.

    import careabm
    ds = careabm.run("scenarios/examples/minimal.toml", set={"outflow.rate.vig": 0.08},
                     replications=10, seed=1)
    ds["shortage/persons"].sum(["subregion", "branch"]).mean("replication")
    text = careabm.check("scenarios/examples/minimal.toml")       # resolved TOML text

The compiled part (careabm._careabm) calls the same functions as the careabm
program and returns the HDF5 file `careabm run` / `careabm compare` would
write, built in memory; this module reads it into one xarray.Dataset:

- every dataset of the file is a variable named by its path without the
  leading slash ("workforce/headcount", "summary/shortage/persons",
  "difference/shortage/persons", "scenario"), with the file's dimension names
  and its attributes (units, description);
- every dimension scale of the root group is a coordinate ("year",
  "occupation", "replication", "stat", ...);
- the file's root attributes are the Dataset's attributes (careabm_version,
  command, scenario_name, seed, replications, ...).

So the arrays are exactly those of the file the program writes with the same
scenario, overrides and seed. load() reads a file written by the program into
the same form. Bad input raises ScenarioError (a ValueError) with .file,
.line and .key, as the program names them in its exit-2 message.
"""

from __future__ import annotations

import io
import numbers
import os
from typing import Iterable, Mapping

import h5py
import numpy as np
import xarray as xr

from . import _careabm

__all__ = ["run", "compare", "check", "load", "ScenarioError", "__version__"]
__version__ = _careabm.version


class ScenarioError(ValueError):
    """Bad input (exit status 2 of the program): a scenario, a CSV table or an argument.

    Attributes: file (may be "" for an argument), line (0 when unknown), key.
    """

    def __init__(self, message: str, file: str = "", line: int = 0, key: str = ""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.key = key


def _call(function, *args):
    try:
        return function(*args)
    except _careabm.InputError as e:
        raise ScenarioError(*e.args) from None


def _toml_value(value, key: str) -> str:
    """A Python value as a TOML value, for one override."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        # repr() is the shortest text that reads back to the same double.
        return repr(float(value))
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return '"' + escaped + '"'
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v, key)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_toml_value(v, key) for v in value) + "]"
    raise ScenarioError(f"key '{key}': cannot write a {type(value).__name__} as a TOML value", "", 0, key)


def _overrides(set) -> list:
    """set= as the program's --set arguments: a dict {key: value} (values converted to
    TOML), or an iterable of "key=value" strings (the value in TOML syntax, as on the
    command line)."""
    if set is None:
        return []
    if isinstance(set, Mapping):
        return [f"{key}={_toml_value(value, key)}" for key, value in set.items()]
    if isinstance(set, str):
        return [set]
    return [str(item) for item in set]


def _command_line(function: str, *args, **kwargs) -> str:
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v not in (None, False, [], {})]
    return f"careabm.{function}({', '.join(shown)})"


def _text(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return value


def _attribute(value):
    value = _text(value)
    if isinstance(value, np.ndarray) and value.shape == ():
        return _attribute(value[()])
    if isinstance(value, np.generic):
        return value.item()
    return value


def _internal_attribute(name: str) -> bool:
    """HDF5's dimension-scale bookkeeping and netCDF's own attributes, not careabm's."""
    return name in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME") or name.startswith("_N")


def _is_scale(dataset) -> bool:
    return _text(dataset.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def _values(dataset):
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return dataset.asstr()[()]
    return dataset[()]


def _dimension(dataset, axis: int) -> str:
    scales = dataset.dims[axis]
    if len(scales) == 0:
        return f"phony_dim_{axis}"
    return scales[0].name.rsplit("/", 1)[-1]


def _dataset(h5: h5py.File) -> xr.Dataset:
    coords, variables = {}, {}

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        if _is_scale(obj):
            # Groups hold copies of the root scales (for xarray's group view); the root's suffice.
            if "/" not in name:
                coords[name] = (name, _values(obj))
            return
        dims = tuple(_dimension(obj, axis) for axis in range(obj.ndim))
        attrs = {k: _attribute(v) for k, v in obj.attrs.items() if not _internal_attribute(k)}
        variables[name] = xr.Variable(dims, _values(obj), attrs)

    h5.visititems(visit)
    attrs = {k: _attribute(v) for k, v in h5.attrs.items() if not _internal_attribute(k)}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def load(path) -> xr.Dataset:
    """A careabm output file (any kind) as one xarray.Dataset, in the form run() returns."""
    with h5py.File(os.fspath(path), "r") as h5:
        return _dataset(h5)


def _from_image(image: bytes) -> xr.Dataset:
    with h5py.File(io.BytesIO(image), "r") as h5:
        return _dataset(h5)


def _threads(threads):
    return None if threads is None else int(threads)


def run(scenario, set=None, replications: int | None = None, seed: int | None = None, threads: int | None = None,
        uncertainty: bool = False, agents_out: Iterable[int] | None = None) -> xr.Dataset:
    """Runs a scenario as `careabm run SCENARIO [--set ...] [-r R] [--seed S] [--threads T]
    [--uncertainty] [--agents-out Y,...]` and returns its output as an xarray.Dataset.

    set: {"key.path": value} (values as Python numbers, strings, bools, lists, dicts) or
    ["key.path=value", ...] in the command line's TOML syntax. replications and seed
    override run.replications and run.seed (recorded in the stored scenario, as -r and
    --seed are). threads: simulations at once (default: the machine's cores); the results
    are the same for any number. The GIL is released while it simulates; Ctrl-C stops
    it at the next replication with KeyboardInterrupt (a call from the main thread).
    """
    overrides = _overrides(set)
    years = None if agents_out is None else ",".join(str(int(y)) for y in agents_out)
    command = _command_line("run", os.fspath(scenario), set=set, replications=replications, seed=seed,
                            uncertainty=uncertainty, agents_out=agents_out)
    image = _call(_careabm.run, os.fspath(scenario), overrides,
                  None if replications is None else int(replications), None if seed is None else int(seed),
                  _threads(threads), years, bool(uncertainty), command)
    return _from_image(image)


def compare(base, *alternatives, replications: int | None = None, threads: int | None = None,
            uncertainty: bool = False) -> xr.Dataset:
    """Compares scenarios as `careabm compare BASE ALT [ALT2 ...] [-r R] [--threads T]
    [--uncertainty]`: every run variable with a leading "scenario" axis, and the paired
    differences as "difference/<group>/<name>" [alternative, interval, ...] (interval:
    mean, lo95, hi95), with the costs under "cost/..." and "difference/cost/..."."""
    alternatives = [os.fspath(a) for a in alternatives]
    command = _command_line("compare", os.fspath(base), *alternatives, replications=replications,
                            uncertainty=uncertainty)
    image = _call(_careabm.compare, os.fspath(base), alternatives,
                  None if replications is None else int(replications), _threads(threads), bool(uncertainty), command)
    return _from_image(image)


def check(scenario, set=None) -> str:
    """Validates a scenario as `careabm check` and returns the resolved scenario as TOML
    text (extends and overrides applied; it reads back to exactly the same values).
    For a dict: tomllib.loads(careabm.check(path)). Raises ScenarioError on bad input."""
    return _call(_careabm.check, os.fspath(scenario), _overrides(set))
