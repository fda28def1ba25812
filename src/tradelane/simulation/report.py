"""Figures of a season per strategy, computed from the run's per-parcel outcomes only.

Definitions (hours after the scenario start; `horizon` ends the run):
- shipped: orders that got a label; unrouted orders are counted apart.
- decided: shipped orders delivered, lost or returned by the horizon, or whose promise passed.
- on-time rate: delivered by the promise / decided. The disruption variant counts only
  orders created while a disruption was in force.
- delivered cost: the label cost of every delivered parcel, in the run's currency.
- p50 / p90 delivery days: created -> delivered, delivered parcels only.
- backlog: parcels labelled on a channel that have not departed its origin, counted at 45
  minutes past each hour; a parcel moved to a backup counts on each channel in turn.
- time to detect: per disruption, the first detection (monitor alert or desk sighting) on a
  channel it touches, at or after its start.
- missed promise: a decided order not delivered by its promise (delivered late, lost,
  returned, or still undelivered when the promise passed).
- alerted parcel: one on whose labels the monitor opened at least one alert; its alert time is
  the first of them (`Outcomes.first_alert_h`).
- alert precision: decided alerted parcels that missed their promise / decided alerted parcels.
- early-warning recall: parcels that missed their promise and were alerted strictly before
  the promise passed / parcels that missed their promise.
- warning lead time: promise minus first alert, in hours, of the parcels counted as warned
  early by the recall; the report gives the median.
- share of the oracle's gain: (on-time in disruption - primary only's) / (the oracle's -
  primary only's); shown only when both ran and the oracle gains at least MIN_ORACLE_GAIN.
Precision, recall and lead time are None for a run that alerted no parcel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from tradelane.simulation.parcels import Fate, Outcomes
from tradelane.simulation.run import SeasonRun

__all__ = [
    "BACKLOG_SAMPLE_MINUTE",
    "MIN_ORACLE_GAIN",
    "AlertQuality",
    "StrategySummary",
    "alert_quality",
    "backlog_by_channel",
    "oracle_gain_shares",
    "summarize",
    "summarize_runs",
]

BACKLOG_SAMPLE_MINUTE = 45
MIN_ORACLE_GAIN = 0.001  # on-time in disruption: below a tenth of a point there is no gain


@dataclass(frozen=True)
class AlertQuality:
    alerted_parcels: int
    precision: float | None
    early_warning_recall: float | None
    median_lead_hours: float | None


@dataclass(frozen=True)
class StrategySummary:
    strategy: str
    orders: int
    shipped: int
    delivered: int
    lost: int
    returned: int
    in_flight: int
    unrouted: int
    on_time_rate: float
    on_time_in_disruption: float | None
    delivered_cost: Decimal
    currency: str
    p50_days: float | None
    p90_days: float | None
    peak_backlog: int
    peak_backlog_at_h: float
    alerts: int
    detect_hours: tuple[float | None, ...]  # per disruption; None: never detected
    switches: int
    customers_notified: int
    alert_quality: AlertQuality
    oracle_gain_share: float | None = None  # set by `summarize_runs` when an oracle ran

    @property
    def cost_per_delivered(self) -> Decimal | None:
        if not self.delivered:
            return None
        return (self.delivered_cost / self.delivered).quantize(Decimal("0.01"))

    @property
    def mean_detect_hours(self) -> float | None:
        found = [h for h in self.detect_hours if h is not None]
        return sum(found) / len(found) if found else None


def summarize(run: SeasonRun) -> StrategySummary:
    o = run.outcomes
    fate = o.fate
    shipped = fate != Fate.UNROUTED
    delivered = fate == Fate.DELIVERED
    days = (o.delivered_h[delivered] - o.created_h[delivered]) / 24.0
    backlog = backlog_by_channel(o, len(run.channel_ids)).sum(axis=1)
    peak_hour = int(np.argmax(backlog)) if len(backlog) else 0
    return StrategySummary(
        strategy=run.strategy.value,
        orders=len(o),
        shipped=int(shipped.sum()),
        delivered=int(delivered.sum()),
        lost=int((fate == Fate.LOST).sum()),
        returned=int((fate == Fate.RETURNED).sum()),
        in_flight=int((fate == Fate.IN_FLIGHT).sum()),
        unrouted=int((fate == Fate.UNROUTED).sum()),
        on_time_rate=on_time_rate(o, np.ones(len(o), dtype=bool)) or 0.0,
        on_time_in_disruption=on_time_rate(o, _created_in_disruption(run)),
        delivered_cost=Decimal(int(o.cents[delivered].sum())).scaleb(-2),
        currency=run.currency,
        p50_days=float(np.percentile(days, 50)) if len(days) else None,
        p90_days=float(np.percentile(days, 90)) if len(days) else None,
        peak_backlog=int(backlog[peak_hour]) if len(backlog) else 0,
        peak_backlog_at_h=peak_hour + BACKLOG_SAMPLE_MINUTE / 60,
        alerts=sum(d.alerts for d in run.detections if d.source == "monitor"),
        detect_hours=detect_hours(run),
        switches=sum(1 for s in run.switches if s.opens),
        customers_notified=int(o.notified.sum()),
        alert_quality=alert_quality(o),
    )


def summarize_runs(runs: Sequence[SeasonRun]) -> list[StrategySummary]:
    """Each run's summary, with its share of the oracle's gain when the runs include one."""
    summaries = [summarize(run) for run in runs]
    shares = oracle_gain_shares(summaries)
    return [replace(s, oracle_gain_share=share) for s, share in zip(summaries, shares, strict=True)]


def oracle_gain_shares(summaries: Sequence[StrategySummary]) -> list[float | None]:
    """Per summary: its share of the oracle's gain over primary only on on-time in disruption."""
    by_name = {s.strategy: s.on_time_in_disruption for s in summaries}
    oracle, primary = by_name.get("oracle"), by_name.get("primary_only")
    if oracle is None or primary is None or oracle - primary < MIN_ORACLE_GAIN:
        return [None] * len(summaries)
    return [
        None
        if s.on_time_in_disruption is None
        else (s.on_time_in_disruption - primary) / (oracle - primary)
        for s in summaries
    ]


