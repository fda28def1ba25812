"""Tracking events and shipments the model emits, kept as columns until a port reads them.

    stage transition ─▶ EventCalendar (hour buckets) ─▶ hourly EventBatch ─▶ Tracker.record
    label created ─────────────────────────────────────▶ ShipmentBatch ─▶ Tracker.open

`EventBatch` and `ShipmentBatch` are `Sequence`s of domain objects built (and validated) on
access, so a port that only counts, or reads `columns`, never pays for millions of objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import overload

import numpy as np

from tradelane.domain.errors import ValidationError
from tradelane.domain.reroutes import Reroute
from tradelane.domain.shipments import Milestone, Shipment, TrackingEvent

__all__ = [
    "MILESTONES",
    "CountingTracker",
    "EventBatch",
    "EventCalendar",
    "EventColumns",
    "EventContext",
    "ShipmentBatch",
    "parcel_of",
    "tracking_number",
]

MILESTONES = tuple(Milestone)
CODE = {m: i for i, m in enumerate(MILESTONES)}
AT_DESTINATION = {
    Milestone.ARRIVED_DESTINATION_COUNTRY,
    Milestone.CUSTOMS_HOLD,
    Milestone.CUSTOMS_CLEARED,
}
INCIDENTS = {
    Milestone.CUSTOMS_HOLD: "held by customs",
    Milestone.EXCEPTION: "delivery attempt failed",
    Milestone.LOST: "declared lost by the carrier",
    Milestone.RETURNED: "refused at customs, returned to sender",
}


def tracking_number(parcel: int, serial: int) -> str:
    """Deterministic: the parcel's row and its label serial (a move makes a new label)."""
    return f"TL{parcel + 1:010d}-{serial}"


def parcel_of(number: str) -> int:
    """The parcel row of a simulated tracking number (the inverse of `tracking_number`)."""
    head, _, serial = number.partition("-")
    if not (head.startswith("TL") and head[2:].isdigit() and serial.isdigit()):
        raise ValidationError(
            "not a simulated tracking number", field="tracking_number", value=number
        )
    return int(head[2:]) - 1


@dataclass(frozen=True, eq=False)
class EventColumns:
    parcel: np.ndarray
    channel: np.ndarray
    serial: np.ndarray
    code: np.ndarray  # index into MILESTONES
    time_h: np.ndarray


FIELDS = ("parcel", "channel", "serial", "code", "time_h")  # EventColumns, time last


@dataclass(frozen=True, eq=False)
class EventContext:
    """What turns a row into a domain object: names per channel, country and port."""

    start: datetime
    channel_ids: tuple[str, ...]
    carriers: tuple[str, ...]
    origins: tuple[str, ...]
    countries: tuple[str, ...]
    ports: tuple[str, ...]
    port_of: np.ndarray  # (C, K)
    parcel_country: np.ndarray
    order_id: Callable[[int], str]


