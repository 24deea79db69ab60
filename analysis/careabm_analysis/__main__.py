"""Command line: python3 -m careabm_analysis {report,figure} ...

    report OUT.h5 [-o DIR] [--svg]          DIR/index.html (default DIR: OUT_report beside OUT.h5)
    figure OUT.h5 NAME [-o FILE] [--scenario S] [--output O]
                                            one figure as PNG or SVG (by FILE's extension)

Exit status (as careabm's): 0 success; 2 bad input (missing file, not a careabm
output, wrong kind, missing dataset, bad arguments) with a one-line message on
stderr; 1 internal error (set CAREABM_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys

FIGURE_NAMES = ("shortage", "supply-demand", "flows", "nursing-homes", "shortage-by-scenario",
                "differences", "cost", "cost-by-year", "sensitivity-sobol", "sensitivity-morris", "sweep-outputs", "cohorts")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like careabm
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="careabm_analysis", description="Figures and reports from careabm HDF5 output.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("report", help="write a self-contained HTML report")
    r.add_argument("file", metavar="OUT.h5")
    r.add_argument("-o", "--output-dir", metavar="DIR", help="report directory (default: OUT_report)")
    r.add_argument("--svg", action="store_true", help="also write every figure as SVG")
    f = sub.add_parser("figure", help="write one figure")
    f.add_argument("file", metavar="OUT.h5")
    f.add_argument("name", choices=FIGURE_NAMES, metavar="NAME", help=", ".join(FIGURE_NAMES))
    f.add_argument("-o", "--output", metavar="FILE", help="PNG or SVG file (default: NAME.png)")
    f.add_argument("--scenario", help="scenario of a compare file (default: the base)")
    f.add_argument("--variable", default="shortage/persons",
                   help="group/name for 'differences' (default: shortage/persons)")
    f.add_argument("--sweep-output", help="output of a sweep for 'sweep-outputs' (default: the first)")
    return p


def _report(args) -> int:
    from .report import write_report

    outdir = args.output_dir or os.path.splitext(args.file)[0] + "_report"
    index = write_report(args.file, outdir, svg=args.svg)
    print(f"wrote {index}")
    return 0


def _figure(args) -> int:
    from . import figures as F
    from .reader import CareabmFileError, open_output
    from .report import check_inputs

    out = open_output(args.file)
    check_inputs(out)
    if args.name in ("shortage", "supply-demand", "flows", "nursing-homes"):
        fig = F.FIGURES[args.name](out, scenario=args.scenario)
    elif args.name == "differences":
        group, _, name = args.variable.strip("/").rpartition("/")
        if not group:
            raise CareabmFileError(f"--variable must be group/name, not '{args.variable}'")
        fig = F.compare_differences(out, group, name)
    elif args.name == "sweep-outputs":
        fig = F.sweep_outputs(out, args.sweep_output)
    else:
        fig = F.FIGURES[args.name](out)
    target = args.output or args.name + ".png"
    ext = os.path.splitext(target)[1].lower()
    if ext not in (".png", ".svg"):
        raise CareabmFileError(f"{target}: figure file must end in .png or .svg")
    fig.savefig(target, dpi=110)
    print(f"wrote {target}")
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    prog = f"careabm {args.command}"
    # Cheap checks first, so a wrong path fails fast without importing the plotting stack.
    if not os.path.exists(args.file):
        print(f"{prog}: error: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        from .reader import CareabmFileError
    except ImportError as error:
        print(f"{prog}: error: the analysis needs numpy, h5py, xarray, h5netcdf and matplotlib ({error})",
              file=sys.stderr)
        return 1
    try:
        return _report(args) if args.command == "report" else _figure(args)
    except CareabmFileError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return 2
    except ImportError as error:
        print(f"{prog}: error: the analysis needs numpy, h5py, xarray, h5netcdf and matplotlib ({error})",
              file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - last line of defence: no traceback for users
        if os.environ.get("CAREABM_DEBUG"):
            raise
        text = str(error).splitlines()[0] if str(error) else ""
        print(f"{prog}: internal error: {type(error).__name__}: {text} "
              "(set CAREABM_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
