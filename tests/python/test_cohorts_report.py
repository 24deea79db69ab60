"""The report's sentence for a `careabm size-cohorts` file states the answer with
its 95% interval, the start year and the cost, from a file the real careabm wrote.
Exit 77 (skipped) when numpy, h5py, xarray, h5netcdf or matplotlib are missing."""
import os
import subprocess
import sys
import tempfile
import unittest

try:
    import h5py
    import numpy  # noqa: F401
    import xarray  # noqa: F401
    import h5netcdf  # noqa: F401
    import matplotlib  # noqa: F401
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (install python3-h5py python3-xarray python3-h5netcdf python3-matplotlib)")
    sys.exit(77)

BINARY = os.path.abspath(os.environ.get("CAREABM_BINARY", "build/careabm"))
SOURCE = os.environ.get("CAREABM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE, "analysis"))

from careabm_analysis.reader import open_output  # noqa: E402
from careabm_analysis.report import _cohort_answer  # noqa: E402


class CohortSentence(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-cohorts-report-")
        cls.path = os.path.join(cls.tmp, "cohorts.h5")
        subprocess.run([BINARY, "size-cohorts", os.path.join(SOURCE, "scenarios", "examples", "pipeline.toml"),
                        "--programme", "mbo3_vig_bbl", "--occupation", "vig", "--by", "2031", "--from", "2024",
                        "-r", "4", "--set", "training.programmes.mbo3_vig_bbl.cost_per_trainee=12000",
                        "--quiet", "-o", cls.path], check=True, capture_output=True, cwd=cls.tmp)

    def test_the_sentence_states_answer_interval_start_and_cost(self):
        with h5py.File(self.path) as f:
            a = dict(f.attrs)
        sentence = _cohort_answer(open_output(self.path))
        self.assertIn(f"<strong>{a['answer']:g} extra trainees per year</strong>", sentence)
        self.assertIn(f"(95% interval {a['answer_lo95']:g}–{a['answer_hi95']:g}", sentence)
        self.assertIn("in mbo3_vig_bbl from 2024", sentence)
        self.assertIn(f"at a cost of EUR {a['cost']:,.0f} ({a['cost_lo95']:,.0f}–{a['cost_hi95']:,.0f}) over 2024–2031",
                      sentence)
        self.assertLess(a["answer_lo95"], a["answer_hi95"])


if __name__ == "__main__":
    unittest.main()
