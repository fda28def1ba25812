"""People working alerts: list them, acknowledge one, resolve one by hand.

Each change is checked against the lifecycle (monitoring/alerts.py: Conflict when not allowed)
and announced through the outbox in the same transaction as the change itself. They need
only the AlertWork port (services/ports.py), so a fake unit of work can test them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tradelane.monitoring.alerts import Alert, AlertEvent, AlertState, Resolution, transition
from tradelane.monitoring.rules import RuleId
from tradelane.services.ports import AlertWork

__all__ = ["acknowledge_alert", "alert_counts", "list_alerts", "resolve_alert"]


def list_alerts(
    *,
    uow: AlertWork,
    states: Sequence[AlertState] = (AlertState.OPEN, AlertState.ACKNOWLEDGED),
    rule: RuleId | None = None,
    limit: int = 100,
) -> list[Alert]:
    """Alerts newest first; by default those still needing attention."""
    with uow:
        return uow.alerts.find(states=states, rule=rule, limit=limit)


def alert_counts(*, uow: AlertWork) -> dict[AlertState, int]:
    with uow:
        found = uow.alerts.count_by_state()
    return {state: found.get(state, 0) for state in AlertState}


def acknowledge_alert(
    alert_id: int, *, uow: AlertWork, now: datetime, destinations: Sequence[str] = ()
) -> Alert:
    """Someone is on it: open -> acknowledged. The sweep still auto-resolves it later."""
    return _move(alert_id, AlertState.ACKNOWLEDGED, uow=uow, now=now, destinations=destinations)


def resolve_alert(
    alert_id: int, *, uow: AlertWork, now: datetime, destinations: Sequence[str] = ()
) -> Alert:
    """Closed by hand (`manual`); if the shipment still breaches, the next sweep opens anew."""
    return _move(alert_id, AlertState.RESOLVED, uow=uow, now=now, destinations=destinations)


def _move(
    alert_id: int,
    target: AlertState,
    *,
    uow: AlertWork,
    now: datetime,
    destinations: Sequence[str],
) -> Alert:
    event = AlertEvent.ACKNOWLEDGED if target is AlertState.ACKNOWLEDGED else AlertEvent.RESOLVED
    with uow:
        current = uow.alerts.get(alert_id)
        transition(alert_id, current.state, target)
        uow.alerts.set_state(
            alert_id, target, expected=current.state, now=now, resolution=Resolution.MANUAL
        )
        uow.outbox.add_alert_events(event, destinations=destinations, now=now, alert_ids=[alert_id])
        changed = uow.alerts.get(alert_id)
        uow.commit()
    return changed
