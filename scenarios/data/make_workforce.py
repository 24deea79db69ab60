#!/usr/bin/python3
"""Build the initial workforce of the ZW-Connect scenarios, 1 Jan 2016 and 1 Jan 2022.

Writes two CSVs of headcount by subregion x branch x occupation x single
year of age, care and welfare "smal" (without childcare), employees, with a
`source` cell on every row:

    scenarios/data/zwconnect-2016-workforce-data.csv   1 January 2016
    scenarios/data/zwconnect-2022-workforce-data.csv   1 January 2022

Run from anywhere with the system Python (stdlib only; deterministic):

    /usr/bin/python3 scenarios/data/make_workforce.py            # write both CSVs

The leaver composition these workforces give with a scenario's outflow
parameters comes from the model itself (scenarios/VALIDATION.md, "Flows").

These are the data. The scenarios start from the warm-up's versions
(zwconnect-20xx-workforce.csv, written by initial_state.py): the same counts
per subregion, branch and occupation and per subregion, branch and age band,
with the ages of a branch re-split over its occupations from the model's own
flows (the data give a branch's ages, not each occupation's).

Every published figure is a constant below with its source. Everything
derived from them is an estimate (EST), and the CSVs' `source` column says
so. The derivation, step by step:

 1. One counting base: Databank Zuid-Holland 4121, employees in care and
    welfare by branch in 2016 for the two AZW regions that make up
    ZW-Connect: Rijnstreek (Zuid-Holland Noord + Midden-Holland; 58,390,
    table 4116) and Haaglanden + Nieuwe Waterweg Noord (69,900, table 4116).
    Childcare is dropped (3,600 and 5,810). Model branches: nursing_home =
    nursing & residential care (V&V), home_care = home care, hospital,
    disability, mental_health as published; `other` = welfare + youth care +
    GPs + other care. Region 2016 without childcare: 54,790 + 64,090 =
    118,880, of which VVT (V&V + home care) 40,400.
    Note on counting bases: earlier versions took Haaglanden + NWN from
    Zorgpact Haaglanden en NWN (2016: about 75,000 workers including youth
    care and childcare), split by the Rijnstreek branch mix, which gave
    125,166 without childcare in 2016 and 146,687 in 2022. Zorgpact's is a
    rounded count of workers on another base (table 4116 has 69,900
    employees for the same region and year), and CBS counts 79,800 for
    Haaglanden + NWN in Q4 2018 by place of residence. Table 4121 counts
    employees by branch the same way for both regions, so it is used for
    both; the other two remain only as this note.
 2. 1 Jan 2016 takes the 4121 figures as they are (they are for 2016; the
    one-year offset between "2016" and "1 January 2016" is ignored, as it is
    for 2022). 1 Jan 2022 = 2016 x national growth of care & welfare
    employees 1,169k -> 1,370k (CBS Arbeidsmarktprofiel zorg en welzijn
    2022), factor 1.172, applied to every branch alike (EST: branch growth
    differed nationally, but no regional branch series is at hand).
 3. Subregions: each region is split into its two subregions by population
    share (EST population from municipal totals: Haaglanden 1.13M, NWN 0.19M;
    ZHN 0.57M, Midden-Holland 0.26M), the same shares for every branch. No
    published figure splits employees below the AZW region. The UWV figures
    for end 2022 / Feb 2023 (vacancies in scarce care occupations; care
    workers on unemployment benefit) are flows, not stocks, and put NWN
    inside Rijnmond, so they cannot replace it; they do agree for the
    Rijnstreek: Holland Rijnland : Midden-Holland = 74 : 26 (vacancies) and
    69 : 31 (benefits) against 69 : 31 (population). EST caveat: hospitals
    and other large employers sit in the cities, so population shares
    spread them more evenly than reality.
 4. Occupation mix per branch (shares of headcount, EST, see OCCUPATION_MIX,
    unchanged): nursing_home and home_care use one provider's published VVT
    staff mix (FTE by level, applied to headcount); the other branches are
    reasoned estimates. The same mix in both years.
 5. Age bands 18-24, 25-34, 35-44, 45-54, 55-59 and 60-66 (2022) or 60-65
    (2016: the state pension age was 65y6m, so nobody aged 66 on 1 Jan 2016
    was below it; the age-66 rows are 0. In 2022 it was 66y7m). The totals
    of the bands, per region and branch:
    - 55+ in 2016: Databank Zuid-Holland 4123 (share of employees aged 55+
      by branch, 2016) for the three branches whose share we hold,
      Rijnstreek / Haaglanden+NWN: V&V 28.4 / 26.7%, home care 27.2 / 27.9%,
      hospitals 21.5 / 22.4%; weighted by the 4121 employees that is 17,183
      aged 55+ of 68,180 (VVT 27.4%, hospitals 22.0%).
      The other Databank branches (disability, mental health, welfare,
      youth, GPs, other care, and childcare) have no share in our sources:
      EST one share for all of them, in both regions, such that the region
      WITH childcare is as old as the nation. The national level in 2016 is
      itself EST: CBS has care & welfare (with childcare) 23.9% aged 55+ in
      Q1 2020 and 25% in 2022; taking both as 1 January (as the 2022 figure
      is taken for 1 Jan 2022 below), the rise is (25.0 - 23.9) / 2 = 0.55
      points a year, and the same straight line back to 1 Jan 2016 gives
      23.9 - 4 x 0.55 = 21.7% (EST: the sector aged steadily through the
      decade; a straight line is the simplest reading of two points).
      Arithmetic: 21.7% x 128,290 (the two regions with childcare) = 27,839
      aged 55+; less the 17,183 of the published branches = 10,656; over the
      60,110 employees of the other branches (childcare's 9,410 included) =
      17.7%. So disability, mental health and `other` are 17.7% aged 55+ in
      2016, and the region without childcare 22.0%. (EST caveats: childcare
      is probably younger than the rest, so the other care branches are
      probably somewhat older than 17.7%; and nothing distinguishes mental
      health from disability or from the two regions.)
    - 55+ in 2022: the 2016 pattern (by region and branch) times one factor
      per group, chosen so that the region matches CBS's national levels of
      2022: VVT 31% (CBS 2022): factor 1.130. Hospitals: CBS gives 25.2% for
      Q1 2020 only; EST 26.4% = 25.2% x 25.0 / 23.9, the rise of the whole
      sector from Q1 2020 (23.9%) to 2022 (25%): factor 1.201. The rest
      (disability, mental health, other) has no national figure: one factor,
      1.147, so that the region INCLUDING childcare has CBS's 25% for care &
      welfare, because CBS's sector (the AZW sector of the Arbeidsmarktprofiel)
      includes childcare, and because 2016 was set the same way (the region
      with childcare as old as the nation), with childcare taking the rest's
      share in both years. Arithmetic: 25% x 128,290 = 32,073; less VVT 31% x
      40,400 = 12,524 and hospitals 26.4% x 27,780 = 7,323: 12,226 over the
      60,110 = 20.3% (= 17.7% x 1.147). Forcing the region without childcare
      to 25% instead would give a factor 1.099 (19.5%). Result: the region
      without childcare has 25.4% aged 55+ in 2022 (VVT 31.0%, hospitals
      26.4%, disability, mental health and other 20.3%).
    - Under 35 as a share of the under-55s (the rest are 35-54), from CBS Q1
      2020 (< 35 / 35-54 / 55+): VVT 30.2 / 40.7 / 29.1% -> 42.6%; hospitals
      30.9 / 43.9 / 25.2% -> 41.3%; the other branches take care & welfare
      as a whole, 34.5 / 41.6 / 23.9% -> 45.3% (EST: no figure for them).
      The same split for 2016 (EST: our sources give no age split before Q1
      2020; only the 55+ share changes between the years).
    - Within the groups (EST judgement, no figure in our sources: the
      published age detail stops at < 35 / 35-54 / 55+): the under-35s
      13 : 30 over 18-24 and 25-34 (a year of age 18-24 holds about 60% of
      one of 25-34, since many are still in MBO or HBO training until 20-22);
      the 35-54s 26 : 31 over 35-44 and 45-54 (the older half the larger, as
      in a workforce that is ageing: 55+ 23.9% in Q1 2020, 25% in 2022); the
      55+ 55 : 45 over 55-59 and 60-66 (2022; a year of age 60-66 holds about
      60% of one of 55-59, since many leave before the pension age: more
      than 15k of the VVT's leavers in the year to Q2 2022 were 55+, CBS via
      Skipr). For 2016 the 55+ keep the same count per year of age in 60+
      relative to 55-59 over the shorter 60-65, i.e. 55-59 : 60-65 =
      58.8 : 41.2.
    The same age distribution for every occupation of a branch and region
    (EST: no age figures by occupation).
 6. Single years: within each (subregion, branch), the cumulative count at
    the band boundaries (18, 25, 35, 45, 55, 60, 67 or 66) is interpolated
    by a monotone piecewise cubic (Fritsch-Carlson PCHIP, written out below)
    and differenced to single years 18..66. Monotone, so no count is
    negative; the density (its derivative) is continuous, so there are no
    steps at the band boundaries (the old bands, uniform within, made the
    retirements at the pension age jump when the 55-59 band reached it).
    Every band total is kept exactly (before rounding: the cubic passes
    through the cumulative counts).
 7. Rounding, all by largest remainder (floor of every value, then +1 to
    the largest fractional parts until the total is met; ties to the earlier
    index), level by level so that each level's totals are kept exactly:
    a. 2022 only: the 12 region x branch totals to the rounded grand total
       (2016's are integers already).
    b. per region, the subregion x branch table with both margins fixed:
       the branch totals of (a) and the subregion totals (the region's total
       x population share, largest remainder). Every cell is the floor or
       ceiling of its value: cells are taken in order of their fractional
       part, and augmenting paths finish the few units the greedy pass
       cannot place. (Margins rounded independently can in principle admit
       no such table; then units may go further from a cell's value. That
       does not happen with these figures: the script prints the count, 0.)
    c. per (subregion, branch), the occupation x band table the same way,
       with the occupation totals and the band totals as margins (each
       rounded from the cell total by largest remainder).
    d. per (subregion, branch, occupation, band), the single years.
    So every (subregion, branch), (subregion, branch, occupation) and
    (subregion, branch, band) count is within 1 of the value it is rounded
    from, the single years add up to the (subregion, branch, occupation,
    band) counts exactly, 2016's region x branch totals are the published
    ones, and the regional branch x band totals stay within 2 of their
    unrounded values.

Result (the script prints this; the CSV headers repeat it):

  1 Jan 2016: 118,880 (VVT 40,400)
    branch:     nursing_home 24,810, home_care 15,590, hospital 27,780,
                disability 16,760, mental_health 9,010, other 24,930
    occupation: helper 9,096, vig 19,886, mbo_nurse 12,360, hbo_nurse 9,344,
                other 68,194
    subregion:  haaglanden 54,865, zuid_holland_noord 37,627,
                midden_holland 17,163, nieuwe_waterweg_noord 9,225
    age:        < 35 33.9%, 35-54 44.0%, 55+ 22.0% (VVT 27.4%)
    share of the national employees: 118,880 / 1,169k = 10.17%
  1 Jan 2022: 139,320 (VVT 47,346)
    branch:     nursing_home 29,076, home_care 18,270, hospital 32,557,
                disability 19,641, mental_health 10,559, other 29,217
    occupation: helper 10,658, vig 23,309, mbo_nurse 14,487, hbo_nurse 10,950,
                other 79,916
    subregion:  haaglanden 64,298, zuid_holland_noord 44,097,
                midden_holland 20,114, nieuwe_waterweg_noord 10,811
    age:        < 35 32.5%, 35-54 42.1%, 55+ 25.4% (VVT 31.0%)
    share of the national employees: 139,320 / 1,370k = 10.17%

The share is the same in both years because 2022 is 2016 x national growth.
It compares the region without childcare with a national series that counts
childcare (see 5), i.e. it is the share that turns a national flow per
employee of the whole sector into the region's flow. Like for like (both
with childcare: 128,290 / 1,169k) the region is 10.97% of the sector; that
is the share to use for national quantities that exclude childcare (such as
the national model's shortage), assuming childcare is as large a part of
the national sector as of the region's (7.3%, EST).
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = {2016: os.path.join(HERE, "zwconnect-2016-workforce-data.csv"),
       2022: os.path.join(HERE, "zwconnect-2022-workforce-data.csv")}
YEARS = (2016, 2022)

# --- published figures ---------------------------------------------------------
# Databank Zuid-Holland 4121: employees in care & welfare by branch, 2016, per
# AZW region (CBS SSB, PGGM and annual reports of the academic hospitals,
# processed by Prismant). Totals = Databank Zuid-Holland 4116 (58,390; 69,900).
EMPLOYEES_2016 = {
    "rijnstreek": {
        "hospitals": 13980, "nursing_residential": 9920, "home_care": 8020,
        "disability": 9500, "mental_health": 3420, "welfare": 2230, "youth": 1590,
        "gps": 1350, "other_care": 4780, "childcare": 3600,
    },
    "haaglanden_nwn": {
        "hospitals": 13800, "nursing_residential": 14890, "home_care": 7570,
        "disability": 7260, "mental_health": 5590, "welfare": 4290, "youth": 1950,
        "gps": 2160, "other_care": 6580, "childcare": 5810,
    },
}
EMPLOYEES_2016_TOTAL = {"rijnstreek": 58390, "haaglanden_nwn": 69900}  # Databank Zuid-Holland 4116
# Databank Zuid-Holland 4123: share of employees aged 55+ by branch, 2016, %,
# for the three branches whose share we hold (same sources as 4121; the row
# "Haaglanden" is the AZW region Haaglanden + Nieuwe Waterweg Noord). The
# other branches (disability, mental health, welfare, youth, GPs, other care,
# childcare) get one EST share, REST_55PLUS_2016 (see age_rules).
SHARE_55PLUS_2016 = {
    "rijnstreek": {"nursing_residential": 28.4, "home_care": 27.2, "hospitals": 21.5},
    "haaglanden_nwn": {"nursing_residential": 26.7, "home_care": 27.9, "hospitals": 22.4},
}
# CBS Arbeidsmarktprofiel zorg en welzijn 2022: employees in care & welfare,
# Netherlands (the AZW sector, which includes childcare).
NATIONAL_EMPLOYEES = {2016: 1169e3, 2022: 1370e3}
# CBS, age of employees in Q1 2020, % < 35 / 35-54 / 55+.
AGE_Q1_2020 = {"all": (34.5, 41.6, 23.9), "vvt": (30.2, 40.7, 29.1), "hospital": (30.9, 43.9, 25.2)}
SHARE_55PLUS_2022 = {"all": 25.0, "vvt": 31.0}  # CBS 2022: VVT 31% aged 55+ (care & welfare 25%)
# EST: care & welfare (with childcare) aged 55+ on 1 Jan 2016, by extending
# the CBS rise from Q1 2020 (23.9%) to 2022 (25.0%) back in a straight line,
# both taken as 1 January (as 2022's figure is taken for 1 Jan 2022): +0.55
# points a year, 23.9 - 4 x 0.55 = 21.7%.
SHARE_55PLUS_2016_ALL = AGE_Q1_2020["all"][2] - 4 * (SHARE_55PLUS_2022["all"] - AGE_Q1_2020["all"][2]) / 2
# Population of the subregions, 2022 (EST from municipal totals).
POPULATION = {
    "haaglanden": 1.13e6, "zuid_holland_noord": 0.57e6,
    "midden_holland": 0.26e6, "nieuwe_waterweg_noord": 0.19e6,
}
VVT_EXAMPLE_FTE = {"hbo_nurse": 2.9, "mbo_nurse": 6.5, "vig": 18.6, "helper": 7.6}  # of 48.5 FTE, one provider 2023
VVT_EXAMPLE_TOTAL = 48.5

# --- mappings and estimates ------------------------------------------------------
SUBREGIONS = ["haaglanden", "zuid_holland_noord", "midden_holland", "nieuwe_waterweg_noord"]
HALVES = {  # which Databank region covers which subregions
    "rijnstreek": ["zuid_holland_noord", "midden_holland"],
    "haaglanden_nwn": ["haaglanden", "nieuwe_waterweg_noord"],
}
HALF_NAME = {"rijnstreek": "Rijnstreek", "haaglanden_nwn": "Haaglanden+NWN"}
BRANCH_OF = {  # Databank branch -> model branch (childcare: excluded)
    "nursing_residential": "nursing_home", "home_care": "home_care", "hospitals": "hospital",
    "disability": "disability", "mental_health": "mental_health", "welfare": "other",
    "youth": "other", "gps": "other", "other_care": "other",
}
SOURCE_LABEL = {  # how a model branch is named in the source cells
    "nursing_home": "V&V", "home_care": "home care", "hospital": "hospitals",
    "disability": "disability", "mental_health": "mental health",
    "other": "welfare+youth+GPs+other care",
}
BRANCHES = ["nursing_home", "home_care", "hospital", "disability", "mental_health", "other"]
OCCUPATIONS = ["helper", "vig", "mbo_nurse", "hbo_nurse", "other"]
VVT = {"nursing_home", "home_care"}
GROUP = {b: "vvt" if b in VVT else "hospital" if b == "hospital" else "rest" for b in BRANCHES}

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

# Age bands: lower bounds of 18-24, 25-34, 35-44, 45-54, 55-59, 60-top, and
# the first age past the top. State pension age 65y6m in 2016, 66y7m in 2022:
# on 1 Jan 2016 nobody aged 66 is below it, on 1 Jan 2022 the 66-year-olds are.
AGE_KNOTS = {2016: [18, 25, 35, 45, 55, 60, 66], 2022: [18, 25, 35, 45, 55, 60, 67]}
AGE_FIRST, AGE_LAST = 18, 66  # rows of the CSVs (age 66 has count 0 in 2016)
UNDER35_SPLIT = (13, 30)  # EST: 18-24 : 25-34 within the under-35s
MIDDLE_SPLIT = (26, 31)   # EST: 35-44 : 45-54 within 35-54
OVER55_SPLIT_2022 = (55, 45)  # EST: 55-59 : 60-66 within the 55+ (2022)


# --- rounding ------------------------------------------------------------------------
def largest_remainder(values, total):
    """Integers summing to `total`, each the floor or ceiling of its value
    (largest fractional parts rounded up; ties to the earlier index)."""
    floors = [math.floor(v) for v in values]
    rest = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return floors


def controlled_round(values, row_totals, col_totals):
    """Integer table with the given row and column totals (each at least the
    sum of the floors of its cells), each cell the floor or ceiling of its
    value where such a table exists: cells are rounded up in order of their
    fractional part as long as their row and column still need units, then
    augmenting paths (a bipartite flow) move units where the greedy pass got
    stuck. Only if no such table exists (margins rounded independently can
    conflict when a row or column sits in one cell) are units added to any
    cell; the returned flag says so."""
    R, C = len(values), len(values[0])
    out = [[math.floor(v) for v in row] for row in values]
    need_r = [row_totals[i] - sum(out[i]) for i in range(R)]
    need_c = [col_totals[j] - sum(out[i][j] for i in range(R)) for j in range(C)]
    assert min(need_r + need_c) >= 0 and sum(need_r) == sum(need_c), (need_r, need_c)
    frac = [[values[i][j] - out[i][j] for j in range(C)] for i in range(R)]
    up = [[0] * C for _ in range(R)]  # units added to the floor
    for _, i, j in sorted((-frac[i][j], i, j) for i in range(R) for j in range(C) if frac[i][j] > 0):
        if need_r[i] > 0 and need_c[j] > 0:
            up[i][j] = 1
            need_r[i] -= 1
            need_c[j] -= 1

    def augment(may_add):
        """One unit along a shortest path from a row that needs one to a column
        that needs one: row -> column along a cell that may take a unit,
        column -> row along a cell that has one (it gives it back)."""
        prev_row = {i: None for i in range(R) if need_r[i] > 0}  # row -> column it was reached from
        prev_col = {}                                             # column -> row it was reached from
        queue = list(prev_row)
        while queue:
            i = queue.pop(0)
            for j in range(C):
                if j in prev_col or not may_add(i, j):
                    continue
                prev_col[j] = i
                if need_c[j] > 0:
                    need_c[j] -= 1
                    while True:
                        i = prev_col[j]
                        up[i][j] += 1
                        if prev_row[i] is None:
                            need_r[i] -= 1
                            return True
                        j = prev_row[i]
                        up[i][j] -= 1
                for i2 in range(R):
                    if up[i2][j] > 0 and i2 not in prev_row:
                        prev_row[i2] = j
                        queue.append(i2)
        return False

    fallback = False
    while sum(need_r) > 0:
        if not augment(lambda i, j: up[i][j] == 0 and frac[i][j] > 0):
            fallback = True
            assert augment(lambda i, j: True)  # always succeeds: every cell may take units
    return [[out[i][j] + up[i][j] for j in range(C)] for i in range(R)], fallback


# --- smooth single-year ages ---------------------------------------------------------
def pchip_slopes(x, y):
    """Derivatives at the knots of the monotone piecewise cubic Hermite
    interpolant of Fritsch and Carlson (weighted harmonic mean of the adjacent
    secants inside, the shape-preserving three-point formula at the ends)."""
    n = len(x)
    h = [x[k + 1] - x[k] for k in range(n - 1)]
    s = [(y[k + 1] - y[k]) / h[k] for k in range(n - 1)]
    d = [0.0] * n
    for k in range(1, n - 1):
        if s[k - 1] * s[k] > 0:
            w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
            d[k] = (w1 + w2) / (w1 / s[k - 1] + w2 / s[k])

    def end(h0, h1, s0, s1):
        v = ((2 * h0 + h1) * s0 - h0 * s1) / (h0 + h1)
        if v * s0 <= 0:
            return 0.0
        if s0 * s1 <= 0 and abs(v) > 3 * abs(s0):
            return 3 * s0
        return v

    d[0] = end(h[0], h[1], s[0], s[1])
    d[-1] = end(h[-1], h[-2], s[-1], s[-2])
    return d


def pchip_value(x, y, d, t):
    k = max(i for i in range(len(x) - 1) if x[i] <= t) if t < x[-1] else len(x) - 2
    h = x[k + 1] - x[k]
    u = (t - x[k]) / h
    return (y[k] * (2 * u ** 3 - 3 * u ** 2 + 1) + h * d[k] * (u ** 3 - 2 * u ** 2 + u)
            + y[k + 1] * (-2 * u ** 3 + 3 * u ** 2) + h * d[k + 1] * (u ** 3 - u ** 2))


def single_years(knots, bands):
    """Unrounded count for each age knots[0] .. knots[-1] - 1 whose band sums
    are `bands`: the monotone cubic through the cumulative count at the band
    boundaries, differenced to whole years. Monotone, so no count is negative;
    its derivative (the density) is continuous, so there are no steps at the
    band boundaries."""
    cum = [0.0]
    for v in bands:
        cum.append(cum[-1] + v)
    d = pchip_slopes(knots, cum)
    F = [pchip_value(knots, cum, d, a) for a in range(knots[0], knots[-1] + 1)]
    return [max(0.0, F[k + 1] - F[k]) for k in range(len(F) - 1)]


# --- the derivation ------------------------------------------------------------------
def employees_2016():
    """half -> model branch -> employees 2016 (Databank Zuid-Holland 4121,
    childcare dropped), and the model branch's 55+ share in 2016 (Databank
    Zuid-Holland 4123 where published, else the EST rest share; weighted by
    the 4121 employees of its Databank branches)."""
    rest = rest_55plus_2016()
    counts, p55 = {}, {}
    for half, figs in EMPLOYEES_2016.items():
        assert sum(figs.values()) == EMPLOYEES_2016_TOTAL[half], half
        n = {b: 0 for b in BRANCHES}
        old = {b: 0.0 for b in BRANCHES}
        for k, v in figs.items():
            if k in BRANCH_OF:
                n[BRANCH_OF[k]] += v
                old[BRANCH_OF[k]] += v * SHARE_55PLUS_2016[half].get(k, rest * 100) / 100
        counts[half] = n
        p55[half] = {b: old[b] / n[b] for b in BRANCHES}
    return counts, p55


def rest_55plus_2016():
    """EST: the one 55+ share in 2016 of the Databank branches without a
    published share (childcare included), such that the region with
    childcare has SHARE_55PLUS_2016_ALL aged 55+ (the region taken to be as
    old as the nation)."""
    total = sum(EMPLOYEES_2016_TOTAL.values())
    published = sum(v * SHARE_55PLUS_2016[h][k] / 100 for h, figs in EMPLOYEES_2016.items()
                    for k, v in figs.items() if k in SHARE_55PLUS_2016[h])
    n_rest = sum(v for h, figs in EMPLOYEES_2016.items() for k, v in figs.items() if k not in SHARE_55PLUS_2016[h])
    return (SHARE_55PLUS_2016_ALL / 100 * total - published) / n_rest


def age_rules():
    """year -> half -> branch -> (55+ share, share of the under-55s who are
    under 35), and the notes and factors behind them."""
    counts, p55_2016 = employees_2016()
    rest = rest_55plus_2016()

    def old_2016(group):
        return sum(counts[h][b] * p55_2016[h][b] for h in HALVES for b in BRANCHES if GROUP[b] == group)

    def n_2016(group):
        return sum(counts[h][b] for h in HALVES for b in BRANCHES if GROUP[b] == group)

    childcare = sum(EMPLOYEES_2016[h]["childcare"] for h in HALVES)
    total_incl_childcare = sum(EMPLOYEES_2016_TOTAL.values())
    # 2022: the 2016 regional pattern, scaled per group to the national 2022
    # levels (every branch grows alike, so the 2016 weights hold in 2022).
    hospital_2022 = AGE_Q1_2020["hospital"][2] * SHARE_55PLUS_2022["all"] / AGE_Q1_2020["all"][2] / 100
    k = {"vvt": SHARE_55PLUS_2022["vvt"] / 100 * n_2016("vvt") / old_2016("vvt"),
         "hospital": hospital_2022 * n_2016("hospital") / old_2016("hospital")}
    fixed = k["vvt"] * old_2016("vvt") + k["hospital"] * old_2016("hospital")
    k["rest"] = (SHARE_55PLUS_2022["all"] / 100 * total_incl_childcare - fixed) / (old_2016("rest") + childcare * rest)
    # The alternative: the region WITHOUT childcare at 25% (see the docstring).
    k_excl = (SHARE_55PLUS_2022["all"] / 100 * sum(n_2016(g) for g in ("vvt", "hospital", "rest")) - fixed) / old_2016("rest")

    def young(t):  # share of the under-55s who are under 35
        return t[0] / (t[0] + t[1])

    # Q1 2020 for both years (EST for 2016: the split of the under-55s as in Q1 2020).
    y = {"vvt": young(AGE_Q1_2020["vvt"]), "hospital": young(AGE_Q1_2020["hospital"]),
         "rest": young(AGE_Q1_2020["all"])}
    rules = {2016: {}, 2022: {}}
    for h in HALVES:
        rules[2016][h] = {b: (p55_2016[h][b], y[GROUP[b]]) for b in BRANCHES}
        rules[2022][h] = {b: (p55_2016[h][b] * k[GROUP[b]], y[GROUP[b]]) for b in BRANCHES}
    info = {"k": k, "k_excl": k_excl, "hospital_2022": hospital_2022, "young": y, "rest_2016": rest,
            "all_2016": SHARE_55PLUS_2016_ALL / 100,
            "published_2016": {g: old_2016(g) / n_2016(g) for g in ("vvt", "hospital")}}
    return rules, info


def band_shares(year, p55, young):
    """Shares of the six age bands."""
    u, m = UNDER35_SPLIT, MIDDLE_SPLIT
    if year == 2022:
        o = OVER55_SPLIT_2022
    else:  # same count per year of age in 60+ relative to 55-59 as in 2022, over 60-65
        knots = AGE_KNOTS[2022]
        per_year = OVER55_SPLIT_2022[1] / (knots[6] - knots[5]) / (OVER55_SPLIT_2022[0] / (knots[5] - knots[4]))
        o = (OVER55_SPLIT_2022[0], OVER55_SPLIT_2022[0] * per_year * (AGE_KNOTS[2016][6] - 60) / 5)
    under = 1 - p55
    return [under * young * u[0] / sum(u), under * young * u[1] / sum(u),
            under * (1 - young) * m[0] / sum(m), under * (1 - young) * m[1] / sum(m),
            p55 * o[0] / sum(o), p55 * o[1] / sum(o)]


def build(year):
    counts, _ = employees_2016()
    rules, info = age_rules()
    growth = NATIONAL_EMPLOYEES[2022] / NATIONAL_EMPLOYEES[2016] if year == 2022 else 1.0
    keys = [(h, b) for h in HALVES for b in BRANCHES]
    exact = {key: counts[key[0]][key[1]] * growth for key in keys}
    if year == 2016:
        hb = {key: counts[key[0]][key[1]] for key in keys}
    else:
        hb = dict(zip(keys, largest_remainder([exact[k] for k in keys], round(sum(exact.values())))))
    cell, fallbacks = {}, 0
    for h, subs in HALVES.items():
        pop = sum(POPULATION[s] for s in subs)
        share = [POPULATION[s] / pop for s in subs]
        half_total = sum(hb[h, b] for b in BRANCHES)
        table, fb = controlled_round([[hb[h, b] * sh for b in BRANCHES] for sh in share],
                                     largest_remainder([half_total * sh for sh in share], half_total),
                                     [hb[h, b] for b in BRANCHES])
        fallbacks += fb
        for i, s in enumerate(subs):
            for j, b in enumerate(BRANCHES):
                cell[s, b] = table[i][j]
    half_of = {s: h for h, subs in HALVES.items() for s in subs}
    knots = AGE_KNOTS[year]
    ages = list(range(AGE_FIRST, AGE_LAST + 1))
    rows, bands_out = [], {}
    for s in SUBREGIONS:
        h = half_of[s]
        pop = sum(POPULATION[x] for x in HALVES[h])
        for b in BRANCHES:
            n = cell[s, b]
            p55, young = rules[year][h][b]
            shares = band_shares(year, p55, young)
            mix = [OCCUPATION_MIX[b][o] for o in OCCUPATIONS]
            table, fb = controlled_round([[n * w * a for a in shares] for w in mix],
                                         largest_remainder([n * w for w in mix], n),
                                         largest_remainder([n * a for a in shares], n))
            fallbacks += fb
            profile = single_years(knots, shares)
            src = source_cell(year, h, s, b, pop, counts, growth, p55, young, info)
            for oi, o in enumerate(OCCUPATIONS):
                by_age = {}
                for k in range(len(shares)):
                    lo, hi = knots[k], knots[k + 1]
                    part = profile[lo - knots[0]:hi - knots[0]]
                    values = [table[oi][k] * v / sum(part) for v in part]
                    got = largest_remainder(values, table[oi][k])
                    by_age.update(zip(range(lo, hi), got))
                    bands_out[s, b, o, k] = (table[oi][k], n * mix[oi] * shares[k])
                for a in ages:
                    rows.append([src, s, b, o, a, a, by_age.get(a, 0)])
    return rows, {"exact": exact, "hb": hb, "cell": cell, "bands": bands_out,
                  "fallbacks": fallbacks, "info": info, "rules": rules[year], "growth": growth}


def source_cell(year, h, s, b, pop, counts, growth, p55, young, info):
    """The `source` cell of a (subregion, branch, occupation): the published
    figures it comes from, and EST (no commas: the model's CSV reader)."""
    grow = " x growth 1370k/1169k (CBS Arbeidsmarktprofiel zorg en welzijn 2022)" if year == 2022 else ""
    base = (f"Databank Zuid-Holland 4121 {HALF_NAME[h]} 2016 {SOURCE_LABEL[b]} {counts[h][b]}{grow}"
            f" x population share {POPULATION[s] / pop:.3f}")
    occ = "VVT example staff mix 2023" if b in VVT else "EST"
    g = GROUP[b]
    if year == 2016:
        old = f"55+ {p55:.1%} (" + ("EST: so that the region with childcare has 21.7% = CBS care & welfare"
                                   " Q1 2020 23.9% and 2022 25% extended back to 2016)" if g == "rest"
                                   else "Databank Zuid-Holland 4123)")
    else:
        pattern = f"EST {info['rest_2016']:.1%}" if g == "rest" else "Databank Zuid-Holland 4123"
        target = {"vvt": "VVT 31% CBS 2022", "hospital": "hospitals EST 26.4% = CBS Q1 2020 25.2% x 25/23.9",
                  "rest": "care & welfare with childcare 25% CBS 2022"}[g]
        old = f"55+ {p55:.1%} (2016 {pattern} x {info['k'][g]:.3f}: {target})"
    yng = {"vvt": "CBS Q1 2020 VVT", "rest": "CBS Q1 2020 care & welfare", "hospital": "CBS Q1 2020 hospitals"}[g]
    if year == 2016:
        yng = "EST: 2016 as " + yng
    return f"EST: {base}; occupation {occ}; {old}; <35 {young:.1%} of <55 ({yng}); single ages EST"


# --- output ----------------------------------------------------------------------------
def totals(rows, col):
    out = {}
    for r in rows:
        out[r[col]] = out.get(r[col], 0) + r[-1]
    return out


def write(year, rows, d):
    total = sum(r[-1] for r in rows)
    by_b, by_o, by_s = totals(rows, 2), totals(rows, 3), totals(rows, 1)
    vvt = by_b["nursing_home"] + by_b["home_care"]
    old = sum(r[-1] for r in rows if r[4] >= 55)
    k, info = d["info"]["k"], d["info"]
    lines = [
        f"Initial workforce on 1 Jan {year}: headcount of employees in care and welfare",
        "without childcare, by subregion x branch x occupation x single year of age",
        "(age_from = age_to, 18-66). Generated by scenarios/data/make_workforce.py (do not",
        "edit by hand); its docstring explains the derivation. Every count is an",
        "estimate (EST) derived from the published figures named in the source cell:",
        " 1. employees by branch 2016 of the AZW regions Rijnstreek (Zuid-Holland Noord +",
        "    Midden-Holland) and Haaglanden + Nieuwe Waterweg Noord: Databank Zuid-Holland",
        "    4121 (totals 4116); childcare dropped; branch other = welfare + youth care +",
        "    GPs + other care.",
    ]
    if year == 2022:
        lines += [" 2. x national growth of care & welfare employees 2016->2022, 1,370k/1,169k",
                  "    = 1.172 (CBS Arbeidsmarktprofiel zorg en welzijn 2022), every branch alike."]
    else:
        lines += [" 2. 2016 as published (no growth)."]
    lines += [
        " 3. each region split into its two subregions by population share (EST).",
        " 4. occupation mix: VVT example staff mix (2023) for nursing_home and home_care,",
        "    EST for the other branches.",
    ]
    if year == 2016:
        lines += [" 5. age: 55+ share by region for V&V, home care and hospitals (Databank Zuid-Holland",
                  f"    4123, 2016); the other branches EST {info['rest_2016']:.1%}, so that the region with",
                  "    childcare has 21.7% (EST: CBS care & welfare 55+ 23.9% in Q1 2020 and 25% in",
                  "    2022, extended back to 2016 in a straight line); under 35 as a share of the",
                  "    under-55s EST as in CBS Q1 2020; 60-65 is the top band (state pension age",
                  "    65y6m), age 66 is 0."]
    else:
        lines += [" 5. age: the 2016 55+ pattern scaled to CBS 2022: VVT 31%, hospitals 26.4%",
                  f"    (EST: CBS Q1 2020 25.2% x 25/23.9), the other branches x {k['rest']:.3f} so that",
                  "    care & welfare with childcare is 25% (CBS 2022); under 35 as a share of the",
                  "    under-55s from CBS Q1 2020."]
    lines += [
        " 6. band splits EST judgement (18-24:25-34 = 13:30; 35-44:45-54 = 26:31; 55-59:60+",
        "    as in the docstring); single years from a monotone cubic (PCHIP) through the",
        "    cumulative count at the band boundaries, so there are no steps between bands.",
        " 7. rounding: largest remainder at each level (subregion x branch table, then",
        "    occupation x band table, both with fixed row and column totals, then single",
        "    years within each band), so every band total of every row group is kept.",
        f"Total {total:,}; VVT (nursing_home + home_care) {vvt:,}; aged 55+ {old / total:.1%};",
        f"the region's share of the national employees {total:,} / {NATIONAL_EMPLOYEES[year] / 1e3:,.0f}k"
        f" = {total / NATIONAL_EMPLOYEES[year]:.2%}.",
        "By branch: " + ", ".join(f"{b} {by_b[b]:,}" for b in BRANCHES) + ".",
        "By occupation: " + ", ".join(f"{o} {by_o[o]:,}" for o in OCCUPATIONS) + ".",
        "By subregion: " + ", ".join(f"{s} {by_s[s]:,}" for s in SUBREGIONS) + ".",
    ]
    with open(OUT[year], "w", newline="") as f:
        for line in lines:
            f.write("# " + line + "\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "subregion", "branch", "occupation", "age_from", "age_to", "count"])
        w.writerows(rows)


def summary(year, rows, d):
    total = sum(r[-1] for r in rows)
    print(f"== 1 Jan {year}: total {total:,}")
    for name, col, order in (("branch", 2, BRANCHES), ("occupation", 3, OCCUPATIONS), ("subregion", 1, SUBREGIONS)):
        t = totals(rows, col)
        print(f"  by {name}: " + ", ".join(f"{k} {t[k]:,} ({t[k] / total:.1%})" for k in order))
    by_b = totals(rows, 2)
    vvt = by_b["nursing_home"] + by_b["home_care"]
    print(f"  VVT (nursing_home + home_care): {vvt:,}")
    nat = NATIONAL_EMPLOYEES[year]
    incl = total * sum(EMPLOYEES_2016_TOTAL.values()) / sum(sum(c.values()) for c in employees_2016()[0].values())
    print(f"  share of the national employees: {total:,} / {nat / 1e3:,.0f}k = {total / nat:.2%}"
          f" (with childcare, as the national series counts it: ~{incl:,.0f} = {incl / nat:.2%})")
    for label, test in (("aged < 35", lambda a: a < 35), ("aged 35-54", lambda a: 35 <= a < 55),
                        ("aged 55+", lambda a: a >= 55)):
        n = sum(r[-1] for r in rows if test(r[4]))
        vn = sum(r[-1] for r in rows if test(r[4]) and r[2] in VVT)
        hn = sum(r[-1] for r in rows if test(r[4]) and r[2] == "hospital")
        print(f"  {label}: {n / total:.1%} (VVT {vn / vvt:.1%}, hospital {hn / by_b['hospital']:.1%})")
    print("  55+ by branch: " + ", ".join(
        f"{b} {sum(r[-1] for r in rows if r[2] == b and r[4] >= 55) / by_b[b]:.1%}" for b in BRANCHES))
    # Checks: no negative counts; band totals; totals against the unrounded figures.
    assert min(r[-1] for r in rows) >= 0
    knots = AGE_KNOTS[year]
    for (s, b, o, k), (cnt, _) in d["bands"].items():
        got = sum(r[-1] for r in rows if r[1] == s and r[2] == b and r[3] == o and knots[k] <= r[4] < knots[k + 1])
        assert got == cnt, (s, b, o, k, got, cnt)
    region_band = {}
    for (s, b, o, k), (cnt, exact) in d["bands"].items():
        x = region_band.setdefault((b, k), [0, 0.0])
        x[0] += cnt
        x[1] += exact
    worst = max(abs(c - e) for c, e in region_band.values())
    print(f"  checks: no negative counts; every (subregion, branch, occupation) band total kept;"
          f" regional branch x band totals within {worst:.1f} of the unrounded values;"
          f" tables rounded beyond floor/ceiling: {d['fallbacks']}")
    by_age = totals(rows, 4)
    print("  by single age: " + " ".join(f"{a}:{by_age[a]}" for a in range(AGE_FIRST, AGE_LAST + 1)))


if __name__ == "__main__":
    if len(sys.argv) == 1:
        for year in YEARS:
            rows, d = build(year)
            write(year, rows, d)
            summary(year, rows, d)
            print(f"  wrote {OUT[year]}")
    else:
        sys.exit(__doc__)
