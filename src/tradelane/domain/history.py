"""Delivery history: one past shipment as a user's own system recorded it (any export).

A record keeps what the source wrote (channel and lane names as given, after the mapping's
`values` translation) and what follows from it:

    transit_days  = the mapped value, else delivered_at - shipped_at (days, fractional)
    promised_days = the mapped value, else scheduled_at - shipped_at
    on_time       = delivered on or before the scheduled day (local dates of the mapping's
                    zone), else transit_days <= promised_days; None when neither is known;
                    False for a lost or returned parcel; None while in transit or cancelled

Statuses: delivered, in_transit, exception, lost, returned, cancelled. A cancelled record never
shipped; scorecards leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = ["HistoryRecord", "HistoryStatus", "on_time", "span_days"]

SECONDS_PER_DAY = 86_400.0


class HistoryStatus(StrEnum):
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    EXCEPTION = "exception"
    LOST = "lost"
    RETURNED = "returned"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One imported shipment. Times are tz-aware UTC; `scheduled_day` / `delivered_day` are
    the local calendar days of the source (what "on time" compares)."""

    row: int  # line of the source file the record came from
    channel: str
    lane: str
    status: HistoryStatus
    order_id: str | None = None
    mode: str | None = None
    shipped_at: datetime | None = None
    scheduled_at: datetime | None = None
    delivered_at: datetime | None = None
    scheduled_day: date | None = None
    delivered_day: date | None = None
    transit_days: float | None = None
    promised_days: float | None = None
    weight_kg: float | None = None
    cost: float | None = None
    currency: str | None = None

    @property
    def on_time(self) -> bool | None:
        return on_time(self)


def span_days(start: datetime | None, end: datetime | None) -> float | None:
    """Days from `start` to `end` (fractional), None when either is unknown."""
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / SECONDS_PER_DAY


def on_time(record: HistoryRecord) -> bool | None:
    """Delivered by the scheduled day, else within the promised days; None when unknown."""
    if record.status in (HistoryStatus.IN_TRANSIT, HistoryStatus.CANCELLED):
        return None
    if record.status in (HistoryStatus.LOST, HistoryStatus.RETURNED):
        return False
    if record.delivered_day is not None and record.scheduled_day is not None:
        return record.delivered_day <= record.scheduled_day
    if record.transit_days is not None and record.promised_days is not None:
        return record.transit_days <= record.promised_days
    return None
