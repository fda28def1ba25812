"""Each deviation rule of the strategy, evaluated on one shipment's milestone times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.builders import NOW
from tradelane.domain.shipments import MILESTONE_RANK, Milestone
from tradelane.monitoring.plan import breached_rules
from tradelane.monitoring.rules import MilestoneTimes, RuleId, is_breached, rule, tells_buyer
from tradelane.monitoring.thresholds import MonitoringConfig

H = timedelta(hours=1)
D = timedelta(days=1)
T = NOW - 30 * D
CONFIG = MonitoringConfig()
RANK = {m: MILESTONE_RANK[m] for m in Milestone}


def _breaches(times: MilestoneTimes, at: datetime) -> frozenset[RuleId]:
    return breached_rules(times, channel_id="any", country="US", plan=CONFIG, now=at)


def test_no_departure_48h_after_pickup_opens_alert() -> None:
    picked = MilestoneTimes(status_rank=RANK[Milestone.PICKED_UP], picked_up_at=T, last_event_at=T)
    assert _breaches(picked, T + 48 * H - timedelta(microseconds=1)) == frozenset()
    assert _breaches(picked, T + 48 * H) == {RuleId.NO_DEPARTURE}


def test_departure_or_any_later_milestone_clears_no_departure() -> None:
    for later in ("departed_origin_at", "arrived_destination_at", "delivered_at"):
        times = MilestoneTimes(
            status_rank=2, picked_up_at=T, last_event_at=T + 4 * D, **{later: T + 3 * D}
        )
        assert RuleId.NO_DEPARTURE not in _breaches(times, T + 4 * D), later


def test_no_arrival_in_destination_7_days_after_departure_opens_alert() -> None:
    departed = MilestoneTimes(
        status_rank=RANK[Milestone.DEPARTED_ORIGIN],
        picked_up_at=T,
        departed_origin_at=T + D,
        last_event_at=T + 7 * D,
    )
    assert _breaches(departed, T + 8 * D - H) == frozenset()
    assert _breaches(departed, T + 8 * D) == {RuleId.NO_ARRIVAL}


def test_customs_hold_over_72h_opens_alert_until_cleared() -> None:
    held = MilestoneTimes(
        status_rank=RANK[Milestone.CUSTOMS_HOLD],
        departed_origin_at=T,
        arrived_destination_at=T + D,
        customs_hold_at=T + 2 * D,
        last_event_at=T + 2 * D,
    )
    assert _breaches(held, T + 5 * D - H) == frozenset()
    assert _breaches(held, T + 5 * D) == {RuleId.CUSTOMS_HOLD}
    cleared = MilestoneTimes(**{**_fields(held), "customs_cleared_at": T + 5 * D + H})
    assert RuleId.CUSTOMS_HOLD not in _breaches(cleared, T + 6 * D)


def test_a_second_customs_hold_after_a_clearance_counts_again() -> None:
    rehold = MilestoneTimes(
        status_rank=RANK[Milestone.CUSTOMS_HOLD],
        customs_cleared_at=T,
        customs_hold_at=T + D,
        last_event_at=T + 3 * D,
    )
    assert RuleId.CUSTOMS_HOLD in _breaches(rehold, T + 4 * D)


def test_five_days_without_any_event_in_transit_opens_alert() -> None:
    quiet = MilestoneTimes(
        status_rank=RANK[Milestone.DEPARTED_ORIGIN], departed_origin_at=T, last_event_at=T + D
    )
    assert _breaches(quiet, T + 6 * D - H) == frozenset()
    assert _breaches(quiet, T + 6 * D) == {RuleId.NO_EVENT_IN_TRANSIT}


def test_silence_before_pickup_or_after_a_final_outcome_is_not_in_transit() -> None:
    label_only = MilestoneTimes(status_rank=RANK[Milestone.INFO_RECEIVED], last_event_at=T)
    returned = MilestoneTimes(status_rank=RANK[Milestone.RETURNED], last_event_at=T)
    assert RuleId.NO_EVENT_IN_TRANSIT not in _breaches(label_only, NOW)
    assert RuleId.NO_EVENT_IN_TRANSIT not in _breaches(returned, NOW)


def test_promise_passing_undelivered_opens_late_delivery_until_delivered() -> None:
    out = MilestoneTimes(
        status_rank=RANK[Milestone.OUT_FOR_DELIVERY],
        out_for_delivery_at=T + 2 * D,
        last_event_at=T + 2 * D,
        promised_at=T + 3 * D,
    )
    assert _breaches(out, T + 3 * D - timedelta(seconds=1)) == frozenset()
    assert _breaches(out, T + 3 * D) == {RuleId.LATE_DELIVERY}
    delivered = MilestoneTimes(**{**_fields(out), "delivered_at": T + 3 * D + H, "status_rank": 9})
    assert _breaches(delivered, T + 4 * D) == frozenset()


def test_a_switched_off_rule_never_breaches() -> None:
    picked = MilestoneTimes(status_rank=1, picked_up_at=T)
    assert not is_breached(rule(RuleId.NO_DEPARTURE), picked, window=None, now=NOW)


@pytest.mark.parametrize("rule_id", list(RuleId))
def test_no_rule_breaches_without_its_anchor(rule_id: RuleId) -> None:
    anchorless = MilestoneTimes(status_rank=3, last_event_at=None)
    assert not is_breached(rule(rule_id), anchorless, window=timedelta(0), now=NOW)


def _fields(times: MilestoneTimes) -> dict[str, object]:
    return {name: getattr(times, name) for name in times.__slots__}


@pytest.mark.parametrize(
    ("rule_id", "eta_past_promise", "told"),
    [
        ("no_departure", True, True),
        ("no_arrival", True, True),
        ("customs_hold", True, True),
        ("no_event_in_transit", True, True),
        ("late_delivery", True, True),
        ("no_departure", False, False),
        ("promise_at_risk", True, False),
    ],
)
def test_only_a_deviation_from_the_lane_with_the_eta_past_the_promise_tells_the_buyer(
    rule_id: str, eta_past_promise: bool, told: bool
) -> None:
    assert tells_buyer(rule_id, eta_past_promise=eta_past_promise) is told
