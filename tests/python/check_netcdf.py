#!/usr/bin/env python3
"""Check that a careabm HDF5 output reads as netCDF-4 with labelled axes.

Usage: check_netcdf.py FILE.h5 GROUP VAR DIM1,DIM2,...

Opens FILE with xarray's h5netcdf engine (GROUP "/" or "" for the root group) and
checks that VAR exists with exactly the dimensions DIM1,DIM2,... in that order, that
each dimension has coordinate values, and that string coordinates decode as str.

Exit status: 0 success; 1 failure (message on stderr); 77 when xarray, h5netcdf or
h5py cannot be imported (the "skipped" code of CTest's SKIP_RETURN_CODE and automake).
"""
import sys

SKIP = 77


def fail(message):
    print(f"check_netcdf: {message}", file=sys.stderr)
    sys.exit(1)


def import_readers():
    try:
        import h5netcdf  # noqa: F401  (xarray needs it for engine="h5netcdf")
        import h5py  # noqa: F401
        import xarray
    except ImportError as error:
        print(f"check_netcdf: skipped, cannot import {error.name}: {error}", file=sys.stderr)
        sys.exit(SKIP)
    return xarray


def open_group(xarray, path, group):
    kwargs = {"engine": "h5netcdf"}
    if group not in ("", "/"):
        kwargs["group"] = group
    try:
        return xarray.open_dataset(path, **kwargs)
    except Exception as error:  # any reader error is a failed check, not a crash
        fail(f"xarray cannot open {path} group {group!r}: {type(error).__name__}: {error}")


def check_coordinate(dataset, var, dim):
    if dim not in dataset.coords:
        fail(f"{var}: dimension {dim!r} has no coordinate values in this group")
    values = dataset.coords[dim].values
    if values.dtype.kind in "OSU":
        bad = [v for v in values.tolist() if not isinstance(v, str)]
        if bad:
            fail(f"{var}: coordinate {dim!r} has non-str labels, e.g. {bad[0]!r} ({type(bad[0]).__name__})")


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 1
    _, path, group, var, dims_text = argv
    xarray = import_readers()
    expected = tuple(d for d in dims_text.split(",") if d)
    with open_group(xarray, path, group) as dataset:
        if var not in dataset.variables:
            fail(f"{var} not in group {group!r}; variables: {sorted(dataset.variables)}")
        actual = dataset[var].dims
        if actual != expected:
            fail(f"{var} has dims {actual}, expected {expected}")
        for dim in expected:
            check_coordinate(dataset, var, dim)
    print(f"check_netcdf: {path} {group or '/'} {var}{expected}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
