"""Use case: allocation ratios from the catalogue and a lane forecast, stored as quotas.

    stored orders of the last `history_days` (or a flat --volume-per-day)
      ─▶ per destination country: typical parcel (median weight) + parcels per day
      ─▶ catalogue_problem (+ measured LaneFigures, e.g. scorecards) ─▶ solve_allocation (LP)
      ─▶ optimal: share of each lane's horizon volume per channel ─▶ stored (one transaction)
      ─▶ infeasible: nothing stored; the report names the binding constraints

Selection then caps each channel at its share of a lane's orders in a batch (selection/caps.py).
A lane's typical parcel is its median-weight order of general goods; the volume is the lane's
orders per day over the history window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from tradelane.domain.errors import NotFound, ValidationError
from tradelane.domain.geo import country_code
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.optimization.allocation import Allocation, solve_allocation
from tradelane.optimization.lane_costs import (
    AllocationLimits,
    LaneFigures,
    LaneForecast,
    catalogue_problem,
    median_parcel,
)
from tradelane.selection.conditions import FxTable
from tradelane.selection.facts import ParcelFacts, facts_of
from tradelane.selection.policy import Policy
from tradelane.services.assign import facts_from_row, network_conditions
from tradelane.store.uow import UnitOfWork

__all__ = ["AllocateCommand", "AllocationReport", "allocate"]


@dataclass(frozen=True)
class AllocateCommand:
    start: date  # first horizon day (UTC)
    days: int = 7
    history_days: int = 28
    volume_per_day: float | None = None  # every lane gets this volume instead of the history's
    countries: tuple[str, ...] = ()  # lanes when there is no history (with volume_per_day)
    limits: AllocationLimits = field(default_factory=AllocationLimits)
    observed: Mapping[tuple[str, str], LaneFigures] = field(default_factory=dict)
    warm: Collection[tuple[str, str]] = ()  # (country, channel id) pre-arranged backups
    store: bool = True


@dataclass(frozen=True)
class AllocationReport:
    allocation: Allocation
    shares: dict[tuple[str, str], float]  # (country, channel id) -> share of the horizon volume
    stored: bool


def _typical_parcel(country: str, day: date, fx: FxTable) -> ParcelFacts:
    """A plain parcel for a lane without history: 0.5 kg, USD 25, general goods (estimate)."""
    order = Order(
        order_id=f"typical-{country}",
        created_at=datetime.combine(day, time(), tzinfo=UTC),
        destination=Address(country=country),
        # stocked nowhere: no overseas warehouse is assumed
        lines=[OrderLine(sku="typical-parcel", unit_value=Decimal("25"), unit_weight_kg=0.5)],
        currency="USD",
    )
    return facts_of(order, fx)


def _forecasts(cmd: AllocateCommand, uow: UnitOfWork, fx: FxTable) -> list[LaneForecast]:
    start = datetime.combine(cmd.start, time(), tzinfo=UTC)
    by_country: dict[str, list[ParcelFacts]] = defaultdict(list)
    for row in uow.allocations.orders_created(start - timedelta(days=cmd.history_days), start):
        by_country[row.country].append(facts_from_row(row, fx))
    for country in cmd.countries:
        by_country.setdefault(country_code(country, field="country"), [])
    if not by_country:
        raise ValidationError(
            f"no stored orders in the {cmd.history_days} days before {cmd.start}; "
            "give --volume-per-day with --country",
            field="history_days",
            value=cmd.history_days,
        )
    if cmd.volume_per_day is None and any(not found for found in by_country.values()):
        empty = sorted(c for c, found in by_country.items() if not found)
        raise ValidationError(
            "a lane without history needs --volume-per-day", field="country", value=",".join(empty)
        )
    forecasts = []
    for country, found in sorted(by_country.items()):
        typical = median_parcel(found) if found else _typical_parcel(country, cmd.start, fx)
        volume = (
            cmd.volume_per_day if cmd.volume_per_day is not None else len(found) / cmd.history_days
        )
        forecasts.append(LaneForecast(typical, [volume] * cmd.days))
    return forecasts


def allocate(
    cmd: AllocateCommand, *, uow: UnitOfWork, fx: FxTable, policy: Policy, now: datetime
) -> AllocationReport:
    """Solve the allocation for the horizon; store its ratios when optimal and `cmd.store`."""
    if cmd.days < 1 or cmd.history_days < 1:
        raise ValidationError("days must be at least 1", field="days", value=cmd.days)
    with uow:
        stored = uow.catalogues.latest()
        if stored is None:
            raise NotFound("catalogue", "active (run `tradelane init` first)")
        forecasts = _forecasts(cmd, uow, fx)
        conditions = network_conditions(uow, now=now)
        horizon = [cmd.start + timedelta(days=d) for d in range(cmd.days)]
        problem = catalogue_problem(
            stored.catalogue,
            forecasts,
            days=horizon,
            policy=policy.in_settlement(fx),
            fx=fx,
            conditions=conditions,
            limits=cmd.limits,
            warm=cmd.warm,
            observed=cmd.observed,
        )
        allocation = solve_allocation(problem)
        shares = allocation.lane_shares() if allocation.optimal else {}
        keep = cmd.store and allocation.optimal
        if keep:
            uow.allocations.replace(
                shares,
                horizon_start=datetime.combine(cmd.start, time(), tzinfo=UTC),
                horizon_days=cmd.days,
                now=now,
            )
            uow.commit()
    return AllocationReport(allocation, shares, keep)
