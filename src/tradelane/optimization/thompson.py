"""Thompson sampling over arms with Beta-Bernoulli on-time outcomes.

Each arm's on-time rate has a Beta(1 + hits, 1 + misses) posterior. An arm's share of new
orders is the posterior probability that it is the best (what Thompson sampling gives each
arm in expectation), floored at `min_share` so no arm stops learning, then renormalised:

    P(arm i best) = ∫ f_i(x) Π_{j≠i} F_j(x) dx   (a grid of `points` on [0, 1])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import stats

__all__ = ["thompson_shares"]


def thompson_shares(
    hits: Sequence[int], trials: Sequence[int], *, min_share: float = 0.05, points: int = 4001
) -> NDArray[np.float64]:
    """The share of new orders each arm gets next."""
    a = 1.0 + np.asarray(hits, dtype=float)
    b = 1.0 + np.asarray(trials, dtype=float) - np.asarray(hits, dtype=float)
    grid = np.linspace(0.0, 1.0, points)
    pdf = stats.beta.pdf(grid[None, :], a[:, None], b[:, None])
    cdf = stats.beta.cdf(grid[None, :], a[:, None], b[:, None])
    others = np.prod(cdf, axis=0)[None, :] / np.where(cdf > 0, cdf, 1.0)
    best = np.trapezoid(pdf * np.where(cdf > 0, others, 0.0), grid, axis=1)
    best = np.clip(best / best.sum(), 0.0, 1.0)
    floored = np.maximum(best, min_share)
    shares: NDArray[np.float64] = floored / floored.sum()
    return shares