def decided(o: Outcomes) -> np.ndarray:
    """Shipped orders delivered, lost or returned by the horizon, or whose promise passed."""
    shipped = o.fate != Fate.UNROUTED
    finished = np.isin(o.fate, [Fate.DELIVERED, Fate.LOST, Fate.RETURNED])
    found: np.ndarray = shipped & (finished | (o.promised_h <= o.horizon_h))
    return found


def delivered_on_time(o: Outcomes) -> np.ndarray:
    found: np.ndarray = (o.fate == Fate.DELIVERED) & (o.delivered_h <= o.promised_h)
    return found


def on_time_rate(o: Outcomes, among: np.ndarray) -> float | None:
    """Delivered by the promise / decided, among the selected orders (None: none decided)."""
    chosen = among & decided(o)
    count = int(chosen.sum())
    return int((chosen & delivered_on_time(o)).sum()) / count if count else None


def alert_quality(o: Outcomes) -> AlertQuality:
    """Alert precision, early-warning recall and median lead time (module docstring)."""
    judged = decided(o)
    missed = judged & ~delivered_on_time(o)
    alerted = ~np.isnan(o.first_alert_h)
    if not alerted.any():
        return AlertQuality(0, None, None, None)
    alerted_judged = int((alerted & judged).sum())
    warned = missed & alerted & (o.first_alert_h < o.promised_h)
    lead_h = o.promised_h[warned] - o.first_alert_h[warned]
    return AlertQuality(
        alerted_parcels=int(alerted.sum()),
        precision=int((alerted & missed).sum()) / alerted_judged if alerted_judged else None,
        early_warning_recall=int(warned.sum()) / int(missed.sum()) if missed.any() else None,
        median_lead_hours=float(np.median(lead_h)) if len(lead_h) else None,
    )


def _created_in_disruption(run: SeasonRun) -> np.ndarray:
    created = run.outcomes.created_h
    inside = np.zeros(len(created), dtype=bool)
    for span in run.disruptions:
        inside |= (created >= span.start_h) & (created < span.end_h)
    return inside


def detect_hours(run: SeasonRun) -> tuple[float | None, ...]:
    found: list[float | None] = []
    for span in run.disruptions:
        seen = [
            d.at_h
            for d in run.detections
            if d.channel_id in span.channel_ids and d.at_h >= span.start_h
        ]
        found.append(min(seen) - span.start_h if seen else None)
    return tuple(found)


def backlog_by_channel(o: Outcomes, channels: int) -> np.ndarray:
    """(hours, channels) parcels labelled and not departed at hh:45 of each hour."""
    hours = int(o.horizon_h)
    channel, start, end = _channel_segments(o)
    sample = BACKLOG_SAMPLE_MINUTE / 60
    first = np.clip(np.ceil(start - sample), 0, hours).astype(np.int64)
    stop = np.clip(np.ceil(np.nan_to_num(end, nan=np.inf) - sample), 0, hours).astype(np.int64)
    diff = np.zeros((channels, hours + 1), dtype=np.int64)
    np.add.at(diff, (channel, first), 1)
    np.add.at(diff, (channel, stop), -1)
    return np.cumsum(diff, axis=1)[:, :hours].T


def _channel_segments(o: Outcomes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(channel, start_h, end_h) of each stay of a parcel on a channel before departure."""
    routed = np.flatnonzero(o.fate != Fate.UNROUTED)
    moves = o.moves
    order = np.lexsort((moves.at_h, moves.parcel))
    parcel, from_ch, at_h = moves.parcel[order], moves.from_channel[order], moves.at_h[order]
    first_of_parcel = np.diff(parcel, prepend=-1) != 0
    move_start = np.where(first_of_parcel, o.first_label_h[parcel], np.r_[0.0, at_h[:-1]])
    last_move_at = np.full(len(o.created_h), np.nan)
    last_move_at[parcel] = at_h  # sorted by time: the last write is the last move
    final_start = np.where(
        np.isnan(last_move_at[routed]), o.first_label_h[routed], last_move_at[routed]
    )
    return (
        np.concatenate([from_ch, o.channel[routed]]),
        np.concatenate([move_start, final_start]),
        np.concatenate([at_h, o.depart_h[routed]]),
    )
