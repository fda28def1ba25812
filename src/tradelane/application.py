"""The application core: the use cases bound to one process's infrastructure.

    bootstrap.open_application() ─▶ Application
        import_orders · assign · ship · ingest_tracking · sweep · evaluate_switching ·
        deliver_outbox · acknowledge/resolve alerts · force/release switches
        tick = sweep ─▶ evaluate switching ─▶ deliver outbox

The CLI, the API and the scheduler call these methods and never wire services themselves:
the webhook destinations, the re-assigner, the monitoring and switching rules and the FX
table are chosen here once. Every method takes an explicit `now` (None: the clock's time).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from tradelane.application_optimization import OptimizationUseCases
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.clock import FixedClock
from tradelane.domain.access import Principal, Role
from tradelane.domain.catalog import TransitProfile
from tradelane.domain.orders import Order
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.files.order_file import OrderEntry
from tradelane.files.rules_file import check_rules_against, default_rules
from tradelane.infrastructure import Tradelane
from tradelane.monitoring.alerts import Alert
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.webhooks import WebhookSender, webhook_client
from tradelane.selection.policy import Policy
from tradelane.services.alerts import acknowledge_alert, resolve_alert
from tradelane.services.api_keys import CreatedKey, authenticate, create_key, list_keys, revoke_key
from tradelane.services.assign import AssignReport, Progress, assign_orders
from tradelane.services.catalogues import active_catalogue
from tradelane.services.channel_health import channel_health
from tradelane.services.ingest_tracking import IngestReport, ingest_chunks
from tradelane.services.order_import import ImportReport, import_order_entries
from tradelane.services.order_import import import_orders as import_order_list
from tradelane.services.outbox_delivery import DeliveryReport, deliver_due
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.services.ship import ShipCommand, ShipReport, ship_orders
from tradelane.services.sweep import SweepReport, monitoring_plan, sweep
from tradelane.services.switch_overrides import ManualSwitch, force_switch, release_switch
from tradelane.services.switching import EvaluationReport, evaluate_switching, peak_events_around
from tradelane.store.key_repository import StoredKey
from tradelane.store.repositories import StoredCatalogue
from tradelane.switching.health import LaneHealth
from tradelane.switching.peaks import active_peaks
from tradelane.switching.states import LaneKey, SwitchRecord
from tradelane.switching.triggers import SwitchingRules

__all__ = ["MAX_DELIVERY_BATCHES", "Application", "TickReport"]

MAX_DELIVERY_BATCHES = 50  # per deliver_outbox call: a backlog drains over several ticks


def _silent(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass
class TickReport:
    """What one scheduled tick did: the sweep, the switching evaluation (None before a
    catalogue is installed) and the deliveries (None without webhook destinations)."""

    sweep: SweepReport
    evaluation: EvaluationReport | None = None
    delivery: DeliveryReport | None = None


@dataclass
class Application(OptimizationUseCases, Tradelane):  # + experiments, allocation
    """Tradelane's infrastructure plus its use cases. `switching_rules` None: the packaged
    rules; `monitoring` None: TRADELANE_MONITORING_FILE, else the defaults."""

    switching_rules: SwitchingRules | None = None
    monitoring: MonitoringConfig | None = None
    policy: Policy = field(default_factory=Policy)

    @property
    def destinations(self) -> list[str]:
        """The webhook destinations every notice and event is queued for."""
        return sorted(self.settings.webhooks)

    def for_tenant(self, tenant_id: str) -> Application:
        """The same application (engine, clock, rules) reading and writing as `tenant_id`."""
        return replace(self, tenant=tenant_id)

    def authenticate(self, key: str) -> Principal:
        return authenticate(key, uow=self.uow())

    def create_key(
        self, tenant_id: str, role: Role, *, environment: str = "live", label: str = ""
    ) -> CreatedKey:
        return create_key(
            tenant_id,
            role,
            environment=environment,
            label=label,
            uow=self.uow(),
            now=self.clock.now(),
        )

    def list_keys(self, *, tenant_id: str | None = None) -> list[StoredKey]:
        return list_keys(uow=self.uow(), tenant_id=tenant_id)

    def revoke_key(self, key_id: str) -> StoredKey:
        return revoke_key(key_id, uow=self.uow(), now=self.clock.now())

    def _rules(self, rules: SwitchingRules | None) -> SwitchingRules:
        """The rules asked for, else the configured ones, else the packaged defaults."""
        return rules or self.switching_rules or default_rules()

    def _now(self, now: datetime | None) -> datetime:
        return self.clock.now() if now is None else now

    def catalogue(self) -> StoredCatalogue:
        """The active catalogue; NotFound when none is installed."""
        return active_catalogue(uow=self.uow())

    def monitoring_config(self) -> MonitoringConfig:
        if self.monitoring is not None:
            return self.monitoring
        path = self.settings.monitoring_file
        return MonitoringConfig() if path is None else load_monitoring_config(path)

    def import_orders(
        self, orders: list[Order], *, source: str, progress: Progress = _silent
    ) -> ImportReport:
        """Store validated orders in one transaction (InputErrors naming each refusal)."""
        return import_order_list(
            orders,
            source=source,
            uow=self.uow(),
            now=self.clock.now(),
            fx=self.fx,
            progress=progress,
        )

    def import_order_entries(
        self,
        entries: Iterable[OrderEntry],
        total: int,
        *,
        source: str,
        progress: Progress = _silent,
    ) -> ImportReport:
        return import_order_entries(
            entries,
            total,
            source=source,
            uow=self.uow(),
            now=self.clock.now(),
            fx=self.fx,
            progress=progress,
        )

    def assign(
        self,
        *,
        policy: Policy | None = None,
        limit: int | None = None,
        limit_capacity: bool = True,
        progress: Progress = _silent,
        now: datetime | None = None,
        predicted: tuple[Mapping[tuple[str, str], TransitProfile], str] | None = None,
    ) -> AssignReport:
        """Assign every stored order still `new` (up to `limit`); `predicted`: an ETA model's
        transit profiles per (channel, country) and its name (services.eta.transit_overrides)."""
        return assign_orders(
            uow=self.uow(),
            now=self._now(now),
            fx=self.fx,
            policy=policy or self.policy,
            limit=limit,
            limit_capacity=limit_capacity,
            progress=progress,
            predicted=predicted,
        )

    def ship(self, command: ShipCommand, *, now: datetime | None = None) -> ShipReport:
        return ship_orders(
            command,
            uow=self.uow(),
            catalogue=self.catalogue().catalogue,
            bookings=self.bookings(),
            now=self._now(now),
        )

    def ingest_tracking(
        self, chunks: Iterable[ParsedTracking], *, source: str, now: datetime | None = None
    ) -> IngestReport:
        return ingest_chunks(chunks, source=source, uow=self.uow(), now=self._now(now))

    def sweep(
        self, *, now: datetime | None = None, config: MonitoringConfig | None = None
    ) -> SweepReport:
        moment = self._now(now)
        plan = monitoring_plan(config or self.monitoring_config(), uow=self.uow(), now=moment)
        return sweep(plan, uow=self.uow(), now=moment, destinations=self.destinations)

    def evaluate_switching(
        self, *, now: datetime | None = None, rules: SwitchingRules | None = None
    ) -> EvaluationReport:
        catalogue = self.catalogue().catalogue
        chosen = self._rules(rules)
        check_rules_against(chosen, catalogue, where="switching rules")
        return evaluate_switching(
            uow=self.uow(),
            catalogue=catalogue,
            rules=chosen,
            now=self._now(now),
            reassign=reassign_to_stored_backups,
            destinations=self.destinations,
        )

    def lane_health(
        self, *, now: datetime | None = None, rules: SwitchingRules | None = None
    ) -> dict[LaneKey, LaneHealth]:
        """Every catalogue lane's health figures at `now`, under the peaks active then."""
        moment = self._now(now)
        chosen = self._rules(rules)
        return channel_health(
            uow=self.uow(),
            catalogue=self.catalogue().catalogue,
            now=moment,
            active_peaks=active_peaks(peak_events_around(moment, chosen), moment.date()),
            stall=chosen.triggers.stall_window,
        )

    def deliver_outbox(self, *, now: datetime | None = None) -> DeliveryReport:
        """Deliver batches until nothing more is due at `now` (None: the clock's time; at most
        MAX_DELIVERY_BATCHES)."""
        total = DeliveryReport()
        jitter = random.Random().random
        clock = self.clock if now is None else FixedClock(now)
        with WebhookSender(self.settings.webhooks, client=webhook_client()) as sender:
            for _ in range(MAX_DELIVERY_BATCHES):
                batch = deliver_due(uow=self.uow(), sender=sender, clock=clock, jitter=jitter)
                total.add(batch)
                if batch.handled == 0:
                    break
        return total

    def tick(self, *, now: datetime | None = None) -> TickReport:
        """The scheduled job: sweep, then evaluate switching, then deliver the outbox."""
        moment = self._now(now)
        swept = self.sweep(now=moment)
        with self.uow() as uow:
            installed = uow.catalogues.latest() is not None
        evaluated = self.evaluate_switching(now=moment) if installed else None
        delivered = self.deliver_outbox() if self.destinations else None
        return TickReport(swept, evaluated, delivered)

    def acknowledge_alert(self, alert_id: int) -> Alert:
        return acknowledge_alert(
            alert_id, uow=self.uow(), now=self.clock.now(), destinations=self.destinations
        )

    def resolve_alert(self, alert_id: int) -> Alert:
        return resolve_alert(
            alert_id, uow=self.uow(), now=self.clock.now(), destinations=self.destinations
        )

    def force_switch(self, request: ManualSwitch) -> SwitchRecord:
        """A forced or pinned switch (request.kind), re-assigning unshipped orders."""
        return force_switch(
            request,
            uow=self.uow(),
            catalogue=self.catalogue().catalogue,
            now=self.clock.now(),
            reassign=reassign_to_stored_backups,
            destinations=self.destinations,
        )

    def release_switch(self, switch_id: int, *, actor: str, reason: str = "") -> SwitchRecord:
        return release_switch(
            switch_id,
            actor=actor,
            reason=reason,
            uow=self.uow(),
            now=self.clock.now(),
            destinations=self.destinations,
        )
