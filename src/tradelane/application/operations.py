"""Use cases of operations: the sweep, switching evaluation and lane health, outbox
delivery, the scheduled tick that runs them in turn and the leases of its jobs, the desk's
actions on alerts, switches and advisories, the tenant's webhook subscriptions, and the live
tracking feeds (carrier polling, inbound tracking webhooks).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tradelane.application.base import ApplicationBase
from tradelane.clock import FixedClock
from tradelane.domain.advisories import Advisory
from tradelane.files.rules_file import check_rules_against
from tradelane.monitoring.alerts import Alert, AlertState
from tradelane.monitoring.rules import RuleId
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.subscriptions import Subscription
from tradelane.notifications.webhooks import WebhookSender, webhook_client
from tradelane.services.advisories import end_advisory, list_advisories, record_advisory
from tradelane.services.alerts import acknowledge_alert, alert_counts, list_alerts, resolve_alert
from tradelane.services.channel_health import channel_health
from tradelane.services.event_retention import DEFAULT_BATCH, PruneReport, prune_events
from tradelane.services.outbox_delivery import DeliveryReport, deliver_due
from tradelane.services.poll_tracking import Pace, PollReport, poll_tracking
from tradelane.services.promise_reassignment import PromiseReassigner
from tradelane.services.sweep import SweepReport, monitoring_plan, sweep
from tradelane.services.switch_overrides import (
    ManualSwitch,
    force_switch,
    get_switch,
    list_switches,
    release_switch,
)
from tradelane.services.switching import EvaluationReport, evaluate_switching, peak_events_around
from tradelane.services.webhook_endpoints import (
    EndpointStatus,
    enable_endpoint,
    endpoint_statuses,
)
from tradelane.services.webhook_intake import (
    Delivery,
    DeliveryResult,
    intake_counts,
    receive_deliveries,
)
from tradelane.services.webhook_subscriptions import subscribe, subscriptions, unsubscribe
from tradelane.store.tenancy import DEFAULT_TENANT
from tradelane.store.webhook_intake_repository import IntakeCount
from tradelane.switching.health import LaneHealth
from tradelane.switching.peaks import active_peaks
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import LaneKey, SwitchRecord
from tradelane.switching.triggers import SwitchingRules

__all__ = ["MAX_DELIVERY_BATCHES", "OperationsUseCases", "TickReport"]

MAX_DELIVERY_BATCHES = 50  # per deliver_outbox call: a backlog drains over several ticks


@dataclass
class TickReport:
    """What one scheduled tick did: the sweep, the switching evaluation of each tenant with a
    catalogue to use (`evaluation`: the ticking application's own; None before a catalogue is
    installed) and the deliveries (None without webhook destinations or subscriptions)."""

    sweep: SweepReport
    evaluations: dict[str, EvaluationReport] = field(default_factory=dict)
    delivery: DeliveryReport | None = None
    tenant: str = DEFAULT_TENANT

    @property
    def evaluation(self) -> EvaluationReport | None:
        return self.evaluations.get(self.tenant)


class OperationsUseCases(ApplicationBase):
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
            reassign=self.reassigner(),
            destinations=self.destinations,
        )

    def reassigner(self) -> PromiseReassigner:
        """How a switch re-decides the orders it moves (services/promise_reassignment.py)."""
        return PromiseReassigner(self.policy, self.fx)

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

    def lane_states(self) -> dict[LaneKey, LaneStatus]:
        """Every lane's health state as the last switching evaluation left it."""
        with self.uow() as uow:
            return uow.channel_states.all()

    def prune_events(
        self,
        *,
        older_than: timedelta,
        batch: int = DEFAULT_BATCH,
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> PruneReport:
        """Delete the tracking events that occurred more than `older_than` ago (retention)."""
        return prune_events(
            uow=self.uow, now=self._now(now), older_than=older_than, batch=batch, dry_run=dry_run
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
        """The scheduled job: sweep (every tenant's parcels), then evaluate switching for each
        tenant on its own lanes, states and switches, then deliver the outbox."""
        moment = self._now(now)
        swept = self.sweep(now=moment)
        evaluated = self.evaluate_every_tenant(now=moment)
        delivered = self.deliver_outbox() if self.delivers_webhooks() else None
        return TickReport(swept, evaluated, delivered, self.tenant)

    def claim_tick_lease(
        self, job: str, shard: str, *, gap: timedelta, now: datetime | None = None
    ) -> bool:
        """Take the lease of the scheduled (job, shard) at `now` unless it was taken less than
        `gap` before; whether it was taken (store/tick_leases.py)."""
        with self.uow() as uow:
            taken = uow.tick_leases.claim(job, shard, now=self._now(now), gap=gap)
            uow.commit()
        return taken

    def poll_tracking(self, *, pace: Pace, now: datetime | None = None) -> PollReport:
        """Ask every pollable carrier account (TRADELANE_CARRIER_ACCOUNTS) for the tracking of
        its active shipments; `pace` waits between a carrier's requests."""
        return poll_tracking(self.tracking_sources(), uow=self.uow(), now=self._now(now), pace=pace)

    def receive_tracking_webhooks(
        self, deliveries: Sequence[Delivery], *, batch_id: str = "", now: datetime | None = None
    ) -> list[DeliveryResult]:
        """Store and count every inbound tracking webhook of the batch in one transaction;
        results in order (a `batch_id` seen before: every result `duplicate`)."""
        return receive_deliveries(deliveries, uow=self.uow(), now=self._now(now), batch_id=batch_id)

    def tracking_intake_counts(self) -> list[IntakeCount]:
        """Every (source, outcome, count, last seen) of the inbound tracking webhooks."""
        return intake_counts(uow=self.uow())

    def webhook_endpoints(self) -> list[EndpointStatus]:
        """Each destination (system, subscribed, or still holding messages) and its state."""
        return endpoint_statuses(uow=self.uow(), configured=self.destinations)

    def enable_webhook_endpoint(self, url: str, *, tenant: str | None = None) -> int:
        """Re-enable `url` for `tenant` (None: every tenant) and re-queue its parked messages;
        returns how many."""
        return enable_endpoint(url, uow=self.uow(), now=self.clock.now(), tenant=tenant)

    def delivers_webhooks(self) -> bool:
        """Whether anything may be delivered: system destinations, or a tenant's enabled
        subscription (of any tenant: delivery works through the whole outbox)."""
        if self.destinations:
            return True
        with self.uow() as uow:
            return bool(uow.subscriptions.enabled())

    def subscribe_webhook(
        self, url: str, *, topics: Sequence[str] | None = None
    ) -> tuple[Subscription, str]:
        """A new webhook subscription of this tenant and its secret (shown only now)."""
        return subscribe(url, topics=topics, uow=self.uow(), now=self.clock.now())

    def webhook_subscriptions(self) -> list[Subscription]:
        return subscriptions(uow=self.uow())

    def unsubscribe_webhook(self, subscription_id: int) -> Subscription:
        """NotFound unless it is one of this tenant's enabled subscriptions."""
        return unsubscribe(subscription_id, uow=self.uow(), now=self.clock.now())

    def switching_tenants(self) -> list[str]:
        """The tenants with a catalogue to evaluate switching on, sorted (the shards of the
        scheduled switching job)."""
        with self.uow() as uow:
            tenants = sorted({self.tenant, DEFAULT_TENANT, *uow.keys.tenant_ids()})
        installed = []
        for tenant in tenants:
            with self.for_tenant(tenant).uow() as uow:
                if uow.catalogues.latest() is not None:
                    installed.append(tenant)
        return installed

    def evaluate_every_tenant(self, *, now: datetime | None = None) -> dict[str, EvaluationReport]:
        """Switching evaluated for each tenant with a catalogue, on its own lanes, states and
        switches (the tick's step)."""
        moment = self._now(now)
        return {
            tenant: self.for_tenant(tenant).evaluate_switching(now=moment)
            for tenant in self.switching_tenants()
        }

    def alerts(
        self,
        *,
        states: Sequence[AlertState] | None = None,
        rule: RuleId | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """Alerts newest first in `states` (None: those still needing attention; empty: all)."""
        if states is None:
            return list_alerts(uow=self.uow(), rule=rule, limit=limit)
        return list_alerts(uow=self.uow(), states=states, rule=rule, limit=limit)

    def alert_counts(self) -> dict[AlertState, int]:
        return alert_counts(uow=self.uow())

    def switches(
        self, *, include_ended: bool = False, channel_id: str | None = None
    ) -> list[SwitchRecord]:
        """The tenant's switches newest first (open ones unless `include_ended`)."""
        return list_switches(uow=self.uow(), include_ended=include_ended, channel_id=channel_id)

    def switch(self, switch_id: int) -> SwitchRecord:
        """One of the tenant's switches; NotFound otherwise."""
        return get_switch(switch_id, uow=self.uow())

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
            reassign=self.reassigner(),
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

    def record_advisory(self, advisory: Advisory) -> Advisory:
        """Store an advisory (checked against the active catalogue); the next switching
        evaluation acts on it."""
        return record_advisory(
            advisory, uow=self.uow(), catalogue=self.catalogue().catalogue, now=self.clock.now()
        )

    def advisories(self, *, active_at: datetime | None = None) -> list[Advisory]:
        """Every advisory of the tenant; with `active_at`, those in force then."""
        return list_advisories(uow=self.uow(), active_at=active_at)

    def end_advisory(self, advisory_id: str, *, now: datetime | None = None) -> Advisory:
        return end_advisory(advisory_id, uow=self.uow(), now=self._now(now))
