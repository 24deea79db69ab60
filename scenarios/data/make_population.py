#!/usr/bin/python3
"""Build the population projection and the initial clients of the ZW-Connect 2022 baseline.

Writes, beside this script:
  zwconnect-2022-population.csv  population by year (2022..2040) x subregion x age band
                                 (50-64, 65-74, 75-84, 85+), with a `source` cell per row
  zwconnect-2022-clients.csv     older clients (65+) in formal long-term care on
                                 1 Jan 2022 by subregion x need x age band, with `source`

and prints the checks the scenario's comments quote (nursing-home places per
subregion, informal carers per client at home, 65+ growth). Run with the system
Python (stdlib only), from anywhere:

    /usr/bin/python3 scenarios/data/make_population.py

Every published figure is a constant below naming its DATA.md row; everything
derived from them is an estimate (EST), and the CSVs' `source` cells say so.

Why an estimate at all: CBS/PBL withdrew the age breakdown of their regional
prognoses (CBS erratum 2019), so no published per-subregion age projection
exists. The projection is built as:

 1. National age bands per year. Anchors (DATA.md):
    - 65+: 3,525,453 on 1 Jan 2022 (CBS via VZinfo); its share of the
      population 19.8% (2021) -> 24.4% (2035) -> 25.1% (2040) (CBS/PBL 2022),
      interpolated linearly. The share is turned into a count with the
      total population, EST 17.59M (2022) -> 18.85M (2035) -> 19.25M (2040):
      the CBS 2022 prognosis headline (19 million around 2037), linear
      between; the series is scaled so that 2022 equals the 3,525,453.
    - 80+: 850k (2022) -> 1.2M (2030) -> 1.6M (2040) (CBS prognoses).
    - 85+: 390k (2020) -> 0.6M (2030) -> 0.9M (2040) (CBS, secondary source
      for the projection).
    80+ and 85+ are interpolated geometrically between anchors (constant
    growth rate within each span).
    - 75-79 (EST, no figure in DATA.md): its share of the 65-79 group is
      0.27 in 2022 (CBS age pyramid: 65-69 ~1.0M, 70-74 ~0.95M, 75-79
      ~0.72M), rising to 0.33 (2030) and 0.35 (2040) as the large post-war
      cohorts (born 1946-1965) move into it; linear between.
    - 50-64 (potential informal carers only, EST): 3.72M (2022) -> 3.55M
      (2030) -> 3.45M (2040), the smaller cohorts born after 1965 replacing
      the baby boom (CBS age pyramid; no figure in DATA.md).
    Bands: 65-74 = (65+ - 80+) x (1 - s75); 75-84 = (65+ - 80+) x s75 +
    (80+ - 85+); 85+.
 2. Subregions: national band x the subregion's share of the national
    population in 2022 (DATA.md EST populations 1.13M / 0.57M / 0.26M / 0.19M
    of 17.59M). So every subregion starts with the national age structure
    (EST: Den Haag is younger and Nieuwe Waterweg Noord older than average -
    Maassluis has 23.0% aged 65+ (DATA.md) against 20.0% nationally - but
    no subregional age figure covers all municipalities) and grows with the
    national bands.
 3. Zuid-Holland Noord: Zorg en Zekerheid's regiobeeld says its 65+ grows by
    about +56% by 2040 (taken as 2022 -> 2040, EST), against +37% for the
    national bands above. The extra growth is put on the 65-74 and 75-84
    bands (factor rising linearly from 1 in 2022 to F in 2040, F solved
    below): the region's suburban post-war cohorts (EST), who are under 85
    in 2040; the 85+ band keeps the national growth.

Initial clients (1 Jan 2022, EST; comments in the scenario give the reasoning):
 - Wlz clients needing a nursing-home place (wlz_somatic, wlz_pg), placed or
   waiting, = places x (1 + WAITING_SHARE). ZHN has 4,000 places (regional
   vision ZHN); the other subregions get the same places per 80+ resident
   (EST; with the national age structure that is proportional to population).
   National Wlz: 191,303 nursing-care indications of which 68,908 receive the
   care at home (ActiZ 2023), so ~122k in institutions; 21,209 waiting, i.e.
   WAITING_SHARE = 21,209 / 122,395 = 17.3% of the places (ZHN 4,693 in
   2022; some of those wait for a preferred home while already in one, so
   this is the upper end). Split PG/somatic as 92k/59k
   (CBS 84529NED, 2018): 61% PG. Ages: 12% 65-74, 33% 75-84, 55% 85+ (EST:
   nursing-home residents are mostly 85+).
 - Clients at home (home_light, home_intensive): prevalence per resident of
   each band, EST 2.5% / 8% / 18% light and 1.0% / 3.5% / 10% intensive for
   65-74 / 75-84 / 85+. Nationally that is ~320k older long-term home-care
   clients at a point in time, against ~584k district nursing clients in
   the year 2021 of all ages, with short episodes (Vektis 2022).
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_POPULATION = os.path.join(HERE, "zwconnect-2022-population.csv")
OUT_CLIENTS = os.path.join(HERE, "zwconnect-2022-clients.csv")
YEARS = range(2022, 2041)

# --- published figures (DATA.md) -------------------------------------------
POP65_2022 = 3525453                                      # CBS via VZinfo, 1 Jan 2022
SHARE65 = {2021: 0.198, 2035: 0.244, 2040: 0.251}         # CBS/PBL regional prognosis 2022
POP80 = {2022: 850e3, 2030: 1.2e6, 2040: 1.6e6}           # CBS prognoses 2020 and 2022
POP85 = {2020: 390e3, 2030: 0.6e6, 2040: 0.9e6}           # CBS (2020 count; projection via secondary source)
SUBREGION_POPULATION = {                                  # DATA.md, EST from municipal totals
    "haaglanden": 1.13e6, "zuid_holland_noord": 0.57e6,
    "midden_holland": 0.26e6, "nieuwe_waterweg_noord": 0.19e6,
}
ZHN_65PLUS_GROWTH_2040 = 1.56                             # Zorg en Zekerheid regiobeeld ZHN: +56% by 2040
ZHN_PLACES = 4000                                         # regional vision ZHN: 4,000 now, frozen
WLZ_PG, WLZ_SOMATIC = 92e3, 59e3                          # CBS 84529NED (2018)

# --- estimates ---------------------------------------------------------------
TOTAL_POPULATION = {2022: 17.59e6, 2035: 18.85e6, 2040: 19.25e6}  # EST: CBS 2022 prognosis headline
SHARE_75_79_OF_65_79 = {2022: 0.27, 2030: 0.33, 2040: 0.35}      # EST: CBS age pyramid, post-war cohorts
POP50_64 = {2022: 3.72e6, 2030: 3.55e6, 2040: 3.45e6}            # EST: CBS age pyramid
NATIONAL_POPULATION_2022 = TOTAL_POPULATION[2022]
SUBREGIONS = list(SUBREGION_POPULATION)
BANDS = [50, 65, 75, 85]            # lower bounds; 50 = 50-64, potential informal carers only
CLIENT_BANDS = [(65, 74), (75, 84), (85, 99)]
WAITING_SHARE = 21209 / (191303 - 68908)  # ActiZ 2023: waiting / in institutions = 0.173
WLZ_AGE_SHARE = [0.12, 0.33, 0.55]  # EST: 65-74, 75-84, 85+
PREVALENCE = {                      # EST: clients at home per resident of the band
    "home_light": [0.025, 0.08, 0.18],
    "home_intensive": [0.010, 0.035, 0.10],
}


def linear(anchors, year):
    ys = sorted(anchors)
    if year <= ys[0]:
        lo, hi = ys[0], ys[1]
    elif year >= ys[-1]:
        lo, hi = ys[-2], ys[-1]
    else:
        lo = max(y for y in ys if y <= year)
        hi = min(y for y in ys if y > year)
    return anchors[lo] + (anchors[hi] - anchors[lo]) * (year - lo) / (hi - lo)


def geometric(anchors, year):
    ys = sorted(anchors)
    lo = max([y for y in ys if y <= year] or [ys[0]])
    hi = min([y for y in ys if y > year] or [ys[-1]])
    if lo == hi:
        lo, hi = ys[-2], ys[-1]
    return anchors[lo] * (anchors[hi] / anchors[lo]) ** ((year - lo) / (hi - lo))


def national_bands(year):
    """National population by band {50, 65, 75, 85} in `year` (1 January)."""
    raw65 = lambda y: linear(SHARE65, y) * linear(TOTAL_POPULATION, y)
    p65 = POP65_2022 * raw65(year) / raw65(2022)
    p80, p85 = geometric(POP80, year), geometric(POP85, year)
    s75 = linear(SHARE_75_79_OF_65_79, year)
    return {50: linear(POP50_64, year), 65: (p65 - p80) * (1 - s75),
            75: (p65 - p80) * s75 + (p80 - p85), 85: p85}


def zhn_factor():
    """F: the 2040 factor on ZHN's 65-74 and 75-84 bands that gives +56% 65+ 2022 -> 2040."""
    n22, n40 = national_bands(2022), national_bands(2040)
    base = sum(n22[b] for b in (65, 75, 85))
    young40 = n40[65] + n40[75]
    return (ZHN_65PLUS_GROWTH_2040 * base - n40[85]) / young40


