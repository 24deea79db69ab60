#!/usr/bin/python3
"""Build the yearly intake series of the ZW-Connect training programmes.

Writes, beside this script, one CSV per programme with a national intake
series: zwconnect-intake-<programme>.csv, columns `source, year` and one
column per subregion (new trainees a year, the enrolment of that model year:
academic year y/y+1 starts in model year y, and its trainees have their first
outcome in y + 1). The scenarios use them as yearly series (scenarios/README.md,
"Inputs over time"):

    [training.programmes.mbo3_vig_bol]
    enrolment = { series = "data/zwconnect-intake-mbo3_vig_bol.csv" }

Run with the system Python (stdlib only), after make_workforce.py (it reads
the 2022 workforce CSV for the regional and subregional shares):

    /usr/bin/python3 scenarios/data/make_training.py

Published figures (constants below, with their sources; everything derived
from them is an estimate, EST, and the `source` cells say so):

 - New students, Netherlands (x 1,000), by academic year (CBS 2024):
   MBO 4 nurse 8.4 (2016/17), 9.0, 10.2, 10.1 (2019/20); HBO nurse 6.6, 7.4,
   7.4, 8.1; MBO 3 VIG 10.5, 10.8, 11.2, 10.6, 9.6 (2020/21, 2024 release).
   2020/21 for nurses: MBO 4 nurse intake 10,070, HBO nurse 9,100 (CBS).
   Later years: not published in our sources; EST: the last year holds.
 - Work-based (BBL) shares: 64% of the VIG intake, 36% of the MBO 4 nurse
   intake (CBS).
 - The region's share of national training: the region's share of national
   care & welfare employees (CBS Arbeidsmarktprofiel zorg en welzijn 2022),
   read from the 2022 workforce CSV: the same share as every national flow
   the scenarios scale (BBL places are jobs and BOL internships placements:
   training follows the labour market).
 - Subregions: by where trainees study and work. In the model a trainee's
   workplace (BBL) or placement (BOL) and the branch it enters are in its
   subregion, so the split follows each subregion's share of the region's
   care workforce (2022 workforce CSV), not its population: Haaglanden has
   more people than care jobs per head (a young city), the other three the
   reverse (EST; no regional intake figures by subregion in our sources).

Derived programmes (EST, reasoning in scenarios/zwconnect-2022-unfitted.toml):
 - mbo2_helper: 0.4 x the VIG intake (helpers to VIG in the VVT example
   staff mix, 7.6 / 18.6 FTE).
 - The employed workers who upgrade (upgrade_helper_vig, upgrade_vig_nurse,
   upgrade_mbo_hbo in the scenario) are part of CBS's BBL and HBO intake;
   they are subtracted here (EST shares below) so they are not counted twice.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
WORKFORCE = os.path.join(HERE, "zwconnect-2022-workforce-data.csv")
NATIONAL_EMPLOYEES_2022 = 1_370_000  # CBS Arbeidsmarktprofiel zorg en welzijn 2022
YEARS = list(range(2016, 2041))
SUBREGIONS = ["haaglanden", "zuid_holland_noord", "midden_holland", "nieuwe_waterweg_noord"]

# New students, Netherlands, by the calendar year the academic year starts (CBS).
VIG = {2016: 10_500, 2017: 10_800, 2018: 11_200, 2019: 10_600, 2020: 9_600}
MBO_NURSE = {2016: 8_400, 2017: 9_000, 2018: 10_200, 2019: 10_100, 2020: 10_070}
HBO_NURSE = {2016: 6_600, 2017: 7_400, 2018: 7_400, 2019: 8_100, 2020: 9_100}
VIG_BBL, NURSE_BBL = 0.64, 0.36  # CBS: work-based shares of the intake
HELPER_PER_VIG = 0.4             # EST: VVT example staff mix, helper 7.6 / VIG 18.6 FTE
# EST: employed workers inside those intakes who upgrade (scenario programmes
# upgrade_*), as shares of the intake they sit in: ~30% of the VIG BBL intake
# are employed helpers, ~60% of the MBO 4 nurse BBL intake employed VIGs, and
# ~23% of the HBO nurse intake employed MBO nurses (the dual route).
UPGRADERS = {"mbo3_vig_bbl": 0.30, "mbo4_nurse_bbl": 0.60, "hbo_nurse": 0.23}


def held(series, year):
    """The series' value in `year`: the last published year holds after it, the first before it."""
    years = sorted(series)
    if year <= years[0]:
        return series[years[0]]
    if year >= years[-1]:
        return series[years[-1]]
    return series[year]


