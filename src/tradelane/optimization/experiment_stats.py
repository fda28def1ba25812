"""Fixed-horizon statistics of an A/B test, on summaries so many experiments run at once.

    sample size per arm (two proportions, two-sided α, power 1 - β):
        n = (z_{1-α/2} √(2 p̄ q̄) + z_{1-β} √(p_a q_a + p_b q_b))² / (p_b - p_a)²
    on-time: pooled two-proportion z-test; interval for p_b - p_a: Wald (unpooled)
    cost and transit days: Welch's t-test (scipy.stats.ttest_ind_from_stats), Welch interval
Every function broadcasts over NumPy arrays of summaries.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = ["proportion_test", "sample_size_two_proportions", "welch_test"]

Floats = NDArray[np.float64]


def sample_size_two_proportions(p_a: float, p_b: float, *, alpha: float, power: float) -> int:
    """Orders per arm to detect on-time rates p_a vs p_b with a two-sided test."""
    z_alpha, z_beta = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    mean = (p_a + p_b) / 2
    spread = z_alpha * math.sqrt(2 * mean * (1 - mean))
    spread += z_beta * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))
    return math.ceil(float(spread**2 / (p_b - p_a) ** 2))


def proportion_test(
    hits_a: ArrayLike, n_a: ArrayLike, hits_b: ArrayLike, n_b: ArrayLike, *, alpha: float
) -> tuple[Floats, Floats, Floats, Floats]:
    """(difference p_b - p_a, two-sided p-value, interval low, interval high)."""
    ha, na, hb, nb = (np.asarray(v, dtype=float) for v in (hits_a, n_a, hits_b, n_b))
    pa, pb = ha / na, hb / nb
    pooled = (ha + hb) / (na + nb)
    se_pooled = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    z = np.divide(pb - pa, se_pooled, out=np.zeros_like(pa), where=se_pooled > 0)
    p_value = 2 * stats.norm.sf(np.abs(z))
    se = np.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    half = stats.norm.ppf(1 - alpha / 2) * se
    return pb - pa, p_value, pb - pa - half, pb - pa + half


def welch_test(
    mean_a: ArrayLike,
    var_a: ArrayLike,
    n_a: ArrayLike,
    mean_b: ArrayLike,
    var_b: ArrayLike,
    n_b: ArrayLike,
    *,
    alpha: float,
) -> tuple[Floats, Floats, Floats, Floats]:
    """(difference mean_b - mean_a, two-sided p-value, Welch interval low, high)."""
    ma, va, na, mb, vb, nb = (
        np.asarray(v, dtype=float) for v in (mean_a, var_a, n_a, mean_b, var_b, n_b)
    )
    result = stats.ttest_ind_from_stats(mb, np.sqrt(vb), nb, ma, np.sqrt(va), na, equal_var=False)
    se2_a, se2_b = va / na, vb / nb
    dof = (se2_a + se2_b) ** 2 / (se2_a**2 / (na - 1) + se2_b**2 / (nb - 1))
    half = stats.t.ppf(1 - alpha / 2, dof) * np.sqrt(se2_a + se2_b)
    return mb - ma, np.asarray(result.pvalue), mb - ma - half, mb - ma + half
