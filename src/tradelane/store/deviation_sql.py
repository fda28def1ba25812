"""The deviation rules of `monitoring.rules` as SQL over the `shipments` projection.

Windows become cutoff times computed once per sweep (`now - window`), so every comparison is
`column <= bound value` and the same SQL runs on SQLite and PostgreSQL. Per-channel and
per-lane windows become one CASE over the configured scopes, most specific first:

    CASE WHEN channel_id = 'cn-eu-truck' AND destination_country = 'DE' THEN :cutoff_1
         WHEN channel_id = 'cn-eu-truck' THEN :cutoff_2
         ELSE :cutoff_default END

`breach_condition` mirrors `monitoring.rules.is_breached` term by term and is never NULL, so
`NOT breach_condition` is exactly "no longer breaching". Its static terms are those of the
rule's partial index (store/tables.py `shipment_watch_indexes`), so PostgreSQL reads only the
candidates of each rule; the sargable `anchor <= latest cutoff` bounds the index range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    String,
    and_,
    case,
    literal,
    literal_column,
    null,
    or_,
    true,
)
from sqlalchemy.sql.expression import FromClause
from sqlalchemy.types import TypeEngine

from tradelane.monitoring.rules import Rule
from tradelane.monitoring.thresholds import Scope, Thresholds
from tradelane.store.tables import shipments
from tradelane.store.types import UTCDateTime

__all__ = [
    "breach_condition",
    "latest_cutoff",
    "rule_summary",
    "scoped_cutoff",
    "scoped_window_hours",
]


def _in_scope(scope: Scope, table: FromClause) -> ColumnElement[bool]:
    terms = []
    if scope.channel_id is not None:
        terms.append(table.c.channel_id == scope.channel_id)
    if scope.country is not None:
        terms.append(table.c.destination_country == scope.country)
    return and_(true(), *terms)


def _scoped(
    scopes: Sequence[Scope],
    value: Callable[[Thresholds], Any],
    type_: TypeEngine[Any],
    table: FromClause,
) -> ColumnElement[Any]:
    def bound(thresholds: Thresholds) -> ColumnElement[Any]:
        found = value(thresholds)
        return null() if found is None else literal(found, type_)

    *specific, default = scopes
    if not specific:
        return bound(default.thresholds)
    whens = [(_in_scope(s, table), bound(s.thresholds)) for s in specific]
    return case(*whens, else_=bound(default.thresholds))


def scoped_cutoff(
    rule: Rule, scopes: Sequence[Scope], *, now: datetime, table: FromClause = shipments
) -> ColumnElement[Any]:
    """Per shipment: the latest anchor time that breaches `rule` at `now` (NULL: rule off)."""

    def cutoff(thresholds: Thresholds) -> datetime | None:
        window = thresholds.window(rule.id)
        return None if window is None else now - window

    return _scoped(scopes, cutoff, UTCDateTime(), table)


def latest_cutoff(rule: Rule, scopes: Sequence[Scope], *, now: datetime) -> datetime | None:
    """The latest cutoff of any scope: a plain bound an index on the anchor can use."""
    windows = [w for s in scopes if (w := s.thresholds.window(rule.id)) is not None]
    return now - min(windows) if windows else None


def scoped_window_hours(rule: Rule, scopes: Sequence[Scope]) -> ColumnElement[Any]:
    def hours(thresholds: Thresholds) -> float | None:
        window = thresholds.window(rule.id)
        return None if window is None else window.total_seconds() / 3600

    return _scoped(scopes, hours, Float(), shipments)


def breach_condition(
    rule: Rule, cutoff: ColumnElement[Any], *, table: FromClause = shipments
) -> ColumnElement[bool]:
    """True when the shipment row breaks `rule` given its `cutoff`; never NULL."""
    columns = table.c
    anchor = columns[rule.anchor.value]
    terms = [
        anchor.is_not(None),
        cutoff.is_not(None),
        anchor <= cutoff,
        columns.status_rank >= _inline(rule.min_rank),
        columns.status_rank < _inline(rule.below_rank),
    ]
    for clearance in rule.cleared_by:
        reached = columns[clearance.field.value]
        if clearance.not_before_anchor:
            terms.append(or_(reached.is_(None), reached < anchor))
        else:
            terms.append(reached.is_(None))
    return and_(*terms)


def _inline(number: int) -> ColumnElement[Any]:
    """A constant written into the SQL, so PostgreSQL can match partial-index predicates."""
    return literal_column(str(int(number)))


def rule_summary(rule_column: ColumnElement[Any], rules: Sequence[Rule]) -> ColumnElement[Any]:
    """The rule's one-line summary for a column holding rule ids."""
    return case(
        {r.id.value: literal(r.summary, String()) for r in rules},
        value=rule_column,
        else_=literal("", String()),
    )
