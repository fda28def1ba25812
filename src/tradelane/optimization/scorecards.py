"""Channel scorecards: how shipments of one channel x lane x period really went.

    outcomes ─▶ group by the chosen key (channel, lane, period or any subset)
             ─▶ per group: on-time rate + Wilson interval, transit p50/p90, cost per parcel
                and per kg, exception and loss rates, tracking quality

Definitions (each figure over the shipments where it is known; None where none is):
- on_time_rate = on-time / shipments with a known outcome; interval: Wilson score (z = 1.96,
  95 %), Wilson (1927), "Probable inference ...", JASA 22; it stays inside [0, 1] and is sound
  for small counts, unlike the Wald interval.
- transit p50/p90: linear-interpolated percentiles of transit days (NumPy's default).
- cost_per_parcel = mean cost; cost_per_kg = sum of cost / sum of weight over the shipments
  with both (so heavy parcels weigh in proportion).
- exception_rate, loss_rate: share of the group's shipments.
- first_scan_hours_p50: median hours from hand-over to the first carrier scan;
  located_event_share: events with a location / all events; eta_error_days: mean absolute
  days between the last ETA given and the delivery.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

import numpy as np

__all__ = [
    "FIGURES",
    "Outcome",
    "ScoreKey",
    "Scorecard",
    "scorecards",
    "wilson_interval",
]

Z_95 = 1.959963984540054


class ScoreKey(StrEnum):
    CHANNEL = "channel"
    LANE = "lane"
    PERIOD = "period"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One shipment as scorecards see it; None where the source does not say."""

    channel: str
    lane: str
    period: str  # e.g. "2026-11" (the service chooses the calendar)
    on_time: bool | None = None
    transit_days: float | None = None
    cost: float | None = None  # one currency for every outcome scored together
    weight_kg: float | None = None
    exception: bool = False
    lost: bool = False
    first_scan_hours: float | None = None
    events: int = 0
    located_events: int = 0
    eta_error_days: float | None = None


@dataclass(frozen=True)
class Scorecard:
    key: dict[str, str]  # the grouping: {"channel": ..., "lane": ..., "period": ...}
    shipments: int
    on_time_known: int
    on_time_rate: float | None
    on_time_low: float | None
    on_time_high: float | None
    transit_p50_days: float | None
    transit_p90_days: float | None
    cost_per_parcel: float | None
    cost_per_kg: float | None
    exception_rate: float
    loss_rate: float
    first_scan_hours_p50: float | None
    located_event_share: float | None
    eta_error_days: float | None


FIGURES = tuple(field.name for field in fields(Scorecard) if field.name != "key")


def wilson_interval(successes: int, trials: int, *, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def scorecards(outcomes: Iterable[Outcome], by: Sequence[ScoreKey]) -> list[Scorecard]:
    """One scorecard per distinct value of the `by` fields (all outcomes in one group when
    `by` is empty), sorted by key."""
    groups: dict[tuple[str, ...], list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(tuple(getattr(outcome, k.value) for k in by), []).append(outcome)
    return [
        _score(dict(zip((k.value for k in by), key, strict=True)), groups[key])
        for key in sorted(groups)
    ]


def _score(key: dict[str, str], group: list[Outcome]) -> Scorecard:
    known = [o.on_time for o in group if o.on_time is not None]
    hits = sum(known)
    low, high = wilson_interval(hits, len(known)) if known else (None, None)
    transit = _values(o.transit_days for o in group)
    costs = _values(o.cost for o in group)
    weighed = [(o.cost, o.weight_kg) for o in group if o.cost is not None and o.weight_kg]
    kilos = sum(w for _, w in weighed if w is not None)
    events = sum(o.events for o in group)
    return Scorecard(
        key=key,
        shipments=len(group),
        on_time_known=len(known),
        on_time_rate=hits / len(known) if known else None,
        on_time_low=low,
        on_time_high=high,
        transit_p50_days=_percentile(transit, 50),
        transit_p90_days=_percentile(transit, 90),
        cost_per_parcel=float(costs.mean()) if costs.size else None,
        cost_per_kg=sum(c for c, _ in weighed if c is not None) / kilos if kilos else None,
        exception_rate=sum(o.exception for o in group) / len(group),
        loss_rate=sum(o.lost for o in group) / len(group),
        first_scan_hours_p50=_percentile(_values(o.first_scan_hours for o in group), 50),
        located_event_share=sum(o.located_events for o in group) / events if events else None,
        eta_error_days=_mean_abs(_values(o.eta_error_days for o in group)),
    )


def _values(values: Iterable[float | None]) -> np.ndarray:
    return np.array([v for v in values if v is not None], dtype=float)


def _percentile(values: np.ndarray, q: float) -> float | None:
    return float(np.percentile(values, q)) if values.size else None


def _mean_abs(values: np.ndarray) -> float | None:
    return float(np.abs(values).mean()) if values.size else None
