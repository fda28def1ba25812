"""Rows of the tracking bulk path: TrackingEvents as tuples in ROW_COLUMNS order.

One pass over the events builds them; the cyclic garbage collector is paused meanwhile (the
rows are fresh tuples that form no cycles; its repeated scans of them cost more than the build).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from tradelane.domain.shipments import TrackingEvent
from tradelane.store.tracking_sql import ROW_COLUMNS

__all__ = ["cycle_collector_paused", "postgres_rows", "sqlite_instant", "sqlite_rows"]

_NUMBER = itemgetter(ROW_COLUMNS.index("tracking_number"))


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Building rows allocates a tuple per event and no reference cycles: pausing the cyclic
    garbage collector spares its repeated scans of those young tuples (restored afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sqlite_instant(moment: datetime) -> str:
    """UTC as SQLAlchemy stores SQLite DATETIME: 'YYYY-MM-DD HH:MM:SS.ffffff' (fixed width)."""
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def sqlite_rows(events: Sequence[TrackingEvent]) -> list[tuple[Any, ...]]:
    """Rows with instants as SQLite stores them (sqlite_instant), in tracking number order."""
    return _in_key_order(
        [
            (
                e.tracking_number,
                e.occurred_at.astimezone(UTC).isoformat(" ", "microseconds")[:26],
                e.status_code,
                e.location,
                e.carrier,
                e.milestone,  # a str: both drivers send the text
                e.status_text,
                e.country,
                e.incident_reason,
                e.unknown_code,
                None if e.local_time is None else e.local_time.isoformat(" ", "microseconds"),
            )
            for e in events
        ]
    )


def postgres_rows(events: Sequence[TrackingEvent]) -> list[tuple[Any, ...]]:
    """Rows for the binary COPY (instants sent as they are), in the events' order."""
    return [
        (
            e.tracking_number,
            e.occurred_at,
            e.status_code,
            e.location,
            e.carrier,
            e.milestone,
            e.status_text,
            e.country,
            e.incident_reason,
            e.unknown_code,
            e.local_time,
        )
        for e in events
    ]


def _in_key_order(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Sorted by tracking number (stable: of two copies of one scan the first is kept): the
    inserts walk the primary key in order and a shipment's events land side by side."""
    rows.sort(key=_NUMBER)
    return rows
