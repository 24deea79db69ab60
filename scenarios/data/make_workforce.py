#!/usr/bin/python3
"""Build the initial workforce of the ZW-Connect 2022 baseline.

Writes scenarios/data/zwconnect-2022-workforce.csv: headcount by subregion x
branch x occupation x age band, 1 January 2022, care and welfare "smal" (without
childcare), with a `source` cell on every row. Run from anywhere with the
system Python (stdlib only):

    /usr/bin/python3 scenarios/data/make_workforce.py            # write the CSV
    /usr/bin/python3 scenarios/data/make_workforce.py --check-outflow scenarios/zwconnect-2022.toml

`--check-outflow` prints the leaver composition that the scenario's outflow
parameters imply for the first simulated year (share of leavers with short
tenure, aged under 35, aged 55+, and the yearly exit rate); the comments in
the scenario quote its output.

Every published figure is a constant below with its source (the rows of
/work/shared/DATA.md). Everything derived from them is an estimate (EST), and
the CSV's `source` column says so. The derivation, step by step:

 1. Rijnstreek (Zuid-Holland Noord + Midden-Holland) 2016, employees by branch:
    Databank Zuid-Holland 4121 (total 58,390, table 4116).
 2. Haaglanden + Nieuwe Waterweg Noord 2016: about 75,000 workers including
    youth care and childcare (Zorgpact). No branch split is published: EST,
    split with the Rijnstreek branch mix (incl. childcare), i.e. 75,000 x
    Rijnstreek share of each branch.
 3. Childcare is dropped ("zorg en welzijn smal"): 3,600 / 58,390 = 6.2% in
    the Rijnstreek; the same share is removed from Haaglanden + NWN by step 2.
 4. 2016 -> 2022: national growth of care and welfare employees 1,169k ->
    1,370k (CBS), factor 1.172, applied to every branch alike (EST: branch
    growth differed nationally, but no regional branch series is at hand).
    Result: about 146,700, the EST "about 147,000" of DATA.md.
 5. Subregions: Rijnstreek split into ZHN and Midden-Holland, and Haaglanden +
    NWN into Haaglanden and NWN, by population share (DATA.md EST population:
    1.13M, 0.57M, 0.26M, 0.19M). EST: hospitals and other large employers are
    concentrated in the cities, so this spreads them more evenly than reality.
 6. Model branches: nursing_home = nursing & residential care (V&V),
    home_care = home care, hospital, disability, mental_health as published,
    and `other` = welfare + youth care + GPs + other (childcare excluded).
 7. Occupation mix per branch (shares of headcount, EST, see OCCUPATION_MIX):
    nursing_home and home_care use one provider's published VVT staff mix
    (FTE by level, applied to headcount); other branches are reasoned
    estimates.
 8. Age: CBS 2022 says 31% of VVT workers are 55+, 25% of all care & welfare.
    VVT (nursing_home + home_care) gets 31%; the other branches get the share
    that makes the regional total 25% (computed below, about 22%). The 55+
    group is split 55-59 / 60-66 as 55 / 45 and the under-55 group over the
    bands 18-24, 25-34, 35-44, 45-54 as 13 / 30 / 26 / 31 (EST: shape of the
    CBS age pyramid of the sector, no regional figure).
 9. Counts are rounded by largest remainder so that every (subregion,
    branch) total and the grand total are the rounded unrounded totals.
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "zwconnect-2022-workforce.csv")

# --- published figures (DATA.md) -------------------------------------------
RIJNSTREEK_2016 = {  # Databank Zuid-Holland 4121, employees 2016
    "hospitals": 13980, "nursing_residential": 9920, "home_care": 8020,
    "disability": 9500, "mental_health": 3420, "welfare": 2230, "youth": 1590,
    "gps": 1350, "childcare": 3600, "other": 4780,
}
RIJNSTREEK_2016_TOTAL = 58390           # Databank Zuid-Holland 4116
HAAGLANDEN_NWN_2016 = 75000             # Zorgpact Haaglanden en NWN 2016, incl. youth care and childcare
NATIONAL_2016, NATIONAL_2022 = 1169e3, 1370e3  # CBS Arbeidsmarktprofiel zorg en welzijn 2022
POPULATION = {                          # DATA.md, EST from municipal totals
    "haaglanden": 1.13e6, "zuid_holland_noord": 0.57e6,
    "midden_holland": 0.26e6, "nieuwe_waterweg_noord": 0.19e6,
}
SHARE_55PLUS_VVT, SHARE_55PLUS_ALL = 0.31, 0.25  # CBS 2022
VVT_EXAMPLE_FTE = {"hbo_nurse": 2.9, "mbo_nurse": 6.5, "vig": 18.6, "helper": 7.6}  # of 48.5 FTE, one provider 2023
VVT_EXAMPLE_TOTAL = 48.5

# --- mappings and estimates --------------------------------------------------
SUBREGIONS = ["haaglanden", "zuid_holland_noord", "midden_holland", "nieuwe_waterweg_noord"]
PAIRS = {  # which 2016 source covers which subregions
    "rijnstreek": ["zuid_holland_noord", "midden_holland"],
    "haaglanden_nwn": ["haaglanden", "nieuwe_waterweg_noord"],
}
BRANCH_OF = {  # Databank branch -> model branch (childcare: excluded)
    "nursing_residential": "nursing_home", "home_care": "home_care", "hospitals": "hospital",
    "disability": "disability", "mental_health": "mental_health", "welfare": "other",
    "youth": "other", "gps": "other", "other": "other",
}
BRANCHES = ["nursing_home", "home_care", "hospital", "disability", "mental_health", "other"]
OCCUPATIONS = ["helper", "vig", "mbo_nurse", "hbo_nurse", "other"]
VVT = {"nursing_home", "home_care"}

_vvt = {o: VVT_EXAMPLE_FTE[o] / VVT_EXAMPLE_TOTAL for o in VVT_EXAMPLE_FTE}
_vvt["other"] = 1.0 - sum(_vvt.values())  # 12.9 of 48.5 FTE: care aides, activities, hospitality, staff
OCCUPATION_MIX = {
    # VVT example staff mix (FTE shares used as headcount shares).
    "nursing_home": dict(_vvt),
    "home_care": dict(_vvt),
    # EST: about a third of hospital staff are nurses, with a larger HBO share
    # than in VVT; few VIG and helpers (ward assistants); the rest are doctors,
    # paramedics, OR/anaesthesia staff, support and administration.
    "hospital": {"helper": 0.03, "vig": 0.04, "mbo_nurse": 0.17, "hbo_nurse": 0.15, "other": 0.61},
    # EST: disability care is mostly social-care supporters (begeleiders, MBO
    # 3/4 and HBO social work: `other`); VIG and helpers work in the residential
    # groups with high care needs; few nurses.
    "disability": {"helper": 0.08, "vig": 0.15, "mbo_nurse": 0.06, "hbo_nurse": 0.03, "other": 0.68},
    # EST: mental health has GGZ nurses (mostly HBO) beside psychologists,
    # psychiatrists, social and support staff.
    "mental_health": {"helper": 0.01, "vig": 0.03, "mbo_nurse": 0.08, "hbo_nurse": 0.14, "other": 0.74},
    # EST: welfare, youth care, GPs and other are almost all `other`; nurses
    # (practice nurses at GPs, HBO) and some helpers/VIG in other care.
    "other": {"helper": 0.02, "vig": 0.02, "mbo_nurse": 0.02, "hbo_nurse": 0.04, "other": 0.90},
}
AGE_BANDS = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 59), (60, 66)]
UNDER55_WEIGHTS = [0.13, 0.30, 0.26, 0.31]  # EST: 18-24, 25-34, 35-44, 45-54
OVER55_WEIGHTS = [0.55, 0.45]               # EST: 55-59, 60-66


def largest_remainder(values, total):
    """Integers summing to `total`, each the floor or ceiling of its value."""
    floors = [math.floor(v) for v in values]
    rest = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in order[:rest]:
        floors[i] += 1
    return floors


def branch_totals_2022():
    """(subregion, branch) -> unrounded headcount 2022, and the notes behind it."""
    growth = NATIONAL_2022 / NATIONAL_2016
    rijn = {b: 0.0 for b in BRANCHES}
    for k, v in RIJNSTREEK_2016.items():
        if k in BRANCH_OF:
            rijn[BRANCH_OF[k]] += v
    hnwn = {b: HAAGLANDEN_NWN_2016 * v / RIJNSTREEK_2016_TOTAL for b, v in rijn.items()}
    source_2016 = {"rijnstreek": rijn, "haaglanden_nwn": hnwn}
    totals, notes = {}, {}
    for pair, subs in PAIRS.items():
        pop = sum(POPULATION[s] for s in subs)
        for s in subs:
            for b in BRANCHES:
                totals[s, b] = source_2016[pair][b] * growth * POPULATION[s] / pop
                if pair == "rijnstreek":
                    base = f"Databank Zuid-Holland 4121 Rijnstreek 2016 {b} {rijn[b]:.0f}"
                else:
                    base = (f"Zorgpact Haaglanden+NWN 2016 75000 x Rijnstreek {b} share "
                            f"{rijn[b] / RIJNSTREEK_2016_TOTAL:.4f} (Databank ZH 4121) = {hnwn[b]:.0f}")
                notes[s, b] = (f"{base}; x CBS growth 1370k/1169k; x population share "
                               f"{POPULATION[s] / pop:.3f}")
    return totals, notes


def share_55plus(totals):
    """55+ share by branch: 31% in VVT, the rest chosen so the total is 25%."""
    vvt = sum(v for (s, b), v in totals.items() if b in VVT)
    all_ = sum(totals.values())
    rest = (SHARE_55PLUS_ALL * all_ - SHARE_55PLUS_VVT * vvt) / (all_ - vvt)
    return {b: SHARE_55PLUS_VVT if b in VVT else rest for b in BRANCHES}


def age_shares(p55):
    u = [w / sum(UNDER55_WEIGHTS) * (1 - p55) for w in UNDER55_WEIGHTS]
    o = [w / sum(OVER55_WEIGHTS) * p55 for w in OVER55_WEIGHTS]
    return u + o


def build():
    totals, notes = branch_totals_2022()
    p55 = share_55plus(totals)
    keys = list(totals)
    grand = round(sum(totals.values()))
    cell_totals = dict(zip(keys, largest_remainder([totals[k] for k in keys], grand)))
    rows = []
    for s in SUBREGIONS:
        for b in BRANCHES:
            ages = age_shares(p55[b])
            parts = [(o, a) for o in OCCUPATIONS for a in range(len(AGE_BANDS))]
            values = [cell_totals[s, b] * OCCUPATION_MIX[b][o] * ages[a] for o, a in parts]
            counts = largest_remainder(values, cell_totals[s, b])
            occ_note = "occupation: VVT example staff mix 2023" if b in VVT else f"occupation: mix for {b}"
            age_note = (f"age: CBS 2022 VVT 31% 55+" if b in VVT else
                        f"age: {p55[b]:.1%} 55+ so that all = CBS 2022 25%")
            for (o, a), n in zip(parts, counts):
                lo, hi = AGE_BANDS[a]
                src = f"EST: {notes[s, b]}; {occ_note}; {age_note}"
                rows.append([src, s, b, o, lo, hi, n])
    return rows, totals, p55


def write(rows, totals, p55):
    with open(OUT, "w", newline="") as f:
        f.write("# Initial workforce of scenarios/zwconnect-2022.toml: headcount on 1 Jan 2022,\n"
                "# care and welfare without childcare, by subregion x branch x occupation x age.\n"
                "# Generated by scenarios/data/make_workforce.py (do not edit by hand); its\n"
                "# docstring explains the derivation. Every count is an estimate (EST) derived\n"
                "# from the published figures named in the source cell:\n"
                "#  1. Rijnstreek 2016 by branch (Databank Zuid-Holland 4121);\n"
                "#  2. Haaglanden+NWN 2016 ~75,000 (Zorgpact) split by the Rijnstreek branch mix;\n"
                "#  3. childcare (6.2% of Rijnstreek) removed; branch other = welfare+youth+GPs+other;\n"
                "#  4. x national growth 2016->2022 of 1,370k/1,169k (CBS);\n"
                "#  5. pairs split into subregions by population share (EST);\n"
                "#  6. occupation mix: VVT example staff mix for nursing_home and home_care, EST\n"
                "#     for the other branches;\n"
                f"#  7. age: VVT 31% aged 55+, other branches {p55['hospital']:.1%} so the total is 25% (CBS 2022).\n"
                f"# Total {sum(r[-1] for r in rows)} (DATA.md EST ~147,000).\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "subregion", "branch", "occupation", "age_from", "age_to", "count"])
        w.writerows(rows)


def summary(rows):
    def by(i):
        out = {}
        for r in rows:
            out[r[i]] = out.get(r[i], 0) + r[-1]
        return out
    total = sum(r[-1] for r in rows)
    print(f"total {total}")
    for name, i in (("subregion", 1), ("branch", 2), ("occupation", 3)):
        print(name + ": " + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in by(i).items()))
    old = sum(r[-1] for r in rows if r[4] >= 55)
    print(f"aged 55+: {old / total:.1%}")


# --- check of the outflow parameters -----------------------------------------
def check_outflow(scenario_path):
    """Expected leaver composition in the first simulated year (mirrors
    model/simulation/initial_population.cpp and model/processes/outflow.cpp: initial age
    uniform within its band, tenure = floor(min(Exp(mean), age - entry_age)),
    then ageing adds a year to both before the outflow step)."""
    import tomllib
    with open(scenario_path, "rb") as f:
        sc = tomllib.load(f)
    wf, of = sc["workforce"], sc["outflow"]
    entry, pension, mean_t = wf.get("entry_age", 16), wf["pension_age"], wf["initial_tenure_mean"]
    path = os.path.join(os.path.dirname(os.path.abspath(scenario_path)), wf["initial"])
    with open(path) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))

    def band(bounds, v):
        b = 0
        while b + 1 < len(bounds) and v >= bounds[b + 1]:
            b += 1
        return b

    stats = {}
    def add(key, stock, leave):
        s = stats.setdefault(key, [0.0, 0.0])
        s[0] += stock
        s[1] += leave

    for r in rows:
        n, lo, hi = int(r["count"]), int(r["age_from"]), int(r["age_to"])
        occ, br = r["occupation"], r["branch"]
        base = of["rate"][occ] * of.get("branch_multiplier", {}).get(br, 1.0)
        vvt = br in VVT
        for age0 in range(lo, hi + 1):
            w_age = n / (hi - lo + 1)
            cap = max(0, age0 - entry)
            for t0 in range(cap + 1):
                p = (math.exp(-t0 / mean_t) - math.exp(-(t0 + 1) / mean_t)) if t0 < cap else math.exp(-cap / mean_t)
                stock = w_age * p
                age, ten = age0 + 1, t0 + 1
                if age >= pension:
                    h = 1.0
                else:
                    h = (base * of["age_multiplier"][band(of["age_bands"], age)]
                         * of["tenure_multiplier"][band(of["tenure_bands"], ten)])
                for key in ("all", "short" if ten < of["tenure_bands"][1] else None,
                            "u35" if age < 35 else None, "55+" if age >= 55 else None,
                            "pension" if age >= pension else None):
                    if key:
                        add(key, stock, stock * h)
                        if vvt:
                            add("vvt " + key, stock, stock * h)
    allst, allv = stats["all"]
    vst, vv = stats["vvt all"]
    print(f"first-year exits incl. retirement at {pension}: {allv:.0f} = {allv / allst:.1%} of {allst:.0f}")
    print(f"  of which retirement at the pension age: {stats['pension'][1]:.0f}")
    print(f"  leavers with tenure < {of['tenure_bands'][1]} at the outflow step (first ~2 years): "
          f"{stats['short'][1] / allv:.1%}  (stock share {stats['short'][0] / allst:.1%})")
    print(f"  leavers aged < 35: {stats['u35'][1] / allv:.1%}  (stock share {stats['u35'][0] / allst:.1%})")
    print(f"  leavers aged 55+: {stats['55+'][1] / allv:.1%}  (stock share {stats['55+'][0] / allst:.1%})")
    print(f"VVT exits: {vv / vst:.1%}; VVT leavers aged 55+: {stats['vvt 55+'][1] / vv:.1%}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-outflow":
        check_outflow(sys.argv[2])
    elif len(sys.argv) == 1:
        rows, totals, p55 = build()
        write(rows, totals, p55)
        summary(rows)
        print(f"wrote {OUT}")
    else:
        sys.exit(__doc__)