class EventCalendar:
    """Events scheduled at known times: future days in buckets, the current day kept sorted.

    Events are served in time order; events of one parcel at the same instant keep the order
    they were scheduled in (a stable sort), so a hold precedes its clearance.
    """

    def __init__(self) -> None:
        self._days: dict[int, list[EventColumns]] = {}
        self._current: EventColumns | None = None
        self.scheduled = 0

    def schedule(
        self,
        milestone: Milestone,
        parcel: np.ndarray,
        time_h: np.ndarray | float,
        channel: np.ndarray,
        serial: np.ndarray,
    ) -> None:
        if not len(parcel):
            return
        self.scheduled += len(parcel)
        code = np.full(len(parcel), CODE[milestone], dtype=np.int64)
        if np.ndim(time_h) == 0:
            times = np.full(len(parcel), float(time_h))
            chunk = EventColumns(parcel, channel, serial, code, times)
            self._days.setdefault(int(float(time_h) // 24.0), []).append(chunk)
            return
        times = np.asarray(time_h, dtype=np.float64)
        days = np.floor(times / 24.0).astype(np.int64)
        order = np.argsort(times, kind="stable")
        bounds = np.flatnonzero(np.diff(days[order])) + 1
        for part in np.split(order, bounds) if len(bounds) else [order]:
            chunk = EventColumns(parcel[part], channel[part], serial[part], code[part], times[part])
            self._days.setdefault(int(days[part[0]]), []).append(chunk)

    def pop_before(self, hour: int) -> EventColumns | None:
        """Every event before `hour`, in time order (ties: the order they were scheduled)."""
        due = sorted(day for day in self._days if day * 24 < hour)
        chunks = [chunk for day in due for chunk in self._days.pop(day)]
        if chunks:
            held = [self._current] if self._current is not None else []
            self._current = _merge([*held, *chunks])
        if self._current is None:
            return None
        current = self._current
        cut = int(np.searchsorted(current.time_h, hour, side="left"))
        if cut == 0:
            return None
        self._current = _slice(current, slice(cut, None)) if cut < len(current.time_h) else None
        return _slice(current, slice(0, cut))


def _merge(chunks: list[EventColumns]) -> EventColumns:
    joined = [np.concatenate([getattr(c, f) for c in chunks]) for f in FIELDS]
    order = np.argsort(joined[-1], kind="stable")
    return EventColumns(*(column[order] for column in joined))


def _slice(columns: EventColumns, part: slice) -> EventColumns:
    return EventColumns(*(getattr(columns, f)[part] for f in FIELDS))


class EventBatch(Sequence[TrackingEvent]):
    def __init__(self, columns: EventColumns, context: EventContext) -> None:
        self.columns = columns
        self.context = context

    def __len__(self) -> int:
        return len(self.columns.parcel)

    @overload
    def __getitem__(self, item: int) -> TrackingEvent: ...

    @overload
    def __getitem__(self, item: slice) -> Sequence[TrackingEvent]: ...

    def __getitem__(self, item: int | slice) -> TrackingEvent | Sequence[TrackingEvent]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        return self._event(range(len(self))[item])

    def __iter__(self) -> Iterator[TrackingEvent]:
        return (self._event(i) for i in range(len(self)))

    def milestone_counts(self) -> Counter[Milestone]:
        codes, counts = np.unique(self.columns.code, return_counts=True)
        return Counter({MILESTONES[c]: int(n) for c, n in zip(codes, counts, strict=True)})

    def _event(self, i: int) -> TrackingEvent:
        cols, ctx = self.columns, self.context
        parcel, channel = int(cols.parcel[i]), int(cols.channel[i])
        milestone = MILESTONES[int(cols.code[i])]
        country_ix = int(ctx.parcel_country[parcel])
        destination = milestone not in {
            Milestone.INFO_RECEIVED,
            Milestone.PICKED_UP,
            Milestone.DEPARTED_ORIGIN,
        }
        port = int(ctx.port_of[channel, country_ix])
        return TrackingEvent(
            carrier=ctx.carriers[channel],
            tracking_number=tracking_number(parcel, int(cols.serial[i])),
            occurred_at=ctx.start + timedelta(hours=float(cols.time_h[i])),
            milestone=milestone,
            status_code=f"SIM-{milestone.value.upper()}",
            status_text=milestone.value.replace("_", " "),
            location=ctx.ports[port] if milestone in AT_DESTINATION and port >= 0 else "",
            country=ctx.countries[country_ix] if destination else ctx.origins[channel],
            incident_reason=INCIDENTS.get(milestone),
            unknown_code=False,
        )


class ShipmentBatch(Sequence[Shipment]):
    """Labels created at one moment: parcel rows with their channel and serial."""

    def __init__(
        self,
        parcel: np.ndarray,
        channel: np.ndarray,
        serial: np.ndarray,
        label_h: float,
        promised_h: np.ndarray,
        context: EventContext,
    ) -> None:
        self.parcel, self.channel, self.serial = parcel, channel, serial
        self.label_h, self.promised_h, self.context = label_h, promised_h, context

    def __len__(self) -> int:
        return len(self.parcel)

    @overload
    def __getitem__(self, item: int) -> Shipment: ...

    @overload
    def __getitem__(self, item: slice) -> Sequence[Shipment]: ...

    def __getitem__(self, item: int | slice) -> Shipment | Sequence[Shipment]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        return self._shipment(range(len(self))[item])

    def __iter__(self) -> Iterator[Shipment]:
        return (self._shipment(i) for i in range(len(self)))

    def _shipment(self, i: int) -> Shipment:
        ctx, parcel, channel = self.context, int(self.parcel[i]), int(self.channel[i])
        return Shipment(
            tracking_number=tracking_number(parcel, int(self.serial[i])),
            order_id=ctx.order_id(parcel),
            channel_id=ctx.channel_ids[channel],
            carrier=ctx.carriers[channel],
            origin_country=ctx.origins[channel],
            destination_country=ctx.countries[int(ctx.parcel_country[parcel])],
            handed_over_at=ctx.start + timedelta(hours=self.label_h),
            promised_at=ctx.start + timedelta(hours=float(self.promised_h[i])),
        )


class CountingTracker:
    """A Tracker that stores nothing and counts what it is handed (for runs without a store)."""

    def __init__(self) -> None:
        self.shipments = 0
        self.events: Counter[Milestone] = Counter()
        self.calls = 0
        self.reroutes = 0

    def open(self, shipments: Sequence[Shipment], *, now: datetime) -> None:
        self.shipments += len(shipments)

    def record(self, events: Sequence[TrackingEvent], *, now: datetime) -> None:
        self.calls += 1
        if isinstance(events, EventBatch):
            self.events.update(events.milestone_counts())
        else:
            self.events.update(event.milestone for event in events)

    def reroute(self, reroutes: Sequence[Reroute], *, now: datetime) -> None:
        self.reroutes += len(reroutes)
