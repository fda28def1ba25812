"""Statistical evidence that a lane no longer behaves as it normally does.

A lane is judged against its own expected behaviour, never against one fixed share: of `n`
parcels that should have moved by now (been picked up after their label, departed after their
pickup), a healthy lane leaves about `normal_share` waiting (queues, a missed cut-off). Seeing
`k` or more waiting is surprising when the binomial upper tail P(X >= k | n, normal_share) is
below `alpha`; a surprise counts only with at least `min_parcels` waiting (the minimum sample)
and an excess over the normal share of at least `min_excess` (noise on a large lane is not a
failure). Exact (to double precision), summing the tail away from the mode term by term,
without any dependency.

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
from functools import lru_cache

__all__ = [
    "Surprise",
    "binomial_lower_tail",
    "binomial_upper_tail",
    "flow_drop",
    "flow_lost_share",
    "waiting_surprise",
]


TAIL_CACHE = 1 << 16  # tails asked again in one evaluation (a hub's flow, for each of its lanes)


@lru_cache(maxsize=TAIL_CACHE)
def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p); 1.0 for k <= 0, 0.0 for k > n."""
    if k <= 0 or p >= 1.0:
        return 1.0 if k <= n else 0.0
    if k > n or p <= 0.0:
        return 0.0
    if k > _mode(n, p):
        return _tail(k, +1, n, p)
    return max(0.0, 1.0 - _tail(k - 1, -1, n, p))


@lru_cache(maxsize=TAIL_CACHE)
def binomial_lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p); 1.0 for k >= n, 0.0 for k < 0."""
    if k < 0:
        return 0.0
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    if k < _mode(n, p):
        return _tail(k, -1, n, p)
    return max(0.0, 1.0 - _tail(k + 1, +1, n, p))


def _mode(n: int, p: float) -> int:
    return math.floor((n + 1) * p)


def _tail(start: int, step: int, n: int, p: float) -> float:
    """Sum of the binomial pmf from `start` away from the mode (step -1: down to 0, +1: up to
    n). The terms only shrink that way, so the sum stops once they no longer count: one
    log-gamma evaluation, then each term from the one before (pmf(i+1)/pmf(i) = (n-i)/(i+1) *
    p/q)."""
    log_q = math.log1p(-p)
    log_first = (
        math.lgamma(n + 1)
        - math.lgamma(start + 1)
        - math.lgamma(n - start + 1)
        + start * math.log(p)
        + (n - start) * log_q
    )
    odds = p / (1.0 - p)
    term = total = 1.0
    i = start
    while 0 < i < n if step < 0 else i < n:
        if step > 0:
            term *= (n - i) / (i + 1) * odds
        else:
            term *= i / (n - i + 1) / odds
        i += step
        total += term
        if term < total * 1e-17:
            break
        if step < 0 and i == 0:
            break
    return min(1.0, math.exp(log_first) * total)


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


def flow_lost_share(recent: int, reference: int, *, windows: int) -> float:
    """The share of a flow lost: 1 − recent / (reference / windows), at least 0; 0.0 without
    a reference (no test: cheap enough to ask before deciding whether to test)."""
    expected = reference / windows if windows else 0.0
    return max(0.0, 1.0 - recent / expected) if expected else 0.0


def flow_drop(
    recent: int, reference: int, *, windows: int, alpha: float, min_expected: float
) -> Surprise:
    """How surprising a lane's `recent` scans are against `reference` over `windows` earlier
    windows; `share` is the flow lost (1 − recent / expected, at least 0; also reported for
    a flow too small to test, which is never significant)."""
    expected = reference / windows if windows else 0.0
    share = flow_lost_share(recent, reference, windows=windows)
    if expected < min_expected:
        return Surprise(share, 1.0, False)
    p_value = binomial_lower_tail(recent, recent + reference, 1.0 / (windows + 1))
    return Surprise(share, p_value, p_value < alpha)
