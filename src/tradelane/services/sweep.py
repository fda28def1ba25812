"""Sweep: evaluate every active shipment against the deviation rules at `now`.

    lock ─▶ per rule: resolve alerts no longer breaching ─▶ announce `alert.resolved`
         ─▶ per rule: open alerts for new breaches      ─▶ announce `alert.opened`
         ─▶ commit (alerts and their outbox messages together, or nothing)

Each step is one set-based statement over the `shipments` projection (see
store/alert_repository.py); the clock is passed in, so the simulator can drive it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tradelane.monitoring.alerts import Alert, AlertEvent
from tradelane.monitoring.rules import RULES, RuleId
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.store.uow import UnitOfWork

__all__ = ["SweepReport", "sweep"]

SHOWN_NEW_ALERTS = 50


@dataclass
class SweepReport:
    """Counts per rule; `new_alerts` holds up to SHOWN_NEW_ALERTS of the opened ones."""

    at: datetime
    opened: dict[RuleId, int] = field(default_factory=dict)
    resolved: dict[RuleId, int] = field(default_factory=dict)
    messages: int = 0
    new_alerts: list[Alert] = field(default_factory=list)

    @property
    def opened_total(self) -> int:
        return sum(self.opened.values())

    @property
    def resolved_total(self) -> int:
        return sum(self.resolved.values())


def sweep(
    config: MonitoringConfig,
    *,
    uow: UnitOfWork,
    now: datetime,
    destinations: Sequence[str] = (),
) -> SweepReport:
    """Open and auto-resolve alerts as of `now`; queue one message per change and destination.

    At most one not-resolved alert exists per shipment and rule, so sweeping twice at the same
    `now` changes nothing the second time. Sweeps run one at a time (the first waits).
    """
    scopes = config.scopes()
    report = SweepReport(at=now)
    with uow:
        uow.alerts.lock_for_sweep()
        for rule in RULES:
            cleared = uow.alerts.resolve_cleared(rule, scopes, now=now)
            report.resolved[rule.id] = len(cleared)
            report.messages += uow.outbox.add_alert_events(
                AlertEvent.RESOLVED, destinations=destinations, now=now, alert_ids=cleared
            )
        last_before = uow.alerts.last_id()
        for rule in RULES:
            report.opened[rule.id] = uow.alerts.open_breaching(rule, scopes, now=now)
        report.messages += uow.outbox.add_alert_events(
            AlertEvent.OPENED, destinations=destinations, now=now, after_id=last_before
        )
        report.new_alerts = uow.alerts.find(after_id=last_before, limit=SHOWN_NEW_ALERTS)
        uow.commit()
    return report