def projection():
    """{(year, subregion, band): population} and {(year, subregion, band): source}."""
    f40 = zhn_factor()
    pop, src = {}, {}
    for year in YEARS:
        nat = national_bands(year)
        ramp = 1 + (f40 - 1) * (year - 2022) / (2040 - 2022)
        for s in SUBREGIONS:
            share = SUBREGION_POPULATION[s] / NATIONAL_POPULATION_2022
            for b in BANDS:
                adjust = ramp if s == "zuid_holland_noord" and b in (65, 75) else 1.0
                pop[year, s, b] = nat[b] * share * adjust
                text = (f"EST: national band {year} {nat[b]:.0f} (CBS/PBL 2022 65+ share; CBS 80+ and 85+ "
                        f"prognoses; EST 75-79 and 50-64 split) x population share {share:.4f} (DATA.md EST "
                        f"{SUBREGION_POPULATION[s] / 1e6:.2f}M of 17.59M)")
                if adjust != 1.0:
                    text += f" x {adjust:.4f} (ZHN 65+ +56% by 2040, Zorg en Zekerheid regiobeeld)"
                src[year, s, b] = text
    return pop, src, f40


def places(pop):
    """Nursing-home places per subregion: ZHN 4,000; others the same per 80+ resident (EST)."""
    nat80 = geometric(POP80, 2022)
    per80 = ZHN_PLACES / (nat80 * SUBREGION_POPULATION["zuid_holland_noord"] / NATIONAL_POPULATION_2022)
    out = {}
    for s in SUBREGIONS:
        out[s] = ZHN_PLACES if s == "zuid_holland_noord" else round(
            per80 * nat80 * SUBREGION_POPULATION[s] / NATIONAL_POPULATION_2022)
    return out, per80


