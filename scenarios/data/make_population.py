#!/usr/bin/python3
"""Build the population of the four ZW-Connect subregions 2016-2040 and the initial clients.

Writes, beside this script:
  zwconnect-population.csv     population on 1 January of every year 2016..2040 by
                               subregion x age band (50-64, 65-74, 75-84, 85+), with a
                               `source` cell per row
  zwconnect-2022-clients.csv   older clients (65+) in formal long-term care on 1 Jan 2022,
  zwconnect-2016-clients.csv   and on 1 Jan 2016 (for a backcast from 2016), by subregion x
                               need x age band, five needs: home_light, home_intensive,
                               wlz_light, wlz_somatic, wlz_pg

and prints what the scenario's comments quote: the national fit and its errors,
nursing-home places per subregion, Wlz clients by need, each subregion's share
and growth of the 65+, 80+ and 85+, informal carers per client at home, and the
population and workforce shares for splitting training enrolment. It reads
zwconnect-2022-workforce-data.csv (written by make_workforce.py: run that first).
Run with the system Python (stdlib only; deterministic), from anywhere:

    /usr/bin/python3 scenarios/data/make_population.py

Published figures are constants below, each naming its publication. Everything
derived from them is an estimate (EST); the CSVs' `source` cells say so.

WHAT IS PUBLISHED AND WHAT IS ESTIMATED
---------------------------------------
Published, national: the 65+ on 1 Jan 2022, 3,525,453, "20%" of the population
(CBS via VZinfo); the 65+ share 19.8% (2021) -> 24.4% (2035) -> 25.1% (2040)
(CBS/PBL regional prognosis 2022); the 80+, 780k (2018) -> ~850k (2022) -> 1.2M
(2030) -> 1.6M (2040) (CBS prognoses 2020 and 2022); the 85+, ~390k (2020) ->
~0.6M (2030) -> ~0.9M (2040) (CBS: 2020 counts, projection via a secondary
source); potential carers (aged 50-74) per person aged 85+, 15 (2018) -> 6
(2040) (PBL/SCP via NOS 2018).
Published, regional: the populations of some municipalities on 1 Jan 2022 (Den
Haag 553,417; Zoetermeer 125,767; Westland 112,448; Rijswijk 56,941; Wassenaar
27,115; Midden-Delfland 19,484; Voorschoten 25,627; Maassluis 34,148 of whom
7,858 aged 65+: CBS via news and municipal budgets); the growth 2019 -> 2035
of some municipalities (Den Haag +15%, Delft +18.9%, Rijswijk ~+30%, Zuidplas
+20.6%, Waddinxveen +17.8%, Alphen aan den Rijn +14.3%, Wassenaar -1.7%:
PBL/CBS regional prognosis 2019); Zuid-Holland Noord's 65+ "about +56%" by
2040, without a base year in the source we hold (Zorg en Zekerheid regiobeeld
ZHN). The subregions' populations, Haaglanden ~1.13M, ZHN ~0.57M, Midden-Holland
~0.26M, NWN ~0.19M, are themselves EST from municipal totals.
NOT published: any age detail per subregion (CBS/PBL withdrew the age breakdown
of their regional prognoses: CBS erratum 2019), nor, in our sources, a national
age structure below 65, a life table, births, migration or national totals.
So every number in the population CSV is an estimate (EST), built as follows.

THE POPULATION PROJECTION, STEP BY STEP
---------------------------------------
A cohort-component projection by single year of age (0..110): each year the
people of age x survive to age x+1, births enter at age 0, and net migration is
added with a fixed age profile, scaled each year so that the population (all,
or nationally the under-65s) follows a target path.

 1. The nation (EST), fitted to the published national figures only.
    - Mortality: Gompertz's law, a yearly hazard m80 x exp(slope x (age - 80))
      in 2022, falling by a constant improvement a year (higher before 2022,
      lower after); below 30 the hazard of age 30 (EST: negligible for the
      bands written here). Three parameters. (A second, old-age slope was
      tried: the figures cannot tell it from the age structure, and the fit
      then wanders to slopes from 0.01 to 0.2; one slope is stable.) No
      COVID-19 excess mortality in 2020-2021: our sources have no figure for
      it; the fitted improvement averages over those years.
    - Age structure on 1 Jan 2022: K(x) x S(x), where S(x) is the survival
      from birth to age x under the 2022 mortality and K(x) a cohort-size
      index, log-linear between the ages 30, 40, ..., 100 (K_KNOTS) and flat
      below 30 and above 100. Eight parameters; K carries the large post-war
      cohorts and the difference between period and cohort survival.
    - Total: the population under 65 is held at its 2022 size in every year
      (EST). Our sources have no births, migration or national totals; the
      published 65+ shares become counts only with a total, and "the under-65s
      stay as they are" is the assumption that adds no figure of its own. (If
      in fact they grow, the 65+ of 2035 and 2040 implied by the shares are a
      little larger: +1% under-65s -> +1% 65+.) So net migration each year is
      whatever keeps the under-65s constant, and births are constant at the
      youngest age of the 2022 structure (EST: only the under-18s depend on
      them).
    - Fit: least squares on the log errors of 14 published anchors, each in
      units of its published rounding (half a unit of its last digit: 780k
      +-0.6%, 1.2M +-4.2%, ~0.6M +-8.3%, 24.4% +-0.2%, "20%" +-2.5%, "15"
      +-3.3%, "6" +-8.3%; the exact 3,525,453 +-0.05%): the 65+ of 2022; the
      65+ shares of 2021, 2022, 2035 and 2040; the 80+ of 2018, 2022, 2030,
      2040; the 85+ of 2020, 2030, 2040; residents 50-74 per person 85+ in 2018
      and 2040. Plus a curvature penalty on log K: the anchors leave the
      shape between them free, and without it the fit makes cohort profiles
      with holes and peaks that no anchor asks for. Its weight is not chosen
      by hand: it is the one at which the anchors' sum of squares equals what
      their rounding alone would leave (an error uniform within +-1 unit has
      mean square 1/3, so 14/3 = 4.67: the discrepancy principle; bisection,
      choose_smoothness). Levenberg-Marquardt, numerical Jacobian.
      Result (printed): weight 0.39; hazard at 80 0.055, slope 0.093,
      improvement 2.1% a year (death probability at 65/75/85/95 in 2022:
      1.4% / 3.5% / 8.7% / 20%). Every anchor is within its rounding except
      the two for 2030: 80+ 1.127M against 1.2M (-6.1%, 1.5 x the rounding)
      and 85+ 551k against ~0.6M (-8.2%, 1.0 x): the fitted path rises more
      slowly to 2030 and faster after it than the published one (2040: 80+
      +2.2%, 85+ -2.7%). Others: 80+ 2018 -0.2%, 2022 +0.2%; 85+ 2020 +0.2%;
      65+ shares 2021/2035/2040 within 0.05%, 2022 20.2% (the "20%" is
      rounded); 50-74 per 85+ 14.8 (2018) and 5.9 (2040).
      Sensitivity (printed): a third or three times the weight changes the
      national growth of the 65+, 80+ and 85+ 2022 -> 2031 and -> 2040 by at
      most 2% (85+ 2031: x1.43 / x1.40 against x1.41). Knots every 5 years
      from 60 to 90 give the same at this rule. Matching every anchor to its
      last digit instead (weight ~0.03 with those 5-year knots; tried, not
      used) puts a step into the cohort sizes at age 75 and gives 85+ x1.52
      and 75-84 x1.17 2022 -> 2031 (here x1.41 and x1.31): it is driven by
      the two 2030 anchors, the least certain (rounded to 0.1M; the 85+ via a
      secondary source), so this is the main uncertainty of the projection.
      National total (EST) 17.03M (2016), 17.48M (2022), 18.63M (2040); net
      migration 31k-83k a year (the most in 2026); growth 2019 -> 2035 +7.0%.
 2. Births in a subregion: the national births x its share of the national
    population aged 20-39 (EST). Births only shape the ages under 18, never the
    bands written here.
 3. Net migration (EST): one age profile for the nation and every subregion,
    relative weights 0.35 at ages 0-17 (children moving with their parents),
    0.7 at 18-19, 1 at 20-29, 0.6 at 30-39, 0.25 at 40-49, 0.08 at 50-64,
    0.03 at 65-79 and 0 at 80+ (the young-adult peak of migration and moves;
    about 4% of net migration falls in ages 50-64 and 2% at 65+). In each
    subregion it is scaled every year so that the total follows a target path:
    the 2022 total (EST from municipal totals: 1.13M, 0.57M, 0.26M, 0.19M)
    grows 2022 -> 2035 at the yearly rate of the subregion's 2019 -> 2035
    growth, the population-weighted mean over its municipalities (composition
    of 2022, SUBREGION_MUNICIPALITIES) of the growth in the PBL/CBS regional
    prognosis 2019 where we have it, and of the national growth 2019 -> 2035
    of step 1 (+7.0%, EST) for the rest. Weights: the published 1 Jan 2022
    populations; the municipalities without one share the rest of the
    subregion's total equally (EST: no figure):
      haaglanden: Den Haag 553,417 +15%, Rijswijk 56,941 +30%, Wassenaar
        27,115 -1.7%, Delft EST 78,276 +18.9%; Zoetermeer, Westland and
        Midden-Delfland as published and Leidschendam-Voorburg and
        Pijnacker-Nootdorp EST 78,276 each at +7.0%: +12.7%;
      zuid_holland_noord: Alphen aan den Rijn EST 45,364 +14.3% (one of 12
        equal parts of the 544,373 beside Voorschoten; Alphen is one of the
        larger municipalities, so this understates its weight), the rest at
        +7.0%: +7.6%;
      midden_holland: Zuidplas and Waddinxveen EST 52,000 each (a fifth)
        +20.6% and +17.8%, the rest at +7.0%: +11.9%;
      nieuwe_waterweg_noord: no municipal growth figure, national: +7.0%.
    (EST: the named municipalities are the growth centres, so the rest may
    grow less; this only moves the young ages: net migration hardly reaches
    the bands written here.) After 2035 each subregion's yearly rate is
    scaled by the national rate 2035-2040 / 2019-2035, and before 2022 by
    the national rate 2016-2022 / 2019-2035 (EST).
 4. Subregional age structure on 1 Jan 2022 (EST): the national one of step 1
    times a weight exp(a x R(x) + b x B(x)), renormalised to the subregion
    total. R is an older-vs-younger tilt, 0 up to age 40 and rising linearly
    to 1 at 65 and above (EST: a city's surplus of young adults lowers every
    older age, the more so the older; an ageing town the reverse); B is 1 at
    ages 45-64 and 0 elsewhere (logistic edges with a 2-year scale), a bulge
    of the cohorts about to turn 65. Neither has a cliff that would move
    through the cohorts.
      haaglanden: 65+ share 17.0% (EST judgement, no figure: Den Haag, half
        the subregion's population (553,417 of 1.13M), and Delft are cities
        whose growth (+15%, +18.9% 2019-2035, against +7.0% nationally) comes
        from young adults; the suburban municipalities are nearer to the
        national share); b = 0.
      zuid_holland_noord: b solved so that its 65+ grow by +56% 2019 -> 2040
        in the projection (Zorg en Zekerheid regiobeeld ZHN), with a keeping
        the 2022 65+ share at the national 20.2% (EST: no figure; Leiden's
        students lower it, the older municipalities raise it). Base year: the
        source we hold does not publish it; 2019 is EST (ZHN_GROWTH_FROM).
        Reason: measured from 2022, the +56% would need 33.6% of ZHN's
        population aged 45-64 against 27.7% nationally (printed), an age
        structure hard to believe next to a 65+ share at the national level
        (above): a fifth more people aged 45-64 than the nation, in a region
        with a university city; from 2019 it needs 30.6%. Result:
        the 45-64 x1.17, +44% 65+ 2022 -> 2040.
      midden_holland: the national structure (EST: no figure; 65+ 20.2%).
      nieuwe_waterweg_noord: 65+ share 23.0%, Maassluis's 7,858 of 34,148
        (CBS via news and municipal budgets) applied to the whole subregion
        (EST: the only figure; Schiedam and Vlaardingen may be younger, so
        this may be the upper end); b = 0.
    Limits (EST): nothing distinguishes the subregions' age structure within
    the 65+, so the 85+ of 2031 (the 76+ of 2022) grow alike everywhere
    (x1.41); the subregions differ in the 65-74 and 75-84 and, by 2040, a
    little in the 85+. The same mortality holds everywhere (EST: no regional
    life tables in our sources). And a city's young-adult surplus ages in
    place (no extra family out-migration is modelled), so Haaglanden's 50-64
    may be overstated after 2030.
 5. Each subregion is projected forward 2022 -> 2040 with steps 1-3, and
    backward 2022 -> 2016 by the same steps in reverse (people of age x on
    1 Jan t were age x-1 on 1 Jan t-1: take out that year's net migration,
    scaled so that the total meets the target of step 3, and divide by the
    survival rate). So each subregion's 65+, 75-84 and 85+ grow with its own
    cohorts: the 65+ of 2040 are the 47+ of 2022.
 6. Written: the sums of single ages 50-64, 65-74, 75-84 and 85+ per year and
    subregion, rounded. Checks (asserted or printed): every (year, subregion,
    age_from) exactly once, integer and non-negative counts, the national
    paths against the published figures.

INITIAL CLIENTS (1 JAN 2022 AND 1 JAN 2016), ALL EST
----------------------------------------------------
 - Nursing-home places: Zuid-Holland Noord 4,000, frozen (regional vision
   ZHN). EST for the others: the same places per 80+ resident as ZHN, with
   each subregion's own 80+ on 1 Jan 2022 from the projection above. The same
   places in 2016 (EST: nationally, Wlz nursing-care clients with a stay were
   flat, 126,620 in 2015 and 124,985 in 2019, Monitor Langdurige Zorg).
 - Wlz clients needing a place (placed or waiting) = places x (1 +
   WAITING_SHARE): 21,209 waiting / (191,303 nursing-care indications -
   68,908 receiving the care at home) = 17.3% (ActiZ 2023). Kept for 2016
   (EST; the 2016 waiting list is not in our sources and was probably
   shorter, so the 2016 count is an upper end).
 - Light vs heavy Wlz (EST; no published profile mix per year):
   wlz_light = 4VV, the lightest profile still admitted (~13 h care a week);
   wlz_somatic and wlz_pg = 5VV-10VV (psychogeriatric 5VV/7VV ~18-22 h a
   week, somatic 6VV/8VV). Reasoning for the 4VV share:
     * before 2016, EST 20% of the VV4-VV10 clients had 4VV (no figure in our
       sources: 4VV was the lightest of the profiles with 24-hour
       supervision, the one without dementia or heavy nursing need);
     * from 2016 new 4VV clients were to be extramuralised for 25%
       (coalition agreement 2012), and nursing care at home grew (full
       package at home 7,765 -> 13,215 2015-2019, Monitor Langdurige Zorg);
       with stays of ~2-3 years the 2022 stock consists of post-2016
       admissions: 20% x (1 - 0.25) = 15% in 2022 (FOUR_VV_SHARE_2022);
     * the regional vision ZHN expects ~50% of the lighter nursing-home care
       to move home: a light share of this size (not ~0) is still there;
     * 2016 (FOUR_VV_SHARE_2016 = 20%) also carries the last residents with
       the light profiles VV1-VV3 that are no longer admitted: VV4-VV10 were
       90% of residents in 2015 and 98% in 2018 (CBS 2019 "Langdurige zorg
       vaker thuis"), so EST 7.3% of places on 1 Jan 2016 (linear between).
       They are counted as wlz_light (residents, not waiting): wlz_light 2016
       = 7.3% of places + 20% of the rest, 25% of all Wlz clients (printed).
   The heavy part is split PG/somatic 92k/59k (CBS 84529NED, 2018): 61% PG.
   Ages for every Wlz need: 12% 65-74, 33% 75-84, 55% 85+ (EST: nursing-home
   residents are mostly 85+).
 - Clients at home (home_light, home_intensive): prevalence per resident of
   each band, EST 2.5% / 8% / 18% light and 1.0% / 3.5% / 10% intensive for
   65-74 / 75-84 / 85+, applied to the subregion's population of that year.
   Nationally that is ~310k older long-term home-care clients at a point in
   time, against ~584k district nursing clients in the year 2021 of all ages,
   with short episodes (Vektis 2022).
 - Informal carers per client at home (printed): residents aged 50-74 per
   client at home or waiting with a full package at home.

TRAINING ENROLMENT BY SUBREGION (printed, a proposal)
------------------------------------------------------
The model places trainees' work and placements in their own subregion, so
enrolment should follow where trainees study and work: EST each subregion's
share of the care and welfare workforce (read from
zwconnect-2022-workforce-data.csv beside this script) rather than of the
population. Both are printed.
"""
import csv
import math
import os
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_POPULATION = os.path.join(HERE, "zwconnect-population.csv")
OUT_CLIENTS = {2022: os.path.join(HERE, "zwconnect-2022-clients.csv"),
               2016: os.path.join(HERE, "zwconnect-2016-clients.csv")}
