"""The sweep opens and auto-resolves alerts on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments, update_shipment
from tradelane.monitoring.alerts import AlertState, Resolution
from tradelane.monitoring.rules import RuleId
from tradelane.monitoring.thresholds import MonitoringConfig, ThresholdOverride, Thresholds
from tradelane.services.alerts import acknowledge_alert, list_alerts, resolve_alert
from tradelane.services.sweep import sweep
from tradelane.store.tables import alerts
from tradelane.store.uow import UnitOfWork

T = NOW - timedelta(days=20)  # pickup time of the scenarios
H = timedelta(hours=1)
D = timedelta(days=1)
DEFAULTS = MonitoringConfig()
ALL_STATES = (AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.RESOLVED)


@dataclass(frozen=True)
class Scenario:
    """A shipment that breaks `rule` exactly at `breaks_at`, and what ingestion records later."""

    rule: RuleId
    row: dict[str, Any]
    breaks_at: datetime
    recovery: dict[str, Any]


SCENARIOS = [
    Scenario(
        RuleId.NO_DEPARTURE,
        a_shipment_row(picked_up_at=T, promised_at=T + 30 * D),
        T + 48 * H,
        {"departed_origin_at": T + 50 * H, "last_event_at": T + 50 * H, "status_rank": 2},
    ),
    Scenario(
        RuleId.NO_ARRIVAL,
        a_shipment_row(
            picked_up_at=T,
            departed_origin_at=T + D,
            last_event_at=T + 7 * D,
            promised_at=T + 30 * D,
        ),
        T + 8 * D,
        {"arrived_destination_at": T + 8 * D + 2 * H, "last_event_at": T + 8 * D + 2 * H},
    ),
    Scenario(
        RuleId.CUSTOMS_HOLD,
        a_shipment_row(
            picked_up_at=T,
            departed_origin_at=T + D,
            arrived_destination_at=T + 4 * D,
            customs_hold_at=T + 5 * D,
            promised_at=T + 30 * D,
        ),
        T + 8 * D,
        {"customs_cleared_at": T + 8 * D + H, "last_event_at": T + 8 * D + H, "status_rank": 5},
    ),
    Scenario(
        RuleId.NO_EVENT_IN_TRANSIT,
        a_shipment_row(picked_up_at=T, departed_origin_at=T + D, promised_at=T + 30 * D),
        T + 6 * D,
        {"last_event_at": T + 6 * D + H},
    ),
    Scenario(
        RuleId.LATE_DELIVERY,
        a_shipment_row(
            picked_up_at=T,
            departed_origin_at=T + D,
            arrived_destination_at=T + 2 * D,
            out_for_delivery_at=T + 2 * D + 5 * H,
            promised_at=T + 3 * D,
        ),
        T + 3 * D,
        {"delivered_at": T + 3 * D + 5 * H, "status_rank": 9, "is_active": False},
    ),
]


def _alerts(uow: UnitOfWork) -> list[tuple[RuleId, AlertState, Resolution | None]]:
    found = list_alerts(uow=uow, states=ALL_STATES)
    return sorted((a.rule, a.state, a.resolution) for a in found)


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda s: s.rule.value)
def test_each_rule_opens_when_its_window_ends_and_auto_resolves_on_the_milestone(
    engine: Engine, uow: UnitOfWork, case: Scenario
) -> None:
    [shipment] = insert_shipments(engine, case.row)
    early = sweep(DEFAULTS, uow=uow, now=case.breaks_at - timedelta(seconds=1))
    assert early.opened_total == 0

    opened = sweep(DEFAULTS, uow=uow, now=case.breaks_at)
    assert opened.opened == {r: int(r is case.rule) for r in RuleId}
    assert _alerts(uow) == [(case.rule, AlertState.OPEN, None)]

    update_shipment(engine, shipment, **case.recovery)
    cleared = sweep(DEFAULTS, uow=uow, now=case.breaks_at + D)
    assert cleared.resolved == {r: int(r is case.rule) for r in RuleId}
    assert _alerts(uow) == [(case.rule, AlertState.RESOLVED, Resolution.CLEARED)]


def test_no_departure_48h_after_pickup_opens_alert_naming_the_window(
    engine: Engine, uow: UnitOfWork
) -> None:
    insert_shipments(engine, a_shipment_row("LATE-PICKUP", picked_up_at=T))
    report = sweep(DEFAULTS, uow=uow, now=T + 48 * H)
    [alert] = report.new_alerts
    assert (alert.tracking_number, alert.rule) == ("LATE-PICKUP", RuleId.NO_DEPARTURE)
    assert alert.detail["window_hours"] == 48
    assert "departure" in alert.detail["summary"]


def test_a_second_sweep_opens_nothing_new(engine: Engine, uow: UnitOfWork) -> None:
    insert_shipments(engine, *(case.row for case in SCENARIOS))
    first = sweep(DEFAULTS, uow=uow, now=NOW)
    again = sweep(DEFAULTS, uow=uow, now=NOW)
    later = sweep(DEFAULTS, uow=uow, now=NOW + D)
    assert first.opened_total >= len(SCENARIOS)
    assert again.opened_total == later.opened_total == 0
    with engine.connect() as connection:
        per_pair = connection.execute(
            select(alerts.c.shipment_id, alerts.c.rule, func.count()).group_by(
                alerts.c.shipment_id, alerts.c.rule
            )
        ).all()
    assert len(per_pair) == first.opened_total
    assert {n for *_, n in per_pair} == {1}


def test_acknowledged_alert_still_auto_resolves(engine: Engine, uow: UnitOfWork) -> None:
    case = SCENARIOS[0]
    [shipment] = insert_shipments(engine, case.row)
    [alert] = sweep(DEFAULTS, uow=uow, now=case.breaks_at).new_alerts
    acknowledge_alert(alert.id, uow=uow, now=case.breaks_at + H)
    update_shipment(engine, shipment, **case.recovery)
    report = sweep(DEFAULTS, uow=uow, now=case.breaks_at + 3 * H)
    assert report.resolved_total == 1
    with uow:
        final = uow.alerts.get(alert.id)
    assert (final.state, final.resolution) == (AlertState.RESOLVED, Resolution.CLEARED)
    assert final.acknowledged_at == case.breaks_at + H


def test_a_hand_resolved_alert_reopens_while_the_shipment_still_breaches(
    engine: Engine, uow: UnitOfWork
) -> None:
    case = SCENARIOS[0]
    insert_shipments(engine, case.row)
    [alert] = sweep(DEFAULTS, uow=uow, now=case.breaks_at).new_alerts
    resolve_alert(alert.id, uow=uow, now=case.breaks_at + H)
    report = sweep(DEFAULTS, uow=uow, now=case.breaks_at + 2 * H)
    assert report.opened == {r: int(r is RuleId.NO_DEPARTURE) for r in RuleId}
    assert _alerts(uow) == [
        (RuleId.NO_DEPARTURE, AlertState.OPEN, None),
        (RuleId.NO_DEPARTURE, AlertState.RESOLVED, Resolution.MANUAL),
    ]


def test_inactive_shipments_open_no_alerts(engine: Engine, uow: UnitOfWork) -> None:
    insert_shipments(engine, a_shipment_row(picked_up_at=T, is_active=False))
    assert sweep(DEFAULTS, uow=uow, now=NOW).opened_total == 0


def test_windows_follow_channel_and_lane_overrides(engine: Engine, uow: UnitOfWork) -> None:
    config = MonitoringConfig(
        defaults=Thresholds(no_departure_hours=48),
        overrides=(
            ThresholdOverride(channel_id="fast-air", no_departure_hours=24),
            ThresholdOverride(channel_id="fast-air", country="DE", no_departure_hours=36),
            ThresholdOverride(country="BR", disabled=frozenset({RuleId.NO_DEPARTURE})),
        ),
    )
    rows = {
        "air-us": a_shipment_row(channel_id="fast-air", destination_country="US", picked_up_at=T),
        "air-de": a_shipment_row(channel_id="fast-air", destination_country="DE", picked_up_at=T),
        "line-us": a_shipment_row(channel_id="slow-line", destination_country="US", picked_up_at=T),
        "air-br": a_shipment_row(channel_id="fast-air", destination_country="BR", picked_up_at=T),
        "no-channel": a_shipment_row(channel_id=None, destination_country=None, picked_up_at=T),
    }
    ids = dict(zip(rows, insert_shipments(engine, *rows.values()), strict=True))
    names = {shipment_id: name for name, shipment_id in ids.items()}

    def opened_at(hours: int) -> set[str]:
        report = sweep(config, uow=uow, now=T + hours * H)
        return {names[a.shipment_id] for a in report.new_alerts if a.rule is RuleId.NO_DEPARTURE}

    assert opened_at(23) == set()
    assert opened_at(24) == {"air-us"}
    assert opened_at(36) == {"air-de"}
    assert opened_at(48) == {"line-us", "no-channel"}
    assert opened_at(500) == set()  # BR switched off for fast-air's BR lane too


def test_opened_and_resolved_alerts_are_queued_for_every_webhook(
    engine: Engine, uow: UnitOfWork
) -> None:
    case = SCENARIOS[0]
    [shipment] = insert_shipments(engine, case.row)
    hooks = ["https://a.example/hook", "https://b.example/hook"]
    opened = sweep(DEFAULTS, uow=uow, now=case.breaks_at, destinations=hooks)
    update_shipment(engine, shipment, **case.recovery)
    resolved = sweep(DEFAULTS, uow=uow, now=case.breaks_at + D, destinations=hooks)
    assert (opened.messages, resolved.messages) == (2, 2)
    with uow:
        messages = uow.outbox.messages()
    assert [(m.topic, m.destination) for m in messages] == [
        ("alert.opened", hooks[0]),
        ("alert.opened", hooks[1]),
        ("alert.resolved", hooks[0]),
        ("alert.resolved", hooks[1]),
    ]
    body = messages[2].payload
    assert body["type"] == "alert.resolved"
    assert datetime.fromisoformat(body["timestamp"]) == case.breaks_at + D
    assert body["data"]["tracking_number"] == case.row["tracking_number"]
    assert body["data"]["rule"] == "no_departure"
    assert (body["data"]["state"], body["data"]["resolution"]) == ("resolved", "cleared")
    assert body["data"]["shipment_id"] == shipment


def test_a_lost_parcel_loses_its_silence_alert(engine: Engine, uow: UnitOfWork) -> None:
    [shipment] = insert_shipments(
        engine,
        a_shipment_row(
            picked_up_at=T,
            departed_origin_at=T + D,
            arrived_destination_at=T + 2 * D,
            promised_at=T + 12 * D,
        ),
    )
    opened = sweep(DEFAULTS, uow=uow, now=T + 8 * D)
    assert {a.rule for a in opened.new_alerts} == {RuleId.NO_EVENT_IN_TRANSIT}
    update_shipment(engine, shipment, status="lost", status_rank=9, is_active=False)
    sweep(DEFAULTS, uow=uow, now=T + 9 * D)
    assert _alerts(uow) == [(RuleId.NO_EVENT_IN_TRANSIT, AlertState.RESOLVED, Resolution.CLEARED)]


def test_a_parcel_breaking_several_rules_raises_one_alert_for_the_first(
    engine: Engine, uow: UnitOfWork
) -> None:
    insert_shipments(
        engine, a_shipment_row(picked_up_at=T, departed_origin_at=T + D, promised_at=T + 6 * D)
    )
    opened = sweep(DEFAULTS, uow=uow, now=T + 10 * D)
    assert [a.rule for a in opened.new_alerts] == [RuleId.NO_ARRIVAL]
