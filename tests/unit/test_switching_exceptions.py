"""The exception share is judged against the other lanes of the same reading."""

from __future__ import annotations

from tradelane.switching.health import LaneFigures, lane_health
from tradelane.switching.triggers import Severity, Triggers, assess


def exception_reading(exceptions: int, in_flight: int, *, network: tuple[int, int]) -> Severity:
    """Severity of a lane with `exceptions` of `in_flight` when every lane of the reading
    together has network = (exceptions, in flight), this lane included."""
    figures = LaneFigures(
        "ups-saver-cn",
        "DE",
        in_flight=in_flight,
        exceptions=exceptions,
        network_exceptions=network[0],
        network_in_flight=network[1],
    )
    return assess(lane_health(figures), Triggers()).severity


def test_a_lane_with_the_networks_usual_incident_share_is_not_degraded() -> None:
    # 9 % of its parcels carry an exception scan, over the 5 % level, as on every other lane
    assert exception_reading(18, 200, network=(900, 10_000)) < Severity.DEGRADED


def test_a_lane_far_above_its_peers_is_graded_on_the_rules_levels() -> None:
    # 30 % against the others' 9 %: surprising, and over the failed level (15 %)
    assert exception_reading(60, 200, network=(60 + 882, 200 + 9_800)) == Severity.FAILED


def test_a_lane_judged_alone_keeps_the_plain_share() -> None:
    # no other lane in the reading to compare with: graded as it is
    assert exception_reading(18, 200, network=(18, 200)) == Severity.DEGRADED
