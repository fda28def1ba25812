"""Plan how much stock to pre-position in each overseas warehouse before the next peak.

    store: active catalogue ─▶ warehouses and the countries their channels serve
           units on hand per warehouse and SKU
    demand history (a CSV, or the stored orders of the HISTORY_DAYS before `as_of`)
      ─▶ daily units per SKU x warehouse (its countries' demand added up)
      ─▶ forecasting.demand (statsforecast) ─▶ forecasting.placement_plan per SKU x warehouse
      ─▶ plan lines, largest saving first
Nothing is stored. A country served by several warehouses counts for the first by code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import NotFound, ValidationError
from tradelane.files.demand_history_file import DemandRow, read_demand_history
from tradelane.forecasting.demand import DailyDemand, forecast_demand
from tradelane.forecasting.lead_times import default_lead_time_days
from tradelane.forecasting.placement import PlacementCosts
from tradelane.forecasting.placement_plan import PlanLine, cover_end, plan_line
from tradelane.selection.conditions import PeakWindow
from tradelane.selection.season import default_peak_windows
from tradelane.store.uow import UnitOfWork

__all__ = ["HISTORY_DAYS", "InventoryPlan", "PlanCommand", "next_peak", "plan_inventory"]

HISTORY_DAYS = 730  # two years: each peak seen twice where the history reaches that far


@dataclass(frozen=True)
class PlanCommand:
    as_of: date  # the planning day: history ends the day before, shipments leave from it
    costs: PlacementCosts
    service_level: float = 0.95
    peak: str | None = None  # a peak window name; None: the next window to start
    lead_time_days: Mapping[str, int] = field(default_factory=dict)  # warehouse -> days
    history: Path | None = None  # CSV date,sku,market,units; None: the stored orders


@dataclass(frozen=True)
class InventoryPlan:
    as_of: date
    peak: PeakWindow
    lines: list[PlanLine]

    @property
    def units(self) -> int:
        return sum(line.placement.ship_units for line in self.lines)

    @property
    def saved(self) -> float:
        return sum(line.placement.saved for line in self.lines)


def peak_windows_around(day: date) -> list[PeakWindow]:
    return [w for year in range(day.year - 2, day.year + 2) for w in default_peak_windows(year)]


def next_peak(as_of: date, name: str | None) -> PeakWindow:
    """The first peak window (of `name`, when given) that starts after `as_of`."""
    ahead = sorted(
        (w for w in peak_windows_around(as_of) if w.start > as_of), key=lambda w: w.start
    )
    for window in ahead:
        if name is None or window.name == name:
            return window
    known = sorted({w.name for w in ahead})
    raise ValidationError(f"unknown peak (known: {', '.join(known)})", field="peak", value=name)


def _served(catalogue: Catalogue) -> dict[str, str]:
    """country -> the warehouse (first by code) whose channels deliver there."""
    served: dict[str, str] = {}
    for channel in sorted(catalogue.channels, key=lambda ch: ch.warehouse or ""):
        if channel.warehouse is None:
            continue
        for lane in channel.lanes:
            served.setdefault(lane.country, channel.warehouse)
    return served


def _series(
    rows: Sequence[DemandRow], served: Mapping[str, str], start: date, days: int
) -> dict[tuple[str, str], np.ndarray]:
    """(warehouse, sku) -> units per day from `start`."""
    found: dict[tuple[str, str], np.ndarray] = {}
    for day, sku, country, units in rows:
        warehouse, at = served.get(country), (day - start).days
        if warehouse is None or not 0 <= at < days:
            continue
        series = found.setdefault((warehouse, sku), np.zeros(days))
        series[at] += units
    return found


def plan_inventory(cmd: PlanCommand, *, uow: UnitOfWork) -> InventoryPlan:
    """The replenishment plan for the peak after `cmd.as_of`."""
    window = next_peak(cmd.as_of, cmd.peak)
    start = cmd.as_of - timedelta(days=HISTORY_DAYS)
    rows = read_demand_history(cmd.history) if cmd.history is not None else None
    with uow:
        stored = uow.catalogues.latest()
        if stored is None:
            raise NotFound("catalogue", "active (run `tradelane init` first)")
        on_hand = uow.inventory.on_hand()
        if rows is None:
            rows = uow.demand.daily_units(_midnight(start), _midnight(cmd.as_of))
    served = _served(stored.catalogue)
    countries: dict[str, list[str]] = {}
    for country, warehouse in served.items():
        countries.setdefault(warehouse, []).append(country)
    unknown = sorted(set(cmd.lead_time_days) - set(countries))
    if unknown:
        raise ValidationError(
            "no such warehouse in the catalogue", field="lead_time", value=unknown[0]
        )
    series = _series(rows, served, start, HISTORY_DAYS)
    for warehouse, held in on_hand.items():
        for sku in held:
            series.setdefault((warehouse, sku), np.zeros(HISTORY_DAYS))
    lines = []
    windows = peak_windows_around(cmd.as_of)
    for (warehouse, sku), units in sorted(series.items()):
        if warehouse not in countries:
            continue
        lead = cmd.lead_time_days.get(warehouse, default_lead_time_days(countries[warehouse]))
        horizon = (cover_end(window, lead) - cmd.as_of).days
        forecast = forecast_demand(DailyDemand(start, units), horizon_days=horizon, windows=windows)
        lines.append(
            plan_line(
                forecast,
                warehouse=warehouse,
                sku=sku,
                window=window,
                on_hand=on_hand.get(warehouse, {}).get(sku, 0),
                lead_time_days=lead,
                costs=cmd.costs,
                service_level=cmd.service_level,
            )
        )
    lines.sort(key=lambda line: (-line.placement.saved, line.warehouse, line.sku))
    return InventoryPlan(cmd.as_of, window, lines)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
