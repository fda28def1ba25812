"""Ingest tracking events idempotently and keep the shipments projection in step.

    entries (events or per-entry errors) ─▶ bad ones reported, good ones staged
        ─▶ one transaction: de-duplicating insert (key: the scan's identity)
        ─▶ every touched shipment created or recomputed from all its stored events
        ─▶ commit (any failure before: nothing of the batch is stored)

The same event twice, or a replayed batch, is stored once; arrival order never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.csv.parse import MAX_CSV_BYTES
from tradelane.carriers.formats.parsed import MAX_PAYLOAD_BYTES, Entry, ShipmentFacts
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Shipment, TrackingEvent
from tradelane.store.uow import UnitOfWork

__all__ = ["IngestReport", "import_tracking_file", "ingest_events", "register_shipment"]

# Events per add_events call: the rows of one call are built, sorted and staged together (a
# shipment's events side by side); 100k events take ~20 MB of rows beside the events themselves.
CHUNK = 100_000
MAX_REPORTED_ERRORS = 1_000


@dataclass
class IngestReport:
    """Counts of one ingested batch; `rejected` names each bad entry and why."""

    source: str
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    unknown_codes: int = 0
    shipments_created: int = 0
    shipments_updated: int = 0
    rejected: list[ValidationError] = field(default_factory=list)


def ingest_events(
    entries: Iterable[Entry],
    *,
    source: str,
    uow: UnitOfWork,
    now: datetime,
    shipments: Sequence[ShipmentFacts] = (),
) -> IngestReport:
    """Store the good entries in one transaction and report the bad ones (never raised)."""
    report = IngestReport(source=source[:40])
    events: list[TrackingEvent] = []
    keep, bad = events.append, 0
    for entry in entries:
        if isinstance(entry, ValidationError):
            bad += 1
            if bad <= MAX_REPORTED_ERRORS:
                report.rejected.append(entry)
        else:
            keep(entry)
    report.received = len(events) + bad
    with uow:
        for start in range(0, len(events), CHUNK):
            chunk = events[start : start + CHUNK]
            added = uow.tracking.add_events(chunk, source=report.source, received_at=now)
            report.unknown_codes += added.unknown_codes
        uow.tracking.fill_facts(shipments)
        batch = uow.tracking.store_added()
        uow.commit()
    report.stored = batch.inserted
    report.shipments_created = batch.shipments_created
    report.shipments_updated = batch.shipments_updated
    report.duplicates = len(events) - batch.inserted
    return report


def register_shipment(shipment: Shipment, *, uow: UnitOfWork) -> bool:
    """Record a hand-off (order, channel, promise); True when the shipment is new.

    Events already stored for its tracking number are kept and the projection is recomputed
    with the registered origin and destination. Conflict if another order owns the number.
    """
    with uow:
        created = uow.tracking.register(shipment)
        uow.tracking.refresh(shipment.tracking_number)
        uow.commit()
    return created


def import_tracking_file(
    path: Path,
    *,
    format: str,
    uow: UnitOfWork,
    now: datetime,
    assume_tz: tzinfo = UTC,
) -> IngestReport:
    """Parse a tracking file of `format` and ingest it; oversized files are refused unread."""
    limit = MAX_CSV_BYTES if format == "csv" else MAX_PAYLOAD_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ValidationError(
            f"file of {size:,} bytes exceeds the {format} limit of {limit:,} bytes",
            field="size",
            value=size,
            where=str(path),
        )
    parsed = parse_tracking(path.read_bytes(), format=format, assume_tz=assume_tz, where=str(path))
    return ingest_events(
        parsed.entries,
        source=f"{format}:{path.name}",
        uow=uow,
        now=now,
        shipments=parsed.shipments,
    )
