"""Scorecards per channel x lane x period from stored shipments and imported history.

    stored shipments (store/scorecard_rows) ─┐
    imported history (history_records)  ─────┴▶ Outcome per shipment ─▶ optimization.scorecards
                                                                      ─▶ Scorecard / Polars frame

A stored shipment is on time when delivered by its promise; lost or returned, or still
undelivered after its promise at `as_of`, it is late; otherwise its outcome is unknown. A
history record's outcome is its `on_time` (domain/history.py); cancelled records are left out.
Costs are converted to the settlement currency with the FX table (a cost without currency is
taken to be in it); one the table cannot convert counts as unknown. Periods are calendar
months, ISO weeks or quarters (UTC) of the hand-over, else of the scheduled or delivered date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from enum import StrEnum

import polars as pl

from tradelane.domain.history import HistoryStatus, span_days
from tradelane.domain.shipments import Milestone
from tradelane.optimization.scorecards import FIGURES, Outcome, Scorecard, ScoreKey, scorecards
from tradelane.selection.conditions import FxTable
from tradelane.store.scorecard_rows import ShipmentScoreRow, shipment_score_rows
from tradelane.store.uow import UnitOfWork

__all__ = [
    "PeriodUnit",
    "ScoreSource",
    "channel_scorecards",
    "scorecard_frame",
    "shipment_outcome",
]

HOURS_PER_DAY = 24.0
UNKNOWN = "unknown"


class PeriodUnit(StrEnum):
    MONTH = "month"  # 2026-11
    WEEK = "week"  # 2026-W48 (ISO week)
    QUARTER = "quarter"  # 2026-Q4


class ScoreSource(StrEnum):
    ALL = "all"
    SHIPMENTS = "shipments"
    HISTORY = "history"


def channel_scorecards(
    *,
    uow: UnitOfWork,
    by: Sequence[ScoreKey],
    fx: FxTable,
    as_of: datetime,
    source: ScoreSource = ScoreSource.ALL,
    period: PeriodUnit = PeriodUnit.MONTH,
) -> list[Scorecard]:
    """Scorecards grouped by `by` (channel, lane, period; any subset, in that order)."""
    with uow:
        outcomes: list[Outcome] = []
        if source is not ScoreSource.HISTORY:
            rows = shipment_score_rows(uow.connection)
            outcomes += (shipment_outcome(row, fx, as_of, period) for row in rows)
        if source is not ScoreSource.SHIPMENTS:
            outcomes += _history_outcomes(uow.history.frame(), fx, period)
    return scorecards(outcomes, by)


def scorecard_frame(
    cards: Sequence[Scorecard], by: Sequence[ScoreKey], currency: str
) -> pl.DataFrame:
    """One row per scorecard: the `by` columns, FIGURES, and the cost currency."""
    columns: dict[str, list[object]] = {key.value: [c.key[key.value] for c in cards] for key in by}
    for name in FIGURES:
        columns[name] = [getattr(card, name) for card in cards]
    columns["currency"] = [currency] * len(cards)
    schema: dict[str, pl.DataType] = {key.value: pl.String() for key in by}
    schema |= {name: pl.Float64() for name in FIGURES} | {"currency": pl.String()}
    schema |= {"shipments": pl.Int64(), "on_time_known": pl.Int64()}
    return pl.DataFrame(columns, schema=schema)


def shipment_outcome(
    row: ShipmentScoreRow, fx: FxTable, as_of: datetime, period: PeriodUnit = PeriodUnit.MONTH
) -> Outcome:
    """A stored shipment as scorecards and experiments score it (module docstring)."""
    cost = None
    if row.cost_amount is not None:
        cost = _settled(float(row.cost_amount), row.cost_currency, fx)
    return Outcome(
        channel=row.channel_id,
        lane=row.country or UNKNOWN,
        period=_period(period, row.handed_over_at, row.promised_at, row.delivered_at),
        on_time=_shipment_on_time(row, as_of),
        transit_days=span_days(row.handed_over_at, row.delivered_at),
        cost=cost,
        weight_kg=row.weight_kg,
        exception=row.exception_at is not None or row.status == Milestone.EXCEPTION,
        lost=row.status == Milestone.LOST,
        first_scan_hours=_first_scan_hours(row),
        events=row.events,
        located_events=row.located_events,
        eta_error_days=span_days(row.last_eta_at, row.delivered_at),
    )


def _shipment_on_time(row: ShipmentScoreRow, as_of: datetime) -> bool | None:
    if row.status in (Milestone.LOST, Milestone.RETURNED):
        return False
    if row.promised_at is None:
        return None
    if row.delivered_at is not None:
        return row.delivered_at <= row.promised_at
    return False if row.promised_at < as_of else None


def _first_scan_hours(row: ShipmentScoreRow) -> float | None:
    """Hours from hand-over to the first scan; a scan before the hand-over (label data sent
    ahead) counts as zero."""
    days = span_days(row.handed_over_at, row.first_event_at)
    return None if days is None else max(days * HOURS_PER_DAY, 0.0)


def _history_outcomes(frame: pl.DataFrame, fx: FxTable, period: PeriodUnit) -> Iterator[Outcome]:
    for r in frame.iter_rows(named=True):
        if r["status"] == HistoryStatus.CANCELLED:
            continue
        cost = None if r["cost"] is None else _settled(r["cost"], r["currency"], fx)
        yield Outcome(
            channel=r["channel"],
            lane=r["lane"],
            period=_period(period, r["shipped_at"], r["scheduled_at"], r["delivered_at"]),
            on_time=r["on_time"],
            transit_days=r["transit_days"],
            cost=cost,
            weight_kg=r["weight_kg"],
            exception=r["status"] == HistoryStatus.EXCEPTION,
            lost=r["status"] == HistoryStatus.LOST,
        )


def _settled(amount: float, currency: str | None, fx: FxTable) -> float | None:
    if currency is None:
        return amount
    return fx.to_settlement(amount, currency) if fx.converts(currency) else None


def _period(unit: PeriodUnit, *moments: datetime | None) -> str:
    """The period (UTC calendar) of the first known moment; "unknown" when none is."""
    first = next((m for m in moments if m is not None), None)
    if first is None:
        return UNKNOWN
    if unit is PeriodUnit.WEEK:
        year, week, _ = first.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit is PeriodUnit.QUARTER:
        return f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year:04d}-{first.month:02d}"
