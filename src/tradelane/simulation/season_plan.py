"""The optimized strategy's plan: allocation ratios for a season, from what a planner knows.

    demand curve (orders per day) x market shares ─▶ parcels per lane and day
    a planning sample of the order stream (own seed) ─▶ each lane's typical parcel
      ─▶ catalogue_problem (capacities at the scenario's scale, peak windows)
      ─▶ solve_allocation ─▶ lane shares (the router keeps them as running quotas)

The planner forecasts demand and knows no disruption: the plan is made before the season.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.optimization.allocation import solve_allocation
from tradelane.optimization.lane_costs import (
    AllocationLimits,
    LaneForecast,
    catalogue_problem,
    median_parcel,
)
from tradelane.selection.conditions import FxTable, NetworkConditions, PeakWindow
from tradelane.selection.facts import ParcelFacts, facts_of
from tradelane.selection.policy import Policy
from tradelane.simulation.order_stream import draw_order_columns
from tradelane.simulation.scenarios import Scenario

__all__ = ["PLAN_LIMITS", "season_ratios"]

PLAN_SAMPLE = 2_000  # orders drawn to find each lane's typical parcel
PLAN_STREAM = 91  # the planning sample's own random stream
# the lateness penalty already prices on-time; no hard floor, so peak lanes stay feasible
PLAN_LIMITS = AllocationLimits(min_on_time=0.0)


def _typical_parcels(scenario: Scenario, fx: FxTable) -> dict[str, ParcelFacts]:
    rng = np.random.default_rng([scenario.seed, PLAN_STREAM])
    span = scenario.days * 86_400.0
    columns = draw_order_columns(
        rng,
        PLAN_SAMPLE,
        arrivals=lambda g, n: np.sort(g.uniform(0, span, size=n)),
        start=scenario.start,
        prefix="PLAN",
        market_shares=scenario.orders.markets,
        archetype_shares=scenario.orders.archetypes,
    )
    by_country: dict[str, list[ParcelFacts]] = defaultdict(list)
    for i in range(PLAN_SAMPLE):
        facts = facts_of(columns.order(i), fx)
        by_country[facts.country].append(facts)
    return {country: median_parcel(found) for country, found in by_country.items()}


def season_ratios(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    fx: FxTable,
    peak_windows: Sequence[PeakWindow],
    policy: Policy | None = None,
    limits: AllocationLimits = PLAN_LIMITS,
) -> dict[tuple[str, str], float]:
    """(country, channel id) -> share; ValidationError naming binding constraints if none."""
    per_day = scenario.hourly_order_rates().reshape(scenario.days, 24).sum(axis=1)
    markets = scenario.orders.markets
    total = sum(markets.values())
    typical = _typical_parcels(scenario, fx)
    forecasts = [
        LaneForecast(typical[country], list(per_day * markets[country] / total))
        for country in sorted(typical)
    ]
    days = [(scenario.start + timedelta(days=d)).date() for d in range(scenario.days)]
    problem = catalogue_problem(
        catalogue,
        forecasts,
        days=days,
        policy=(policy or Policy()).in_settlement(fx),
        fx=fx,
        conditions=NetworkConditions(peak_windows=tuple(peak_windows)),
        limits=limits,
    )
    allocation = solve_allocation(problem)
    if not allocation.optimal:
        named = "; ".join(b.describe() for b in allocation.binding[:3])
        raise ValidationError(
            f"the season's allocation is infeasible: {named}", field="strategy", value="optimized"
        )
    return allocation.lane_shares()
