#!/bin/sh
# Sweep throughput: model runs per second of `careabm sweep` on 1 and 2 threads
# and on 2 MPI ranks (1 thread each). Not part of ctest (timings depend on the
# machine); run by hand from the source directory:
#   tests/bench/sweep_bench.sh [CAREABM] [SWEEP.toml ...]
# Defaults: build/careabm, the minimal Saltelli example (1,280 small runs) and a
# 16-point LHS over the ZW-Connect baseline (32 runs of ~147,000 workers).
set -eu
careabm=${1:-build/careabm}
[ $# -gt 0 ] && shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/careabm-sweep-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

if [ $# -eq 0 ]; then
  src=$(cd "$(dirname "$0")/../.." && pwd)
  sed -e "s|^scenario = .*|scenario = \"$src/scenarios/zwconnect-2022.toml\"|" \
      -e 's/^replications = .*/replications = 2/' \
      -e 's/^kind = "saltelli"/kind = "lhs"/' -e 's/^base_samples = .*/points = 16/' \
      "$src/scenarios/sweeps/zwconnect-2022-sobol.toml" > "$dir/zwconnect-lhs.toml"
  set -- "$src/scenarios/sweeps/minimal-saltelli.toml" "$dir/zwconnect-lhs.toml"
fi

now() { date +%s.%N; }
runs_of() {  # points x replications, from the sweep's own summary line
  sed -n 's/.* = \([0-9]*\) runs.*/\1/p' "$1" | head -n 1
}
measure() {  # label, command...
  label=$1; shift
  rm -f "$dir/out.h5"
  start=$(now)
  "$@" > "$dir/log.txt"
  end=$(now)
  runs=$(runs_of "$dir/log.txt")
  awk -v l="$label" -v r="$runs" -v s="$start" -v e="$end" \
    'BEGIN { printf "  %-22s %6d runs  %8.2f s  %9.1f runs/s\n", l, r, e - s, r / (e - s) }'
}

echo "careabm sweep throughput ($(nproc) cores)"
for sweep in "$@"; do
  echo "$(basename "$sweep"):"
  measure "1 thread" "$careabm" sweep "$sweep" -o "$dir/out.h5" --threads 1 --quiet
  measure "2 threads" "$careabm" sweep "$sweep" -o "$dir/out.h5" --threads 2 --quiet
  if command -v mpirun > /dev/null 2>&1; then
    measure "2 MPI ranks x 1 thread" mpirun --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/out.h5" \
      --threads 1 --quiet
  fi
done
