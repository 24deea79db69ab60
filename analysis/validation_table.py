#!/usr/bin/env python3
"""Tables for scenarios/VALIDATION.md from runs of the ZW-Connect baseline.

    build/careabm run scenarios/zwconnect-2022.toml --uncertainty -o zw.h5 --force --quiet
    build/careabm run scenarios/zwconnect-2016.toml -o zw2016.h5 --force --quiet
    PYTHONPATH=analysis /usr/bin/python3 analysis/validation_table.py zw.h5 [zw2016.h5]

Prints Markdown: what was fitted against the model, the base year (an input),
the first-year criterion per occupation, the checks made without fitting
(flows, the shortage by occupation, branch and subregion against the
published pattern and the national forecast's shares), the 2031 result with
both intervals when the run has `--uncertainty`, and the backcast when its
output is given. Every interval is the 2.5-97.5% range across replications
(with `--uncertainty`, across replications that each draw their parameters).
"""
import sys

import h5py
import numpy as np

REGION_SHARE = 139_320 / 1_370_000  # the region's employees / the nation's, 2022 (CBS; scenarios/SOURCES.md)
EXITS = ["out.retirement", "out.to_reserve", "out.death_disability"]
ENTRIES = ["in.graduates", "in.reentry", "in.career_switchers", "in.recruited_reserve", "in.recruited_outside"]


def labels(f, name):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f[name][...]]


def stats(values):
    v = np.asarray(values, dtype=float)
    return v.mean(), np.quantile(v, 0.025), np.quantile(v, 0.975)


def fmt(triple, digits=0):
    mean, lo, hi = triple
    return f"{mean:,.{digits}f} [{lo:,.{digits}f}, {hi:,.{digits}f}]"


class Run:
    def __init__(self, path, group=""):
        self.f = h5py.File(path, "r")
        g = self.f[group] if group else self.f
        self.g = g
        self.years = [int(y) for y in self.f["year"][...]]
        self.occ, self.branch, self.sub = labels(self.f, "occupation"), labels(self.f, "branch"), labels(self.f, "subregion")
        self.flow_names = labels(self.f, "flow")
        self.persons = g["shortage/persons"][...]      # rep, year, s, b, o
        self.fte_short = g["shortage/fte"][...]
        self.unfilled = g["shortage/unfilled"][...]
        self.demand = g["demand/fte"][...]
        self.head = g["workforce/headcount"][...]
        self.flows = g["workforce/flows"][...]         # rep, year, s, b, o, flow

    def t(self, year):
        return self.years.index(year)

    def total(self, year, data=None):
        return (self.persons if data is None else data)[:, self.t(year)].sum((1, 2, 3))

    def flow(self, year, names, branches=None):
        k = [self.flow_names.index(n) for n in names]
        x = self.flows[:, self.t(year)][..., k].sum(-1)  # rep, s, b, o
        if branches is not None:
            x = x[:, :, [self.branch.index(b) for b in branches]]
        return x.sum((1, 2, 3))


def first_year_table(run):
    print("| occupation | first year | next four years | range, +-2 SE | first year inside |")
    print("| --- | ---: | --- | --- | --- |")
    n = run.head.shape[0]
    for o, name in enumerate(run.occ):
        change = np.diff(run.head[:, :6, :, :, o].sum((2, 3)), axis=1)  # rep, 5 changes
        mean, se = change.mean(0), change.std(0, ddof=1) / np.sqrt(n)
        lo, hi = (mean[1:] - 2 * se[1:]).min(), (mean[1:] + 2 * se[1:]).max()
        inside = mean[0] + 2 * se[0] >= lo and mean[0] - 2 * se[0] <= hi
        print(f"| {name} | {mean[0]:+,.0f} (SE {se[0]:.0f}) | " + ", ".join(f"{m:+,.0f}" for m in mean[1:]) +
              f" | [{lo:+,.0f}, {hi:+,.0f}] | {'yes' if inside else '**no**'} |")


