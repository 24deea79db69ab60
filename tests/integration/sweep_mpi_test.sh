#!/bin/sh
# ctest "sweep.mpi": a sweep over 2 MPI ranks (rank 0 coordinating and computing,
# rank 1 computing) gives datasets bit-identical to a 1-rank, 1-thread sweep.
#   sweep_mpi_test.sh CAREABM MPIEXEC SOURCE_DIR
# The sweep is scenarios/sweeps/minimal-saltelli.toml made smaller (80 points x 2
# replications) to keep the test quick.
set -eu
careabm=$1 mpiexec=$2 source=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/careabm-sweep-mpi.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sweep=$dir/sweep.toml
sed -e "s|^scenario = .*|scenario = \"$source/scenarios/examples/minimal.toml\"|" \
    -e 's/^base_samples = .*/base_samples = 16/' -e 's/^replications = .*/replications = 2/' \
    "$source/scenarios/sweeps/minimal-saltelli.toml" > "$sweep"
# Containers often run tests as root, which Open MPI refuses unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

"$careabm" sweep "$sweep" -o "$dir/one.h5" --threads 1 --quiet > /dev/null
"$mpiexec" --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/two.h5" --threads 1 --quiet > "$dir/two.txt"
grep -q "2 ranks" "$dir/two.txt" || { echo "the MPI sweep did not run on 2 ranks:"; cat "$dir/two.txt"; exit 1; }
# Without --threads a rank runs one point at a time, unless the batch system's
# variables say how many CPUs each rank has.
"$mpiexec" --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/one-each.h5" --quiet > "$dir/one-each.txt"
grep -q "2 ranks, 1 thread per rank" "$dir/one-each.txt" ||
  { echo "an MPI rank did not default to 1 thread:"; cat "$dir/one-each.txt"; exit 1; }
OMP_NUM_THREADS=2 "$mpiexec" --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/threaded.h5" --quiet \
  > "$dir/threaded.txt"
grep -q "2 ranks, 2 threads per rank" "$dir/threaded.txt" ||
  { echo "OMP_NUM_THREADS did not set the threads per rank:"; cat "$dir/threaded.txt"; exit 1; }

# Interrupted on 2 ranks, resumed on 2 ranks (rank 0 writes the checkpoint): the same again.
status=0
"$mpiexec" --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/resumed.h5" --stop-after 25 --quiet \
  > /dev/null 2>&1 || status=$?
[ "$status" -ne 0 ] && [ -d "$dir/resumed.h5.partial" ] || { echo "--stop-after did not interrupt"; exit 1; }
# The checkpoint's last record cut short, as a kill in mid-write leaves it: the
# resumed sweep says so and runs that point again.
truncate -s -5 "$dir/resumed.h5.partial/points"
"$mpiexec" --oversubscribe -n 2 "$careabm" sweep "$sweep" -o "$dir/resumed.h5" --resume --quiet \
  > /dev/null 2> "$dir/resumed.txt"
grep -q "cut short" "$dir/resumed.txt" ||
  { echo "the cut record went unnoticed:"; cat "$dir/resumed.txt"; exit 1; }

for file in two resumed one-each threaded; do
  for dataset in /design /design_unit /parameter_bounds /completed /outputs/values; do
    h5diff -d 0 "$dir/one.h5" "$dir/$file.h5" "$dataset" "$dataset" > /dev/null ||
      { echo "$file.h5: $dataset differs from the 1-rank sweep"; exit 1; }
  done
done
echo "2-rank sweeps (straight and resumed) are identical to the 1-rank sweep"
