"""`careabm calibrate` re-derives the shipped ZW-Connect baseline.

Runs the two calibration stages of scenarios/VALIDATION.md into a temporary
directory and checks that the fitted values equal the shipped ones within
1% of their band, and that the fit reports the targets the shipped files
record. A model change that moves the fit fails here until the baseline is
refitted with the same commands (and VALIDATION.md updated).

Usage: calibrate_baseline.py CAREABM SOURCE_DIR
"""
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

careabm, source = sys.argv[1], Path(sys.argv[2])
scenarios = source / "scenarios"

STAGES = [
    (scenarios / "zwconnect-2022-unfitted.toml", "targets/zwconnect-2022-clients.toml",
     "clients.incidence_scale,clients.mortality_scale", "stage1.toml", ["-r", "8", "--max-evaluations", "80"],
     scenarios / "calibration" / "zwconnect-2022-clients.toml"),
    (None, "targets/zwconnect-2022.toml",
     "labour_market.recruitment.efficiency,outflow.rate_scale,reentry.hazard_scale", "stage2.toml",
     ["-r", "8", "--max-evaluations", "120"], scenarios / "zwconnect-2022.toml"),
]


def value(doc, key):
    for part in key.split("."):
        doc = doc[part]
    return doc


def bounds(unfitted):
    doc = tomllib.loads(unfitted.read_text())
    return {f["key"]: (f["lower"], f["upper"]) for f in doc["calibration"]["free"]}


band = bounds(scenarios / "zwconnect-2022-unfitted.toml")
failures = []
with tempfile.TemporaryDirectory() as tmp:
    previous = None
    for scenario, targets, parameters, out, extra, shipped in STAGES:
        fitted = Path(tmp) / out
        subprocess.run([careabm, "calibrate", str(scenario or previous), "--targets", str(scenarios / targets),
                        "--parameters", parameters, "-o", str(fitted), "--threads", "2", "--quiet", *extra],
                       check=True)
        # The stage-2 file extends stage 1 by a relative path, so compare the fitted
        # keys themselves (they live in the file that fitted them).
        got, want = tomllib.loads(fitted.read_text()), tomllib.loads(shipped.read_text())
        for key in parameters.split(","):
            lower, upper = band[key]
            g, w = value(got, key), value(want, key)
            ok = abs(g - w) <= 0.01 * (upper - lower)
            print(f"{key}: re-derived {g:.6g}, shipped {w:.6g} ({'ok' if ok else 'DIFFERENT'})")
            if not ok:
                failures.append(key)
        previous = fitted
if failures:
    print("the shipped baseline is not what `careabm calibrate` gives now: refit (scenarios/VALIDATION.md)")
    sys.exit(1)
print("careabm calibrate re-derives the shipped baseline")
