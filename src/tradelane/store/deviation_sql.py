"""The deviation rules of `monitoring.rules` under a `MonitoringPlan`, as SQL over `shipments`.

Windows become cutoff times computed once per sweep (`now - window`), so every comparison is
`column <= bound value` and the same SQL runs on SQLite and PostgreSQL. The plan's lanes are
written to `sweep_lanes` at the start of each sweep (one off-peak and one peak row per lane),
so the statements themselves stay the same from sweep to sweep (compiled once, cached):

    … FROM shipments LEFT OUTER JOIN sweep_lanes AS lanes
           ON lanes.channel_id = shipments.channel_id
          AND lanes.country = shipments.destination_country
          AND lanes.peak = <handed over (else picked up) inside a peak window>
    cutoff = CASE WHEN lanes.channel_id IS NOT NULL THEN lanes.cutoff_…
                  ELSE <the configured scopes: channel/country CASE, most specific first> END

`breach` mirrors `monitoring.rules.is_breached` term by term and is never NULL, so
`NOT breach` is exactly "no longer breaching". Its static terms are those of the rule's partial
index (store/tables.py `shipment_watch_indexes`), so PostgreSQL reads only the candidates of
each rule; the sargable `anchor <= latest cutoff` bounds the index range. `revised_eta` is
`monitoring.revised_eta` over the lanes' leg hours, tested against `MonitoringPlan.revised_eta`;
a rule that needs the ETA past the promise (`promise_at_risk`) takes the same formula over the
lanes' quick-end legs (`quick_rem_k`), and never fires off the catalogue's lanes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    String,
    and_,
    case,
    cast,
    false,
    literal,
    literal_column,
    null,
    or_,
    true,
)
from sqlalchemy.sql.expression import FromClause

from tradelane.monitoring.legs import legs_done
from tradelane.monitoring.plan import MILESTONE_OF_LEGS, PEAK_ANCHORS, MonitoringPlan
from tradelane.monitoring.revised_eta import OUT_FOR_DELIVERY_LEAD_HOURS
from tradelane.monitoring.rules import RULES, Rule, TimeField
from tradelane.monitoring.thresholds import Scope, Thresholds
from tradelane.store.sql_time import hours_between, plus_hours
from tradelane.store.tables import shipments, sweep_lanes
from tradelane.store.types import UTCDateTime

__all__ = ["DeviationSql", "rule_summary"]

LEGS = 4
_OUT_FOR_DELIVERY_RANK = 6


class DeviationSql:
    """The plan's SQL at one sweep's `now`; `lane_rows` fill `sweep_lanes` for it."""

    def __init__(self, plan: MonitoringPlan, *, now: datetime) -> None:
        self.plan, self.now = plan, now
        self.lanes: FromClause | None = sweep_lanes.alias("lanes") if plan.lanes else None

    def lane_rows(self) -> list[dict[str, Any]]:
        """The `sweep_lanes` rows at `now`: each lane off-peak and in a peak."""
        return [
            _lane_row(
                lane.channel_id,
                lane.country,
                peak,
                *lane.for_peak(peak),
                lane.quick_legs(peak),
                self.now,
            )
            for lane in self.plan.lanes
            for peak in (False, True)
        ]

    def source(self, table: FromClause = shipments) -> FromClause:
        """`table` with its lane's row joined (left outer)."""
        if self.lanes is None:
            return table
        lanes = self.lanes.c
        on = and_(
            lanes.channel_id == table.c.channel_id,
            lanes.country == table.c.destination_country,
            lanes.peak == self._in_peak(table),
        )
        return table.outerjoin(self.lanes, on)

    def cutoff(self, rule: Rule, table: FromClause = shipments) -> ColumnElement[Any]:
        """Per shipment: the latest anchor time that breaches `rule` (NULL: rule off)."""
        return self._per_lane(
            f"cutoff_{rule.id.value}", table, lambda t: _cutoff(t.window(rule.id), self.now)
        )

    def floor_cutoff(self, rule: Rule, table: FromClause = shipments) -> ColumnElement[Any]:
        """Per shipment: the latest floor-anchor time past the rule's floor (NULL: no floor)."""
        return self._per_lane(
            f"floor_{rule.id.value}", table, lambda t: _cutoff(t.floor(rule.id), self.now)
        )

    def _every_thresholds(self) -> list[Thresholds]:
        every = [s.thresholds for s in self.plan.fallback]
        every += [t for lane in self.plan.lanes for t in (lane.thresholds, lane.peak_thresholds)]
        return every

    def latest_cutoff(self, rule: Rule) -> datetime | None:
        """The latest cutoff anywhere: a plain bound an index on the anchor can use."""
        windows = [w for t in self._every_thresholds() if (w := t.window(rule.id)) is not None]
        return self.now - min(windows) if windows else None

    def _has_floor(self, rule: Rule) -> bool:
        return any(t.floor(rule.id) is not None for t in self._every_thresholds())

    def breach(self, rule: Rule, table: FromClause = shipments) -> ColumnElement[bool]:
        """True when the shipment row breaks `rule` at `now`; never NULL."""
        columns = table.c
        anchor = columns[rule.anchor.value]
        cutoff = self.cutoff(rule, table)
        terms = [
            anchor.is_not(None),
            cutoff.is_not(None),
            anchor <= cutoff,
            columns.status_rank >= _inline(rule.min_rank),
            columns.status_rank < _inline(rule.below_rank),
        ]
        if rule.floor_anchor is not None and self._has_floor(rule):
            floor_at, floor = columns[rule.floor_anchor.value], self.floor_cutoff(rule, table)
            terms.append(or_(floor_at.is_(None), floor.is_(None), floor_at <= floor))
        if rule.eta_past_promise:
            terms += [columns.promised_at.is_not(None), self._eta_past_promise(table)]
        for clearance in rule.cleared_by:
            reached = columns[clearance.field.value]
            if clearance.not_before_anchor:
                terms.append(or_(reached.is_(None), reached < anchor))
            else:
                terms.append(reached.is_(None))
        return and_(*terms)

    def window_hours(self, rule: Rule, table: FromClause = shipments) -> ColumnElement[Any]:
        """The window that applies to the row, in hours (NULL: rule off)."""
        return hours_between(self.cutoff(rule, table), literal(self.now, UTCDateTime()))

    def revised_eta(self, table: FromClause = shipments) -> tuple[ColumnElement[Any], ...]:
        """(revised ETA, promise at risk) per row; ETA NULL where the lane is unknown."""
        columns, now = table.c, literal(self.now, UTCDateTime())
        promised = columns.promised_at
        passed = and_(promised.is_not(None), promised < now)
        if self.lanes is None:
            return cast(null(), UTCDateTime()), passed
        offset = self._eta_offset_hours(table)
        known = self.lanes.c.channel_id.is_not(None)
        eta = case((known, plus_hours(now, offset)), else_=null())
        late = and_(promised.is_not(None), offset > hours_between(now, promised))
        return eta, case((known, late), else_=passed)

    def _eta_past_promise(self, table: FromClause) -> ColumnElement[bool]:
        """The ETA over the lane's quick-end legs passes the promise (no lane: false); never
        NULL."""
        if self.lanes is None:
            return false()
        now = literal(self.now, UTCDateTime())
        offset = self._eta_offset_hours(table, remaining="quick_rem")
        past = offset > hours_between(now, table.c.promised_at)
        return case((and_(self.lanes.c.channel_id.is_not(None), past), true()), else_=false())

    def _eta_offset_hours(self, table: FromClause, remaining: str = "rem") -> ColumnElement[Any]:
        """Hours from `now` to the revised ETA (monitoring/revised_eta.py, term by term) over
        the lane's legs named `remaining` (`rem`: median, `quick_rem`: quick end)."""
        assert self.lanes is not None
        columns, now = table.c, literal(self.now, UTCDateTime())
        lanes = {k: self.lanes.c[f"{remaining}_{k}"] for k in range(LEGS)}
        done = _legs_done(columns.status_rank)
        since = case(
            *((done == k, _milestone_hours(table, k, now)) for k in range(LEGS + 1)), else_=0.0
        )
        ahead = case(*((done == k, lanes[k]) for k in range(LEGS)), else_=0.0)
        after_next = case(*((done == k, lanes[k + 1]) for k in range(LEGS - 1)), else_=0.0)
        on_schedule = since + ahead
        return case(
            (
                and_(columns.status_rank == _OUT_FOR_DELIVERY_RANK, done < LEGS),
                _greatest(since + OUT_FOR_DELIVERY_LEAD_HOURS, literal(0.0, Float())),
            ),
            (done >= LEGS, on_schedule),
            else_=_greatest(on_schedule, after_next),
        )

    def _per_lane(
        self,
        name: str,
        table: FromClause,
        value: Callable[[Thresholds], datetime | None],
    ) -> ColumnElement[Any]:
        fallback = _scoped(self.plan.fallback, value, table)
        if self.lanes is None:
            return fallback
        lanes = self.lanes.c
        return case((lanes.channel_id.is_not(None), lanes[name]), else_=fallback)

    def _in_peak(self, table: FromClause) -> ColumnElement[bool]:
        """Handed over (else picked up) inside a peak window; never NULL."""
        if not self.plan.peaks:
            return false()
        anchors = [table.c[f.value] for f in PEAK_ANCHORS]
        terms = []
        for i, anchor in enumerate(anchors):
            inside = or_(
                *(
                    and_(
                        anchor >= literal(start, UTCDateTime()),
                        anchor < literal(end, UTCDateTime()),
                    )
                    for start, end in self.plan.peaks
                )
            )
            earlier_missing = [a.is_(None) for a in anchors[:i]]
            terms.append(and_(*earlier_missing, anchor.is_not(None), inside))
        return case((or_(*terms), true()), else_=false())


