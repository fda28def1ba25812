"""Advisories: each kind names its one scope, hits the lanes its rule says, and turns into a
decisive breach whose cause is its scope (pure: no store, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from tradelane.domain.advisories import Advisory, lanes_hit
from tradelane.domain.catalog import Catalogue
from tradelane.files.catalogue_file import default_catalogue
from tradelane.switching.advisories import advised_lanes, advisory_causes
from tradelane.switching.health import LaneHealth
from tradelane.switching.policy import LaneStatus, decide
from tradelane.switching.states import ActiveSwitch, HealthState
from tradelane.switching.triggers import Evaluation, Severity, SwitchingRules

T0 = datetime(2026, 9, 14, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)
CATALOGUE: Catalogue = default_catalogue()
RULES = SwitchingRules(evaluation=Evaluation(recovery_hold_hours=24))


def an_advisory(**fields: Any) -> Advisory:
    document: dict[str, Any] = {
        "id": "mx-1",
        "kind": "port_congestion",
        "port": "US-LGB",
        "severity": 0.7,
        "starts_at": T0,
        "source": "Marine Exchange",
    }
    return Advisory.model_validate({**document, **fields})


def test_each_kind_needs_its_own_scope() -> None:
    with pytest.raises(ValidationError, match="port_congestion needs port"):
        an_advisory(port=None, carrier="ups")
    with pytest.raises(ValidationError, match="takes only carrier, not port"):
        an_advisory(kind="carrier_outage", carrier="ups")
    assert an_advisory(kind="carrier_outage", port=None, carrier="ups").scope == ("carrier", "ups")


def test_an_advisory_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="before starts_at"):
        an_advisory(ends_at=T0 - HOUR)


def test_an_advisory_is_active_from_its_start_until_its_end() -> None:
    advisory = an_advisory(ends_at=T0 + 24 * HOUR)
    assert [advisory.active(T0 + h * HOUR) for h in (-1, 0, 23, 24)] == [
        False,
        True,
        True,
        False,
    ]
    assert an_advisory().active(T0 + 1000 * HOUR)


def test_port_congestion_hits_the_lanes_clearing_there_and_no_warehouse() -> None:
    assert lanes_hit(an_advisory(), CATALOGUE) == {("cn-us-fastsea", "US")}
    liege = lanes_hit(an_advisory(kind="customs_slowdown", port="LGG"), CATALOGUE)
    assert {channel for channel, _ in liege} == {"cn-eu-air-line", "cainiao-standard"}
    assert ("cainiao-standard", "DE") in liege
    assert ("cainiao-standard", "US") not in liege  # its US lanes clear at ORD


def test_carrier_air_type_and_channel_advisories_hit_every_lane_of_their_channels() -> None:
    ups = lanes_hit(an_advisory(kind="carrier_outage", port=None, carrier="ups"), CATALOGUE)
    assert {channel for channel, _ in ups} == {
        c.id for c in CATALOGUE.channels if c.carrier == "ups"
    }
    belly = an_advisory(kind="flight_cancellations", port=None, air_type="passenger_belly")
    assert {channel for channel, _ in lanes_hit(belly, CATALOGUE)} == {
        c.id for c in CATALOGUE.channels if c.air_type == "passenger_belly"
    }
    warehouse = an_advisory(kind="warehouse_overload", port=None, channel="wh-duisburg")
    lanes = CATALOGUE.channel("wh-duisburg").lanes
    assert lanes_hit(warehouse, CATALOGUE) == {("wh-duisburg", lane.country) for lane in lanes}


def test_an_advisorys_cause_is_its_scope_and_excludes_every_channel_it_hits() -> None:
    advisory = an_advisory(kind="customs_slowdown", port="LGG")
    advised = advised_lanes([advisory], CATALOGUE)
    causes = advisory_causes(advised, CATALOGUE)
    hit = lanes_hit(advisory, CATALOGUE)
    assert set(causes) == hit
    cause = next(iter(causes.values()))
    assert (cause.kind, cause.value) == ("clearance_port", "LGG")
    assert cause.channels == {channel for channel, _ in hit}
    assert "announced by Marine Exchange (mx-1)" in cause.describe()


def quiet() -> LaneHealth:
    """A lane reading with nothing wrong and its parcels flowing."""
    return LaneHealth("cn-us-fastsea", "US", stall_sample=50, stalled_at_origin=0)


def test_a_severe_advisory_fails_a_healthy_lane_at_the_first_evaluation() -> None:
    decision = decide(quiet(), LaneStatus(), RULES, now=T0, advisories=[an_advisory()])
    assert decision.status.state is HealthState.FAILED
    assert decision.opening is not None
    assert decision.opening.share == RULES.evaluation.full_share
    assert decision.opening.actor == "rule:advisory"
    assert "[Marine Exchange, advisory mx-1]" in decision.opening.reason


def test_a_mild_advisory_degrades_the_lane_with_a_partial_switch() -> None:
    mild = an_advisory(severity=0.3)
    decision = decide(quiet(), LaneStatus(), RULES, now=T0, advisories=[mild])
    assert decision.assessment.severity is Severity.DEGRADED
    assert decision.opening is not None
    assert decision.opening.share == RULES.evaluation.partial_share


def test_after_the_advisory_ends_the_lane_recovers_only_through_the_hold() -> None:
    first = decide(quiet(), LaneStatus(), RULES, now=T0, advisories=[an_advisory()])
    switch = ActiveSwitch(1, "cn-us-fastsea", "US", 1.0)
    status, closed_at = first.status, None
    for hour in range(1, 40):
        step = decide(quiet(), status, RULES, now=T0 + hour * HOUR, switch=switch)
        status = step.status
        if step.closing is not None:
            closed_at = hour
            break
    assert closed_at == 1 + RULES.evaluation.recovery_hold_hours
    assert status.state is HealthState.HEALTHY
