"""careabm analysis: read careabm HDF5 output, draw the figures, write the report.

    from careabm_analysis import open_output, figures
    out = open_output("baseline.h5")
    fig = figures.shortage_fan(out)
    fig.savefig("shortage.png")

Command line: python3 -m careabm_analysis report OUT.h5 -o DIR [--svg]
"""

from .reader import CareabmFileError, CareabmOutput, KINDS, open_output

__all__ = ["CareabmFileError", "CareabmOutput", "KINDS", "open_output"]
