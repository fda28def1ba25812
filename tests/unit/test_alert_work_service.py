"""The alert use cases on a fake unit of work: no database, the same contract."""

from __future__ import annotations

import pytest

from tests.builders import NOW
from tests.fake_uow import FakeUnitOfWork
from tradelane.domain.errors import Conflict
from tradelane.monitoring.alerts import Alert, AlertEvent, AlertState
from tradelane.monitoring.rules import RuleId
from tradelane.services.alerts import acknowledge_alert, alert_counts, resolve_alert

HOOKS = ["https://a.example/hook", "https://b.example/hook"]


def _work(*states: AlertState) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for number, state in enumerate(states, start=1):
        uow.alerts.rows[number] = Alert(
            id=number,
            shipment_id=number,
            tracking_number=f"LT{number:09d}CN",
            channel_id="epacket-cn",
            destination_country="DE",
            rule=RuleId.NO_DEPARTURE,
            state=state,
            opened_at=NOW,
        )
    return uow


def test_acknowledging_an_open_alert_commits_it_with_one_message_per_destination() -> None:
    uow = _work(AlertState.OPEN)
    alert = acknowledge_alert(1, uow=uow, now=NOW, destinations=HOOKS)
    assert (alert.state, alert.acknowledged_at, uow.commits) == (AlertState.ACKNOWLEDGED, NOW, 1)
    assert uow.outbox.messages == [(AlertEvent.ACKNOWLEDGED, h, 1) for h in HOOKS]


def test_a_resolved_alert_cannot_be_acknowledged_and_nothing_is_queued() -> None:
    uow = _work(AlertState.RESOLVED)
    with pytest.raises(Conflict, match="resolved"):
        acknowledge_alert(1, uow=uow, now=NOW, destinations=HOOKS)
    assert (uow.commits, uow.outbox.messages) == (0, [])
    assert uow.alerts.get(1).state is AlertState.RESOLVED


def test_resolving_by_hand_is_counted_among_resolved_alerts() -> None:
    uow = _work(AlertState.OPEN, AlertState.ACKNOWLEDGED)
    resolve_alert(2, uow=uow, now=NOW)
    counts = alert_counts(uow=uow)
    assert (counts[AlertState.OPEN], counts[AlertState.RESOLVED]) == (1, 1)