WORKFORCE_CSV = os.path.join(HERE, "zwconnect-2022-workforce-data.csv")
FIRST_YEAR, BASE_YEAR, LAST_YEAR = 2016, 2022, 2040
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
TOP = 110                                                 # single ages 0..110 (110 = 110+)

# --- published figures ------------------------------------------------------
POP65_2022 = 3525453                                      # CBS via VZinfo: 65+ on 1 Jan 2022,
SHARE65_2022 = 0.20                                       # "20%" of the population
SHARE65 = {2021: 0.198, 2035: 0.244, 2040: 0.251}         # CBS/PBL regional prognosis 2022
POP80 = {2018: 780e3, 2022: 850e3, 2030: 1.2e6, 2040: 1.6e6}  # CBS prognoses 2020 and 2022
POP85 = {2020: 390e3, 2030: 0.6e6, 2040: 0.9e6}           # CBS (2020 counts; projection via secondary source)
CARERS_PER_85 = {2018: 15, 2040: 6}                       # PBL/SCP via NOS 2018: residents 50-74 per person 85+
MUNICIPAL_POPULATION_2022 = {                             # CBS via news and municipal budgets, 1 Jan 2022
    "Den Haag": 553417, "Zoetermeer": 125767, "Westland": 112448, "Rijswijk": 56941,
    "Wassenaar": 27115, "Midden-Delfland": 19484, "Voorschoten": 25627, "Maassluis": 34148,
}
MAASSLUIS_65PLUS_2022 = 7858                              # same source
GROWTH_2019_2035 = {                                      # PBL/CBS regional prognosis 2019
    "Den Haag": 0.15, "Delft": 0.189, "Rijswijk": 0.30, "Wassenaar": -0.017,
    "Alphen aan den Rijn": 0.143, "Zuidplas": 0.206, "Waddinxveen": 0.178,
}
ZHN_65PLUS_GROWTH_2040 = 1.56                             # Zorg en Zekerheid regiobeeld ZHN: +56% by 2040
ZHN_PLACES = 4000                                         # regional vision ZHN: 4,000 now, frozen
WLZ_PG, WLZ_SOMATIC = 92e3, 59e3                          # CBS 84529NED (2018)
WLZ_INDICATIONS, WLZ_AT_HOME, WLZ_WAITING = 191303, 68908, 21209  # ActiZ 2023
WLZ_WITH_STAY = {2015: 126620, 2019: 124985}              # Monitor Langdurige Zorg
HEAVY_SHARE_OF_RESIDENTS = {2015: 0.90, 2018: 0.98}       # VV4-VV10, CBS 2019 "Langdurige zorg vaker thuis"
FOUR_VV_EXTRAMURAL = 0.25                                 # new 4VV clients from 2016, coalition agreement 2012

