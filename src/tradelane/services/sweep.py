"""Sweep: evaluate every active shipment against the deviation rules at `now`.

    lock ─▶ the plan's lanes at `now` (sweep_lanes)
         ─▶ per rule: resolve alerts no longer breaching ─▶ announce `alert.resolved`
         ─▶ revised ETA and promise risk of the alerts still open
         ─▶ per rule: open alerts for new breaches, with their ETA ─▶ announce `alert.opened`
         ─▶ buyers whose promise is now at risk: one notice per cause (services/buyer_notices)
         ─▶ commit (alerts and their outbox messages together, or nothing)

The rules run under a `MonitoringPlan`: each catalogue lane's own windows and transit
(monitoring/lane_windows.py), the configured scopes elsewhere.

Each step is one set-based statement over the `shipments` projection (see
store/alert_repository.py); the clock is passed in, so the simulator can drive it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tradelane.monitoring.alerts import Alert, AlertEvent
from tradelane.monitoring.plan import MonitoringPlan, as_plan
from tradelane.monitoring.rules import RULES, RuleId
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.selection.season import default_peak_windows
from tradelane.services.buyer_notices import notify_delays
from tradelane.store.deviation_sql import DeviationSql
from tradelane.store.uow import UnitOfWork

__all__ = ["SweepReport", "monitoring_plan", "sweep"]

SHOWN_NEW_ALERTS = 50


@dataclass
class SweepReport:
    """Counts per rule; `new_alerts` holds up to SHOWN_NEW_ALERTS of the opened ones."""

    at: datetime
    opened: dict[RuleId, int] = field(default_factory=dict)
    resolved: dict[RuleId, int] = field(default_factory=dict)
    messages: int = 0
    eta_changed: int = 0
    buyers_notified: int = 0
    new_alerts: list[Alert] = field(default_factory=list)

    @property
    def opened_total(self) -> int:
        return sum(self.opened.values())

    @property
    def resolved_total(self) -> int:
        return sum(self.resolved.values())


def monitoring_plan(config: MonitoringConfig, *, uow: UnitOfWork, now: datetime) -> MonitoringPlan:
    """`config` over the active catalogue's lanes (none installed: the config alone) and the
    peak calendar of the years around `now`."""
    with uow:
        stored = uow.catalogues.latest()
    channels = stored.catalogue.channels if stored is not None else []
    peaks = [w for year in (now.year - 1, now.year) for w in default_peak_windows(year)]
    return MonitoringPlan.build(config, channels, peaks)


def sweep(
    rules: MonitoringPlan | MonitoringConfig,
    *,
    uow: UnitOfWork,
    now: datetime,
    destinations: Sequence[str] = (),
) -> SweepReport:
    """Open and auto-resolve alerts as of `now`; queue one message per change and destination.

    At most one not-resolved alert exists per shipment (monitoring/alerts.py), so sweeping
    twice at the same `now` changes nothing the second time. Sweeps run one at a time (the
    first waits).
    """
    sql = DeviationSql(as_plan(rules), now=now)
    report = SweepReport(at=now)
    with uow:
        uow.alerts.lock_for_sweep()
        uow.alerts.load_lanes(sql)
        for rule in RULES:
            cleared = uow.alerts.resolve_cleared(rule, sql)
            report.resolved[rule.id] = len(cleared)
            report.messages += uow.outbox.add_alert_events(
                AlertEvent.RESOLVED, destinations=destinations, now=now, alert_ids=cleared
            )
        report.eta_changed = uow.alerts.refresh_eta(sql)
        last_before = uow.alerts.last_id()
        for rule in RULES:
            report.opened[rule.id] = uow.alerts.open_breaching(rule, sql)
        report.messages += uow.outbox.add_alert_events(
            AlertEvent.OPENED, destinations=destinations, now=now, after_id=last_before
        )
        report.buyers_notified = notify_delays(uow, now=now, destinations=destinations)
        report.new_alerts = uow.alerts.find(
            after_id=last_before, limit=SHOWN_NEW_ALERTS, every_tenant=True
        )
        uow.commit()
    return report
