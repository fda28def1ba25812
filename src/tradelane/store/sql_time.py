"""Portable SQL for time arithmetic: hours between two timestamps, whole part of a number.

SQLite keeps timestamps as ISO text (see types.UTCDateTime), PostgreSQL as timestamptz; these
constructs compile to `julianday` arithmetic on the one and `EXTRACT(EPOCH ...)` on the other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["hours_between", "whole_part"]


class hours_between(FunctionElement[float]):
    """hours_between(start, end): (end - start) in hours, as a double."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


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


@compiles(whole_part, "sqlite")
def _whole_sqlite(element: whole_part, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _arguments(element, compiler, **kw)
    return f"CAST({value} AS INTEGER)"


@compiles(whole_part, "postgresql")
def _whole_postgresql(element: whole_part, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _arguments(element, compiler, **kw)
    return f"CAST(FLOOR({value}) AS INTEGER)"
