"""Experiment results from per-order outcomes: a planted effect is recovered, and over 1,000
simulated no-effect experiments the false-positive rate stays inside α's binomial band."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats

from tradelane.optimization.experiment_design import Arm, Experiment, ExperimentMethod
from tradelane.optimization.experiment_results import (
    ArmOutcomes,
    experiment_results,
    planned_per_arm,
)

START = datetime(2026, 12, 1, tzinfo=UTC)
RUNS = 1000


def an_experiment(
    method: ExperimentMethod = ExperimentMethod.FIXED, **fields: object
) -> Experiment:
    arms = (
        Arm(name="control", channels=("ups-saver-cn",)),
        Arm(name="test", channels=("dhl-express-cn",)),
    )
    return Experiment.model_validate(
        {"id": "exp-1", "arms": arms, "method": method, "started_at": START, **fields}
    )


def simulated(rng: np.random.Generator, n: int, on_time: float, cost: float) -> ArmOutcomes:
    return ArmOutcomes(
        on_time=list(rng.random(n) < on_time),
        cost=list(rng.gamma(4.0, cost / 4.0, n)),
        transit_days=list(rng.gamma(6.0, 1.0, n)),
    )


def band(rate: float, runs: int = RUNS) -> tuple[float, float]:
    low, high = stats.binom.interval(0.999, runs, rate)
    return low / runs, high / runs


def test_the_plan_is_the_two_proportion_sample_size() -> None:
    experiment = an_experiment(baseline_on_time=0.80, min_effect=0.05)
    z_alpha, z_beta = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    root = z_alpha * (2 * 0.825 * 0.175) ** 0.5 + z_beta * (0.8 * 0.2 + 0.85 * 0.15) ** 0.5
    assert planned_per_arm(experiment) == 906 == int(np.ceil(root**2 / 0.05**2))
    assert experiment.arm_of("order-1", START - timedelta(seconds=1)) is None


@pytest.mark.parametrize("method", [ExperimentMethod.FIXED, ExperimentMethod.SEQUENTIAL])
def test_a_planted_effect_is_recovered_with_intervals_that_hold_it(
    method: ExperimentMethod,
) -> None:
    experiment = an_experiment(method, baseline_on_time=0.80, min_effect=0.08)
    rng = np.random.default_rng(11)
    n = 2 * planned_per_arm(experiment)
    results = experiment_results(
        experiment, [simulated(rng, n, 0.80, 10.0), simulated(rng, n, 0.90, 12.0)]
    )
    found = {c.metric: c for c in results.comparisons}
    assert found["on_time"].significant and found["cost"].significant
    assert found["on_time"].low < 0.10 < found["on_time"].high
    assert found["cost"].low < 2.0 < found["cost"].high
    assert not found["transit_days"].significant or found["transit_days"].p_value > 0.001
    assert results.decidable
    control, test = results.arms
    assert control.on_time_low is not None and control.on_time_high is not None
    assert control.on_time_low < 0.80 < control.on_time_high and test.orders == n


@pytest.mark.parametrize("method", [ExperimentMethod.FIXED, ExperimentMethod.SEQUENTIAL])
def test_no_effect_experiments_keep_false_positives_inside_the_alpha_band(
    method: ExperimentMethod,
) -> None:
    experiment = an_experiment(method)
    rng = np.random.default_rng(12)
    flagged = {"on_time": 0, "cost": 0, "transit_days": 0}
    for _ in range(RUNS):
        results = experiment_results(
            experiment, [simulated(rng, 400, 0.85, 10.0), simulated(rng, 400, 0.85, 10.0)]
        )
        for comparison in results.comparisons:
            flagged[comparison.metric] += comparison.significant
    low, high = band(experiment.alpha)
    rates = {metric: n / RUNS for metric, n in flagged.items()}
    if method is ExperimentMethod.FIXED:
        assert all(low <= rate <= high for rate in rates.values()), rates
    else:  # always valid: at most α, usually well below it
        assert rates["on_time"] <= high, rates


def test_thompson_mode_moves_share_to_the_arm_that_keeps_more_promises() -> None:
    rng = np.random.default_rng(13)
    results = experiment_results(
        an_experiment(ExperimentMethod.THOMPSON),
        [simulated(rng, 300, 0.80, 10.0), simulated(rng, 300, 0.90, 10.0)],
    )
    assert results.next_shares is not None and results.next_shares[1] > 0.9


def test_a_fixed_experiment_is_not_decidable_before_its_plan() -> None:
    rng = np.random.default_rng(14)
    results = experiment_results(
        an_experiment(), [simulated(rng, 50, 0.85, 10.0), simulated(rng, 50, 0.85, 10.0)]
    )
    assert not results.decidable
