#!/bin/sh
# careabm's workforce core against a plain hand-written loop (reference_loop.cpp),
# side by side on one core and in one process (careabm-bench --side-by-side):
# the whole pipeline, the loop and --workers-only in turn, PAIRS times each;
# medians of agent-years per CPU-second of each timed section, and the ratios
# to the loop. Not part of ctest (timings depend on the machine and its load);
# run by hand from the source directory:
#   tests/bench/side_by_side.sh [PAIRS] [WORKERS] [YEARS]
set -eu
pairs=${1:-5}; workers=${2:-1500000}; years=${3:-19}
exec taskset -c 0 build/careabm-bench --side-by-side "$pairs" --workers "$workers" --years "$years"
