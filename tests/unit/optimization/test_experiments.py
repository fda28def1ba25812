"""A/B tests of channel mixes: planted effects found, no-effect experiments kept within α."""

from __future__ import annotations

import numpy as np
from scipy import stats

from tradelane.optimization.experiment_arms import arm_of
from tradelane.optimization.experiment_stats import (
    proportion_test,
    sample_size_two_proportions,
    welch_test,
)
from tradelane.optimization.sequential import always_valid_p_values
from tradelane.optimization.thompson import thompson_shares

ALPHA = 0.05
RUNS = 1000


def _band(rate: float, runs: int) -> tuple[float, float]:
    """The central 99.9 % binomial band of a rejection rate over `runs` experiments."""
    low, high = stats.binom.interval(0.999, runs, rate)
    return low / runs, high / runs


def test_arms_are_deterministic_and_split_as_asked() -> None:
    orders = [f"order-{i}" for i in range(20_000)]
    arms = [arm_of("exp-1", order, [0.3, 0.7]) for order in orders]
    assert arms == [arm_of("exp-1", order, [0.3, 0.7]) for order in orders]
    assert abs(arms.count(0) / len(arms) - 0.3) < 0.015
    other = [arm_of("exp-2", order, [0.3, 0.7]) for order in orders]
    assert other != arms


def test_the_proportion_test_recovers_a_planted_effect() -> None:
    n = sample_size_two_proportions(0.80, 0.85, alpha=ALPHA, power=0.8)
    rng = np.random.default_rng(1)
    hits_a, hits_b = rng.binomial(n, 0.80, RUNS), rng.binomial(n, 0.85, RUNS)
    diff, p_value, low, high = proportion_test(hits_a, n, hits_b, n, alpha=ALPHA)
    power = np.mean(p_value < ALPHA)
    low_band, high_band = _band(0.8, RUNS)
    assert low_band <= power <= high_band
    assert abs(np.mean(diff) - 0.05) < 0.003
    assert np.mean((low <= 0.05) & (high >= 0.05)) > 0.93


def test_no_effect_experiments_reject_at_rate_alpha() -> None:
    rng = np.random.default_rng(2)
    n = 2000
    hits_a, hits_b = rng.binomial(n, 0.9, RUNS), rng.binomial(n, 0.9, RUNS)
    _, p_value, _, _ = proportion_test(hits_a, n, hits_b, n, alpha=ALPHA)
    low_band, high_band = _band(ALPHA, RUNS)
    assert low_band <= np.mean(p_value < ALPHA) <= high_band


def test_welch_finds_a_cost_difference_and_not_a_missing_one() -> None:
    rng = np.random.default_rng(3)
    a = rng.gamma(4, 3, (RUNS, 400))
    b_same, b_dearer = rng.gamma(4, 3, (RUNS, 300)), rng.gamma(4, 3, (RUNS, 300)) + 2.0
    summaries = (a.mean(1), a.var(1, ddof=1), 400)
    _, p_same, _, _ = welch_test(
        *summaries, b_same.mean(1), b_same.var(1, ddof=1), 300, alpha=ALPHA
    )
    diff, p_dearer, low, high = welch_test(
        *summaries, b_dearer.mean(1), b_dearer.var(1, ddof=1), 300, alpha=ALPHA
    )
    low_band, high_band = _band(ALPHA, RUNS)
    assert low_band <= np.mean(p_same < ALPHA) <= high_band
    assert np.mean(p_dearer < ALPHA) > 0.9
    assert np.mean((low <= 2.0) & (high >= 2.0)) > 0.93
    assert abs(np.mean(diff) - 2.0) < 0.1


def test_peeking_with_always_valid_p_values_keeps_false_positives_within_alpha() -> None:
    rng = np.random.default_rng(4)
    looks = np.arange(100, 5001, 100)
    outcomes_a = rng.random((RUNS, looks[-1])) < 0.85
    outcomes_b = rng.random((RUNS, looks[-1])) < 0.85
    hits_a = np.cumsum(outcomes_a, axis=1)[:, looks - 1]
    hits_b = np.cumsum(outcomes_b, axis=1)[:, looks - 1]
    p_values = always_valid_p_values(hits_a, hits_b, looks, tau=0.05)
    _, high_band = _band(ALPHA, RUNS)
    assert np.mean(p_values[:, -1] < ALPHA) <= high_band
    _, naive, _, _ = proportion_test(hits_a, looks, hits_b, looks, alpha=ALPHA)
    assert np.mean(np.any(naive < ALPHA, axis=1)) > high_band  # peeking at fixed-horizon tests


def test_always_valid_p_values_recover_a_planted_effect() -> None:
    rng = np.random.default_rng(5)
    looks = np.arange(100, 5001, 100)
    hits_a = np.cumsum(rng.random((200, looks[-1])) < 0.80, axis=1)[:, looks - 1]
    hits_b = np.cumsum(rng.random((200, looks[-1])) < 0.86, axis=1)[:, looks - 1]
    p_values = always_valid_p_values(hits_a, hits_b, looks, tau=0.05)
    assert np.mean(p_values[:, -1] < ALPHA) > 0.9


def test_thompson_sampling_shifts_share_to_the_better_arm() -> None:
    rng = np.random.default_rng(6)
    rates, hits, trials = np.array([0.80, 0.88]), np.zeros(2, int), np.zeros(2, int)
    shares = np.array([0.5, 0.5])
    for _ in range(30):
        orders = rng.multinomial(200, shares)
        hits += rng.binomial(orders, rates)
        trials += orders
        shares = thompson_shares(hits, trials)
    assert shares[1] > 0.9
    assert shares[0] >= 0.05 / (1 + 0.05) - 1e-9
