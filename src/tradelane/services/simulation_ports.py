"""Production services behind the simulator's ports (simulation/ports.py).

    Tracker.open    ─▶ store labels (shipments rows with order, channel, promise)
    Tracker.record  ─▶ ingest_events (the production ingestion path)
    Tracker.reroute ─▶ re-route records, old labels voided
    Monitor.sweep   ─▶ sweep (the production deviation sweep) ─▶ each alert opened (shipment, rule)
    Switcher.evaluate ─▶ evaluate_switching (health, hysteresis policy, peaks) ─▶ SwitchChange
    AdvisoryBoard.publish / end ─▶ record_advisory / end_advisory (services/advisories.py)

Every call runs in its own unit of work at the simulated `now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from tradelane.domain.advisories import Advisory
from tradelane.domain.catalog import Catalogue
from tradelane.domain.reroutes import Reroute
from tradelane.domain.shipments import Shipment, TrackingEvent
from tradelane.monitoring.plan import MonitoringPlan
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.advisories import end_advisory, record_advisory
from tradelane.services.ingest_tracking import ingest_events
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.services.sweep import sweep
from tradelane.services.switching import evaluate_switching
from tradelane.simulation.ports import OpenedAlert, SwitchChange
from tradelane.store.alert_repository import opened_after
from tradelane.store.reroutes import record_reroutes
from tradelane.store.shipment_labels import add_labels
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import SwitchRecord
from tradelane.switching.triggers import SwitchingRules

__all__ = ["StoreAdvisories", "StoreMonitor", "StoreSwitcher", "StoreTracker"]


class StoreTracker:
    """Labels and tracking events go to the store through the production services."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.events_stored = 0

    def open(self, shipments: Sequence[Shipment], *, now: datetime) -> None:
        with self._uow as uow:
            add_labels(uow.connection, list(shipments))
            uow.commit()

    def record(self, events: Sequence[TrackingEvent], *, now: datetime) -> None:
        report = ingest_events(list(events), source="simulation", uow=self._uow, now=now)
        self.events_stored += report.stored

    def reroute(self, reroutes: Sequence[Reroute], *, now: datetime) -> None:
        with self._uow as uow:
            record_reroutes(uow.connection, list(reroutes), now=now)
            uow.commit()


class StoreMonitor:
    """The production sweep at the simulated `now`; answers every alert it opened, with the
    shipment's tracking number and channel and the rule that fired."""

    def __init__(self, uow: UnitOfWork, rules: MonitoringPlan | MonitoringConfig | None = None):
        self._uow = uow
        self._rules = rules or MonitoringConfig()

    def sweep(self, *, now: datetime) -> Sequence[OpenedAlert]:
        with self._uow as uow:
            before = uow.alerts.last_id()
        sweep(self._rules, uow=self._uow, now=now)
        with self._uow as uow:
            return [OpenedAlert(*row) for row in opened_after(uow.connection, after_id=before)]


class StoreSwitcher:
    """The production switching evaluation at the simulated `now`.

    Opened switches become SwitchChanges with their share and backup; closed ones become
    releases (share 0). The simulator moves its own parcels; orders stored in the same
    database are re-assigned by the production re-assigner as in a live evaluation.
    """

    def __init__(self, uow: UnitOfWork, catalogue: Catalogue, rules: SwitchingRules) -> None:
        self._uow = uow
        self._catalogue = catalogue
        self._rules = rules

    def evaluate(self, *, now: datetime) -> list[SwitchChange]:
        report = evaluate_switching(
            uow=self._uow,
            catalogue=self._catalogue,
            rules=self._rules,
            now=now,
            reassign=reassign_to_stored_backups,
        )
        opened = [_change(r, now) for r in report.opened]
        closed = [
            SwitchChange(r.channel_id, r.country, 0.0, None, now, f"released: {r.ended_by}")
            for r in report.closed
        ]
        return closed + opened


def _change(record: SwitchRecord, now: datetime) -> SwitchChange:
    """An opened switch as the simulator applies it: backup, re-route fee, channels to avoid."""
    fee = record.trigger.get("reroute_fee")
    cause = record.trigger.get("cause") or {}
    return SwitchChange(
        record.channel_id,
        record.country,
        record.share,
        record.backup_channel_id,
        now,
        record.reason,
        reroute_fee=Decimal(str(fee)) if fee is not None else None,
        avoid=tuple(c for c in cause.get("channels", ()) if c != record.channel_id),
        max_price_ratio=record.trigger.get("max_price_ratio"),
        rescue_price_ratio=record.trigger.get("rescue_price_ratio"),
        rescue_budget_share=float(record.trigger.get("rescue_budget_share", 0.0)),
    )


class StoreAdvisories:
    """Advisories the simulator announces, recorded and ended through the advisories service
    (the CLI's and the API's path) at the simulated `now`."""

    def __init__(self, uow: UnitOfWork, catalogue: Catalogue) -> None:
        self._uow = uow
        self._catalogue = catalogue

    def publish(self, advisory: Advisory, *, now: datetime) -> None:
        record_advisory(advisory, uow=self._uow, catalogue=self._catalogue, now=now)

    def end(self, advisory_id: str, *, now: datetime) -> None:
        end_advisory(advisory_id, uow=self._uow, now=now)
