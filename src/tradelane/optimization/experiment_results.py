"""Results of an A/B test from per-order outcomes, with intervals, by the experiment's method.

    per arm: orders, on-time rate + Wilson interval, mean cost, mean transit days
    each arm vs the control (arm 0), at α' = α / (arms - 1):
      on_time  fixed / thompson: pooled two-proportion z-test, Wald interval of p_b - p_a
               sequential: always-valid mSPRT p-value over looks every `look_every` order
               pairs (sequential.py), so stopping at the first p ≤ α' is safe however often
               one looks; its interval is the fixed-horizon one, shown for size only
      cost, transit_days: Welch's t-test and interval (experiment_stats.welch_test)
Outcomes are given in the order the orders were created (the looks follow that order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tradelane.optimization.experiment_design import Experiment, ExperimentMethod
from tradelane.optimization.experiment_stats import (
    proportion_test,
    sample_size_two_proportions,
    welch_test,
)
from tradelane.optimization.scorecards import wilson_interval
from tradelane.optimization.sequential import always_valid_p_values
from tradelane.optimization.thompson import thompson_shares

__all__ = [
    "ArmOutcomes",
    "ArmSummary",
    "Comparison",
    "ExperimentResults",
    "experiment_results",
    "planned_per_arm",
]

MIN_PER_ARM = 2  # a variance needs two observations


@dataclass
class ArmOutcomes:
    """One arm's orders with a known outcome; None where a figure is unknown."""

    on_time: list[bool] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    transit_days: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class ArmSummary:
    name: str
    orders: int
    on_time_rate: float | None
    on_time_low: float | None
    on_time_high: float | None
    mean_cost: float | None
    mean_transit_days: float | None


@dataclass(frozen=True)
class Comparison:
    arm: str  # compared with the control
    metric: str  # on_time, cost, transit_days
    difference: float  # arm - control
    low: float
    high: float
    p_value: float
    significant: bool


@dataclass(frozen=True)
class ExperimentResults:
    arms: list[ArmSummary]
    comparisons: list[Comparison]
    planned_per_arm: int
    decidable: bool  # fixed: every arm reached the plan; sequential, thompson: always
    next_shares: tuple[float, ...] | None  # Thompson mode: the split for new orders


def planned_per_arm(experiment: Experiment) -> int:
    """Orders per arm to detect `min_effect` on the on-time rate (two-sided, α')."""
    return sample_size_two_proportions(
        experiment.baseline_on_time,
        experiment.baseline_on_time + experiment.min_effect,
        alpha=experiment.comparison_alpha,
        power=experiment.power,
    )


def experiment_results(
    experiment: Experiment, outcomes: Sequence[ArmOutcomes], *, look_every: int = 50
) -> ExperimentResults:
    names = [arm.name for arm in experiment.arms]
    alpha = experiment.comparison_alpha
    control = outcomes[0]
    comparisons: list[Comparison] = []
    for name, arm in zip(names[1:], outcomes[1:], strict=True):
        comparisons += _on_time(experiment, name, control.on_time, arm.on_time, look_every)
        for metric in ("cost", "transit_days"):
            comparisons += _welch(
                name, metric, getattr(control, metric), getattr(arm, metric), alpha
            )
    next_shares = None
    if experiment.method is ExperimentMethod.THOMPSON:
        hits = [sum(arm.on_time) for arm in outcomes]
        trials = [len(arm.on_time) for arm in outcomes]
        next_shares = tuple(float(s) for s in thompson_shares(hits, trials))
    return ExperimentResults(
        arms=[_summary(name, arm) for name, arm in zip(names, outcomes, strict=True)],
        comparisons=comparisons,
        planned_per_arm=planned_per_arm(experiment),
        decidable=experiment.method is not ExperimentMethod.FIXED
        or min(len(arm.on_time) for arm in outcomes) >= planned_per_arm(experiment),
        next_shares=next_shares,
    )


def _summary(name: str, arm: ArmOutcomes) -> ArmSummary:
    n, hits = len(arm.on_time), sum(arm.on_time)
    low, high = wilson_interval(hits, n) if n else (None, None)
    return ArmSummary(
        name=name,
        orders=n,
        on_time_rate=hits / n if n else None,
        on_time_low=low,
        on_time_high=high,
        mean_cost=float(np.mean(arm.cost)) if arm.cost else None,
        mean_transit_days=float(np.mean(arm.transit_days)) if arm.transit_days else None,
    )


def _on_time(
    experiment: Experiment, name: str, a: list[bool], b: list[bool], look_every: int
) -> list[Comparison]:
    if min(len(a), len(b)) < MIN_PER_ARM:
        return []
    alpha = experiment.comparison_alpha
    diff, p_value, low, high = (
        float(v) for v in proportion_test(sum(a), len(a), sum(b), len(b), alpha=alpha)
    )
    if experiment.method is ExperimentMethod.SEQUENTIAL:
        p_value = _always_valid(a, b, look_every, tau=experiment.min_effect)
    return [Comparison(name, "on_time", diff, low, high, p_value, p_value <= alpha)]


def _always_valid(a: list[bool], b: list[bool], look_every: int, *, tau: float) -> float:
    """The running always-valid p-value at the last look over paired prefixes."""
    pairs = min(len(a), len(b))
    looks = np.unique(np.append(np.arange(look_every, pairs + 1, look_every), pairs))
    hits_a = np.cumsum(np.asarray(a[:pairs], dtype=float))[looks - 1]
    hits_b = np.cumsum(np.asarray(b[:pairs], dtype=float))[looks - 1]
    return float(always_valid_p_values(hits_a, hits_b, looks, tau=tau)[-1])


def _welch(
    name: str, metric: str, a: list[float], b: list[float], alpha: float
) -> list[Comparison]:
    if min(len(a), len(b)) < MIN_PER_ARM:
        return []
    va, vb = np.asarray(a), np.asarray(b)
    if va.var(ddof=1) + vb.var(ddof=1) == 0:
        return []  # identical constants: no test to run
    diff, p_value, low, high = (
        float(v)
        for v in welch_test(
            va.mean(), va.var(ddof=1), va.size, vb.mean(), vb.var(ddof=1), vb.size, alpha=alpha
        )
    )
    return [Comparison(name, metric, diff, low, high, p_value, p_value <= alpha)]
