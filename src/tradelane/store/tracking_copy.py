"""PostgreSQL: new events through the staging table, the next rows built while the server works.

    events in tracking number order ─▶ stages of STAGE_ROWS
    stage i:  binary COPY into tracking_staging
              ─▶ pipeline: INSERT ... SELECT ... ON CONFLICT DO NOTHING, TRUNCATE the staging
                 (sent, not awaited) ─▶ rows of stage i + 1 built meanwhile ─▶ results

The rows of a stage are built by Python while the server inserts the previous one, so the
two processes work at the same time. All of it runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

import psycopg

from tradelane.domain.shipments import TrackingEvent
from tradelane.store.tracking_rows import postgres_rows
from tradelane.store.tracking_sql import (
    CLEAR_STAGING,
    INSERT_STAGED_EVENTS,
    ROW_COLUMNS,
    STAGING_TYPES,
)

__all__ = ["STAGE_ROWS", "copy_new_events"]

STAGE_ROWS = 12_500  # rows per stage: small enough to overlap, large enough to amortise
_COPY = f"COPY tracking_staging ({', '.join(ROW_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_TRACKING_NUMBER = attrgetter("tracking_number")


def copy_new_events(
    connection: psycopg.Connection[Any],
    events: Sequence[TrackingEvent],
    *,
    source: str,
    received: datetime,
) -> tuple[int, list[tuple[Any, ...]]]:
    """Insert the events not stored yet; returns how many, and every event's row (in
    tracking number order: a shipment's events land side by side)."""
    ordered = sorted(events, key=_TRACKING_NUMBER)  # stable: of two copies the first is kept
    stages = [ordered[i : i + STAGE_ROWS] for i in range(0, len(ordered), STAGE_ROWS)]
    batch = {"source": source, "received_at": received}
    rows: list[tuple[Any, ...]] = []
    inserted = 0
    stage_rows = postgres_rows(stages[0]) if stages else []
    for index in range(len(stages)):
        _copy(connection, stage_rows)
        rows += stage_rows
        with connection.pipeline(), connection.cursor() as cursor:
            cursor.execute(INSERT_STAGED_EVENTS, batch)
            connection.execute(CLEAR_STAGING)
            following = stages[index + 1] if index + 1 < len(stages) else []
            stage_rows = postgres_rows(following)
        inserted += cursor.rowcount
    return inserted, rows


def _copy(connection: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(_COPY) as copy:
        copy.set_types(STAGING_TYPES)
        for row in rows:
            copy.write_row(row)
