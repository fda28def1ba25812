"""A healthy lane's own overdue delay: what the lane-delay trigger measures the excess over."""

from __future__ import annotations

import numpy as np
import pytest

from tradelane.switching.health import LaneHealth, normal_delay_hours
from tradelane.switching.triggers import Severity, SwitchingRules, assess

TRIGGERS = SwitchingRules().triggers


def steady_flow_overdue_median(p50: float, p90: float, rng: np.random.Generator) -> float:
    """Median delay past p90 of the parcels in flight at one instant, after a long steady
    flow of hand-overs with lognormal transit through (p50, p90)."""
    sigma = np.log(p90 / p50) / 1.2815515655446004
    # hand-overs at a steady rate: the ages of those older than p90 are uniform (the tail
    # beyond 8 x p90 is negligible for these spreads)
    ages = rng.uniform(p90, 8 * p90, size=2_000_000)
    transit = p50 * np.exp(sigma * rng.standard_normal(ages.size))
    overdue = transit > ages  # still in flight
    return float(np.median(ages[overdue] - p90))


@pytest.mark.parametrize(("p50", "p90"), [(96.0, 144.0), (240.0, 384.0), (360.0, 840.0)])
def test_normal_delay_is_the_median_delay_of_a_healthy_steady_flow(p50: float, p90: float) -> None:
    simulated = steady_flow_overdue_median(p50, p90, np.random.default_rng(7))
    computed = float(normal_delay_hours([p50], [p90])[0])
    assert computed == pytest.approx(simulated, rel=0.03)


def test_a_deterministic_profile_has_no_normal_delay() -> None:
    assert normal_delay_hours([120.0, 72.0], [120.0, 60.0]).tolist() == [0.0, 0.0]


def test_slower_spread_lanes_have_longer_normal_delays() -> None:
    narrow, wide = normal_delay_hours([240.0, 240.0], [300.0, 480.0])
    assert 0 < narrow < wide


def lane(delay_p50: float, normal: float, *, taking: bool = True) -> LaneHealth:
    """A lane with the minimum of overdue parcels; `taking`: still handed new parcels (most
    of those in flight younger than its p50), else only its stragglers are left."""
    overdue = TRIGGERS.min_overdue_parcels
    return LaneHealth(
        "epacket-cn",
        "US",
        in_flight=10 * overdue if taking else overdue + 5,
        past_p50=2 * overdue if taking else overdue + 5,
        overdue=overdue,
        delay_p50_hours=delay_p50,
        normal_delay_hours=normal,
        stall_sample=50,
    )


def test_a_slow_lane_running_as_its_profile_does_not_breach_the_48h_lane_delay() -> None:
    p50, p90 = 15 * 24 * 1.4, 25 * 24 * 1.4  # a postal lane in a peak
    normal = float(normal_delay_hours([p50], [p90])[0])
    assert normal > TRIGGERS.lane_delay_hours.degraded  # judged raw, it would breach
    assert not assess(lane(normal, normal), TRIGGERS).breaches
    late = assess(lane(normal + 60, normal), TRIGGERS).breaches
    assert [b.trigger for b in late] == ["lane_delay_hours"]
    assert late[0].value == pytest.approx(60.0)


def test_the_stragglers_of_a_lane_no_longer_taking_parcels_do_not_breach_the_lane_delay() -> None:
    """After its orders end, a lane's in-flight parcels are all past its p50 and the overdue
    ones age on: their delay past the steady-flow normal is no delay of the lane's own."""
    normal = 80.0
    live = assess(lane(normal + 60, normal), TRIGGERS)
    drained = assess(lane(normal + 60, normal, taking=False), TRIGGERS)
    assert [b.trigger for b in live.breaches] == ["lane_delay_hours"]
    assert not drained.breaches
    assert drained.severity is Severity.ELEVATED  # holds recovery, opens nothing
