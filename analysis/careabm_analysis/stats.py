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


# The one interval convention of careabm: a "95% interval" is the 2.5-97.5%
# quantiles over replications (summary stats p025 and p975). Files written
# before those stats existed have only p05/p95: readers fall back to the 90%
# interval and say so (summary_interval).
INTERVAL_95 = (0.025, 0.975)
FAN_QUANTILES = (0.025, 0.25, 0.50, 0.75, 0.975)
SUMMARY_STATS = ("mean", "p025", "p05", "p50", "p95", "p975")
LEGACY_SUMMARY_STATS = ("mean", "p05", "p50", "p95")


def quantiles(values: np.ndarray, axis: int = 0, qs=FAN_QUANTILES) -> np.ndarray:
    """Quantiles along `axis` (linear interpolation, numpy's default), as a leading axis."""
    return np.quantile(np.asarray(values, dtype=float), qs, axis=axis)


def interval95(values: np.ndarray, axis: int = 0):
    """Mean and 95% interval (2.5% and 97.5% quantiles) along `axis`: (mean, lo, hi).

    The quantiles interpolate linearly (numpy's default, R type 7), as careabm's
    summaries and terminal tables do.
    """
    v = np.asarray(values, dtype=float)
    lo, hi = np.quantile(v, INTERVAL_95, axis=axis)
    return v.mean(axis=axis), lo, hi


def summary_interval(summary):
    """(lo, hi, level) of a summary DataArray with a `stat` axis.

    The 95% interval (p025, p975) when the file has it; files written before
    those stats existed fall back to p05/p95 with level "90%". Raises KeyError
    when neither pair is there.
    """
    stats = [str(s) for s in summary["stat"].values.tolist()]
    for lo, hi, level in (("p025", "p975", "95%"), ("p05", "p95", "90%")):
        if lo in stats and hi in stats:
            return summary.sel(stat=lo), summary.sel(stat=hi), level
    raise KeyError(f"no interval statistics on the stat axis ({', '.join(stats)})")


def interval_label(level: str) -> str:
    """"95% interval (p025–p975)" or "90% interval (p05–p95)"."""
    return {"95%": "95% interval (p025–p975)", "90%": "90% interval (p05–p95)"}.get(level, f"{level} interval")


def ratio_interval(cost: np.ndarray, gained: np.ndarray):
    """Mean cost / mean gain with a delta-method 95% interval, as careabm compare writes
    /difference/cost/per_fte_year_gained: (ratio, lo, hi); NaN when the mean gain is not
    positive, no interval when R < 2.

    half-width = t(0.975, R-1) * sd(cost_r - ratio * gained_r) / sqrt(R) / mean gain.
    """
    cost = np.asarray(cost, dtype=float)
    gained = np.asarray(gained, dtype=float)
    n = cost.size
    if n == 0 or gained.sum() <= 0:
        return math.nan, math.nan, math.nan
    c, g = cost.mean(), gained.mean()
    ratio = c / g
    if n < 2:
        return ratio, math.nan, math.nan
    residual = cost - ratio * gained
    half = t_quantile_975(n - 1) * residual.std(ddof=1) / math.sqrt(n) / g
    return ratio, ratio - half, ratio + half
