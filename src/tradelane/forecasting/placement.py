"""How many units to pre-position in an overseas warehouse before a peak (newsvendor).

    demand over the cover (peak start .. peak end + lead time), Normal(mean, sd)
      ─▶ underage cost  c_u = express from China - (sea/rail inbound + local last mile)
         overage cost   c_o = holding per unit-day x days a leftover unit waits to sell
      ─▶ critical ratio c_u / (c_u + c_o); the quantile is the larger of it and the required
         service level (in-stock probability over the cover)
      ─▶ order-up-to level S = mean + sd x z(quantile); ship Q = max(S - on hand at arrival, 0)
      ─▶ expected cost of the plan and of shipping nothing more (every stock-out served by
         express from China): the difference is the expected saving

Why the cover runs to the peak's end plus the lead time: stock landed for the peak can only be
topped up by the next sea/rail shipment, which takes the lead time to arrive; until then an
empty shelf is served by express. So a longer lead time means a longer cover and more stock.
The shipment must leave `lead_time_days` before the peak starts (`ship_by`). Demand is taken
as Normal (units below zero are ignored): an estimate for SKUs that sell a few units a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

from tradelane.domain.errors import ValidationError

__all__ = [
    "Placement",
    "PlacementCosts",
    "critical_ratio",
    "expected_shortage",
    "place_stock",
    "plan_cost",
]

STANDARD = NormalDist()


@dataclass(frozen=True)
class PlacementCosts:
    """Per unit, in one currency. `leftover_days`: how long a unit left after the cover waits
    to sell (an estimate the seller sets)."""

    express_from_china: float
    inbound_sea_rail: float
    last_mile: float
    holding_per_day: float
    leftover_days: float = 30.0

    def __post_init__(self) -> None:
        for name in ("express_from_china", "inbound_sea_rail", "last_mile", "holding_per_day"):
            if getattr(self, name) < 0:
                raise ValidationError(
                    "costs cannot be negative", field=name, value=getattr(self, name)
                )
        if self.leftover_days <= 0:
            raise ValidationError(
                "must be positive", field="leftover_days", value=self.leftover_days
            )

    @property
    def underage(self) -> float:
        """Extra cost of a unit short: express instead of inbound + last mile (>= 0)."""
        return max(self.express_from_china - self.inbound_sea_rail - self.last_mile, 0.0)

    @property
    def overage(self) -> float:
        """Cost of a unit left over: it waits `leftover_days` in the warehouse."""
        return self.holding_per_day * self.leftover_days


def critical_ratio(costs: PlacementCosts) -> float:
    """c_u / (c_u + c_o): the in-stock probability that minimises expected cost."""
    if costs.underage == 0:
        return 0.0
    return costs.underage / (costs.underage + costs.overage)


def expected_shortage(mean: float, sd: float, stock: float) -> float:
    """E[(D - stock)+] for D ~ Normal(mean, sd) (the standard loss function)."""
    if sd <= 0:
        return max(mean - stock, 0.0)
    z = (stock - mean) / sd
    return sd * (STANDARD.pdf(z) - z * (1.0 - STANDARD.cdf(z)))


def plan_cost(
    mean: float, sd: float, *, on_hand: float, ship: float, costs: PlacementCosts
) -> float:
    """Expected cost over the cover of shipping `ship` units to a warehouse holding `on_hand`.

    A unit sold from the warehouse costs its sea/rail freight and the last mile; a unit short
    costs express from China; a unit left over sells after the cover, so here it costs only
    its holding (`overage`) and its freight falls to the sale that uses it. This is the cost
    whose minimum is the critical-ratio quantile."""
    stock = on_hand + ship
    short = expected_shortage(mean, sd, stock)
    sold = mean - short
    left = stock - sold
    return (
        sold * (costs.inbound_sea_rail + costs.last_mile)
        + short * costs.express_from_china
        + left * costs.overage
    )


@dataclass(frozen=True)
class Placement:
    """The plan for one SKU at one warehouse before one peak."""

    ship_units: int
    ship_by: date
    order_up_to: int
    quantile: float
    critical_ratio: float
    expected_shortage: float
    cost: float
    cost_without: float  # shipping nothing more: every stock-out by express from China

    @property
    def saved(self) -> float:
        return self.cost_without - self.cost


def place_stock(
    mean: float,
    sd: float,
    *,
    on_hand: float,
    costs: PlacementCosts,
    service_level: float,
    peak_start: date,
    lead_time_days: int,
) -> Placement:
    """Units to ship for a cover demand of Normal(mean, sd), given units on hand at arrival."""
    if not 0 < service_level < 1:
        raise ValidationError(
            "service level must be in (0, 1)", field="service_level", value=service_level
        )
    if lead_time_days < 0:
        raise ValidationError(
            "lead time cannot be negative", field="lead_time_days", value=lead_time_days
        )
    ratio = critical_ratio(costs)
    quantile = min(max(ratio, service_level), 0.9999)
    level = max(mean + sd * STANDARD.inv_cdf(quantile), 0.0) if sd > 0 else max(mean, 0.0)
    target = int(-(-level // 1))  # whole units, rounded up
    ship = max(target - int(on_hand), 0)
    return Placement(
        ship_units=ship,
        ship_by=peak_start - timedelta(days=lead_time_days),
        order_up_to=target,
        quantile=quantile,
        critical_ratio=ratio,
        expected_shortage=expected_shortage(mean, sd, on_hand + ship),
        cost=plan_cost(mean, sd, on_hand=on_hand, ship=ship, costs=costs),
        cost_without=plan_cost(mean, sd, on_hand=on_hand, ship=0, costs=costs),
    )
