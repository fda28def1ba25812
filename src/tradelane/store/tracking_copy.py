"""PostgreSQL: new events through the staging table, the next rows built while the server works.

    events in tracking number order ─▶ stages of STAGE_ROWS
    stage i:  binary COPY into tracking_staging
              ─▶ pipeline: INSERT ... SELECT (sent, not awaited)
                 ─▶ rows of stage i + 1 built meanwhile ─▶ result ─▶ TRUNCATE the staging

Python builds a stage's rows while the server inserts the previous one. The INSERT is first
tried plain, in a savepoint: new scans (webhooks, new files) skip the ON CONFLICT machinery.
The first stored scan it meets fails it (a unique violation, at once for a replay, since the
rows go in key order); the savepoint is rolled back and that stage and the rest of the batch
use INSERT ... ON CONFLICT DO NOTHING. All of it runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

import psycopg
from psycopg.errors import UniqueViolation

from tradelane.domain.shipments import TrackingEvent
from tradelane.store.tracking_rows import postgres_rows
from tradelane.store.tracking_sql import (
    CLEAR_STAGING,
    INSERT_STAGED_EVENTS,
    INSERT_STAGED_NEW_EVENTS,
    ROW_COLUMNS,
    STAGING_TYPES,
)

__all__ = ["STAGE_ROWS", "copy_new_events"]

STAGE_ROWS = 12_500  # rows per stage: small enough to overlap, large enough to amortise
_COPY = f"COPY tracking_staging ({', '.join(ROW_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_TRACKING_NUMBER = attrgetter("tracking_number")
# Never prepared: a statement psycopg prepares inside a pipeline that then fails is not on the
# server, though psycopg believes it is (its next use fails with "prepared statement ...
# does not exist").
_SAVEPOINT = "SAVEPOINT tracking_stage"
_ROLLBACK = "ROLLBACK TO SAVEPOINT tracking_stage"
_RELEASE = "RELEASE SAVEPOINT tracking_stage"
Rows = list[tuple[Any, ...]]


def copy_new_events(
    connection: psycopg.Connection[Any],
    events: Sequence[TrackingEvent],
    *,
    source: str,
    received: datetime,
    stage_rows: int = STAGE_ROWS,
) -> tuple[int, Rows]:
    """Insert the events not stored yet; returns how many, and every event's row (in
    tracking number order: a shipment's events land side by side)."""
    ordered = sorted(events, key=_TRACKING_NUMBER)  # stable: of two copies the first is kept
    stages = [ordered[i : i + stage_rows] for i in range(0, len(ordered), stage_rows)]
    batch = {"source": source, "received_at": received}
    rows: Rows = []
    inserted, new_so_far = 0, True
    staged = postgres_rows(stages[0]) if stages else []
    for index in range(len(stages)):
        _copy(connection, staged)
        rows += staged
        following = stages[index + 1] if index + 1 < len(stages) else []
        count, staged = _insert_stage(connection, batch, following, plain=new_so_far)
        if count is None:  # met a stored scan: ON CONFLICT from here on
            new_so_far = False
            count = connection.execute(INSERT_STAGED_EVENTS, batch, prepare=False).rowcount
            connection.execute(CLEAR_STAGING, prepare=False)
        inserted += count
    return inserted, rows


def _insert_stage(
    connection: psycopg.Connection[Any],
    batch: dict[str, Any],
    following: Sequence[TrackingEvent],
    *,
    plain: bool,
) -> tuple[int | None, Rows]:
    """Insert the staged rows, building `following`'s rows meanwhile; empty the staging table.
    None when the plain INSERT met a stored scan (rolled back to its savepoint, the staging
    table still full). Nothing follows the INSERT in the pipeline, so its error surfaces at
    the pipeline's end."""
    try:
        with connection.pipeline(), connection.cursor() as cursor:
            if plain:
                connection.execute(_SAVEPOINT, prepare=False)
            statement = INSERT_STAGED_NEW_EVENTS if plain else INSERT_STAGED_EVENTS
            cursor.execute(statement, batch, prepare=False)
            next_rows = postgres_rows(following)
    except UniqueViolation:
        if not plain:
            raise
        connection.execute(_ROLLBACK, prepare=False)
        connection.execute(_RELEASE, prepare=False)
        return None, postgres_rows(following)
    if plain:
        connection.execute(_RELEASE, prepare=False)
    connection.execute(CLEAR_STAGING, prepare=False)
    return cursor.rowcount, next_rows


def _copy(connection: psycopg.Connection[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(_COPY) as copy:
        copy.set_types(STAGING_TYPES)
        for row in rows:
            copy.write_row(row)