# --- estimates (EST) ----------------------------------------------------------
# Subregion totals on 1 Jan 2022 (EST from municipal totals, as published
# beside the figures above).
SUBREGION_POPULATION = {
    "haaglanden": 1.13e6, "zuid_holland_noord": 0.57e6,
    "midden_holland": 0.26e6, "nieuwe_waterweg_noord": 0.19e6,
}
SUBREGIONS = list(SUBREGION_POPULATION)
# The municipalities of each subregion (composition of 2022). Those with a
# published 1 Jan 2022 population take it; the rest of the subregion's total
# is split equally among the others (EST: no figure).
SUBREGION_MUNICIPALITIES = {
    "haaglanden": ["Den Haag", "Delft", "Leidschendam-Voorburg", "Midden-Delfland", "Pijnacker-Nootdorp",
                   "Rijswijk", "Wassenaar", "Westland", "Zoetermeer"],
    "zuid_holland_noord": ["Alphen aan den Rijn", "Hillegom", "Kaag en Braassem", "Katwijk", "Leiden",
                           "Leiderdorp", "Lisse", "Nieuwkoop", "Noordwijk", "Oegstgeest", "Teylingen",
                           "Voorschoten", "Zoeterwoude"],
    "midden_holland": ["Bodegraven-Reeuwijk", "Gouda", "Krimpenerwaard", "Waddinxveen", "Zuidplas"],
    "nieuwe_waterweg_noord": ["Maassluis", "Schiedam", "Vlaardingen"],
}
# National 2022 structure (EST, step 1 of the docstring): cohort-size index
# K(x), log-linear between these ages (flat below the first and above the
# last), times the survival to age x under the fitted 2022 mortality.
K_KNOTS = [30, 40, 50, 60, 70, 80, 90, 100]
SMOOTHNESS = None                                          # weight of the curvature of log K: set by
                                                           # choose_smoothness() (docstring step 1)