def _cutoff(window: timedelta | None, now: datetime) -> datetime | None:
    return None if window is None else now - window


def _lane_row(
    channel_id: str,
    country: str,
    peak: bool,
    thresholds: Thresholds,
    legs: tuple[float, ...],
    quick_legs: tuple[float, ...],
    now: datetime,
) -> dict[str, Any]:
    row: dict[str, Any] = {"channel_id": channel_id, "country": country, "peak": peak}
    for rule in RULES:
        row[f"cutoff_{rule.id.value}"] = _cutoff(thresholds.window(rule.id), now)
        if rule.floor_anchor is not None:
            row[f"floor_{rule.id.value}"] = _cutoff(thresholds.floor(rule.id), now)
    row |= {f"rem_{k}": float(sum(legs[k:])) for k in range(LEGS)}
    row |= {f"quick_rem_{k}": float(sum(quick_legs[k:])) for k in range(LEGS)}
    return row


def _legs_done(status_rank: ColumnElement[Any]) -> ColumnElement[Any]:
    by_rank = {rank: int(legs_done(rank)) for rank in range(10)}
    whens = {rank: _inline(done) for rank, done in by_rank.items() if done}
    return case(whens, value=status_rank, else_=_inline(0))


def _milestone_hours(table: FromClause, k: int, now: ColumnElement[Any]) -> ColumnElement[Any]:
    """Hours from `now` to the milestone after k legs (0 when none is known)."""
    fields: Sequence[TimeField] = (*MILESTONE_OF_LEGS[k], TimeField.LAST_EVENT)
    columns = table.c
    whens = [(columns[f.value].is_not(None), hours_between(now, columns[f.value])) for f in fields]
    return case(*whens, else_=0.0)


def _greatest(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((a > b, a), else_=b)


def _in_scope(scope: Scope, table: FromClause) -> ColumnElement[bool]:
    terms = []
    if scope.channel_id is not None:
        terms.append(table.c.channel_id == scope.channel_id)
    if scope.country is not None:
        terms.append(table.c.destination_country == scope.country)
    return and_(true(), *terms)


def _scoped(
    scopes: Sequence[Scope],
    value: Callable[[Thresholds], datetime | None],
    table: FromClause,
) -> ColumnElement[Any]:
    def bound(thresholds: Thresholds) -> ColumnElement[Any]:
        return literal(value(thresholds), UTCDateTime())  # typed even when NULL

    *specific, default = scopes
    if not specific:
        return bound(default.thresholds)
    whens = [(_in_scope(s, table), bound(s.thresholds)) for s in specific]
    return case(*whens, else_=bound(default.thresholds))


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