def main(path, backcast=None):
    run = Run(path)
    reps = run.persons.shape[0]
    print(f"Run: {path}, {reps} replications.\n")

    print("**Fitted** (`careabm calibrate`; targets in scenarios/targets/):\n")
    print("| target | source | target | model: mean [95% interval] | error |")
    print("| --- | --- | ---: | ---: | ---: |")
    zhn = run.f["clients/count"][...]  # rep, year, s, need, setting
    needs = labels(run.f, "need")
    wlz = [needs.index(n) for n in ("wlz_light", "wlz_somatic", "wlz_pg")]
    zhn_wlz = lambda y: zhn[:, run.t(y), run.sub.index("zuid_holland_noord")][:, wlz].sum((1, 2))
    rows = [
        ("total shortage 2031, persons", "ZW-Connect Arbeidsmarktprognose 2022", 14600, run.total(2031)),
        ("ZHN nursing-home places needed 2025", "regional vision ZHN", 5000, zhn_wlz(2025)),
        ("ZHN nursing-home places needed 2040", "regional vision ZHN", 8200, zhn_wlz(2040)),
        ("sector exits 2023", "CBS 11.3% of employees", 15743, run.flow(2023, EXITS)),
        ("sector entries 2023", "CBS 174.7k x 0.1017", 17767, run.flow(2023, ENTRIES)),
    ]
    for name, source, target, values in rows:
        s = stats(values)
        print(f"| {name} | {source} | {target:,} | {fmt(s)} | {100 * (s[0] - target) / target:+.1f}% |")

    base = run.total(2022)
    print(f"\n**Base year, an input**: the 2022 shortage is the vacancy data (each branch's vacancy ratio x "
          f"its supply): {base.mean():,.0f} persons.\n")

    print("**First simulated year** (the issue's criterion: each occupation's net headcount change in 2023 "
          "within the range of its changes in 2024-2027, widened by 2 standard errors of the mean):\n")
    first_year_table(run)

    print("\n**Checked, not fitted**: flows of the first simulated year against CBS x 0.1017:\n")
    print("| figure | published | model |")
    print("| --- | ---: | ---: |")
    returners = run.flow(2023, ["in.reentry", "in.recruited_reserve"])
    print(f"| returners (spontaneous and recruited from the reserve) | 43k x 0.1017 = 4,373 | {fmt(stats(returners))} |")
    grads = run.flow(2023, ["in.graduates"])
    print(f"| entrants from education (graduates entering) | 88k x 0.1017 = 8,950 | {fmt(stats(grads))} |")
    switchers = run.flow(2023, ["in.career_switchers"])
    print(f"| career switchers entering directly (the certificate track's enter as graduates) | 44k x 0.1017 = 4,475 | "
          f"{fmt(stats(switchers))} |")
    vvt = ["nursing_home", "home_care"]
    share = run.flow(2023, ["in.career_switchers"], vvt) / run.flow(2023, ENTRIES + ["in.outside_region"], vvt)
    print(f"| career switchers' share of VVT entries | 'over 42%' (2018) | {fmt(stats(100 * share), 1)}% |")

    print("\n**Shortage by occupation** in persons (mean [95% interval]), and each occupation's share of the total "
          "in 2031 against the national forecast's in 2030:\n")
    print("| year | " + " | ".join(run.occ) + " | total | unfilled |")
    print("| --- |" + " ---: |" * (len(run.occ) + 2))
    for year in (2022, 2025, 2028, 2031, 2035, 2040):
        cells = [fmt(stats(run.persons[:, run.t(year), :, :, o].sum((1, 2)))) for o in range(len(run.occ))]
        print(f"| {year} | " + " | ".join(cells) + f" | {fmt(stats(run.total(year)))} | "
              f"{fmt(stats(run.total(year, run.unfilled)))} |")
    tot = run.total(2031).mean()
    national = {"helper": 6_900 + 6_200, "vig": 43_700, "nurses": 17_700}
    nat_total = 135_000
    occ_share = {o: run.persons[:, run.t(2031), :, :, k].sum((1, 2)).mean() / tot for k, o in enumerate(run.occ)}
    occ_share["nurses"] = occ_share.get("mbo_nurse", 0) + occ_share.get("hbo_nurse", 0)
    print("\n| share of the 2031 shortage | model | national (PZW 2030 / 135k in 2031) |")
    print("| --- | ---: | ---: |")
    print(f"| VIG | {100 * occ_share['vig']:.0f}% | {100 * national['vig'] / nat_total:.0f}% |")
    print(f"| MBO + HBO nurses | {100 * occ_share['nurses']:.0f}% | {100 * national['nurses'] / nat_total:.0f}% |")
    print(f"| helpers (national: helpers and care aides) | {100 * occ_share['helper']:.0f}% | "
          f"{100 * national['helper'] / nat_total:.0f}% |")
    print(f"| other | {100 * occ_share['other']:.0f}% | {100 * (1 - sum(national.values()) / nat_total):.0f}% |")

    print("\n**Shortage by branch and subregion in 2031**: persons (mean [95% interval]) and shortage / demand (FTE):\n")
    print("| branch | persons | shortage / demand |")
    print("| --- | ---: | ---: |")
    for b, name in enumerate(run.branch):
        p = stats(run.persons[:, run.t(2031), :, b].sum((1, 2)))
        rel = run.fte_short[:, run.t(2031), :, b].sum((1, 2)).mean() / run.demand[:, run.t(2031), :, b].sum((1, 2)).mean()
        print(f"| {name} | {fmt(p)} | {100 * rel:.1f}% |")
    print("\n| subregion | persons | shortage / demand |")
    print("| --- | ---: | ---: |")
    for s, name in enumerate(run.sub):
        p = stats(run.persons[:, run.t(2031), s].sum((1, 2)))
        rel = run.fte_short[:, run.t(2031), s].sum((1, 2)).mean() / run.demand[:, run.t(2031), s].sum((1, 2)).mean()
        print(f"| {name} | {fmt(p)} | {100 * rel:.1f}% |")

    print(f"\n**The national forecast x the region's share** ({100 * REGION_SHARE:.2f}%) next to the model:\n")
    print("| figure | national | x regional share | model |")
    print("| --- | ---: | ---: | ---: |")
    occ_sum = lambda year, names: run.persons[:, run.t(year)][..., [run.occ.index(n) for n in names]].sum((1, 2, 3))
    br_sum = lambda year, name: run.persons[:, run.t(year), :, run.branch.index(name)].sum((1, 2))
    for name, value, values in [
        ("total shortage 2022 (PZW, Jan 2022)", 49_000, run.total(2022)),
        ("total shortage 2031 (PZW, Jan 2022)", 135_000, run.total(2031)),
        ("VIG shortage 2030 (PZW 2020/21)", 43_700, occ_sum(2030, ["vig"])),
        ("nurse shortage 2030 (PZW 2020/21)", 17_700, occ_sum(2030, ["mbo_nurse", "hbo_nurse"])),
        ("helper and care-aide shortage 2030 (PZW 2020/21)", 13_100, occ_sum(2030, ["helper"])),
        ("nursing-home shortage 2022 (PZW 2020/21, 29.6-31.7k)", 30_650, br_sum(2022, "nursing_home")),
        ("home-care shortage 2022 (PZW 2020/21, 8.5-12.2k)", 10_350, br_sum(2022, "home_care")),
        ("hospital shortage 2022 (PZW 2020/21, 6.4-8.6k)", 7_500, br_sum(2022, "hospital")),
    ]:
        print(f"| {name} | {value:,} | {value * REGION_SHARE:,.0f} | {fmt(stats(values))} |")

    if "uncertainty" in run.f:
        drawn = Run(path, "uncertainty")
        print("\n**Intervals in 2031** (persons): simulation only (the scenario's values, "
              f"{reps} replications) and parameters with simulation ({drawn.persons.shape[0]} replications, "
              "each with its own draw of the [uncertainty] bands):\n")
        print("| 2031 | simulation only | parameters and simulation |")
        print("| --- | ---: | ---: |")
        print(f"| total shortage | {fmt(stats(run.total(2031)))} | {fmt(stats(drawn.total(2031)))} |")
        print(f"| unfilled | {fmt(stats(run.total(2031, run.unfilled)))} | {fmt(stats(drawn.total(2031, drawn.unfilled)))} |")
        for k, o in enumerate(run.occ):
            a = run.persons[:, run.t(2031), :, :, k].sum((1, 2))
            b = drawn.persons[:, drawn.t(2031), :, :, k].sum((1, 2))
            print(f"| {o} | {fmt(stats(a))} | {fmt(stats(b))} |")
        names = labels(run.f, "uncertainty/parameter")
        values = run.f["uncertainty/parameters"][...]
        rank = lambda x: np.argsort(np.argsort(x)).astype(float)
        y = rank(drawn.total(2031))
        cors = sorted(((np.corrcoef(rank(values[:, k]), y)[0, 1], n) for k, n in enumerate(names)),
                      key=lambda c: -abs(c[0]))
        print("\nThe drawn parameters most associated with the 2031 total (Spearman rank correlation over the "
              f"{values.shape[0]} draws; |r| below ~0.3 is within the noise of so few draws):\n")
        print("| parameter | r |")
        print("| --- | ---: |")
        for c, n in cors[:6]:
            print(f"| `{n}` | {c:+.2f} |")

    if backcast:
        b = Run(backcast)
        h = b.head.sum((2, 3, 4))
        growth = h[:, -1] / h[:, 0] - 1
        print(f"\n**Backcast** ({backcast}, {b.years[0]}-{b.years[-1]}, {h.shape[0]} replications, not fitted):\n")
        print("| figure | published | model |")
        print("| --- | ---: | ---: |")
        print(f"| employees {b.years[0]} | 118,880 (input) | {h[:, 0].mean():,.0f} |")
        print(f"| growth {b.years[0]}-{b.years[-1]} | +17.2% (nation, CBS) | "
              f"{fmt(stats(100 * growth), 1)}% |")
        print(f"| employees {b.years[-1]} | 139,320 (the baseline's start: 2016 x the national growth) | "
              f"{fmt(stats(h[:, -1]))} |")
        rate = b.total(b.years[-1], b.fte_short) / b.demand[:, -1].sum((1, 2, 3))
        print(f"| open jobs / demand {b.years[-1]} | 4.2% (CBS 2022) | {fmt(stats(100 * rate), 1)}% |")
        for k, o in enumerate(b.occ):
            g = b.head[:, -1, :, :, k].sum((1, 2)) / b.head[:, 0, :, :, k].sum((1, 2)) - 1
            print(f"| growth of {o} | | {fmt(stats(100 * g), 1)}% |")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
