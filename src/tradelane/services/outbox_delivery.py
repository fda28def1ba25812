"""Deliver due outbox messages; failures are retried with exponential backoff, never dropped.

    claim due messages (leased, committed) ─▶ for each, no transaction open during HTTP:
      send at the clock's time (a fresh webhook-timestamp per attempt) ─▶ record it at once:
        delivered │ failed: attempts + 1, next try after retry_delay (or Retry-After)
                  │ not tried: its endpoint already failed in this batch,
                  │            postponed to that failure's retry time (order kept)
                  │ parked: its destination is not configured, its endpoint answered
                  │         410 Gone (the endpoint is disabled until re-enabled), or the
                  │         tenant subscription it was queued for was deleted

An endpoint is a URL as one tenant reaches it (OutboxMessage.endpoint): a URL gone or failing
for one tenant's messages is still tried for another tenant's.

Each outcome is committed as it happens, so a crash or a kill re-sends at most the message in
flight. Every attempt is bounded by the sender's deadline, and the lease of the messages still
waiting is renewed while the batch runs, so no second worker claims them meanwhile. A crash
leaves the lease to expire: the message is sent again (at-least-once; receivers de-duplicate
on `webhook-id`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from tradelane.clock import Clock
from tradelane.notifications.messages import DeliveryOutcome, OutboxMessage, Verdict
from tradelane.notifications.retry import retry_delay
from tradelane.store.uow import UnitOfWork

__all__ = ["LEASE", "DeliveryReport", "MessageSender", "deliver_due"]

LEASE = timedelta(minutes=5)  # renewed with half left: far above one attempt's 15 s deadline
BATCH = 100


class MessageSender(Protocol):
    def send(
        self, message: OutboxMessage, *, now: datetime, secret: str | None = None
    ) -> DeliveryOutcome: ...


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    postponed: int = 0
    parked: int = 0
    pending: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.failed + self.postponed + self.parked

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.postponed += other.postponed
        self.parked += other.parked
        self.pending = other.pending


def _no_jitter() -> float:
    return 0.0


def deliver_due(
    *,
    uow: UnitOfWork,
    sender: MessageSender,
    clock: Clock,
    limit: int = BATCH,
    jitter: Callable[[], float] = _no_jitter,
) -> DeliveryReport:
    """One batch of at most `limit` messages due at the clock's time; `pending` counts what
    is left to try."""
    start = clock.now()
    with uow:
        batch = uow.outbox.claim_due(now=start, lease_until=start + LEASE, limit=limit)
        disabled = {key: reason for key, (_, reason) in uow.endpoints.disabled().items()}
        secrets = uow.subscriptions.secrets({m.subscription_id for m in batch if m.subscription_id})
        uow.commit()
    run = _Batch(
        uow, sender, clock, jitter, lease_until=start + LEASE, disabled=disabled, secrets=secrets
    )
    for position, message in enumerate(batch):
        run.renew_lease(batch[position:])
        run.handle(message)
    with uow:
        run.report.pending = uow.outbox.pending_count()
    return run.report


@dataclass
class _Batch:
    uow: UnitOfWork
    sender: MessageSender
    clock: Clock
    jitter: Callable[[], float]
    lease_until: datetime
    disabled: dict[tuple[str, str], str]  # endpoint -> why
    secrets: dict[int, str]  # subscription id -> its secret (enabled subscriptions only)
    retry_at: dict[tuple[str, str], datetime] = field(default_factory=dict)  # failed: when
    report: DeliveryReport = field(default_factory=DeliveryReport)

    def renew_lease(self, waiting: list[OutboxMessage]) -> None:
        """Keep the messages not yet handled leased for at least half a lease more."""
        now = self.clock.now()
        if self.lease_until - now >= LEASE / 2:
            return
        self.lease_until = now + LEASE
        with self.uow as uow:
            uow.outbox.postpone([m.id for m in waiting], until=self.lease_until)
            uow.commit()

    def handle(self, message: OutboxMessage) -> None:
        endpoint = message.endpoint
        subscription = message.subscription_id
        secret = None if subscription is None else self.secrets.get(subscription)
        deleted = subscription is not None and secret is None
        outcome = None
        if not deleted and endpoint not in self.retry_at and endpoint not in self.disabled:
            outcome = self.sender.send(message, now=self.clock.now(), secret=secret)
        with self.uow as uow:
            if outcome is not None:
                self._record(message, outcome)
            elif deleted:
                self._park(message, f"webhook subscription {subscription} was deleted")
            elif endpoint in self.retry_at:
                uow.outbox.postpone([message.id], until=self.retry_at[endpoint])
                self.report.postponed += 1
            else:
                self._park(message, f"endpoint disabled: {self.disabled[endpoint]}")
            uow.commit()

    def _record(self, message: OutboxMessage, outcome: DeliveryOutcome) -> None:
        now = self.clock.now()
        if outcome.verdict is Verdict.DELIVERED:
            self.uow.outbox.mark_delivered(message.id, now=now)
            self.report.delivered += 1
        elif outcome.verdict is Verdict.GONE:
            reason = outcome.error or "gone"
            self.uow.endpoints.disable(message.endpoint, reason=reason, now=now)
            self.disabled[message.endpoint] = reason
            self._park(message, f"endpoint disabled: {reason}")
        elif outcome.verdict is Verdict.UNROUTABLE:
            self._park(message, outcome.error or "no such destination")
        else:
            self.retry_at[message.endpoint] = self._fail(message, outcome, now)

    def _park(self, message: OutboxMessage, reason: str) -> None:
        self.uow.outbox.park(message.id, reason=reason, now=self.clock.now())
        self.report.parked += 1

    def _fail(self, message: OutboxMessage, outcome: DeliveryOutcome, now: datetime) -> datetime:
        attempts = message.attempts + 1
        delay = retry_delay(attempts, jitter=self.jitter())
        if outcome.retry_after is not None:
            delay = max(delay, outcome.retry_after)
        retry_at = now + delay
        self.uow.outbox.mark_failed(
            message.id,
            attempts=attempts,
            error=outcome.error or "not delivered",
            next_attempt_at=retry_at,
        )
        self.report.failed += 1
        return retry_at
