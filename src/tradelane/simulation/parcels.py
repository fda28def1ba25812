"""Per-parcel state of a season, its random draws, and the outcomes a run hands back.

One row per order (each order ships as one parcel). Times are hours after the scenario
start, NaN until known. The model may set a time ahead of the clock (a departure fixes the
arrival); `Outcomes` shows only what had happened by the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np

__all__ = ["MAX_CHOICES", "Fate", "Moves", "Outcomes", "ParcelDraws", "ParcelTable"]

MAX_CHOICES = 4  # primary + up to three backups kept per order


class Fate(IntEnum):
    IN_FLIGHT = 0
    DELIVERED = 1
    LOST = 2
    RETURNED = 3
    UNROUTED = 4  # no eligible channel: reported, never shipped


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan)


@dataclass(eq=False)
class ParcelTable:
    created_h: np.ndarray
    promised_h: np.ndarray
    country: np.ndarray  # index into the network's countries
    channel: np.ndarray  # current channel index, -1 before routing / when unrouted
    serial: np.ndarray  # labels created so far (a move to a backup makes a new label)
    first_label_h: np.ndarray
    label_h: np.ndarray
    pickup_h: np.ndarray
    depart_h: np.ndarray  # warehouse parcels leave at pickup
    arrive_h: np.ndarray
    cleared_h: np.ndarray
    delivered_h: np.ndarray
    end_h: np.ndarray  # when the fate becomes final (delivered, lost, returned, unrouted)
    fate: np.ndarray  # planned final Fate
    cents: np.ndarray  # shipping cost of the current label, in cents of the route currency
    held: np.ndarray  # had a customs hold
    notified: np.ndarray  # the customer was told of a channel change or a revised ETA
    first_alert_h: np.ndarray  # first alert the monitor opened on any of the parcel's labels
    choices: np.ndarray  # (N, MAX_CHOICES) channel indices of the route, -1 padded
    choice_cents: np.ndarray  # (N, MAX_CHOICES)

    @classmethod
    def empty(
        cls, created_h: np.ndarray, promised_h: np.ndarray, country: np.ndarray
    ) -> ParcelTable:
        n = len(created_h)
        return cls(
            created_h=created_h,
            promised_h=promised_h,
            country=country,
            channel=np.full(n, -1, dtype=np.int64),
            serial=np.zeros(n, dtype=np.int64),
            first_label_h=_nan(n),
            label_h=_nan(n),
            pickup_h=_nan(n),
            depart_h=_nan(n),
            arrive_h=_nan(n),
            cleared_h=_nan(n),
            delivered_h=_nan(n),
            end_h=_nan(n),
            fate=np.full(n, Fate.IN_FLIGHT, dtype=np.int8),
            cents=np.zeros(n, dtype=np.int64),
            held=np.zeros(n, dtype=bool),
            notified=np.zeros(n, dtype=bool),
            first_alert_h=_nan(n),
            choices=np.full((n, MAX_CHOICES), -1, dtype=np.int64),
            choice_cents=np.zeros((n, MAX_CHOICES), dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.created_h)


@dataclass(frozen=True, eq=False)
class ParcelDraws:
    """Every random number a parcel needs, drawn up front per parcel.

    Draws belong to the parcel, not to the order events happen in, so two runs that differ
    only in one channel's fortunes give every other parcel the same luck (common random
    numbers: strategy comparisons see less noise).
    """

    transit_z: np.ndarray
    extra_z: np.ndarray
    lost_line_haul_u: np.ndarray
    lost_last_mile_u: np.ndarray
    inspection_u: np.ndarray
    refused_u: np.ndarray
    failed_attempt_u: np.ndarray
    switch_u: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> ParcelDraws:
        normal = rng.standard_normal((2, n))
        uniform = rng.random((6, n))
        return cls(normal[0], normal[1], *uniform)


@dataclass(frozen=True, eq=False)
class Moves:
    """Parcels moved to another channel, before pickup or at the origin hub: one row per move."""

    parcel: np.ndarray
    from_channel: np.ndarray
    to_channel: np.ndarray
    at_h: np.ndarray


@dataclass(frozen=True, eq=False)
class Outcomes:
    """What had happened to every parcel by `horizon_h`: the arrays the report reads."""

    horizon_h: float
    created_h: np.ndarray
    promised_h: np.ndarray
    country: np.ndarray
    channel: np.ndarray
    first_label_h: np.ndarray
    label_h: np.ndarray
    pickup_h: np.ndarray
    depart_h: np.ndarray
    arrive_h: np.ndarray
    cleared_h: np.ndarray
    delivered_h: np.ndarray
    end_h: np.ndarray
    fate: np.ndarray
    cents: np.ndarray
    held: np.ndarray
    notified: np.ndarray
    first_alert_h: np.ndarray  # NaN: never alerted
    moves: Moves

    @classmethod
    def at_horizon(cls, table: ParcelTable, moves: Moves, horizon_h: float) -> Outcomes:
        seen: dict[str, np.ndarray] = {}
        for spec in fields(cls):
            if spec.name in {"horizon_h", "moves"}:
                continue
            values = getattr(table, spec.name).copy()
            if spec.name.endswith("_h") and spec.name not in {"created_h", "promised_h"}:
                values[values > horizon_h] = np.nan
            seen[spec.name] = values
        open_end = np.isnan(seen["end_h"])
        seen["fate"][open_end] = Fate.IN_FLIGHT
        return cls(horizon_h=horizon_h, moves=moves, **seen)

    def __len__(self) -> int:
        return len(self.created_h)
