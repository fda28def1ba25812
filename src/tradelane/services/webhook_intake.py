"""Store inbound tracking webhooks: a batch of deliveries in one transaction.

    deliveries (each authenticated and parsed by the entrypoint, or refused with an outcome)
        ─▶ the batch's delivery ids claimed in one statement: an id stored before, or repeated
           within the batch, is a `duplicate` and stores nothing
        ─▶ the accepted deliveries' good events staged together (per source), like any
           tracking import; bad entries reported per delivery
        ─▶ every outcome counted per source
        ─▶ one commit for the batch (a failure stores nothing of it, counts included)

A batch handed to a worker carries the id of its task (`batch_id`), claimed in the same
transaction: a task run again after it committed (a worker killed before acknowledging it)
stores and counts nothing a second time.

Batching is what lets webhook ingest keep up with a carrier's bursts: many requests share one
commit and a handful of statements (the API groups concurrent requests; one request alone is
a batch of one).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import TrackingEvent
from tradelane.services.ingest_tracking import IngestReport, sort_out
from tradelane.store.uow import UnitOfWork
from tradelane.store.webhook_intake_repository import IntakeCount

__all__ = [
    "ACCEPTED",
    "QUEUED",
    "Delivery",
    "DeliveryResult",
    "intake_counts",
    "receive_deliveries",
]

ACCEPTED, DUPLICATE = "accepted", "duplicate"
QUEUED = "queued"  # handed to a worker, which stores it (the API with a broker)
BATCH_SOURCE = "queue"  # receipts of worker batches: (BATCH_SOURCE, task id)


@dataclass(frozen=True)
class Delivery:
    """One inbound webhook: authenticated and parsed (outcome 'accepted'), or refused with
    the outcome to count (`bad_signature`, `stale`, `too_large`, `malformed`, ...)."""

    source: str
    outcome: str = ACCEPTED
    message_id: str = ""
    parsed: ParsedTracking | None = None
    body: bytes = b""  # the verified raw body, when a worker is to parse it again


@dataclass
class DeliveryResult:
    outcome: str
    events: int = 0  # events staged (new or already known)
    rejected: list[ValidationError] = field(default_factory=list)


@dataclass
class _Staged:
    events: dict[str, list[TrackingEvent]] = field(default_factory=lambda: defaultdict(list))
    facts: list[ShipmentFacts] = field(default_factory=list)


def receive_deliveries(
    deliveries: Sequence[Delivery], *, uow: UnitOfWork, now: datetime, batch_id: str = ""
) -> list[DeliveryResult]:
    """Store and count every delivery of the batch in one transaction; results in order.
    A `batch_id` stored before: nothing is stored or counted, every result `duplicate`."""
    staged = _Staged()
    with uow:
        batch = [(BATCH_SOURCE, batch_id, len(deliveries))] if batch_id else []
        if batch and not uow.webhook_intake.claim(batch, now=now):
            return [DeliveryResult(DUPLICATE) for _ in deliveries]
        new = uow.webhook_intake.claim(_receipts(deliveries), now=now)
        results = [_result(d, new, staged, now) for d in deliveries]
        for source, events in sorted(staged.events.items()):
            uow.tracking.add_events(events, source=f"webhook:{source}"[:40], received_at=now)
        uow.tracking.fill_facts(staged.facts)
        uow.tracking.store_added()
        counts = Counter((d.source, r.outcome) for d, r in zip(deliveries, results, strict=True))
        uow.webhook_intake.add_counts(counts, now=now)
        uow.commit()
    return results


def _receipts(deliveries: Sequence[Delivery]) -> list[tuple[str, str, int]]:
    """(source, id, entries) of each accepted delivery, the first of a repeated id only."""
    seen: dict[tuple[str, str], int] = {}
    for d in deliveries:
        if d.outcome == ACCEPTED and d.parsed is not None:
            seen.setdefault((d.source, d.message_id), len(d.parsed.entries))
    return [(source, message_id, n) for (source, message_id), n in seen.items()]


def _result(
    delivery: Delivery, new: set[tuple[str, str]], staged: _Staged, now: datetime
) -> DeliveryResult:
    if delivery.outcome != ACCEPTED or delivery.parsed is None:
        return DeliveryResult(delivery.outcome)
    key = (delivery.source, delivery.message_id)
    if key not in new:
        return DeliveryResult(DUPLICATE)
    new.discard(key)  # a second delivery of the id in this batch is a duplicate
    report = IngestReport(source=delivery.source)
    events = sort_out(delivery.parsed.entries, report, now)
    staged.events[delivery.source].extend(events)
    staged.facts.extend(delivery.parsed.shipments)
    return DeliveryResult(ACCEPTED, events=len(events), rejected=report.rejected)


def intake_counts(*, uow: UnitOfWork) -> list[IntakeCount]:
    """Every (source, outcome, count, last seen) so far."""
    with uow:
        return uow.webhook_intake.counts()