def largest_remainder(values, total):
    floors = [int(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def initial_clients(pop, place):
    rows = []
    pg_share = WLZ_PG / (WLZ_PG + WLZ_SOMATIC)
    for s in SUBREGIONS:
        for need, rates in PREVALENCE.items():
            for (lo, hi), b, rate in zip(CLIENT_BANDS, (65, 75, 85), rates):
                n = round(pop[2022, s, b] * rate)
                rows.append([f"EST: prevalence {rate:.3f} of the {lo}-{hi} population {pop[2022, s, b]:.0f} "
                             f"(make_population.py); order of magnitude: ~584k district nursing clients "
                             f"a year, all ages (Vektis 2022)", s, need, lo, hi, n])
        wlz = round(place[s] * (1 + WAITING_SHARE))
        split = largest_remainder([wlz * pg_share * a for a in WLZ_AGE_SHARE] +
                                  [wlz * (1 - pg_share) * a for a in WLZ_AGE_SHARE], wlz)
        for k, need in enumerate(("wlz_pg", "wlz_somatic")):
            for j, (lo, hi) in enumerate(CLIENT_BANDS):
                rows.append([f"EST: {place[s]} places (regional vision ZHN; others per 80+ resident like ZHN) "
                             f"x (1 + waiting {WAITING_SHARE}) = {wlz}; PG share {pg_share:.3f} (CBS 84529NED "
                             f"92k PG vs 59k somatic); age share {WLZ_AGE_SHARE[j]} (EST)",
                             s, need, lo, hi, split[3 * k + j]])
    return rows


def main():
    pop, src, f40 = projection()
    with open(OUT_POPULATION, "w", newline="") as f:
        f.write("# Population projection of scenarios/zwconnect-2022.toml, 1 January of each year,\n"
                "# by subregion and age band (age_from 50 = 50-64, potential informal carers only;\n"
                "# 65, 75, 85 = the client age bands 65-74, 75-84, 85+). Every figure is an\n"
                "# estimate (EST): CBS/PBL withdrew the age detail of their regional prognoses\n"
                "# (CBS erratum 2019), so national age bands (CBS/PBL 2022 65+ share, CBS 80+ and\n"
                "# 85+ prognoses) are applied to the subregions' population shares, with ZHN's\n"
                "# 65+ adjusted to +56% by 2040 (Zorg en Zekerheid regiobeeld ZHN). Generated by\n"
                "# scenarios/data/make_population.py (do not edit by hand; derivation in its docstring).\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "year", "subregion", "age_from", "population"])
        for year in YEARS:
            for s in SUBREGIONS:
                for b in BANDS:
                    w.writerow([src[year, s, b], year, s, b, round(pop[year, s, b])])
    place, per80 = places(pop)
    rows = initial_clients(pop, place)
    with open(OUT_CLIENTS, "w", newline="") as f:
        f.write("# Initial clients of scenarios/zwconnect-2022.toml: older people (65+) in formal\n"
                "# long-term care on 1 Jan 2022 by subregion, need and age band. Wlz needs are all\n"
                "# clients who need a nursing-home place (placed or waiting); the model places them\n"
                "# up to the places in the start year. Every count is an estimate (EST), see the\n"
                "# source cells; generated by scenarios/data/make_population.py (do not edit by hand).\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "subregion", "need", "age_from", "age_to", "count"])
        w.writerows(rows)

    # Checks quoted in the scenario's comments.
    print(f"ZHN factor on 65-84 in 2040: {f40:.4f}")
    for s in SUBREGIONS:
        p22 = sum(pop[2022, s, b] for b in (65, 75, 85))
        p40 = sum(pop[2040, s, b] for b in (65, 75, 85))
        print(f"{s}: 65+ {p22:.0f} -> {p40:.0f} ({p40 / p22 - 1:+.1%}); 85+ {pop[2022, s, 85]:.0f} -> "
              f"{pop[2040, s, 85]:.0f}; places {place[s]}")
    print(f"places per 80+ resident (ZHN): {per80:.4f}; total places {sum(place.values())}")
    for year in (2022, 2025, 2030, 2031, 2035, 2040):
        nat = national_bands(year)
        print(f"national {year}: 50-64 {nat[50]:.0f} 65-74 {nat[65]:.0f} 75-84 {nat[75]:.0f} 85+ {nat[85]:.0f} "
              f"65+ {nat[65] + nat[75] + nat[85]:.0f}")
    for s in SUBREGIONS:
        carers = pop[2022, s, 50] + pop[2022, s, 65]
        at_home = sum(r[-1] for r in rows if r[1] == s and r[2].startswith("home"))
        wlz = sum(r[-1] for r in rows if r[1] == s and r[2].startswith("wlz"))
        waiting = wlz - place[s]
        print(f"{s}: clients at home {at_home}, Wlz {wlz} (waiting {waiting}); carers 50-74 {carers:.0f}; "
              f"carers per client at home {carers / (at_home + waiting):.2f}")
    print(f"wrote {OUT_POPULATION}\nwrote {OUT_CLIENTS}")


if __name__ == "__main__":
    main()