MIGRATION_PROFILE = [(0, 0.35), (18, 0.7), (20, 1.0), (30, 0.6), (40, 0.25),  # EST: weight from the
                     (50, 0.08), (65, 0.03), (80, 0.0)]                       # given age on
ZHN_GROWTH_FROM = 2019                                     # EST: base year of the regiobeeld's +56%
RAMP = (40, 65)                                            # EST: ages of the older-vs-younger tilt
HAAGLANDEN_65_SHARE = 0.170                                # EST judgement: young cities
NWN_65_SHARE = MAASSLUIS_65PLUS_2022 / MUNICIPAL_POPULATION_2022["Maassluis"]  # EST: Maassluis's 23.0%
BANDS = [(50, 64), (65, 74), (75, 84), (85, TOP)]          # written bands; 50-64 potential carers only
CLIENT_BANDS = [(65, 74), (75, 84), (85, 99)]
WAITING_SHARE = WLZ_WAITING / (WLZ_INDICATIONS - WLZ_AT_HOME)  # 0.173
FOUR_VV_SHARE_2016 = 0.20                                  # EST: 4VV share of VV4-VV10 before 2016
FOUR_VV_SHARE_2022 = FOUR_VV_SHARE_2016 * (1 - FOUR_VV_EXTRAMURAL)  # EST: 0.15
LEGACY_VV1_3_2016 = 1 - (HEAVY_SHARE_OF_RESIDENTS[2015] + (HEAVY_SHARE_OF_RESIDENTS[2018] -  # EST: VV1-VV3
                         HEAVY_SHARE_OF_RESIDENTS[2015]) / 3)  # residents 1 Jan 2016, linear 2015-2018: 7.3%
WLZ_AGE_SHARE = [0.12, 0.33, 0.55]                         # EST: 65-74, 75-84, 85+
PREVALENCE = {                                             # EST: clients at home per resident of the band
    "home_light": [0.025, 0.08, 0.18],
    "home_intensive": [0.010, 0.035, 0.10],
}
NEEDS = ["home_light", "home_intensive", "wlz_light", "wlz_somatic", "wlz_pg"]


# --- building blocks -----------------------------------------------------------
def step_weight(table, x):
    return [w for a, w in table if a <= x][-1]


PROFILE = [step_weight(MIGRATION_PROFILE, x) for x in range(TOP + 1)]


class Mortality:
    """Gompertz: yearly hazard m80 x exp(slope (age - 80)) in 2022, falling by
    `improvement` a year; below 30 the hazard of age 30."""

    def __init__(self, m80, slope, improvement):
        self.m80, self.slope, self.improvement = m80, slope, improvement
        self._cache = {}

    def rates(self, year):
        """Yearly death probability between age x on 1 Jan `year` and x+1 a year later, x = 0..TOP."""
        if year not in self._cache:
            trend = math.exp(-self.improvement * (year - BASE_YEAR))
            self._cache[year] = [1 - math.exp(-self.m80 * math.exp(self.slope * (max(30.0, x + 0.5) - 80)) * trend)
                                 for x in range(TOP + 1)]
        return self._cache[year]

    def rate(self, x, year):
        return self.rates(year)[x]


def forward(pop, year, mort, births, target, below=TOP + 1):
    """Population on 1 Jan year+1 from 1 Jan `year`; net migration (with the
    age profile) scaled so that the population under age `below` (default:
    all) is `target`."""
    q = mort.rates(year)
    new = [0.0] * (TOP + 1)
    new[0] = births
    for x in range(TOP + 1):
        new[min(x + 1, TOP)] += pop[x] * (1 - q[x])
    k = (target - sum(new[:below])) / sum(PROFILE[:below])
    return [v + k * w for v, w in zip(new, PROFILE)], k


def backward(pop, year, mort, target, below=TOP + 1):
    """Population on 1 Jan year-1 from 1 Jan `year` (the forward step reversed)."""
    q = mort.rates(year - 1)
    surv = [1 - q[x] for x in range(TOP)]
    n = min(below, TOP)
    base = sum(pop[x + 1] / surv[x] for x in range(n))
    per_k = sum(PROFILE[x + 1] / surv[x] for x in range(n))
    k = (base - target) / per_k
    return [(pop[x + 1] - k * PROFILE[x + 1]) / surv[x] for x in range(TOP)] + [0.0], k


def geometric(anchors, year):
    """Geometric between the anchor years; before the first (after the last)
    the rate of the first (last) interval extended."""
    ys = sorted(anchors)
    i = max([k for k in range(len(ys) - 1) if ys[k] <= year] or [0])
    lo, hi = ys[i], ys[i + 1]
    return anchors[lo] * (anchors[hi] / anchors[lo]) ** ((year - lo) / (hi - lo))


def project(pop22, mort, births_fn, target_fn, below=TOP + 1):
    """{year: single-year population} 2016..2040 from the 2022 structure; also
    net migration k by year (the weight of PROFILE; year -> year + 1)."""
    out, mig = {BASE_YEAR: pop22}, {}
    p = pop22
    for year in range(BASE_YEAR, LAST_YEAR):
        p, mig[year] = forward(p, year, mort, births_fn(year, p), target_fn(year + 1), below)
        out[year + 1] = p
    p = pop22
    for year in range(BASE_YEAR, FIRST_YEAR, -1):
        p, mig[year - 1] = backward(p, year, mort, target_fn(year - 1), below)
        out[year - 1] = p
    return out, mig


def band(p, lo, hi):
    return sum(p[lo:hi + 1])


# --- national: structure, mortality and total path -----------------------------
def national_2022(log_k, mort):
    """EST national single-year structure on 1 Jan 2022: the cohort-size index
    K(x) (log-linear between K_KNOTS, flat outside) x survival to age x under
    the 2022 mortality."""
    q = mort.rates(BASE_YEAR)
    surv, p = 1.0, []
    for x in range(TOP + 1):
        if x <= K_KNOTS[0]:
            lk = log_k[0]
        elif x >= K_KNOTS[-1]:
            lk = log_k[-1]
        else:
            i = max(i for i in range(len(K_KNOTS)) if K_KNOTS[i] <= x)
            u = (x - K_KNOTS[i]) / (K_KNOTS[i + 1] - K_KNOTS[i])
            lk = log_k[i] + u * (log_k[i + 1] - log_k[i])
        p.append(math.exp(lk) * surv)
        surv *= 1 - q[x]
    return p


def national_projection(pop22, mort):
    """The nation 2016..2040 (EST): births constant at the youngest age of
    2022; net migration such that the population under 65 stays at its 2022
    size, so the total is that plus the 65+."""
    under65 = band(pop22, 0, 64)
    return project(pop22, mort, lambda year, p: pop22[0], lambda year: under65, below=65)


