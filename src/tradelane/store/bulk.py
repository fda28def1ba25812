"""Bulk inserts inside the caller's transaction: COPY on PostgreSQL for big batches, else one
executemany of plain tuples through the driver.

Values go through each column type's bind processing first, so COPY and the driver store
exactly what a Core INSERT would (UTC timestamps, JSON text, exact decimals) and refuse what it
would refuse, without Core's per-row parameter work (the larger part of a 100-order import's
time). A table with a tenant_id gets the open unit of work's tenant on rows that name none,
as a Core INSERT would give it (store/tenancy.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

from tradelane.store.tenancy import CURRENT_TENANT

__all__ = ["COPY_FROM_ROWS", "insert_many"]

COPY_FROM_ROWS = 200  # below this, one executemany is cheaper than setting up a COPY
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_many(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table`; never commits."""
    if not rows:
        return
    columns = list(rows[0])
    if "tenant_id" in table.c and "tenant_id" not in columns:
        columns.append("tenant_id")
    tenant = CURRENT_TENANT.get()
    fields = [(name, _processor(connection, table, name)) for name in columns]
    values = (
        [
            process(row.get(name, tenant) if name == "tenant_id" else row[name])
            for name, process in fields
        ]
        for row in rows
    )
    quoted = ", ".join(f'"{name}"' for name in columns)
    dialect = connection.dialect
    if dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in values:
                copy.write_row(row)
        return
    mark = _PLACEHOLDERS.get(dialect.paramstyle)
    if mark is None:  # a driver of another parameter style: Core does the binding
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in values])
        return
    marks = ", ".join([mark] * len(columns))
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    connection.exec_driver_sql(statement, [tuple(row) for row in values])


def _processor(connection: Connection, table: Table, name: str) -> Callable[[Any], Any]:
    dialect = connection.dialect
    bind = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return bind if bind is not None else _as_is


def _as_is(value: Any) -> Any:
    return value
