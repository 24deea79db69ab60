#!/usr/bin/python3
"""Derive a scenario's initial state from its own flows: a documented warm-up.

Three parts of the initial state are not published, and a start that does
not match the model's own flows shows as a start-up transient in the first
simulated years:

  - the ages of each occupation within a branch: the data give the age bands
    of a branch (Databank Zuid-Holland 4123, CBS), and make_workforce.py
    spreads them over the branch's occupations alike (EST);
  - tenure (years in the sector): the CSV has none;
  - the reserve of people who left the sector and may return, by occupation.

So they are derived from the model itself, in rounds:

  1. run the scenario with agent microdata in the start year, `--tenure-years`
     (default 2) later and `--years` (default 10) later: by the latter most
     initial workers' ages have been replaced by the model's own entries and
     exits;
  2. ages: per subregion and branch, the workers of the data CSV (each
     occupation's total, each age band's total: both as published or
     estimated) are re-split over occupation x age band by iterative
     proportional fitting from the model's own occupation x age-band counts
     of that branch `--years` on; within a band, single years keep the
     data's shape; so every published margin is kept and only the split the
     data leave open follows the flows;
  3. tenure: per occupation, the share of the active workers `--tenure-years`
     on who entered the sector in the last two years (tenure 0 or 1 at the
     end of the year: the starters, whose leaving hazard is highest), spread
     over the age bands like those starters then (a band holds at most its
     own workers): the mean m of the initial tenure (an exponential capped
     at age - entry age) of each occupation and age band is set to give the
     band that share of starters: an exponential with mean m has a share
     1 - exp(-2/m) below two years, so m is scaled by
     ln(1 - share now) / ln(1 - share wanted); the rounds make it a fixed
     point: the start has the share of starters its own first years give;
  4. reserve: per occupation, reserve members (by their last job) per active
     worker `--tenure-years` on, again a fixed point over the rounds.

After `--rounds` rounds (default 3; the baseline used 8) it writes the workforce CSV and the
tenure CSV the scenario names (workforce.initial, workforce.initial_tenure)
and prints the reserve ratios to write into the scenario. The data CSV
(make_workforce.py's output) is `--data`. A consistency condition of the
initial state, not a fit to any target. Usage (system Python with h5py):

    /usr/bin/python3 scenarios/data/initial_state.py build/careabm scenarios/zwconnect-2022-unfitted.toml \\
        --data scenarios/data/zwconnect-2022-workforce-data.csv --rounds 8 -r 6 \\
        --set clients.incidence_scale=... --set clients.mortality_scale=... \\
        --set labour_market.recruitment.efficiency=... --set outflow.rate_scale=... \\
        --set reentry.hazard_scale=...

with the fitted values of scenarios/zwconnect-2022.toml and its client stage:
the initial state and the fit depend on each other, so the baseline
alternates warm-up and `careabm calibrate` until both settle
(scenarios/VALIDATION.md, "Initial state").
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import tomllib

import h5py
import numpy as np

BANDS = [(16, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59), (60, 99)]
MAX_MEAN = 50.0  # the format's bound on a mean tenure


def band_of(age):
    for k, (a, b) in enumerate(BANDS):
        if a <= age <= b:
            return k
    raise ValueError(age)


def read_workforce(path):
    with open(path) as f:
        header = [line for line in f if line.startswith("#")]
    with open(path) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return header, rows


def largest_remainder(values, total):
    floors = [int(np.floor(v)) for v in values]
    remainder = int(round(total)) - sum(floors)
    assert 0 <= remainder <= len(values), "largest_remainder: the values do not sum to the total"
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return floors


def resplit_ages(data_rows, model_counts, occupations):
    """Re-split each (subregion, branch)'s workers over occupation x age band: IPF from the model's
    occupation x band counts of the branch, to the data's occupation totals and band totals."""
    out = []
    cells = {}
    for r in data_rows:
        cells.setdefault((r["subregion"], r["branch"]), []).append(r)
    for (s, b), rows in cells.items():
        occ_total = {o: 0 for o in occupations}
        band_total = np.zeros(len(BANDS))
        single = {}  # (band, age) -> data count over all occupations (the within-band shape)
        for r in rows:
            n, age = int(r["count"]), int(r["age_from"])
            assert age == int(r["age_to"]), "the data rows must be by single year of age"
            occ_total[r["occupation"]] += n
            band_total[band_of(age)] += n
            single[age] = single.get(age, 0) + n
        seed = np.array([[model_counts.get((b, o, k), 0.0) + 0.5 for k in range(len(BANDS))] for o in occupations])
        rows_t = np.array([occ_total[o] for o in occupations], float)
        table = seed.copy()
        for _ in range(500):
            table *= (rows_t / np.maximum(table.sum(1), 1e-12))[:, None]
            table *= (band_total / np.maximum(table.sum(0), 1e-12))[None, :]
        # Single years: each occupation's band count over the band's ages like the data's shape.
        source = rows[0]["source"]
        for i, o in enumerate(occupations):
            values, ages = [], []
            for k, (a, z) in enumerate(BANDS):
                band_ages = [age for age in range(a, z + 1) if single.get(age, 0) > 0]
                weight = sum(single[age] for age in band_ages)
                for age in band_ages:
                    values.append(table[i, k] * single[age] / weight)
                    ages.append(age)
            counts = largest_remainder(values, occ_total[o])
            for age, n in zip(ages, counts):
                out.append({"source": "EST: " + source.removeprefix("EST: ") +
                            "; ages re-split over occupations from the model's own flows (initial_state.py)",
                            "subregion": s, "branch": b, "occupation": o, "age_from": age, "age_to": age, "count": n})
    return out