def fit_targets():
    """(name, function of the projection, published value, relative tolerance):
    the tolerance is half a unit of the published figure's last digit."""
    def count(y, lo, hi=TOP):
        return lambda nat: band(nat[y], lo, hi)

    def share65(y):
        return lambda nat: band(nat[y], 65, TOP) / sum(nat[y])

    def carers(y):
        return lambda nat: band(nat[y], 50, 74) / band(nat[y], 85, TOP)
    t = [("65+ 2022", count(2022, 65), POP65_2022, 0.5e-3)]  # an exact count: 0.05%
    t += [(f"65+ share {y}", share65(y), v, 0.0005 / v) for y, v in sorted(SHARE65.items())]
    t += [("65+ share 2022", share65(2022), SHARE65_2022, 0.005 / SHARE65_2022)]
    t += [(f"80+ {y}", count(y, 80), v, (5e3 if v < 1e6 else 0.05e6) / v) for y, v in sorted(POP80.items())]
    t += [(f"85+ {y}", count(y, 85), v, (5e3 if v < 0.5e6 else 0.05e6) / v) for y, v in sorted(POP85.items())]
    t += [(f"50-74 per 85+ {y}", carers(y), v, 0.5 / v) for y, v in sorted(CARERS_PER_85.items())]
    return t


def unpack(theta):
    return Mortality(math.exp(theta[0]), theta[1], theta[2]), list(theta[3:])


def residuals(theta):
    mort, log_k = unpack(theta)
    nat, _ = national_projection(national_2022(log_k, mort), mort)
    res = [math.log(f(nat) / v) / tol for _, f, v, tol in fit_targets()]
    # Smoothness of the cohort-size index: curvature of log K per year of age.
    for i in range(1, len(K_KNOTS) - 1):
        h0, h1 = K_KNOTS[i] - K_KNOTS[i - 1], K_KNOTS[i + 1] - K_KNOTS[i]
        d = ((log_k[i + 1] - log_k[i]) / h1 - (log_k[i] - log_k[i - 1]) / h0) / ((h0 + h1) / 2)
        res.append(SMOOTHNESS * 1000 * d)
    return res


def solve(a, b):
    """Solve a x = b (Gaussian elimination with partial pivoting)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n + 1):
                m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def anchors_misfit(res):
    """Sum of squares of the anchors' errors (in units of their rounding)."""
    return sum(r * r for r in res[:len(fit_targets())])


def choose_smoothness():
    """The curvature weight at which the anchors' sum of squares equals what
    their rounding alone would give: an error uniform within +-1 unit has
    mean square 1/3, so n/3 for n anchors (the discrepancy principle).
    Bisection on the log of the weight."""
    goal = len(fit_targets()) / 3
    lo, hi = math.log(0.003), math.log(10.0)
    for _ in range(14):
        mid = (lo + hi) / 2
        if anchors_misfit(fit_national(math.exp(mid))[3]) < goal:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)


def fit_national(smoothness=None):
    """Levenberg-Marquardt on the weighted log errors (numerical Jacobian)."""
    global SMOOTHNESS
    saved = SMOOTHNESS
    if smoothness is not None:
        SMOOTHNESS = smoothness
    theta = [math.log(0.05), 0.09, 0.015] + [math.log(210e3)] * len(K_KNOTS)
    res = residuals(theta)
    cost = sum(r * r for r in res)
    lam = 1e-2
    for _ in range(300):
        jac = []
        for i in range(len(theta)):
            t = list(theta)
            t[i] += 1e-6
            jac.append([(a - b) / 1e-6 for a, b in zip(residuals(t), res)])
        n = len(theta)
        jtj = [[sum(jac[i][k] * jac[j][k] for k in range(len(res))) for j in range(n)] for i in range(n)]
        jtr = [sum(jac[i][k] * res[k] for k in range(len(res))) for i in range(n)]
        while lam < 1e10:
            a = [[jtj[i][j] * (1 + lam if i == j else 1) for j in range(n)] for i in range(n)]
            trial = [t + s for t, s in zip(theta, solve(a, [-v for v in jtr]))]
            r2 = residuals(trial)
            c2 = sum(r * r for r in r2)
            if c2 < cost:
                break
            lam *= 4
        else:
            break
        done = cost - c2 < 1e-9 * max(1.0, cost)
        theta, res, cost, lam = trial, r2, c2, lam / 3
        if done:
            break
    SMOOTHNESS = saved
    mort, log_k = unpack(theta)
    return mort, log_k, cost, res


# --- subregions ------------------------------------------------------------------
def municipal_weights(s):
    """{municipality: 1 Jan 2022 population} of subregion s: published where
    we have it, else an equal part of the rest of the subregion's total (EST)."""
    names = SUBREGION_MUNICIPALITIES[s]
    known = {m: MUNICIPAL_POPULATION_2022[m] for m in names if m in MUNICIPAL_POPULATION_2022}
    others = [m for m in names if m not in known]
    rest = (SUBREGION_POPULATION[s] - sum(known.values())) / len(others)
    return {m: known.get(m, rest) for m in names}


def growth_2019_2035(s, national):
    """Population-weighted 2019 -> 2035 growth of subregion s: the published
    municipal growth (PBL/CBS regional prognosis 2019) where we have it, the
    national growth `national` (EST) for the other municipalities."""
    w = municipal_weights(s)
    return sum(p * GROWTH_2019_2035.get(m, national) for m, p in w.items()) / sum(w.values())


def subregion_target(s, nat_rate):
    """Total population path of subregion s (EST, docstring step 4)."""
    rate = (1 + growth_2019_2035(s, nat_rate(2019, 2035, total=True))) ** (1 / 16) - 1
    base_rate = nat_rate(2019, 2035)
    before = rate * nat_rate(FIRST_YEAR, BASE_YEAR) / base_rate
    after = rate * nat_rate(2035, LAST_YEAR) / base_rate

    def target(year):
        total = SUBREGION_POPULATION[s]
        if year <= BASE_YEAR:
            return total * (1 + before) ** (year - BASE_YEAR)
        total *= (1 + rate) ** (min(year, 2035) - BASE_YEAR)
        return total * (1 + after) ** max(0, year - 2035)
    return target


def logistic(x, centre):
    return 1 / (1 + math.exp(-(x - centre) / 2))


def older_ramp(x):
    """0 up to age RAMP[0], rising linearly to 1 at RAMP[1] and above (the older-vs-younger tilt)."""
    return min(1.0, max(0.0, (x - RAMP[0]) / (RAMP[1] - RAMP[0])))


def bulge(x):
    """~1 at ages 45-64, ~0 elsewhere (logistic edges with a 2-year scale)."""
    return logistic(x, 44.5) - logistic(x, 64.5)


def shaped(nat22, total, a, b):
    w = [nat22[x] * math.exp(a * older_ramp(x) + b * bulge(x)) for x in range(TOP + 1)]
    return [v * total / sum(w) for v in w]


def bisect(f, lo, hi, n=60):
    flo = f(lo)
    for _ in range(n):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def solve_a(nat22, total, b, share65):
    return bisect(lambda a: band(shaped(nat22, total, a, b), 65, TOP) / total - share65, -2, 2)


