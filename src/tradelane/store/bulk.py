"""Bulk inserts inside the caller's transaction: COPY on PostgreSQL, executemany elsewhere.

Values go through each column type's bind processing first, so COPY stores exactly what an
INSERT would (UTC timestamps, JSON text, exact decimals) and refuses what it would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

__all__ = ["COPY_FROM_ROWS", "insert_many"]

COPY_FROM_ROWS = 200  # below this, one multi-row INSERT is cheaper than setting up a COPY


def insert_many(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table`; never commits."""
    if not rows:
        return
    if connection.dialect.name != "postgresql" or len(rows) < COPY_FROM_ROWS:
        connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    fields = [(name, _processor(connection, table, name)) for name in columns]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    quoted = ", ".join(f'"{name}"' for name in columns)
    with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([process(row[name]) for name, process in fields])


def _processor(connection: Connection, table: Table, name: str) -> Callable[[Any], Any]:
    dialect = connection.dialect
    bind = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return bind if bind is not None else _as_is


def _as_is(value: Any) -> Any:
    return value
