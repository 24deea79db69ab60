#!/usr/bin/env python3
"""Tables for scenarios/VALIDATION.md from a run of the ZW-Connect baseline.

    build/careabm run scenarios/zwconnect-2022.toml -o zw.h5 --force --quiet
    PYTHONPATH=analysis /usr/bin/python3 analysis/validation_table.py zw.h5

Prints Markdown: the calibration targets against the model (mean over
replications with the 2.5-97.5% range across replications), the shortage by
year, occupation and branch, and the national forecast figures
(scenarios/SOURCES.md) scaled by the region's share next to the model.
"""
import sys

import numpy as np

from careabm_analysis import open_output

REGION_SHARE = 146_687 / 1_370_000  # initial workforce / national care & welfare employees 2022 (CBS)


def stats(values):
    values = np.asarray(values, dtype=float)
    return values.mean(), np.quantile(values, 0.025), np.quantile(values, 0.975)


def fmt(triple):
    mean, lo, hi = triple
    return f"{mean:,.0f} [{lo:,.0f}, {hi:,.0f}]"


def main(path):
    out = open_output(path)
    persons = out["shortage"]["persons"]
    demand = out["demand"]["fte"]
    clients = out["clients"]["count"]
    reps = persons.sizes["replication"]
    total = persons.sum(["subregion", "branch", "occupation"])
    zhn = clients.sel(subregion="zuid_holland_noord", need=["wlz_somatic", "wlz_pg"]).sum(["need", "setting"])

    print(f"Run: {path}, {reps} replications, seed {out.attrs.get('seed')}.\n")
    print("| target | source | target value | model: mean [95% range] | error of the mean |")
    print("| --- | --- | ---: | ---: | ---: |")
    rows = [
        ("total shortage 2031, persons", "ZW-Connect Arbeidsmarktprognose 2022", 14600, total.sel(year=2031)),
        ("base-year shortage 2022, persons", "EST: national 49k x regional share", 5500, total.sel(year=2022)),
        ("ZHN nursing-home places needed 2025", "regional vision ZHN", 5000, zhn.sel(year=2025)),
        ("ZHN nursing-home places needed 2040", "regional vision ZHN", 8200, zhn.sel(year=2040)),
        ("VIG shortage 2031", "EST: national PZW share", 4730,
         persons.sel(year=2031, occupation="vig").sum(["subregion", "branch"])),
        ("MBO + HBO nurse shortage 2031", "EST: national PZW share", 1910,
         persons.sel(year=2031, occupation=["mbo_nurse", "hbo_nurse"]).sum(["subregion", "branch", "occupation"])),
    ]
    for name, source, target, values in rows:
        s = stats(values.values)
        print(f"| {name} | {source} | {target:,} | {fmt(s)} | {100 * (s[0] - target) / target:+.1f}% |")

    print("\nShortage in persons by occupation (mean [95% range]):\n")
    occupations = [str(o) for o in persons["occupation"].values]
    print("| year | " + " | ".join(occupations) + " | total |")
    print("| --- |" + " ---: |" * (len(occupations) + 1))
    for year in (2022, 2025, 2028, 2031, 2035, 2040):
        cells = [fmt(stats(persons.sel(year=year, occupation=o).sum(["subregion", "branch"]).values)) for o in occupations]
        print(f"| {year} | " + " | ".join(cells) + f" | {fmt(stats(total.sel(year=year).values))} |")

    print("\nShortage by branch in 2031: persons (mean [95% range]) and share of demand:\n")
    print("| branch | persons | shortage / demand (FTE) |")
    print("| --- | ---: | ---: |")
    fte = out["shortage"]["fte"]
    for b in [str(x) for x in persons["branch"].values]:
        p = stats(persons.sel(year=2031, branch=b).sum(["subregion", "occupation"]).values)
        rel = (fte.sel(year=2031, branch=b).sum(["subregion", "occupation"]) /
               demand.sel(year=2031, branch=b).sum(["subregion", "occupation"])).mean("replication")
        print(f"| {b} | {fmt(p)} | {100 * float(rel):.1f}% |")

    print("\nThe national forecast figures (scenarios/SOURCES.md) x the region's share "
          f"({100 * REGION_SHARE:.1f}%) next to the model:\n")
    print("| figure | national | x regional share | model |")
    print("| --- | ---: | ---: | ---: |")
    national = [
        ("total shortage 2022 (PZW, Jan 2022)", 49_000, total.sel(year=2022)),
        ("total shortage 2031 (PZW, Jan 2022)", 135_000, total.sel(year=2031)),
        ("VIG shortage 2030 (PZW 2020/21)", 43_700, persons.sel(year=2030, occupation="vig").sum(["subregion", "branch"])),
        ("nurse shortage 2030 (PZW 2020/21)", 17_700,
         persons.sel(year=2030, occupation=["mbo_nurse", "hbo_nurse"]).sum(["subregion", "branch", "occupation"])),
        ("helper shortage 2030 (PZW 2020/21)", 6_900, persons.sel(year=2030, occupation="helper").sum(["subregion", "branch"])),
        ("nursing-home shortage 2022 (PZW 2020/21, 29.6-31.7k)", 30_650,
         persons.sel(year=2022, branch="nursing_home").sum(["subregion", "occupation"])),
        ("home-care shortage 2022 (PZW 2020/21, 8.5-12.2k)", 10_350,
         persons.sel(year=2022, branch="home_care").sum(["subregion", "occupation"])),
        ("hospital shortage 2022 (PZW 2020/21, 6.4-8.6k)", 7_500,
         persons.sel(year=2022, branch="hospital").sum(["subregion", "occupation"])),
    ]
    for name, value, values in national:
        print(f"| {name} | {value:,} | {value * REGION_SHARE:,.0f} | {fmt(stats(values.values))} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
