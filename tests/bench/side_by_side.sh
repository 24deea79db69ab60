#!/bin/sh
# careabm's workforce core against a plain hand-written loop (reference_loop.cpp),
# side by side on one core: alternating pairs, agent-years per CPU-second of each
# program's timed section, medians. Not part of ctest (timings depend on the
# machine and its load); run by hand from the source directory:
#   tests/bench/side_by_side.sh [PAIRS] [WORKERS] [YEARS]
set -eu
pairs=${1:-5}; workers=${2:-1500000}; years=${3:-19}
bench=build/careabm-bench; reference=build/careabm-reference-loop
value() { sed -n "s/^agent_years_per_cpu_second //p"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
: > /tmp/careabm-sbs.$$.a; : > /tmp/careabm-sbs.$$.p; : > /tmp/careabm-sbs.$$.r
trap 'rm -f /tmp/careabm-sbs.$$.*' EXIT
i=0
while [ $i -lt "$pairs" ]; do
  taskset -c 0 $bench --workers "$workers" --years "$years" --threads 1 --workers-only | value >> /tmp/careabm-sbs.$$.a
  taskset -c 0 $reference --workers "$workers" --years "$years" | value >> /tmp/careabm-sbs.$$.r
  taskset -c 0 $bench --workers "$workers" --years "$years" --threads 1 | value >> /tmp/careabm-sbs.$$.p
  i=$((i + 1))
done
printf 'agent-years per CPU-second, median of %s runs each (%s workers, %s years, one core)\n' "$pairs" "$workers" "$years"
printf '  careabm-bench, whole pipeline      %s\n' "$(median < /tmp/careabm-sbs.$$.p)"
printf '  careabm-bench --workers-only       %s\n' "$(median < /tmp/careabm-sbs.$$.a)"
printf '  plain hand-written loop (-O3)      %s\n' "$(median < /tmp/careabm-sbs.$$.r)"
