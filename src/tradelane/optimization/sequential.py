"""Peeking-safe monitoring of on-time rates: the always-valid mSPRT p-value.

Johari, Koomen, Pekelis & Walsh, "Always Valid Inference" (2017/2022): with a normal mixing
distribution N(0, τ²) over the difference θ = p_b - p_a and n orders per arm,

    Λ_n = √(V / (V + n τ²)) · exp(n² τ² θ̂² / (2 V (V + n τ²))),  V = p̄_a q̄_a + p̄_b q̄_b
    p_n = min(p_{n-1}, 1 / Λ_n)

Stopping the first time p_n ≤ α keeps the false-positive rate at most α however often the
results are looked at. τ² = (minimum detectable effect)² by default (an estimate to tune).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["always_valid_p_values"]


def always_valid_p_values(
    hits_a: ArrayLike, hits_b: ArrayLike, looks: ArrayLike, *, tau: float
) -> NDArray[np.float64]:
    """Running always-valid p-values; `hits_*[..., k]` count on-time orders among the first
    `looks[k]` orders of each arm (the last axis is the sequence of looks)."""
    ha, hb = np.asarray(hits_a, dtype=float), np.asarray(hits_b, dtype=float)
    n = np.asarray(looks, dtype=float)
    pa, pb = ha / n, hb / n
    variance = np.maximum(pa * (1 - pa) + pb * (1 - pb), 1e-9)
    tau2 = tau * tau
    log_lambda = 0.5 * np.log(variance / (variance + n * tau2)) + (
        n * n * tau2 * (pb - pa) ** 2 / (2 * variance * (variance + n * tau2))
    )
    p_values = np.minimum(1.0, np.exp(-log_lambda))
    running: NDArray[np.float64] = np.minimum.accumulate(p_values, axis=-1)
    return running
