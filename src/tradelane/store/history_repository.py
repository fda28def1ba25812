"""Imported delivery histories: write records in chunks, read them back as a Polars frame.

Each tenant reads, re-imports and deletes only its own imports (store/tenancy.py); records
are the tenant's through their import.

The frame's schema (HISTORY_SCHEMA) is the library contract other parts read history by
(scorecards, ETA models): one row per record, times tz-aware UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Connection, Select, delete, insert, select

from tradelane.domain.history import HistoryRecord
from tradelane.store.tables import history_imports, history_records
from tradelane.store.tenancy import CURRENT_TENANT, tenant_owns
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
SQLITE_INSTANT = "%Y-%m-%d %H:%M:%S%.f"
_SQLITE_RAW: dict[type, pl.DataType] = {
    pl.Datetime: pl.String(),
    pl.Date: pl.String(),
    pl.Boolean: pl.Int64(),
}
_RECORD_FIELDS = tuple(c for c in COLUMNS if c not in {"import_id", "on_time"})
_SQLITE_COLUMNS = (*COLUMNS, "tenant_id")  # the driver path stamps the tenant itself
_SQLITE_INSERT = (
    f"INSERT INTO history_records ({', '.join(_SQLITE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_SQLITE_COLUMNS))})"
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
        query = select(history_imports.c.id).where(
            history_imports.c.digest == digest, tenant_owns(history_imports.c.tenant_id)
        )
        return self._c.execute(query).scalar_one_or_none()

    def delete_import(self, import_id: int) -> None:
        """Delete one of the tenant's imports and its records (another tenant's: nothing)."""
        owned = _owned_import(history_records.c.import_id)
        self._c.execute(
            delete(history_records).where(history_records.c.import_id == import_id, owned)
        )
        self._c.execute(
            delete(history_imports).where(
                history_imports.c.id == import_id, tenant_owns(history_imports.c.tenant_id)
            )
        )

    def close_import(self, import_id: int, records: int, missing: Counter[tuple[str, str]]) -> None:
        counts = [[name, text, n] for (name, text), n in sorted(missing.items())]
        statement = history_imports.update().where(
            history_imports.c.id == import_id, tenant_owns(history_imports.c.tenant_id)
        )
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
            tenant = (CURRENT_TENANT.get(),)
            cursor.executemany(_SQLITE_INSERT, [_sqlite(r) + tenant for r in rows])

    def frame(self, *, channel: str | None = None, lane: str | None = None) -> pl.DataFrame:
        """The tenant's stored records (optionally of one channel and/or lane), HISTORY_SCHEMA."""
        t = history_records
        query = select(*(t.c[name] for name in COLUMNS)).where(_owned_import(t.c.import_id))
        query = query.order_by(t.c.import_id, t.c.row)
        if channel is not None:
            query = query.where(t.c.channel == channel)
        if lane is not None:
            query = query.where(t.c.lane == lane)
        if self._c.dialect.name == "sqlite":
            return _sqlite_frame(self._c, query)
        rows = self._c.execute(query).all()
        return pl.DataFrame(rows, schema=HISTORY_SCHEMA, orient="row")


def _owned_import(import_id: ColumnElement[int]) -> ColumnElement[bool]:
    """`import_id` is one of the open unit of work's tenant's imports."""
    owned = select(history_imports.c.id).where(tenant_owns(history_imports.c.tenant_id))
    return import_id.in_(owned)


def _sqlite_frame(connection: Connection, query: Select[Any]) -> pl.DataFrame:
    """Read SQLite's stored text through the driver and let Polars parse it: instants as
    SQLAlchemy writes them (sqlite_instant), days as ISO dates, booleans as 0/1."""
    compiled = query.compile(dialect=connection.dialect)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    rows = connection.exec_driver_sql(str(compiled), params).all()
    raw_schema = {name: _SQLITE_RAW.get(type(t), t) for name, t in HISTORY_SCHEMA.items()}
    frame = pl.DataFrame(rows, schema=raw_schema, orient="row")
    return frame.with_columns(
        *(pl.col(name).str.to_datetime(SQLITE_INSTANT, time_zone="UTC", time_unit="us")
          for name, dtype in HISTORY_SCHEMA.items() if dtype == UTC_TIME),
        *(pl.col(name).str.to_date("%Y-%m-%d")
          for name, dtype in HISTORY_SCHEMA.items() if dtype == pl.Date()),
        *(pl.col(name).cast(pl.Boolean)
          for name, dtype in HISTORY_SCHEMA.items() if dtype == pl.Boolean()),
    )  # fmt: skip