def workforce_shares():
    total, by_subregion = 0, {s: 0 for s in SUBREGIONS}
    with open(WORKFORCE) as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            n = int(row["count"])
            total += n
            by_subregion[row["subregion"]] += n
    return total / NATIONAL_EMPLOYEES_2022, {s: by_subregion[s] / total for s in SUBREGIONS}


def national(programme, year):
    """National new trainees of a programme in `year`, and how it was derived."""
    if programme == "mbo2_helper":
        return HELPER_PER_VIG * held(VIG, year), f"EST {HELPER_PER_VIG} x VIG intake (CBS)"
    if programme == "mbo3_vig_bol":
        return (1 - VIG_BBL) * held(VIG, year), "VIG intake x BOL share 0.36 (CBS)"
    if programme == "mbo3_vig_bbl":
        return VIG_BBL * held(VIG, year), "VIG intake x BBL share 0.64 (CBS)"
    if programme == "mbo4_nurse_bol":
        return (1 - NURSE_BBL) * held(MBO_NURSE, year), "MBO 4 nurse intake x BOL share 0.64 (CBS)"
    if programme == "mbo4_nurse_bbl":
        return NURSE_BBL * held(MBO_NURSE, year), "MBO 4 nurse intake x BBL share 0.36 (CBS)"
    if programme == "hbo_nurse":
        return held(HBO_NURSE, year), "HBO nurse intake (CBS)"
    raise ValueError(programme)


def main():
    share, split = workforce_shares()
    print(f"regional share of national employees: {share:.4f}; subregion split (workforce):",
          ", ".join(f"{s} {split[s]:.4f}" for s in SUBREGIONS))
    for programme in ["mbo2_helper", "mbo3_vig_bol", "mbo3_vig_bbl", "mbo4_nurse_bol", "mbo4_nurse_bbl", "hbo_nurse"]:
        path = os.path.join(HERE, f"zwconnect-intake-{programme}.csv")
        upgraders = UPGRADERS.get(programme, 0.0)
        with open(path, "w", newline="") as f:
            f.write(f"# New trainees a year of {programme} in the ZW-Connect region by subregion, by the model year\n"
                    f"# the academic year starts in (2016 = 2016/17). Generated by scenarios/data/make_training.py\n"
                    f"# (derivation in its docstring; do not edit by hand). National intake x the region's share\n"
                    f"# of national care & welfare employees ({share:.4f}, CBS) x (1 - employed upgraders\n"
                    f"# {upgraders:.2f}, EST) x each subregion's share of the region's care workforce (EST).\n")
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source", "year"] + SUBREGIONS)
            shown = []
            for year in YEARS:
                n, how = national(programme, year)
                regional = n * share * (1 - upgraders)
                published = year in (VIG if "vig" in programme or programme == "mbo2_helper"
                                     else MBO_NURSE if "mbo4" in programme else HBO_NURSE)
                source = (f"{'' if published else 'EST (last published year held): '}{how}; "
                          f"x regional share {share:.4f} x (1 - upgraders {upgraders:.2f}); subregions by workforce (EST)")
                w.writerow([source, year] + [round(regional * split[s], 1) for s in SUBREGIONS])
                if year in (2016, 2020, 2022):
                    shown.append(f"{year} {regional:.0f}")
            print(f"{programme}: {', '.join(shown)} a year in the region; wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
