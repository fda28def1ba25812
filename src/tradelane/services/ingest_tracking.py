"""Ingest tracking events idempotently and keep the shipments projection in step.

    chunks of entries (events or per-entry errors) ─▶ bad ones, and scans whose time cannot
        be right (tracking/plausibility.py), reported; good ones staged
        ─▶ one transaction for the whole batch: per chunk, a de-duplicating insert (key: the
           scan's identity) and the shipment facts
        ─▶ every touched shipment created or recomputed from all its stored events
        ─▶ commit (any failure before, in any chunk: nothing of the batch is stored)

A tracking CSV is read as a stream of chunks (carriers/formats/csv), so a file of any allowed
size is ingested in bounded memory and still all or nothing. The same event twice, or a
replayed batch, is stored once; arrival order never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.csv.parse import MAX_CSV_BYTES, read_chunks
from tradelane.carriers.formats.parsed import (
    MAX_PAYLOAD_BYTES,
    Entry,
    ParsedTracking,
    ShipmentFacts,
)
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Shipment, TrackingEvent
from tradelane.store.uow import UnitOfWork
from tradelane.tracking.plausibility import implausible_time

__all__ = [
    "IngestReport",
    "import_tracking_file",
    "ingest_chunks",
    "ingest_events",
    "register_shipment",
    "sort_out",
    "stage_chunk",
]

# Events per add_events call: the rows of one call are built, sorted and staged together (a
# shipment's events side by side); 100k events take ~20 MB of rows beside the events themselves.
CHUNK = 100_000
CSV_CHUNK_ROWS = 50_000  # rows of a tracking CSV parsed and staged at a time
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
    accepted: int = 0  # entries that were staged (stored or already known)

    def reject(self, error: ValidationError) -> None:
        if len(self.rejected) < MAX_REPORTED_ERRORS:
            self.rejected.append(error)


def ingest_events(
    entries: Iterable[Entry],
    *,
    source: str,
    uow: UnitOfWork,
    now: datetime,
    shipments: Sequence[ShipmentFacts] = (),
) -> IngestReport:
    """Store the good entries in one transaction and report the bad ones (never raised)."""
    batch = ParsedTracking(entries=list(entries), shipments=list(shipments))
    return ingest_chunks([batch], source=source, uow=uow, now=now)


def ingest_chunks(
    chunks: Iterable[ParsedTracking], *, source: str, uow: UnitOfWork, now: datetime
) -> IngestReport:
    """Store every chunk's good entries in one transaction; a chunk that fails to arrive
    (a parse error raised while reading it) rolls the whole batch back."""
    report = IngestReport(source=source[:40])
    with uow:
        for chunk in chunks:
            stage_chunk(chunk, report, uow=uow, now=now)
        batch = uow.tracking.store_added()
        uow.commit()
    report.stored = batch.inserted
    report.shipments_created = batch.shipments_created
    report.shipments_updated = batch.shipments_updated
    report.duplicates = report.accepted - batch.inserted
    return report


def stage_chunk(
    chunk: ParsedTracking, report: IngestReport, *, uow: UnitOfWork, now: datetime
) -> None:
    """Stage one chunk's good events and facts in the open transaction of `uow` (the caller
    runs `uow.tracking.store_added()` and commits); bad entries go to `report`."""
    events = sort_out(chunk.entries, report, now)
    for start in range(0, len(events), CHUNK):
        added = uow.tracking.add_events(
            events[start : start + CHUNK], source=report.source, received_at=now
        )
        report.unknown_codes += added.unknown_codes
    uow.tracking.fill_facts(chunk.shipments)


def sort_out(entries: Iterable[Entry], report: IngestReport, now: datetime) -> list[TrackingEvent]:
    """The events whose time is plausible; every entry counted in `report`, the rest
    reported there as rejected."""
    received = now.astimezone(UTC)
    events: list[TrackingEvent] = []
    for entry in entries:
        report.received += 1
        error = (
            entry
            if isinstance(entry, ValidationError)
            else implausible_time(entry, received_at=received)
        )
        if error is None:
            events.append(entry)  # type: ignore[arg-type]
        else:
            report.reject(error)
    report.accepted += len(events)
    return events


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
    """Parse a tracking file of `format` and ingest it; oversized files are refused unread.
    A CSV is streamed in chunks of CSV_CHUNK_ROWS rows, all in one transaction."""
    limit = MAX_CSV_BYTES if format == "csv" else MAX_PAYLOAD_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ValidationError(
            f"file of {size:,} bytes exceeds the {format} limit of {limit:,} bytes",
            field="size",
            value=size,
            where=str(path),
        )
    source = f"{format}:{path.name}"
    if format == "csv":
        with path.open("rb") as stream:
            chunks = read_chunks(stream, where=str(path), rows=CSV_CHUNK_ROWS)
            return ingest_chunks(chunks, source=source, uow=uow, now=now)
    parsed = parse_tracking(path.read_bytes(), format=format, assume_tz=assume_tz, where=str(path))
    return ingest_events(
        parsed.entries, source=source, uow=uow, now=now, shipments=parsed.shipments
    )
