"""Deliver due outbox messages; failures are retried with exponential backoff, never dropped.

    claim due messages (leased, committed) ─▶ send each, no transaction open during HTTP
      ─▶ record: delivered │ failed: attempts + 1, next try after retry_delay
                           │ not tried: its destination already failed in this batch,
                           │            postponed to that failure's retry time (order kept)

A crash between claim and record leaves the lease to expire: the message is sent again
(at-least-once; receivers de-duplicate on `webhook-id`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tradelane.notifications.messages import DeliveryOutcome, OutboxMessage
from tradelane.notifications.retry import retry_delay
from tradelane.store.uow import UnitOfWork

__all__ = ["DeliveryReport", "MessageSender", "deliver_due"]

LEASE = timedelta(minutes=5)
BATCH = 100


class MessageSender(Protocol):
    def send(self, message: OutboxMessage, *, now: datetime) -> DeliveryOutcome: ...


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    postponed: int = 0
    pending: int = 0


def _no_jitter() -> float:
    return 0.0


def deliver_due(
    *,
    uow: UnitOfWork,
    sender: MessageSender,
    now: datetime,
    limit: int = BATCH,
    jitter: Callable[[], float] = _no_jitter,
) -> DeliveryReport:
    """One batch of at most `limit` messages due at `now`; `pending` counts what is left."""
    with uow:
        batch = uow.outbox.claim_due(now=now, lease_until=now + LEASE, limit=limit)
        uow.commit()
    attempts = _send(batch, sender, now)
    report = DeliveryReport()
    retry_at: dict[str, datetime] = {}  # destination -> when its failed message is retried
    with uow:
        for message, outcome in attempts:
            if outcome is None:
                uow.outbox.postpone([message.id], until=retry_at[message.destination])
                report.postponed += 1
            elif outcome.delivered:
                uow.outbox.mark_delivered(message.id, now=now)
                report.delivered += 1
            else:
                retry_at[message.destination] = _record_failure(message, outcome, uow, now, jitter)
                report.failed += 1
        report.pending = uow.outbox.pending_count()
        uow.commit()
    return report


def _send(
    batch: list[OutboxMessage], sender: MessageSender, now: datetime
) -> list[tuple[OutboxMessage, DeliveryOutcome | None]]:
    """Send in order; after a destination fails, its later messages are not tried (None)."""
    failed: set[str] = set()
    attempts: list[tuple[OutboxMessage, DeliveryOutcome | None]] = []
    for message in batch:
        if message.destination in failed:
            attempts.append((message, None))
            continue
        outcome = sender.send(message, now=now)
        if not outcome.delivered:
            failed.add(message.destination)
        attempts.append((message, outcome))
    return attempts


def _record_failure(
    message: OutboxMessage,
    outcome: DeliveryOutcome,
    uow: UnitOfWork,
    now: datetime,
    jitter: Callable[[], float],
) -> datetime:
    attempts = message.attempts + 1
    delay = retry_delay(attempts, jitter=jitter())
    if outcome.retry_after is not None:
        delay = max(delay, outcome.retry_after)
    retry_at = now + delay
    uow.outbox.mark_failed(
        message.id,
        attempts=attempts,
        error=outcome.error or "not delivered",
        next_attempt_at=retry_at,
    )
    return retry_at
