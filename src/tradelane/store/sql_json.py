"""`json_object(key, value, …)` built inside SQL on both databases.

SQLite spells it `json_object`, PostgreSQL `json_build_object`; keys are our own constants and
are rendered inline, values are any SQL expressions (nested `json_object`s nest as JSON).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import JSON, ColumnElement, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["json_bool", "json_object"]

_KEY = re.compile(r"^[a-z_]+$")


class _JsonObject(FunctionElement[Any]):
    type = JSON()
    inherit_cache = True


@compiles(_JsonObject)
def _sqlite(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(_JsonObject, "postgresql")
def _postgresql(element: _JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


def json_object(**values: ColumnElement[Any]) -> ColumnElement[Any]:
    """A JSON object whose keys are the keyword names (lower-case identifiers)."""
    arguments: list[ColumnElement[Any]] = []
    for key, value in values.items():
        if not _KEY.match(key):
            raise ValueError(f"json key {key!r} must be a lower-case identifier")
        arguments += [literal_column(f"'{key}'"), value]
    return _JsonObject(*arguments)


class json_bool(FunctionElement[Any]):
    """A boolean as a JSON `true`/`false` inside `json_object` (SQLite has no boolean type)."""

    type = JSON()
    inherit_cache = True
    name = "json_bool"


@compiles(json_bool)
def _bool_sqlite(element: json_bool, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"json(CASE WHEN {value} THEN 'true' ELSE 'false' END)"


@compiles(json_bool, "postgresql")
def _bool_postgresql(element: json_bool, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"
