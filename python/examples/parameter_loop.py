#!/usr/bin/env python3
"""A parameter study from Python: a plain numpy loop over careabm.run calls.

The shape SALib and similar tools use: a design matrix X (one row per sample,
one column per parameter), one model run per row, a vector Y of outputs, then
an analysis of Y against X. Here the design is a Latin hypercube drawn with
numpy, the output the mean total shortage (persons) in the last year, and the
analysis standardised regression coefficients; with SALib installed, pass X
from SALib.sample and Y to SALib.analyze instead.

    PYTHONPATH=build/python /usr/bin/python3 python/examples/parameter_loop.py --samples 20

Every run uses the same seed, so two samples differ only by their parameters
(common random numbers), and each row can be reproduced with the CLI:
careabm run SCENARIO --seed SEED -r R --set outflow.rate.vig=X0 --set outflow.rate.nurse=X1.
"""
import argparse
import os

import numpy as np

import careabm

SOURCE = os.environ.get("CAREABM_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# The parameters varied and their ranges (keys of the scenario, as --set takes them).
PARAMETERS = {"outflow.rate.vig": (0.06, 0.12), "outflow.rate.nurse": (0.05, 0.11)}


def latin_hypercube(samples: int, bounds: dict, rng: np.random.Generator) -> np.ndarray:
    """One stratum per sample in every column, columns shuffled independently."""
    k = len(bounds)
    u = (np.argsort(rng.random((samples, k)), axis=0) + rng.random((samples, k))) / samples
    lower = np.array([b[0] for b in bounds.values()])
    upper = np.array([b[1] for b in bounds.values()])
    return lower + u * (upper - lower)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=os.path.join(SOURCE, "scenarios", "examples", "minimal.toml"))
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20221)
    parser.add_argument("--out", help="save X, Y and the seed to this .npz file")
    args = parser.parse_args()

    names = list(PARAMETERS)
    X = latin_hypercube(args.samples, PARAMETERS, np.random.default_rng(args.seed))
    Y = np.empty(args.samples)
    for i, row in enumerate(X):
        ds = careabm.run(args.scenario, set=dict(zip(names, row)), replications=args.replications, seed=args.seed)
        last_year = ds["shortage/persons"].sel(year=ds["year"].values[-1])
        Y[i] = float(last_year.sum(["subregion", "branch", "occupation"]).mean("replication"))
        print(f"sample {i + 1}/{args.samples}: " + ", ".join(f"{n}={v:.4f}" for n, v in zip(names, row))
              + f" -> shortage {Y[i]:.1f} persons")

    # Standardised regression coefficients: how many SDs Y moves per SD of each parameter.
    Xs = (X - X.mean(0)) / X.std(0)
    Ys = (Y - Y.mean()) / Y.std() if Y.std() > 0 else Y - Y.mean()
    coefficients, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(Y)), Xs]), Ys, rcond=None)
    for name, c in zip(names, coefficients[1:]):
        print(f"standardised regression coefficient of {name}: {c:+.3f}")
    if args.out:
        np.savez(args.out, X=X, Y=Y, seed=args.seed, names=np.array(names))


if __name__ == "__main__":
    main()
