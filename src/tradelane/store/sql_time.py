"""Portable SQL for time arithmetic: hours between two timestamps, a timestamp plus hours,
whole part of a number.

SQLite keeps timestamps as ISO text (see types.UTCDateTime), PostgreSQL as timestamptz; these
constructs compile to `julianday` arithmetic on the one and `EXTRACT(EPOCH ...)` on the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from tradelane.store.types import UTCDateTime

__all__ = ["hours_between", "iso_text", "plus_hours", "whole_part"]


class hours_between(FunctionElement[float]):
    """hours_between(start, end): (end - start) in hours, as a double."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


class plus_hours(FunctionElement[datetime]):
    """plus_hours(moment, hours): the timestamp `hours` (a double, may be negative) later,
    to the second."""

    type = UTCDateTime()
    inherit_cache = True
    name = "plus_hours"


class iso_text(FunctionElement[str]):
    """iso_text(moment): ISO 8601 UTC text to the second, `2026-12-01T09:00:00Z` (NULL stays)."""

    type = String()
    inherit_cache = True
    name = "iso_text"


class whole_part(FunctionElement[int]):
    """whole_part(x): floor(x) as an integer, for x >= 0."""

    type = Integer()
    inherit_cache = True
    name = "whole_part"


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _arguments(element, compiler, **kw)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _arguments(element, compiler, **kw)
    # date_part is double precision; EXTRACT returns numeric (PostgreSQL 14+), several x slower
    return f"((date_part('epoch', {end}) - date_part('epoch', {start})) / 3600.0)"


@compiles(plus_hours, "sqlite")
def _plus_sqlite(element: plus_hours, compiler: SQLCompiler, **kw: Any) -> str:
    moment, hours = _arguments(element, compiler, **kw)
    return f"datetime(julianday({moment}) + ({hours}) / 24.0)"


@compiles(plus_hours, "postgresql")
def _plus_postgresql(element: plus_hours, compiler: SQLCompiler, **kw: Any) -> str:
    moment, hours = _arguments(element, compiler, **kw)
    return f"date_trunc('second', {moment} + ({hours}) * interval '1 hour')"


@compiles(iso_text, "sqlite")
def _iso_sqlite(element: iso_text, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {moment})"


@compiles(iso_text, "postgresql")
def _iso_postgresql(element: iso_text, compiler: SQLCompiler, **kw: Any) -> str:
    (moment,) = _arguments(element, compiler, **kw)
    return f"to_char({moment} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


@compiles(whole_part, "sqlite")
def _whole_sqlite(element: whole_part, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _arguments(element, compiler, **kw)
    return f"CAST({value} AS INTEGER)"


@compiles(whole_part, "postgresql")
def _whole_postgresql(element: whole_part, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _arguments(element, compiler, **kw)
    return f"CAST(FLOOR({value}) AS INTEGER)"
