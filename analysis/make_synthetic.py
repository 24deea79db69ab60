#!/usr/bin/env python3
"""Write small synthetic careabm output files (run, compare, sweep, size-cohorts).

    /usr/bin/python3 analysis/make_synthetic.py DIR

They follow the layouts in analysis/README.md ("Output layouts"); `h5dump -H`
on them shows the C++ writer what to produce.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from careabm_analysis import synthetic  # noqa: E402


def main(argv) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} DIR", file=sys.stderr)
        return 2
    for kind, path in synthetic.write_all(argv[1]).items():
        print(f"{kind:20s} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