def subregion_projection(s, nat22, nat, mort, share65_nat, nat_rate, zhn_from=ZHN_GROWTH_FROM):
    """Shape the 2022 structure of subregion s (step 5) and project it (step 6)."""
    total, target = SUBREGION_POPULATION[s], subregion_target(s, nat_rate)
    births_nat = nat22[0]

    def projection(a, b):
        p22 = shaped(nat22, total, a, b)
        return project(p22, mort, lambda year, p: births_nat * band(p, 20, 39) / band(nat[year], 20, 39), target)

    if s == "haaglanden":
        a, b = solve_a(nat22, total, 0.0, HAAGLANDEN_65_SHARE), 0.0
    elif s == "nieuwe_waterweg_noord":
        a, b = solve_a(nat22, total, 0.0, NWN_65_SHARE), 0.0
    elif s == "zuid_holland_noord":
        def excess(b):
            a = solve_a(nat22, total, b, share65_nat)
            out, _ = projection(a, b)
            return band(out[2040], 65, TOP) / band(out[zhn_from], 65, TOP) - ZHN_65PLUS_GROWTH_2040
        b = bisect(excess, -1.0, 2.5, 40)
        a = solve_a(nat22, total, b, share65_nat)
    else:
        a, b = 0.0, 0.0
    out, mig = projection(a, b)
    return out, mig, a, b


def source_text(s, year, a, b, growth):
    """The `source` cell of a population row (no commas)."""
    shape = {
        "haaglanden": f"65+ share {HAAGLANDEN_65_SHARE:.1%} (EST judgement: Den Haag and Delft are young cities)",
        "zuid_holland_noord": f"65+ share national (EST) with the 45-64 x{math.exp(b):.3f} so that the 65+ grow "
                              f"+56% {ZHN_GROWTH_FROM}->2040 (Zorg en Zekerheid regiobeeld ZHN; base year not "
                              f"published: {ZHN_GROWTH_FROM} EST)",
        "midden_holland": "the national age structure (EST: no subregional figure)",
        "nieuwe_waterweg_noord": f"65+ share {NWN_65_SHARE:.1%} (Maassluis 7858 of 34148 on 1 Jan 2022: CBS via "
                                 f"news and municipal budgets)",
    }[s]
    how = ("1 Jan 2022 structure" if year == BASE_YEAR else
           "cohort projection from 2022" if year > BASE_YEAR else "cohort back-projection from 2022")
    return (f"EST: {how} (make_population.py); national 2022 structure and mortality fitted to 65+ 3525453 "
            f"(CBS via VZinfo) and the 65+ shares (CBS/PBL regional prognosis 2022) and 80+ (CBS prognoses 2020 "
            f"and 2022) and 85+ (CBS) and 50-74 per 85+ (PBL/SCP via NOS 2018) with the under-65s held at their "
            f"2022 size (EST); shaped to {shape}; total "
            f"{SUBREGION_POPULATION[s] / 1e6:.2f}M in 2022 (EST from municipal totals) growing {growth:+.1%} "
            f"2019-2035 (PBL/CBS regional prognosis 2019 for the municipalities it names; EST national for "
            f"the others)")


