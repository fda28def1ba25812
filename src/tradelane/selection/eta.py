"""Delivery-time risk on a lane: a lognormal fitted to the transit profile's p50 and p90.

    p50 = exp(mu)                  p90 = exp(mu + z90 · sigma),  z90 = Φ⁻¹(0.9) ≈ 1.2816
    in a peak window both scale by (1 + peak_uplift_pct / 100), so only mu moves
    on-time probability  P(T <= promise)            = Φ((ln promise - mu) / sigma)
    expected lateness    E[max(T - promise, 0)]     = e^(mu + σ²/2) Φ(d1) - promise Φ(d2)
                         d1 = (mu + σ² - ln promise) / σ,  d2 = (mu - ln promise) / σ
A profile with p90 == p50 is deterministic: on time iff p50 <= promise.
Values depend only on (profile, peak, promise days), so the batch engine tabulates this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tradelane.domain.catalog import TransitProfile

__all__ = [
    "Z90",
    "EtaQuote",
    "eta_quote",
    "expected_lateness_days",
    "lognormal_quantile",
    "lognormal_sigma",
    "on_time_probability",
]

Z90 = 1.2815515655446004  # standard normal 90th percentile


def lognormal_sigma(p50: npt.ArrayLike, p90: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """sigma of the lognormal through p50 and p90 (any unit; p90 below p50 counts as p50,
    sigma 0); arrays broadcast. The one fit selection, monitoring and the simulator share."""
    low = np.asarray(p50, dtype=np.float64)
    high = np.maximum(np.asarray(p90, dtype=np.float64), low)
    return np.asarray(np.log(high / low) / Z90)


def lognormal_quantile(
    p50: npt.ArrayLike, p90: npt.ArrayLike, z: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """The lognormal's value at standard-normal quantile `z` (0: p50, Z90: p90)."""
    sigma = lognormal_sigma(p50, p90)
    return np.asarray(np.asarray(p50, dtype=np.float64) * np.exp(sigma * np.asarray(z)))


@dataclass(frozen=True, slots=True)
class EtaQuote:
    p50_days: float
    p90_days: float
    on_time_probability: float
    expected_late_days: float


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _fit(p50_days: float, p90_days: float) -> tuple[float, float]:
    return math.log(p50_days), float(lognormal_sigma(p50_days, p90_days))


@lru_cache(maxsize=65_536)
def on_time_probability(p50_days: float, p90_days: float, promise_days: float) -> float:
    """P(transit days <= promise_days) under the lognormal through p50 and p90."""
    mu, sigma = _fit(p50_days, p90_days)
    if sigma <= 0:
        return 1.0 if p50_days <= promise_days else 0.0
    return _normal_cdf((math.log(promise_days) - mu) / sigma)


@lru_cache(maxsize=65_536)
def expected_lateness_days(p50_days: float, p90_days: float, promise_days: float) -> float:
    """E[max(T - promise_days, 0)] in days under the same lognormal."""
    mu, sigma = _fit(p50_days, p90_days)
    if sigma <= 0:
        return max(p50_days - promise_days, 0.0)
    log_promise = math.log(promise_days)
    d1 = (mu + sigma * sigma - log_promise) / sigma
    d2 = (mu - log_promise) / sigma
    late = math.exp(mu + sigma * sigma / 2) * _normal_cdf(d1) - promise_days * _normal_cdf(d2)
    return max(late, 0.0)


def eta_quote(transit: TransitProfile, promise_days: float, *, peak: bool) -> EtaQuote:
    """Transit percentiles and promise risk, with the peak uplift applied when `peak`."""
    factor = 1.0 + transit.peak_uplift_pct / 100.0 if peak else 1.0
    p50, p90 = transit.p50_days * factor, transit.p90_days * factor
    return EtaQuote(
        p50_days=p50,
        p90_days=p90,
        on_time_probability=on_time_probability(p50, p90, promise_days),
        expected_late_days=expected_lateness_days(p50, p90, promise_days),
    )
