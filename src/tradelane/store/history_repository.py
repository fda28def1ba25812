"""Imported delivery histories: write records in chunks, read them back as a Polars frame.

The frame's schema (HISTORY_SCHEMA) is the library contract other parts read history by
(scorecards, ETA models): one row per record, times tz-aware UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, delete, insert, select

from tradelane.domain.history import HistoryRecord
from tradelane.store.tables import history_imports, history_records
from tradelane.store.tracking_rows import cycle_collector_paused, sqlite_instant

__all__ = ["HISTORY_SCHEMA", "HistoryRepository"]

UTC_TIME = pl.Datetime("us", "UTC")
HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "import_id": pl.Int64(),
    "row": pl.Int64(),
    "channel": pl.String(),
    "lane": pl.String(),
    "status": pl.String(),
    "order_id": pl.String(),
    "mode": pl.String(),
    "shipped_at": UTC_TIME,
    "scheduled_at": UTC_TIME,
    "delivered_at": UTC_TIME,
    "scheduled_day": pl.Date(),
    "delivered_day": pl.Date(),
    "transit_days": pl.Float64(),
    "promised_days": pl.Float64(),
    "on_time": pl.Boolean(),
    "weight_kg": pl.Float64(),
    "cost": pl.Float64(),
    "currency": pl.String(),
}


COLUMNS = tuple(HISTORY_SCHEMA)
_RECORD_FIELDS = tuple(c for c in COLUMNS if c not in {"import_id", "on_time"})
_SQLITE_INSERT = (
    f"INSERT INTO history_records ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
)


def _row(import_id: int, record: HistoryRecord) -> tuple[Any, ...]:
    """The record's values in COLUMNS order."""
    values = {name: getattr(record, name) for name in _RECORD_FIELDS}
    values["import_id"], values["on_time"] = import_id, record.on_time
    values["status"] = record.status.value
    return tuple(values[name] for name in COLUMNS)


def _sqlite(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        sqlite_instant(v)
        if isinstance(v, datetime)
        else v.isoformat()
        if isinstance(v, date)
        else v
        for v in row
    )


class HistoryRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def open_import(self, source: str, digest: str, *, now: datetime) -> int:
        """A new import's id (its counts are written by `close_import`)."""
        row = {"source": source, "digest": digest, "imported_at": now, "records": 0, "missing": []}
        statement = insert(history_imports).values(row).returning(history_imports.c.id)
        return int(self._c.execute(statement).scalar_one())

    def import_with(self, digest: str) -> int | None:
        """The id of the import of the same file and mapping, if stored."""
        query = select(history_imports.c.id).where(history_imports.c.digest == digest)
        return self._c.execute(query).scalar_one_or_none()

    def delete_import(self, import_id: int) -> None:
        self._c.execute(delete(history_records).where(history_records.c.import_id == import_id))
        self._c.execute(delete(history_imports).where(history_imports.c.id == import_id))

    def close_import(self, import_id: int, records: int, missing: Counter[tuple[str, str]]) -> None:
        counts = [[name, text, n] for (name, text), n in sorted(missing.items())]
        statement = history_imports.update().where(history_imports.c.id == import_id)
        self._c.execute(statement.values(records=records, missing=counts))

    def add_records(self, import_id: int, records: Sequence[HistoryRecord]) -> None:
        """Insert a chunk; on SQLite through the driver with values pre-converted as
        SQLAlchemy would store them (UTC text instants), skipping per-value processing."""
        if not records:
            return
        rows = [_row(import_id, record) for record in records]
        if self._c.dialect.name != "sqlite":
            self._c.execute(
                insert(history_records), [dict(zip(COLUMNS, r, strict=True)) for r in rows]
            )
            return
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cycle_collector_paused():
            cursor.executemany(_SQLITE_INSERT, [_sqlite(r) for r in rows])

    def frame(self, *, channel: str | None = None, lane: str | None = None) -> pl.DataFrame:
        """Every stored record (optionally of one channel and/or lane), HISTORY_SCHEMA."""
        t = history_records
        query = select(*(t.c[name] for name in HISTORY_SCHEMA)).order_by(t.c.import_id, t.c.row)
        if channel is not None:
            query = query.where(t.c.channel == channel)
        if lane is not None:
            query = query.where(t.c.lane == lane)
        rows = self._c.execute(query).all()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in HISTORY_SCHEMA]
        return pl.DataFrame(
            {name: list(values) for name, values in zip(HISTORY_SCHEMA, columns, strict=True)},
            schema=HISTORY_SCHEMA,
        )
