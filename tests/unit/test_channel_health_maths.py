"""Channel-health maths over aggregated figures (pure)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tradelane.files.catalogue_file import default_catalogue
from tradelane.switching.health import (
    DELAY_BUCKET_HOURS,
    DELAY_BUCKETS,
    LaneFigures,
    delay_bucket,
    lane_health,
    lane_profiles,
    quantile_from_histogram,
)
from tradelane.switching.peak_settings import PeakSettings
from tradelane.switching.peaks import peak_calendar


def _histogram(values: list[float]) -> list[int]:
    counts = [0] * DELAY_BUCKETS
    for value in values:
        counts[delay_bucket(value)] += 1
    return counts


@given(
    st.lists(st.floats(min_value=0, max_value=300), min_size=1, max_size=300),
    st.sampled_from([0.5, 0.9, 0.1, 1.0]),
)
def test_histogram_quantile_lies_within_one_bucket_of_the_exact_one(
    values: list[float], q: float
) -> None:
    exact = sorted(values)[max(1, math.ceil(q * len(values))) - 1]  # nearest rank
    estimate = quantile_from_histogram(_histogram(values), q)
    assert abs(estimate - exact) <= DELAY_BUCKET_HOURS


def test_no_values_give_a_zero_quantile() -> None:
    assert quantile_from_histogram([0] * DELAY_BUCKETS, 0.5) == 0.0


def test_lane_health_turns_counts_into_rates_and_means() -> None:
    figures = LaneFigures(
        "epacket-cn",
        "US",
        in_flight=200,
        past_p50=80,
        overdue_histogram=tuple(_histogram([50.0] * 30 + [100.0] * 10)),
        unshipped=300,
        picked_not_departed=100,
        arrived=40,
        clearance_hours_total=2400.0,
        in_customs=5,
        exceptions=14,
        handed_over_24h=900,
        channel_backlog=2000,
        channel_handed_over_24h=4000,
        daily_capacity=8000,
    )
    health = lane_health(figures)
    assert health.overdue == 40
    assert 48 <= health.delay_p50_hours < 54  # the bucket of 50 h
    assert 96 <= health.delay_p90_hours < 102  # the bucket of 100 h
    assert health.backlog_parcels == 400
    assert health.backlog_capacity_hours == 6.0  # 2,000 parcels of 8,000 a day
    assert health.clearance_hours == 60.0
    assert health.exception_rate == 0.07
    assert health.capacity_used == 0.5


def test_an_empty_lane_is_all_zeros() -> None:
    health = lane_health(LaneFigures("epacket-cn", "US"))
    assert (health.delay_p50_hours, health.exception_rate, health.clearance_hours) == (0, 0, 0)


def test_lane_profiles_stretch_transit_by_the_peak_uplift_only_during_a_peak() -> None:
    catalogue = default_catalogue()
    lane = catalogue.channel("epacket-cn").lane_for("US")
    assert lane is not None
    quiet = lane_profiles(catalogue)[("epacket-cn", "US")]
    assert quiet.p90_hours == lane.transit.p90_days * 24
    black_friday = [e for e in peak_calendar(2026, PeakSettings()) if e.kind == "black_friday"]
    peak = lane_profiles(catalogue, active_peaks=black_friday)[("epacket-cn", "US")]
    assert peak.p90_hours == quiet.p90_hours * (1 + lane.transit.peak_uplift_pct / 100)
