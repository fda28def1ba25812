"""Statistical evidence that a lane no longer behaves as it normally does.

A lane is judged against its own expected behaviour, never against one fixed share: of `n`
parcels that should have moved by now (been picked up after their label, departed after their
pickup), a healthy lane leaves about `normal_share` waiting (queues, a missed cut-off). Seeing
`k` or more waiting is surprising when the binomial upper tail P(X >= k | n, normal_share) is
below `alpha`; a surprise counts only with at least `min_parcels` waiting (the minimum sample)
and an excess over the normal share of at least `min_excess` (noise on a large lane is not a
failure). Exact, in log space, without any dependency.

A lane's *flow* (pickup or departure scans) is judged against its own recent past: with
`recent` scans in the last window and `reference` scans over the `windows` windows before it,
an unchanged rate makes recent ~ Binomial(recent + reference, 1 / (windows + 1)) (two Poisson
counts conditioned on their sum). Seeing `recent` or fewer is a surprising drop when that lower
tail is below `alpha`, judged only when the reference promises at least `min_expected` scans in
a window (the minimum sample).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "Surprise",
    "binomial_lower_tail",
    "binomial_upper_tail",
    "flow_drop",
    "waiting_surprise",
]


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p); 1.0 for k <= 0, 0.0 for k > n."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    terms = [
        log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def binomial_lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p); 1.0 for k >= n, 0.0 for k < 0."""
    if k < 0:
        return 0.0
    return 1.0 if k >= n else max(0.0, 1.0 - binomial_upper_tail(k + 1, n, p))


@dataclass(frozen=True)
class Surprise:
    share: float  # observed share waiting
    p_value: float
    significant: bool


def waiting_surprise(
    waiting: int,
    sample: int,
    *,
    normal_share: float,
    alpha: float,
    min_parcels: int,
    min_excess: float,
) -> Surprise:
    """How surprising `waiting` of `sample` parcels still waiting is for this lane."""
    share = waiting / sample if sample else 0.0
    if waiting < min_parcels or share - normal_share < min_excess:
        return Surprise(share, 1.0, False)
    p_value = binomial_upper_tail(waiting, sample, normal_share)
    return Surprise(share, p_value, p_value < alpha)


def flow_drop(
    recent: int, reference: int, *, windows: int, alpha: float, min_expected: float
) -> Surprise:
    """How surprising a lane's `recent` scans are against `reference` over `windows` earlier
    windows; `share` is the flow lost (1 − recent / expected, at least 0; also reported for
    a flow too small to test, which is never significant)."""
    expected = reference / windows if windows else 0.0
    share = max(0.0, 1.0 - recent / expected) if expected else 0.0
    if expected < min_expected:
        return Surprise(share, 1.0, False)
    p_value = binomial_lower_tail(recent, recent + reference, 1.0 / (windows + 1))
    return Surprise(share, p_value, p_value < alpha)
