"""The alert lifecycle: open ─▶ acknowledged ─▶ resolved (open ─▶ resolved directly too).

    open ──ack──▶ acknowledged
      │                │
      └──── resolve ◀──┘   by a person (`manual`) or by the sweep when the shipment no longer
                           breaches the rule (`cleared`: its awaited milestone or event arrived)

At most one alert per shipment is not resolved: the sweep opens the first rule a parcel breaks
(in `RULES` order) only while the parcel has no other alert open, so the desk sees one alert per
parcel at a time, carrying its current ETA (the store also keeps one per shipment and rule with
a unique partial index); a resolved alert stays as history and a new breach opens a new alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tradelane.domain.errors import Conflict
from tradelane.monitoring.rules import RuleId

__all__ = ["Alert", "AlertEvent", "AlertState", "Resolution", "transition"]


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    CLEARED = "cleared"  # the sweep found the shipment no longer breaching
    MANUAL = "manual"


class AlertEvent(StrEnum):
    """Webhook event types (Standard Webhooks `type`), one per lifecycle step."""

    OPENED = "alert.opened"
    ACKNOWLEDGED = "alert.acknowledged"
    RESOLVED = "alert.resolved"


_ALLOWED: dict[AlertState, frozenset[AlertState]] = {
    AlertState.OPEN: frozenset({AlertState.ACKNOWLEDGED, AlertState.RESOLVED}),
    AlertState.ACKNOWLEDGED: frozenset({AlertState.RESOLVED}),
    AlertState.RESOLVED: frozenset(),
}


def transition(alert_id: int, current: AlertState, target: AlertState) -> AlertState:
    """`target` when the lifecycle allows moving there from `current`; Conflict otherwise."""
    if target not in _ALLOWED[current]:
        raise Conflict(f"alert {alert_id} is {current.value}; it cannot become {target.value}")
    return target


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    shipment_id: int
    tracking_number: str
    channel_id: str | None
    destination_country: str | None
    rule: RuleId
    state: AlertState
    opened_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: Resolution | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    revised_eta: datetime | None = None  # None: the lane has no transit profile
    promise_at_risk: bool = False
