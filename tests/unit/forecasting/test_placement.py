"""Newsvendor placement: the known optimum, and the direction it moves when inputs change."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from tradelane.domain.errors import ValidationError
from tradelane.forecasting.demand import DemandForecast
from tradelane.forecasting.placement import (
    PlacementCosts,
    critical_ratio,
    expected_shortage,
    place_stock,
    plan_cost,
)
from tradelane.forecasting.placement_plan import plan_line
from tradelane.selection.conditions import PeakWindow

PEAK = PeakWindow("black-friday-cyber-monday", date(2026, 11, 26), date(2026, 12, 7))
COSTS = PlacementCosts(
    express_from_china=10.0, inbound_sea_rail=2.0, last_mile=3.0, holding_per_day=0.05
)


def placed(mean: float = 100.0, sd: float = 20.0, **changes: object) -> int:
    options: dict[str, object] = {
        "on_hand": 0.0,
        "costs": COSTS,
        "service_level": 0.5,
        "peak_start": PEAK.start,
        "lead_time_days": 18,
    } | changes
    return place_stock(mean, sd, **options).ship_units  # type: ignore[arg-type]


def test_the_critical_ratio_is_underage_over_underage_plus_overage() -> None:
    # c_u = 10 - 2 - 3 = 5; c_o = 0.05 x 30 = 1.5
    assert critical_ratio(COSTS) == pytest.approx(5 / 6.5)


def test_equal_underage_and_overage_stock_the_mean() -> None:
    even = PlacementCosts(
        express_from_china=6, inbound_sea_rail=2, last_mile=3, holding_per_day=0.1, leftover_days=10
    )
    assert critical_ratio(even) == pytest.approx(0.5)
    assert placed(costs=even) == 100


def test_the_shipped_quantity_minimises_expected_cost_among_all_quantities() -> None:
    best = placed()
    costs = {q: plan_cost(100, 20, on_hand=0, ship=q, costs=COSTS) for q in range(0, 250)}
    cheapest = min(costs, key=costs.__getitem__)
    assert abs(best - cheapest) <= 1  # rounding up to whole units
    assert best == int(np.ceil(100 + 20 * norm.ppf(5 / 6.5)))


def test_a_service_level_above_the_critical_ratio_binds() -> None:
    assert placed(service_level=0.99) == int(np.ceil(100 + 20 * norm.ppf(0.99)))


def test_units_already_on_hand_are_not_shipped_again() -> None:
    assert placed(on_hand=40) == placed() - 40
    assert placed(on_hand=1_000) == 0


def test_the_loss_function_matches_a_monte_carlo_estimate() -> None:
    demand = np.random.default_rng(4).normal(100, 20, 400_000)
    simulated = np.maximum(demand - 110, 0).mean()
    assert expected_shortage(100, 20, 110) == pytest.approx(simulated, rel=0.02)


@given(
    mean=st.floats(5, 500),
    sd=st.floats(0.5, 100),
    express=st.floats(6, 60),
    holding=st.floats(0.001, 0.5),
)
def test_more_express_cost_or_less_holding_never_ships_less(
    mean: float, sd: float, express: float, holding: float
) -> None:
    base = PlacementCosts(express, 2.0, 3.0, holding)
    dearer = PlacementCosts(express * 1.5, 2.0, 3.0, holding)
    cheaper_to_hold = PlacementCosts(express, 2.0, 3.0, holding / 2)
    assert placed(mean, sd, costs=dearer) >= placed(mean, sd, costs=base)
    assert placed(mean, sd, costs=cheaper_to_hold) >= placed(mean, sd, costs=base)


@given(low=st.floats(0.5, 0.9), high=st.floats(0.9, 0.999))
def test_a_higher_service_level_never_ships_less(low: float, high: float) -> None:
    assert placed(service_level=high) >= placed(service_level=low)


def test_the_plan_saves_money_against_serving_every_stock_out_from_china() -> None:
    plan = place_stock(
        100, 20, on_hand=0, costs=COSTS, service_level=0.5, peak_start=PEAK.start, lead_time_days=18
    )
    assert plan.cost_without == pytest.approx(100 * COSTS.express_from_china)
    assert plan.saved > 0 and plan.cost < plan.cost_without


def flat_forecast(start: date, days: int, per_day: float) -> DemandForecast:
    return DemandForecast(start, np.full(days, per_day), np.full(days, per_day**0.5))


def test_a_longer_sea_or_rail_lead_time_pre_positions_more() -> None:
    forecast = flat_forecast(date(2026, 10, 1), 120, 10.0)
    lines = [
        plan_line(
            forecast,
            warehouse="DUS",
            sku="A",
            window=PEAK,
            on_hand=0,
            lead_time_days=lead,
            costs=COSTS,
            service_level=0.9,
        )
        for lead in (10, 18, 35)
    ]
    shipped = [line.placement.ship_units for line in lines]
    assert shipped == sorted(shipped) and shipped[0] < shipped[-1]
    assert [line.placement.ship_by for line in lines] == [
        PEAK.start - timedelta(days=lead) for lead in (10, 18, 35)
    ]


def test_stock_on_hand_now_counts_only_what_is_left_when_the_shipment_lands() -> None:
    forecast = flat_forecast(date(2026, 11, 16), 60, 10.0)  # 10 days before the peak
    line = plan_line(
        forecast,
        warehouse="DUS",
        sku="A",
        window=PEAK,
        on_hand=150,
        lead_time_days=7,
        costs=COSTS,
        service_level=0.9,
    )
    assert line.on_hand_at_arrival == pytest.approx(50)
    assert (
        line.in_time
        and not plan_line(
            forecast,
            warehouse="DUS",
            sku="A",
            window=PEAK,
            on_hand=0,
            lead_time_days=30,
            costs=COSTS,
            service_level=0.9,
        ).in_time
    )


def test_bad_inputs_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        placed(service_level=1.0)
    assert raised.value.field == "service_level"
    with pytest.raises(ValidationError) as negative:
        PlacementCosts(express_from_china=-1, inbound_sea_rail=1, last_mile=1, holding_per_day=1)
    assert negative.value.field == "express_from_china"
