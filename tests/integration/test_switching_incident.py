"""A full incident on the store (SQLite and PostgreSQL): delays build on ePacket's US, DE and FR
lanes, the trigger fires after K evaluations and not before, traffic moves to the backup,
buyers are told in their language, and traffic returns after the recovery hold."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.switching_builders import DAY, HOUR, store_assigned_order, store_shipment
from tests.switching_fakes import RecordingReassigner
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.rules_file import default_rules
from tradelane.notifications.messages import OutboxMessage
from tradelane.services.switch_overrides import selection_overrides
from tradelane.services.switching import EvaluationReport, evaluate_switching
from tradelane.store.tables import assignments, channel_states, shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import normal_delay_hours
from tradelane.switching.overrides import diverts
from tradelane.switching.states import HealthState, SwitchKind

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)  # a quiet week: no peak window is open
CHANNEL = "epacket-cn"
LANES = ("US", "DE", "FR")
STUCK_PER_LANE = 30  # the fewest overdue parcels a lane delay is judged on
YOUNG_PER_LANE = 10  # moving as usual
UNSHIPPED = {"US": [f"U-{i:02d}" for i in range(20)], "DE": [f"D-{i:02d}" for i in range(6)]}
CATALOGUE = default_catalogue()
RULES = default_rules()
# No new parcel reaches the lane here, so its flow leaves the stall window and the hold for a
# lane showing no flow applies.
HOLD = int(RULES.evaluation.silent_recovery_hold_hours)
HOOK = "https://seller.example/hooks/tradelane"
ESCALATED = 16  # hourly evaluations until every lane has failed


def _p90(country: str) -> timedelta:
    lane = CATALOGUE.channel(CHANNEL).lane_for(country)
    assert lane is not None
    return timedelta(days=lane.transit.p90_days)


def _normal_delay(country: str) -> timedelta:
    """How far past p90 a healthy lane's overdue parcels run (its profile, off-peak): the
    lane delay is judged beyond this."""
    lane = CATALOGUE.channel(CHANNEL).lane_for(country)
    assert lane is not None
    p50, p90 = lane.transit.p50_days * 24, lane.transit.p90_days * 24
    return timedelta(hours=float(normal_delay_hours([p50], [p90])[0]))


def _build_incident(uow: UnitOfWork) -> None:
    """Per lane: 30 parcels (the minimum judged) 90.5 h later than a healthy lane's overdue
    parcels at T0 (past p90 and its normal delay), 10 young parcels; one
    parcel in US customs; orders assigned to ePacket but not handed over; a healthy lane
    elsewhere."""
    with uow:
        for country in LANES:
            stuck_since = T0 - _p90(country) - _normal_delay(country) - timedelta(hours=90.5)
            for i in range(STUCK_PER_LANE):
                _parcel(uow, f"LS{country}{i:03d}CN", country, f"{country}-S{i:02d}", stuck_since)
            for i in range(YOUNG_PER_LANE):
                _parcel(uow, f"LY{country}{i:03d}CN", country, f"{country}-Y{i:02d}", T0 - 2 * DAY)
        store_shipment(
            uow,
            "LCUS00001CN",
            CHANNEL,
            order_id="US-C00",
            handed_over_at=T0 - 10 * DAY,
            arrived_destination_at=T0 - 2 * DAY,
            customs_hold_at=T0 - DAY,
        )
        for country, order_ids in UNSHIPPED.items():
            for order_id in order_ids:
                store_assigned_order(uow, order_id, CHANNEL, country=country, at=T0 - DAY)
        for i in range(30):
            at = T0 - 3 * DAY
            store_shipment(uow, f"YUN{i:05d}", "yun-line-cn", handed_over_at=at, **_moving(at))
        uow.commit()


def _moving(at: datetime) -> dict[str, datetime]:
    """Picked up and departed as usual after a hand-over at `at`: the delay is in line haul."""
    return {"picked_up_at": at + 6 * HOUR, "departed_origin_at": at + 20 * HOUR}


def _parcel(uow: UnitOfWork, tracking: str, country: str, order_id: str, at: datetime) -> None:
    store_shipment(
        uow,
        tracking,
        CHANNEL,
        country=country,
        order_id=order_id,
        handed_over_at=at,
        promised_at=at + 20 * DAY,
        **_moving(at),
    )


def _evaluate(uow: UnitOfWork, reassigner: RecordingReassigner, hours: int) -> EvaluationReport:
    return evaluate_switching(
        uow=uow,
        catalogue=CATALOGUE,
        rules=RULES,
        now=T0 + hours * HOUR,
        reassign=reassigner,
        destinations=[HOOK],
    )


def _messages(uow: UnitOfWork) -> list[OutboxMessage]:
    with uow:
        return uow.outbox.messages(limit=100_000)


def _events(uow: UnitOfWork, topic: str) -> list[dict[str, Any]]:
    """The `data` of every outbox message of `topic`; each went to the one webhook."""
    messages = [m for m in _messages(uow) if m.topic == topic]
    assert {m.destination for m in messages} <= {HOOK}
    assert all(m.payload["type"] == topic for m in messages)
    return [m.payload["data"] for m in messages]


def _deliver_stuck_parcels(uow: UnitOfWork, at: datetime) -> None:
    with uow:
        uow.connection.execute(
            update(shipments)
            .where(shipments.c.tracking_number.like("LS%"))
            .values(delivered_at=at, is_active=False, status="delivered")
        )
        uow.commit()


def _lane_rows(uow: UnitOfWork) -> dict[tuple[str, str], tuple[str, int]]:
    with uow:
        rows = uow.connection.execute(select(channel_states)).all()
    return {(r.channel_id, r.country): (r.state, r.breaching_streak) for r in rows}


def _current_primary(uow: UnitOfWork) -> dict[str, str]:
    with uow:
        rows = uow.connection.execute(
            select(assignments.c.order_id, assignments.c.primary_channel_id).where(
                assignments.c.superseded_at.is_(None)
            )
        ).all()
    return dict(rows)


@pytest.fixture
def reassigner() -> RecordingReassigner:
    return RecordingReassigner(backup="yun-line-cn")


def test_trigger_fires_after_k_evaluations_and_not_before(
    uow: UnitOfWork, reassigner: RecordingReassigner
) -> None:
    _build_incident(uow)
    assert RULES.evaluation.enter_after_evaluations == 3
    for hour, streak in ((0, 1), (1, 2)):
        report = _evaluate(uow, reassigner, hour)
        assert report.opened == []
        assert _lane_rows(uow)[(CHANNEL, "US")] == ("healthy", streak)
    third = _evaluate(uow, reassigner, 2)
    assert sorted(r.country or "" for r in third.opened) == sorted(LANES)
    assert {(r.share, r.kind, r.actor) for r in third.opened} == {
        (0.3, SwitchKind.AUTOMATIC, "rule:lane_delay_hours")
    }
    assert _lane_rows(uow)[(CHANNEL, "US")] == ("degraded", 0)
    assert (("yun-line-cn", "US") not in _lane_rows(uow)) and third.states[HealthState.HEALTHY] > 0


def test_partial_switch_moves_the_stable_share_of_unshipped_orders_and_tells_those_buyers(
    uow: UnitOfWork, reassigner: RecordingReassigner
) -> None:
    _build_incident(uow)
    for hour in range(3):
        _evaluate(uow, reassigner, hour)
    diverted = sorted(o for ids in UNSHIPPED.values() for o in ids if diverts(o, 0.3))
    assert reassigner.moved_ids == diverted
    with uow:
        named = {s.country: s.backup_channel_id for s in uow.switches.open_switches()}
    primaries = _current_primary(uow)
    for order_id in diverted:
        country = "US" if order_id.startswith("U-") else "DE"
        assert named[country] not in (None, CHANNEL)
        assert primaries[order_id] == named[country]
    notices = _events(uow, "customer.notice")
    backup_notices = [n for n in notices if n["kind"] == "backup_channel"]
    assert sorted(n["order_id"] for n in backup_notices) == diverted
    for notice in backup_notices:
        country = "US" if notice["order_id"].startswith("U-") else "DE"
        assert notice["language"] == ("en" if country == "US" else "de")
        assert CATALOGUE.channel(str(named[country])).name in notice["body"]


def test_in_flight_buyers_get_a_revised_eta_in_their_language(
    uow: UnitOfWork, reassigner: RecordingReassigner
) -> None:
    _build_incident(uow)
    for hour in range(3):
        _evaluate(uow, reassigner, hour)
    notices = _events(uow, "customer.notice")
    in_flight = [p for p in notices if p["kind"] in ("delay", "customs_hold")]
    counted = Counter((p["country"], p["kind"], p["language"]) for p in in_flight)
    per_lane = STUCK_PER_LANE + YOUNG_PER_LANE
    assert counted == {
        ("US", "delay", "en"): per_lane,
        ("US", "customs_hold", "en"): 1,
        ("DE", "delay", "de"): per_lane,
        ("FR", "delay", "fr"): per_lane,
    }
    german = next(p for p in in_flight if p["country"] == "DE")
    assert german["tracking_number"] in german["body"] and german["eta"] in german["body"]
    assert german["subject"].startswith("Ihr Paket")
    assert all(p["eta"] > (T0 + 2 * HOUR).date().isoformat() for p in in_flight)


def test_full_incident_escalates_recovers_after_the_hold_and_leaves_an_audit_trail(
    uow: UnitOfWork, reassigner: RecordingReassigner
) -> None:
    _build_incident(uow)
    # excess delay from about 90.5 h to 105.5 h (the histogram's 6 h buckets and the normal
    # delay shift it by up to a bucket): degraded, then failed-level for the last evaluations
    for hour in range(ESCALATED):
        _evaluate(uow, reassigner, hour)
    assert _lane_rows(uow)[(CHANNEL, "US")] == ("failed", 0)
    with uow:
        named = {r.backup_channel_id for r in uow.switches.open_switches()}
    assert CHANNEL not in named and None not in named
    assert set(_current_primary(uow).values()) <= named  # every unshipped order moved
    overrides = selection_overrides(uow=uow)
    assert overrides.state(CHANNEL, "US") is HealthState.FAILED
    assert overrides.diversion("NEW-ORDER-1", CHANNEL, "US") is not None  # new orders move
    _deliver_stuck_parcels(uow, T0 + ESCALATED * HOUR)
    for hour in range(ESCALATED, ESCALATED + HOLD):  # clear from then until the hold ends
        _evaluate(uow, reassigner, hour)
        assert _lane_rows(uow)[(CHANNEL, "US")][0] == "recovering"
    closing = _evaluate(uow, reassigner, ESCALATED + HOLD)
    assert len(closing.closed) == len(LANES)
    assert _lane_rows(uow)[(CHANNEL, "US")] == ("healthy", 0)
    returned = selection_overrides(uow=uow)
    assert returned.switches_for(CHANNEL, "US") == ()
    assert returned.diversion("NEW-ORDER-1", CHANNEL, "US") is None  # traffic returns
    _assert_audit_trail(uow)


def _assert_audit_trail(uow: UnitOfWork) -> None:
    with uow:
        rows = sorted(
            uow.switches.history(include_ended=True),
            key=lambda r: (r.started_at, r.country or ""),
        )
    ops = Counter(m.topic for m in _messages(uow) if m.topic.startswith("switch."))
    # degraded from the first reading (opened at the K-th); failed-level once the excess delay
    # passes 96 h, which the 6 h buckets place at a lane's own hour: widened K readings later
    widened = {r.country: r.ended_at for r in rows if r.share == 0.3}
    assert all(T0 + 4 * HOUR <= at <= T0 + ESCALATED * HOUR for at in widened.values() if at)
    expected = [
        (country, 0.3, T0 + 2 * HOUR, widened[country], "rule:escalation", "degraded")
        for country in sorted(LANES)
    ] + [
        (
            country,
            1.0,
            widened[country],
            T0 + (ESCALATED + HOLD) * HOUR,
            "rule:recovery_hold",
            "failed",
        )
        for country in sorted(LANES)
    ]
    expected.sort(key=lambda e: (e[2], e[0]))  # as the rows: by start, then country
    assert len(rows) == len(expected)
    for row, (country, share, started, ended, ended_by, to_state) in zip(
        rows, expected, strict=True
    ):
        scope = (row.channel_id, row.country, row.share, row.kind)
        assert scope == (CHANNEL, country, share, SwitchKind.AUTOMATIC)
        assert (row.started_at, row.ended_at, row.ended_by) == (started, ended, ended_by)
        assert row.actor == "rule:lane_delay_hours"
        assert row.trigger["to_state"] == to_state
        assert row.trigger["consecutive_evaluations"] == RULES.evaluation.enter_after_evaluations
        breach = row.trigger["breaches"][0]
        assert breach["trigger"] == "lane_delay_hours"
        assert breach["threshold"] == (48 if to_state == "degraded" else 96)
        assert breach["value"] >= breach["threshold"]
        assert row.trigger["health"]["overdue"] == STUCK_PER_LANE
        assert row.trigger["ending"]["reason"].startswith(
            "widened to 100%"
            if to_state == "degraded"
            else f"recovered: clear readings for {HOLD:.1f} h"
        )
    assert ops == {"switch.opened": 6, "switch.closed": 6}