# --- clients ---------------------------------------------------------------------
def largest_remainder(values, total):
    floors = [int(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def places_by_subregion(pop):
    p80 = {s: band(pop[s][BASE_YEAR], 80, TOP) for s in SUBREGIONS}
    per80 = ZHN_PLACES / p80["zuid_holland_noord"]
    return {s: ZHN_PLACES if s == "zuid_holland_noord" else round(per80 * p80[s]) for s in SUBREGIONS}, per80


def wlz_split(year, place):
    """Wlz clients needing a place, by need {wlz_light, wlz_somatic, wlz_pg} (unrounded) and the total."""
    wlz = round(place * (1 + WAITING_SHARE))
    if year == 2016:
        light = LEGACY_VV1_3_2016 * place + FOUR_VV_SHARE_2016 * (wlz - LEGACY_VV1_3_2016 * place)
    else:
        light = FOUR_VV_SHARE_2022 * wlz
    pg = WLZ_PG / (WLZ_PG + WLZ_SOMATIC)
    return {"wlz_light": light, "wlz_somatic": (wlz - light) * (1 - pg), "wlz_pg": (wlz - light) * pg}, wlz


def initial_clients(year, pop, place):
    rows = []
    pg = WLZ_PG / (WLZ_PG + WLZ_SOMATIC)
    four_vv = FOUR_VV_SHARE_2016 if year == 2016 else FOUR_VV_SHARE_2022
    for s in SUBREGIONS:
        p = pop[s][year]
        for need, rates in PREVALENCE.items():
            for (lo, hi), rate in zip(CLIENT_BANDS, rates):
                n = band(p, lo, TOP if lo == 85 else hi)
                rows.append([f"EST: prevalence {rate:.3f} of the {lo}-{hi} population {n:.0f} on 1 Jan {year} "
                             f"(make_population.py); order of magnitude: ~584k district nursing clients a "
                             f"year of all ages (Vektis 2022)", s, need, lo, hi, round(n * rate)])
        split, wlz = wlz_split(year, place[s])
        cells = largest_remainder([split[need] * a for need in NEEDS[2:] for a in WLZ_AGE_SHARE], wlz)
        light_note = (f"light = {LEGACY_VV1_3_2016:.1%} of places (last VV1-VV3 residents; VV4-VV10 90% of "
                      f"residents 2015 and 98% 2018: CBS 2019 Langdurige zorg vaker thuis) + {four_vv:.0%} 4VV "
                      f"of the rest (EST)"
                      if year == 2016 else
                      f"light = {four_vv:.0%} 4VV (EST: 20% before 2016 x (1 - 25% of new 4VV clients "
                      f"extramuralised: coalition agreement 2012))")
        place_note = ("; 2016: the 2022 places (EST: Wlz nursing-care clients with a stay flat 2015-2019: "
                      "Monitor Langdurige Zorg)" if year == 2016 else "")
        for k, need in enumerate(NEEDS[2:]):
            for j, (lo, hi) in enumerate(CLIENT_BANDS):
                rows.append([f"EST: {place[s]} places (regional vision ZHN 4000; others per 80+ resident like "
                             f"ZHN{place_note}) x (1 + waiting {WAITING_SHARE:.3f}: 21209 / (191303 - 68908) "
                             f"ActiZ 2023) = {wlz}; {light_note}; heavy PG share {pg:.3f} (CBS 84529NED: 92k PG "
                             f"vs 59k somatic); age share {WLZ_AGE_SHARE[j]} (EST)", s, need, lo, hi,
                             cells[3 * k + j]])
    return rows


def workforce_shares():
    counts = defaultdict(int)
    with open(WORKFORCE_CSV, newline="") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            counts[r["subregion"]] += int(r["count"])
    total = sum(counts.values())
    return {s: counts[s] / total for s in SUBREGIONS}, total


# --- main ------------------------------------------------------------------------
def growth_table(nat, years=(2031, 2040)):
    groups = [(65, TOP), (80, TOP), (85, TOP)]
    return " ".join(f"{y}: " + "/".join(f"{band(nat[y], *g) / band(nat[BASE_YEAR], *g):.3f}" for g in groups)
                    for y in years)


def main():
    global SMOOTHNESS
    SMOOTHNESS = choose_smoothness()
    mort, log_k, cost, res = fit_national()
    nat22 = national_2022(log_k, mort)
    nat, nat_mig = national_projection(nat22, mort)

    def nat_rate(y0, y1, total=False):
        g = sum(nat[y1]) / sum(nat[y0])
        return g - 1 if total else g ** (1 / (y1 - y0)) - 1

    share65_nat = band(nat22, 65, TOP) / sum(nat22)
    pop, shape, growth = {}, {}, {}
    for s in SUBREGIONS:
        pop[s], _, a, b = subregion_projection(s, nat22, nat, mort, share65_nat, nat_rate)
        shape[s], growth[s] = (a, b), growth_2019_2035(s, nat_rate(2019, 2035, total=True))

    # Population CSV.
    rows = []
    for year in YEARS:
        for s in SUBREGIONS:
            for lo, hi in BANDS:
                rows.append([source_text(s, year, *shape[s], growth[s]), year, s, lo,
                             round(band(pop[s][year], lo, hi))])
    with open(OUT_POPULATION, "w", newline="") as f:
        f.write("# Population of the four ZW-Connect subregions on 1 January 2016..2040 by age band\n"
                "# (age_from 50 = 50-64, potential informal carers only; 65, 75, 85 = the client\n"
                "# bands 65-74, 75-84, 85+). Every figure is an estimate (EST): CBS/PBL withdrew the\n"
                "# age detail of their regional prognoses (CBS erratum 2019). Built as a cohort-component\n"
                "# projection by single year of age. Nationally, a 2022 age structure and a Gompertz\n"
                "# mortality with yearly improvement are fitted to the published counts and shares only:\n"
                "# 65+ 3,525,453 = 20% on 1 Jan 2022 (CBS via VZinfo); 65+ share 19.8% 2021, 24.4% 2035,\n"
                "# 25.1% 2040 (CBS/PBL regional prognosis 2022; the population under 65 held at its 2022\n"
                "# size, EST); 80+ 780k 2018, ~850k 2022, 1.2M 2030, 1.6M 2040 (CBS prognoses 2020 and\n"
                "# 2022); 85+ ~390k 2020, ~0.6M 2030, ~0.9M 2040 (CBS); 15 and 6 residents 50-74 per\n"
                "# person 85+ in 2018 and 2040 (PBL/SCP via NOS 2018). Per subregion the national 2022\n"
                "# structure is shaped to NWN's 23% 65+ (Maassluis, CBS via news and municipal budgets),\n"
                "# Haaglanden's younger cities (EST) and ZHN's +56% 65+ by 2040 (Zorg en Zekerheid\n"
                "# regiobeeld ZHN; measured from 2019, EST: the base year is not published there), aged\n"
                "# forward to 2040 and back to 2016, with net migration so that totals follow the\n"
                "# PBL/CBS regional prognosis 2019 growth of the municipalities it names.\n"
                "# Generated by scenarios/data/make_population.py (do not edit by hand; derivation\n"
                "# in its docstring).\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "year", "subregion", "age_from", "population"])
        w.writerows(rows)

    # Checks on the rows written.
    keys = [(r[1], r[2], r[3]) for r in rows]
    expected = {(y, s, lo) for y in YEARS for s in SUBREGIONS for lo, _ in BANDS}
    assert len(keys) == len(set(keys)) and set(keys) == expected, "population rows: missing or duplicate keys"
    assert all(isinstance(r[4], int) and r[4] >= 0 for r in rows), "population rows: negative or non-integer"
    for s in SUBREGIONS:
        for year in YEARS:
            assert min(pop[s][year]) > -1.0, f"negative single-age population {s} {year}"
    print(f"population CSV: {len(rows)} rows, each (year, subregion, age_from) once for {FIRST_YEAR}-"
          f"{LAST_YEAR}; smallest count {min(r[4] for r in rows)}")

    # National fit.
    print(f"\nnational fit: Gompertz hazard at 80 in 2022 {mort.m80:.4f}, slope {mort.slope:.4f} per year of age, "
          f"improvement {mort.improvement:.4f} a year; cohort-size index K at ages {K_KNOTS}: "
          + " ".join(f"{math.exp(v - log_k[0]):.3f}" for v in log_k) + " (relative to age 30)")
    print("  yearly death probability 2022 at 65/75/85/95: " +
          " / ".join(f"{mort.rate(x, 2022):.4f}" for x in (65, 75, 85, 95)))
    targets = fit_targets()
    chi = anchors_misfit(res)
    print(f"  fitted to (projection vs published; error in units of the published rounding, half a unit of "
          f"its last digit); sum of squares {chi:.2f} over {len(targets)} anchors (= {len(targets)}/3, the "
          f"rounding's own: curvature weight {SMOOTHNESS:.3f}), curvature penalty {cost - chi:.2f}:")
    for (name, f, v, tol), r in zip(targets, res):
        got = f(nat)
        fmt = (lambda z: f"{z:.4f}") if v < 100 else (lambda z: f"{z:,.0f}")
        print(f"    {name}: {fmt(got)} vs {fmt(v)} ({got / v - 1:+.2%}; {r:+.2f})")
    print("  national path (total; 65+ share; 50-64 / 65-74 / 75-84 / 85+; net migration in the year):")
    for y in (2016, 2019, 2021, 2022, 2025, 2031, 2035, 2040):
        print(f"    {y}: {sum(nat[y]):,.0f}; {band(nat[y], 65, TOP) / sum(nat[y]):.3f}; " +
              " / ".join(f"{band(nat[y], lo, hi):,.0f}" for lo, hi in BANDS) +
              (f"; {nat_mig[y] * sum(PROFILE):,.0f}" if y in nat_mig else ""))
    print(f"  national growth 2019-2035 {nat_rate(2019, 2035, total=True):+.1%} (used for the municipalities "
          f"without a published growth)")
    print(f"  growth of the 65+/80+/85+ from 2022: {growth_table(nat)}; 75-84 2031/2022 "
          f"{band(nat[2031], 75, 84) / band(nat[2022], 75, 84):.3f}")
    for k in (1 / 3, 3):
        m2, lk2, c2, r2 = fit_national(SMOOTHNESS * k)
        n2, _ = national_projection(national_2022(lk2, m2), m2)
        print(f"  sensitivity, curvature weight x{k:.2f}: anchors' sum of squares "
              f"{anchors_misfit(r2):.2f}; 50-64 2022 {band(n2[2022], 50, 64):,.0f}; 75-84 2031/2022 "
              f"{band(n2[2031], 75, 84) / band(n2[2022], 75, 84):.3f}; growth {growth_table(n2)}")
    region = {y: [sum(pop[s][y][x] for s in SUBREGIONS) for x in range(TOP + 1)] for y in YEARS}
    for y in (2022, 2040):
        print(f"  region share of the national population {y}: total {sum(region[y]) / sum(nat[y]):.3f}, "
              f"65+ {band(region[y], 65, TOP) / band(nat[y], 65, TOP):.3f}, "
              f"80+ {band(region[y], 80, TOP) / band(nat[y], 80, TOP):.3f}")

    # Subregions.
    print("\nsubregions (2022 shape; totals; 65+ share):")
    for s in SUBREGIONS:
        a, b = shape[s]
        p = pop[s]
        print(f"  {s}: weight 65+ x{math.exp(a):.3f}, 45-64 x{math.exp(b):.3f}; growth 2019-2035 "
              f"{growth[s]:+.1%}; total 2016 {sum(p[2016]):,.0f} 2022 {sum(p[2022]):,.0f} "
              f"2035 {sum(p[2035]):,.0f} 2040 {sum(p[2040]):,.0f}; 65+ share 2022 "
              f"{band(p[2022], 65, TOP) / sum(p[2022]):.1%} 2040 {band(p[2040], 65, TOP) / sum(p[2040]):.1%}; "
              f"45-64 share 2022 {band(p[2022], 45, 64) / sum(p[2022]):.1%} "
              f"(national {band(nat[2022], 45, 64) / sum(nat[2022]):.1%}); 65+ {ZHN_GROWTH_FROM}->2040 "
              f"x{band(p[2040], 65, TOP) / band(p[ZHN_GROWTH_FROM], 65, TOP):.3f}, 2022->2040 "
              f"x{band(p[2040], 65, TOP) / band(p[2022], 65, TOP):.3f}")
    alt, _, a2, b2 = subregion_projection("zuid_holland_noord", nat22, nat, mort, share65_nat, nat_rate, 2022)
    print(f"  ZHN's +56% measured from 2022 instead would need the 45-64 x{math.exp(b2):.3f}: "
          f"{band(alt[2022], 45, 64) / sum(alt[2022]):.1%} of ZHN's population aged 45-64 "
          f"(national {band(nat[2022], 45, 64) / sum(nat[2022]):.1%}), 65+ x"
          f"{band(alt[2040], 65, TOP) / band(alt[2022], 65, TOP):.3f} 2022->2040")
    groups = {"65+": (65, TOP), "80+": (80, TOP), "85+": (85, TOP)}
    print("\nshare of the region's 65+ / 80+ / 85+:")
    for y in (2016, 2022, 2031, 2040):
        print(f"  {y}: " + "; ".join(
            f"{s} " + " / ".join(f"{band(pop[s][y], *g) / band(region[y], *g):.3f}" for g in groups.values())
            for s in SUBREGIONS))
    print("\ngrowth factors 2022->2031 and 2022->2040 (50-64, 65-74, 75-84, 85+, 65+, 80+):")
    for s in SUBREGIONS + ["region", "national"]:
        p = pop[s] if s in pop else region if s == "region" else nat
        cols = list(BANDS) + [(65, TOP), (80, TOP)]
        f31 = " ".join(f"{band(p[2031], *c) / band(p[2022], *c):.3f}" for c in cols)
        f40 = " ".join(f"{band(p[2040], *c) / band(p[2022], *c):.3f}" for c in cols)
        print(f"  {s}: 2031 [{f31}]  2040 [{f40}]")

    # Clients.
    place, per80 = places_by_subregion(pop)
    print(f"\nnursing-home places (ZHN 4,000 for {ZHN_PLACES / per80:,.0f} residents aged 80+; others {per80:.4f} "
          f"per 80+ resident, 1 Jan 2022): " +
          ", ".join(f"{s} = {place[s]}" for s in SUBREGIONS) + f"; region {sum(place.values())}")
    print(f"  2016: the same places (EST: Wlz nursing-care clients with a stay {WLZ_WITH_STAY[2015]:,} in 2015, "
          f"{WLZ_WITH_STAY[2019]:,} in 2019, Monitor Langdurige Zorg)")
    print(f"  national check: region places / region share of the 80+ = "
          f"{sum(place.values()) / (band(region[2022], 80, TOP) / band(nat[2022], 80, TOP)):,.0f} against "
          f"~{WLZ_INDICATIONS - WLZ_AT_HOME:,} in institutions (ActiZ 2023)")
    for year in (2022, 2016):
        rows = initial_clients(year, pop, place)
        with open(OUT_CLIENTS[year], "w", newline="") as f:
            f.write(f"# Initial clients: older people (65+) in formal long-term care on 1 Jan {year} by\n"
                    "# subregion, need and age band. Needs: home_light, home_intensive (clients at home);\n"
                    "# wlz_light (4VV, the lightest profile still admitted to nursing homes), wlz_somatic and\n"
                    "# wlz_pg (5VV-10VV): all Wlz clients who need a nursing-home place, placed or waiting;\n"
                    "# the model places them up to the places in the start year. Every count is an\n"
                    "# estimate (EST), see the source cells; generated by scenarios/data/make_population.py\n"
                    "# (do not edit by hand; derivation in its docstring).\n")
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source", "subregion", "need", "age_from", "age_to", "count"])
            w.writerows(rows)
        keys = [(r[1], r[2], r[3]) for r in rows]
        assert len(keys) == len(set(keys)) == len(SUBREGIONS) * len(NEEDS) * len(CLIENT_BANDS)
        assert all(isinstance(r[-1], int) and r[-1] >= 0 for r in rows)
        print(f"\nclients 1 Jan {year} ({os.path.basename(OUT_CLIENTS[year])}):")
        tot = defaultdict(int)
        for s in SUBREGIONS:
            by_need = {n: sum(r[-1] for r in rows if r[1] == s and r[2] == n) for n in NEEDS}
            for n, v in by_need.items():
                tot[n] += v
            wlz = sum(by_need[n] for n in NEEDS[2:])
            at_home = by_need["home_light"] + by_need["home_intensive"]
            waiting = wlz - place[s]
            carers = band(pop[s][year], 50, 74)
            print(f"  {s}: " + ", ".join(f"{n} {v}" for n, v in by_need.items()) +
                  f"; Wlz {wlz} (places {place[s]}, waiting {waiting}, light share {by_need['wlz_light'] / wlz:.3f}); "
                  f"at home {at_home} + waiting {waiting}; carers 50-74 {carers:,.0f}, per client at home "
                  f"{carers / (at_home + waiting):.2f}")
        carers = sum(band(pop[s][year], 50, 74) for s in SUBREGIONS)
        clients_home = tot["home_light"] + tot["home_intensive"] + sum(tot[n] for n in NEEDS[2:]) - sum(place.values())
        print(f"  region: carers 50-74 {carers:,.0f}, clients at home incl. waiting {clients_home:,}, "
              f"carers per client at home {carers / clients_home:.2f}")
        wlz_all = sum(tot[n] for n in NEEDS[2:])
        print(f"  region: " + ", ".join(f"{n} {v}" for n, v in tot.items()) +
              f"; Wlz {wlz_all}, light share {tot['wlz_light'] / wlz_all:.3f}, PG share of heavy "
              f"{tot['wlz_pg'] / (tot['wlz_pg'] + tot['wlz_somatic']):.3f}")

    # Training enrolment shares.
    wf, wf_total = workforce_shares()
    total22 = sum(SUBREGION_POPULATION.values())
    print(f"\ntraining enrolment split by subregion (population share 1 Jan 2022 | workforce share, "
          f"{os.path.basename(WORKFORCE_CSV)}, {wf_total:,} workers):")
    for s in SUBREGIONS:
        print(f"  {s}: population {SUBREGION_POPULATION[s] / total22:.4f} | workforce {wf[s]:.4f}")
    print(f"\nwrote {OUT_POPULATION}\nwrote {OUT_CLIENTS[2022]}\nwrote {OUT_CLIENTS[2016]}")


if __name__ == "__main__":
    main()
