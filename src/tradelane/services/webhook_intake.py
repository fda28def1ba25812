"""Store inbound tracking webhooks: a batch of deliveries in one transaction.

    deliveries (each authenticated and parsed by the entrypoint, or refused with an outcome)
        ─▶ per accepted delivery: claim its id (a replay of a claimed id is `duplicate` and
           stores nothing), stage its events like any tracking import
        ─▶ every outcome counted per source
        ─▶ one commit for the batch (a failure stores nothing of it, counts included)

Batching is what lets webhook ingest keep up with a carrier's bursts: many requests share one
commit (the API groups concurrent requests; one request alone is a batch of one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.errors import ValidationError
from tradelane.services.ingest_tracking import IngestReport, stage_chunk
from tradelane.store.uow import UnitOfWork
from tradelane.store.webhook_intake_repository import IntakeCount

__all__ = ["Delivery", "DeliveryResult", "intake_counts", "receive_deliveries"]

ACCEPTED, DUPLICATE = "accepted", "duplicate"


@dataclass(frozen=True)
class Delivery:
    """One inbound webhook: authenticated and parsed (outcome 'accepted'), or refused with
    the outcome to count (`bad_signature`, `stale`, `too_large`, `malformed`, ...)."""

    source: str
    outcome: str = ACCEPTED
    message_id: str = ""
    parsed: ParsedTracking | None = None


@dataclass
class DeliveryResult:
    outcome: str
    events: int = 0  # events staged (new or already known)
    rejected: list[ValidationError] = field(default_factory=list)


def receive_deliveries(
    deliveries: Sequence[Delivery], *, uow: UnitOfWork, now: datetime
) -> list[DeliveryResult]:
    """Store and count every delivery of the batch in one transaction; results in order."""
    counts: Counter[tuple[str, str]] = Counter()
    results: list[DeliveryResult] = []
    with uow:
        for delivery in deliveries:
            result = _receive(delivery, uow=uow, now=now)
            counts[(delivery.source, result.outcome)] += 1
            results.append(result)
        uow.tracking.store_added()
        uow.webhook_intake.add_counts(counts, now=now)
        uow.commit()
    return results


def _receive(delivery: Delivery, *, uow: UnitOfWork, now: datetime) -> DeliveryResult:
    if delivery.outcome != ACCEPTED or delivery.parsed is None:
        return DeliveryResult(delivery.outcome)
    entries = len(delivery.parsed.entries)
    if not uow.webhook_intake.claim(delivery.source, delivery.message_id, events=entries, now=now):
        return DeliveryResult(DUPLICATE)
    report = IngestReport(source=f"webhook:{delivery.source}")
    stage_chunk(delivery.parsed, report, uow=uow, now=now)
    return DeliveryResult(ACCEPTED, events=report.accepted, rejected=report.rejected)


def intake_counts(*, uow: UnitOfWork) -> list[IntakeCount]:
    """Every (source, outcome, count, last seen) so far."""
    with uow:
        return uow.webhook_intake.counts()
