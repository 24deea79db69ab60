#!/usr/bin/env python3
"""The R route (README.md, "From R"): R reads careabm's results with labelled axes.

1. Files: `careabm run` writes OUT.h5; R's ncdf4 (Debian: r-cran-ncdf4) reads a
   variable in a group and the dimension labels, and must get exactly the values
   h5py reads (R reverses the axis order).
2. The Python module through reticulate (Debian: r-cran-reticulate): R calls
   careabm.run and gets the same array as the file of the same run.

Each part is skipped, with a message, when Rscript, the R package or the Python
module is missing; the whole test exits 77 (skipped) when neither part can run.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import h5py
    import numpy as np
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (install python3-h5py)")
    sys.exit(77)

BINARY = os.environ.get("CAREABM_BINARY", "build/careabm")
SOURCE = os.environ.get("CAREABM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RSCRIPT = shutil.which("Rscript")
MINIMAL = os.path.join(SOURCE, "scenarios", "examples", "minimal.toml")


def r_has(package):
    if not RSCRIPT:
        return False
    probe = subprocess.run([RSCRIPT, "-e", f"quit(status = if (requireNamespace('{package}', quietly = TRUE)) 0 else 1)"],
                           capture_output=True)
    return probe.returncode == 0


def have_module():
    try:
        import careabm  # noqa: F401
        return True
    except ImportError:
        return False


def rscript(code, cwd):
    result = subprocess.run([RSCRIPT, "-e", code], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise AssertionError(f"Rscript failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def numbers(output, tag):
    """The numbers R printed on the line starting with `tag`."""
    for line in output.splitlines():
        if line.startswith(tag + " "):
            return [float(x) for x in line.split()[1:]]
    raise AssertionError(f"no line '{tag}' in R's output:\n{output}")


HAVE_NCDF4 = r_has("ncdf4")
HAVE_RETICULATE = r_has("reticulate") and have_module()


class RRoute(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="careabm-r-")
        cls.path = os.path.join(cls.tmp, "minimal.h5")
        subprocess.run([BINARY, "run", MINIMAL, "-o", cls.path, "-r", "2", "--seed", "3", "--quiet"], check=True,
                       capture_output=True)
        with h5py.File(cls.path, "r") as f:
            cls.persons = f["shortage/persons"][()]
            cls.occupations = list(f["occupation"].asstr()[()])
            cls.years = f["year"][()]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @unittest.skipUnless(HAVE_NCDF4, "R's ncdf4 is not installed (Debian: r-base-core r-cran-ncdf4)")
    def test_ncdf4_reads_the_file_with_labelled_axes(self):
        out = rscript("""
library(ncdf4)
nc <- nc_open("minimal.h5")
persons <- ncvar_get(nc, "shortage/persons")
cat("dim", dim(persons), "\\n")
cat("values", format(as.vector(persons), digits = 17), "\\n")
cat("occupations", ncvar_get(nc, "occupation"), "\\n")
cat("years", ncvar_get(nc, "year"), "\\n")
nc_close(nc)
""", self.tmp)
        # R's arrays are column-major: the axes come reversed, and as.vector runs the first fastest.
        self.assertEqual(numbers(out, "dim"), list(reversed(self.persons.shape)))
        np.testing.assert_array_equal(np.array(numbers(out, "values")), self.persons.ravel(order="C"))
        self.assertEqual(out.split("occupations ")[1].split()[:len(self.occupations)], self.occupations)
        np.testing.assert_array_equal(numbers(out, "years"), self.years)

    @unittest.skipUnless(HAVE_RETICULATE, "R's reticulate or the careabm Python module is missing "
                                          "(Debian: r-cran-reticulate; the module needs pybind11-dev)")
    def test_reticulate_calls_the_python_module(self):
        out = rscript(f"""
library(reticulate)
use_python("{sys.executable}", required = TRUE)
careabm <- import("careabm")
ds <- careabm$run("{MINIMAL}", replications = 2L, seed = 3L)
persons <- ds[["shortage/persons"]]$values
cat("dim", dim(persons), "\\n")
cat("values", format(as.vector(aperm(persons)), digits = 17), "\\n")
""", self.tmp)
        # reticulate converts the numpy array to an R array with the same axes (copied into R's layout).
        self.assertEqual(numbers(out, "dim"), list(self.persons.shape))
        np.testing.assert_array_equal(np.array(numbers(out, "values")), self.persons.ravel(order="C"))


if __name__ == "__main__":
    if not HAVE_NCDF4 and not HAVE_RETICULATE:
        print("skipped: R is not installed with ncdf4 or reticulate (Debian: r-base-core r-cran-ncdf4 "
              "r-cran-reticulate)" if not RSCRIPT else "skipped: R has neither ncdf4 nor reticulate")
        sys.exit(77)
    unittest.main(verbosity=2)
