"""Small statistics shared by the figures, the report and the synthetic files.

No scipy on the target machines, so the Student t quantile is tabulated.
"""

from __future__ import annotations

import math

import numpy as np

# t(0.975, df) for df = 1..30 (standard tables).
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """The 0.975 quantile of Student's t with `df` degrees of freedom (nan if df < 1)."""
    if df < 1:
        return math.nan
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975  # Cornish-Fisher expansion; error < 1e-4 for df > 30
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))


def paired_interval(differences: np.ndarray, axis: int = 0):
    """Mean and 95% confidence interval of the mean of paired differences along `axis`.

    lo/hi = mean -/+ t(0.975, R-1) * sd / sqrt(R), sd with ddof=1; nan when R < 2.
    This is the rule the C++ side uses for /difference (analysis/README.md).
    """
    d = np.asarray(differences, dtype=float)
    r = d.shape[axis]
    mean = d.mean(axis=axis)
    if r < 2:
        nan = np.full_like(mean, np.nan)
        return mean, nan, nan
    half = t_quantile_975(r - 1) * d.std(axis=axis, ddof=1) / math.sqrt(r)
    return mean, mean - half, mean + half


FAN_QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)


def quantiles(values: np.ndarray, axis: int = 0, qs=FAN_QUANTILES) -> np.ndarray:
    """Quantiles along `axis` (linear interpolation, numpy's default), as a leading axis."""
    return np.quantile(np.asarray(values, dtype=float), qs, axis=axis)
