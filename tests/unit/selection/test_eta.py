"""On-time probability and expected lateness from a lane's p50/p90, season aware."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradelane.domain.catalog import TransitProfile
from tradelane.selection.eta import eta_quote, expected_lateness_days, on_time_probability


def test_the_median_is_met_half_the_time_and_p90_ninety_percent() -> None:
    assert on_time_probability(10.0, 16.0, 10) == pytest.approx(0.5)
    assert on_time_probability(10.0, 16.0, 16) == pytest.approx(0.9)


def test_a_longer_promise_is_more_likely_met() -> None:
    assert on_time_probability(10.0, 16.0, 8) < on_time_probability(10.0, 16.0, 12)


def test_a_deterministic_profile_is_all_or_nothing() -> None:
    assert on_time_probability(5.0, 5.0, 5) == 1.0
    assert on_time_probability(5.0, 5.0, 4) == 0.0
    assert expected_lateness_days(5.0, 5.0, 3) == 2.0


def test_peak_uplift_stretches_transit_and_lowers_the_on_time_chance() -> None:
    lane = TransitProfile(p50_days=10, p90_days=16, peak_uplift_pct=40)
    calm, peak = eta_quote(lane, 14, peak=False), eta_quote(lane, 14, peak=True)
    assert peak.p50_days == pytest.approx(14.0) and peak.p90_days == pytest.approx(22.4)
    assert peak.on_time_probability < calm.on_time_probability
    assert peak.expected_late_days > calm.expected_late_days


def test_expected_lateness_matches_a_simulation_of_the_fitted_lognormal() -> None:
    mu, sigma = math.log(10.0), (math.log(16.0) - math.log(10.0)) / 1.2815515655446004
    transit = np.random.default_rng(7).lognormal(mu, sigma, size=400_000)
    simulated = float(np.maximum(transit - 12.0, 0).mean())
    assert expected_lateness_days(10.0, 16.0, 12) == pytest.approx(simulated, rel=0.02)
    on_time = float((transit <= 12.0).mean())
    assert on_time_probability(10.0, 16.0, 12) == pytest.approx(on_time, abs=0.003)