def run(args, sets, years, out):
    cmd = [args.careabm, "run", args.scenario, "-o", out, "--force", "--quiet", "-r", str(args.replications),
           "--agents-out", ",".join(str(y) for y in years)] + sum((["--set", s] for s in sets), [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with h5py.File(out) as f:
        # The microdata's coded columns are named *_code (CF flag variables).
        columns = {"state": "state", "occupation": "occupation_code", "branch": "branch_code", "age": "age",
                   "tenure": "tenure"}
        return [{c: f[f"agents/{y}"][name][...] for c, name in columns.items()} for y in years]


def write_tenure(path, occupations, means, shares, scenario, years):
    with open(path, "w", newline="") as f:
        f.write(f"# Initial tenure (years in the sector) of {os.path.basename(scenario)}: the mean of an exponential,\n"
                f"# capped at age - entry age, by occupation and age band. EST, a warm-up: the share of starters\n"
                f"# (< 2 years in the sector) of each occupation {years} simulated years into a run of the scenario\n"
                f"# that starts with it (a fixed point), spread over the age bands like its starters then. Generated by\n"
                f"# scenarios/data/initial_state.py (do not edit by hand).\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "occupation", "age_from", "age_to", "mean_tenure"])
        for o in occupations:
            for b in BANDS:
                w.writerow([f"EST: warm-up, starters {shares.get((o, b), 0.0):.3f} (initial_state.py)",
                            o, b[0], b[1], f"{means[(o, b)]:.3f}"])


def write_workforce(path, header, rows, years):
    with open(path, "w", newline="") as f:
        f.writelines(header)
        f.write(f"# Warm-up (scenarios/data/initial_state.py): within each subregion and branch, the workers\n"
                f"# above are re-split over occupation x age band from the model's own flows after {years}\n"
                f"# simulated years, keeping every occupation's total and every age band's total of the data.\n")
        w = csv.DictWriter(f, ["source", "subregion", "branch", "occupation", "age_from", "age_to", "count"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("careabm")
    ap.add_argument("scenario")
    ap.add_argument("--data", required=True, help="the data workforce CSV (make_workforce.py's output)")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--tenure-years", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-r", "--replications", type=int, default=4)
    ap.add_argument("--set", action="append", default=[], help="key=value overrides, as for careabm run")
    args = ap.parse_args()
    resolved = subprocess.run([args.careabm, "check", args.scenario] + sum((["--set", s] for s in args.set), []),
                              check=True, capture_output=True, text=True).stdout
    doc = tomllib.loads(resolved.split("\n", 1)[1])
    start, occupations = doc["time"]["start_year"], doc["categories"]["occupations"]
    branches = doc["categories"]["branches"]
    later = start + args.years
    here = os.path.dirname(os.path.abspath(args.scenario))
    tenure_csv = os.path.join(here, doc["workforce"]["initial_tenure"])
    workforce_csv = os.path.join(here, doc["workforce"]["initial"])
    header, data_rows = read_workforce(args.data)
    means = {(o, b): 8.0 for o in occupations for b in BANDS}
    if os.path.exists(tenure_csv):
        with open(tenure_csv) as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                means[(row["occupation"], (int(row["age_from"]), int(row["age_to"])))] = float(row["mean_tenure"])
    reserve = doc["reentry"].get("initial_reserve_ratio", 0.5)
    reserve = {o: float(reserve[o] if isinstance(reserve, dict) else reserve) for o in occupations}
    shares = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            write_tenure(tenure_csv, occupations, means, shares, args.scenario, args.tenure_years)
            sets = args.set + ["reentry.initial_reserve_ratio={ " +
                               ", ".join(f"{o} = {reserve[o]:.4f}" for o in occupations) + " }"]
            a0, at, a1 = run(args, sets, (start, start + args.tenure_years, later), os.path.join(tmp, "warmup.h5"))
            # Ages: the model's occupation x band counts per branch then (active workers).
            model = {}
            act1 = a1["state"] <= 1
            for b_id, b in enumerate(branches):
                for k, o in enumerate(occupations):
                    sel = act1 & (a1["branch"] == b_id) & (a1["occupation"] == k)
                    for band, (lo, hi) in enumerate(BANDS):
                        model[(b, o, band)] = float(((a1["age"] >= lo) & (a1["age"] <= hi) & sel).sum())
            write_workforce(workforce_csv, header, resplit_ages(data_rows, model, occupations), args.years)
            # Tenure and reserve.
            worst = 0.0
            for k, o in enumerate(occupations):
                act0, act = (a0["state"] <= 1) & (a0["occupation"] == k), act1 & (a1["occupation"] == k)
                actt = (at["state"] <= 1) & (at["occupation"] == k)
                starters_t = actt & (at["tenure"] < 2)
                wanted = starters_t.sum() / max(1, actt.sum()) * act0.sum()
                for b in BANDS:
                    in0 = act0 & (a0["age"] >= b[0]) & (a0["age"] <= b[1])
                    in1 = starters_t & (at["age"] >= b[0]) & (at["age"] <= b[1])
                    want = min(0.95, wanted * in1.sum() / max(1, starters_t.sum()) / max(1, in0.sum()))
                    now = (a0["tenure"][in0] < 2).mean() if in0.any() else 0.0
                    shares[(o, b)] = want
                    worst = max(worst, abs(now - want))
                    if want <= 0:
                        means[(o, b)] = MAX_MEAN
                    elif now <= 0 or now >= 1:
                        means[(o, b)] = min(MAX_MEAN, -2.0 / np.log(1.0 - want))
                    else:
                        means[(o, b)] = min(MAX_MEAN, max(0.05, means[(o, b)] * np.log(1 - now) / np.log(1 - want)))
                reserve[o] = ((at["state"] == 2) & (at["occupation"] == k)).sum() / max(1, actt.sum())
            print(f"round {round_ + 1}: largest difference in a band's share of starters, start vs wanted: {worst:.3f}")
        write_tenure(tenure_csv, occupations, means, shares, args.scenario, args.tenure_years)
    print(f"wrote {workforce_csv} and {tenure_csv}")
    print("initial_reserve_ratio = { " + ", ".join(f"{o} = {reserve[o]:.3f}" for o in occupations) + " }")


if __name__ == "__main__":
    sys.exit(main())
