"""One line of a replenishment plan: a SKU's forecast demand in a warehouse's markets, placed.

DemandForecast from `as_of` ─▶ on hand at arrival = on hand - mean demand until the peak
─▶ cover = peak start .. peak end + lead time (placement.py says why)
─▶ place_stock ─▶ PlanLine (with whether the shipment can still leave in time)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tradelane.forecasting.demand import DemandForecast
from tradelane.forecasting.placement import Placement, PlacementCosts, place_stock
from tradelane.selection.conditions import PeakWindow

__all__ = ["PlanLine", "cover_end", "plan_line"]


@dataclass(frozen=True)
class PlanLine:
    warehouse: str
    sku: str
    peak: str
    lead_time_days: int
    on_hand: int
    on_hand_at_arrival: float
    cover_mean: float
    cover_sd: float
    placement: Placement
    in_time: bool  # the shipment can still leave by `placement.ship_by`


def cover_end(window: PeakWindow, lead_time_days: int) -> date:
    """The day after the cover: the peak's last day plus the lead time, plus one."""
    return window.end + timedelta(days=lead_time_days + 1)


def plan_line(
    forecast: DemandForecast,
    *,
    warehouse: str,
    sku: str,
    window: PeakWindow,
    on_hand: int,
    lead_time_days: int,
    costs: PlacementCosts,
    service_level: float,
) -> PlanLine:
    """The placement for one SKU at one warehouse; `forecast` starts on the planning day."""
    until_peak, _ = forecast.total(forecast.start, window.start)
    arriving = max(on_hand - until_peak, 0.0)
    mean, sd = forecast.total(window.start, cover_end(window, lead_time_days))
    placement = place_stock(
        mean,
        sd,
        on_hand=arriving,
        costs=costs,
        service_level=service_level,
        peak_start=window.start,
        lead_time_days=lead_time_days,
    )
    return PlanLine(
        warehouse=warehouse,
        sku=sku,
        peak=window.name,
        lead_time_days=lead_time_days,
        on_hand=on_hand,
        on_hand_at_arrival=arriving,
        cover_mean=mean,
        cover_sd=sd,
        placement=placement,
        in_time=placement.ship_by >= forecast.start,
    )
