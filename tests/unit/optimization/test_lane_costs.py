"""The catalogue's allocation problem uses selection's own prices and on-time chances."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from tests.builders import an_order
from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.files.catalogue_file import default_catalogue
from tradelane.optimization.allocation import solve_allocation
from tradelane.optimization.allocation_problem import AllocationProblem
from tradelane.optimization.lane_costs import AllocationLimits, LaneForecast, catalogue_problem
from tradelane.selection.conditions import FxTable, NetworkConditions, PeakWindow
from tradelane.selection.eta import eta_quote
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy
from tradelane.selection.pricing import price_parcel

FX = FxTable(DEFAULT_FX_TO_USD, "USD")
DAYS = [date(2026, 11, 20) + timedelta(days=d) for d in range(10)]
PEAK = PeakWindow("black_friday", date(2026, 11, 23), date(2026, 11, 30))


def _problem(min_on_time: float) -> tuple[AllocationProblem, list[LaneForecast]]:
    catalogue = default_catalogue()
    forecasts = [
        LaneForecast(facts_of(an_order(country=c, weight_kg=1.2, promised_days=12), FX), [v] * 10)
        for c, v in (("DE", 300.0), ("US", 500.0))
    ]
    problem = catalogue_problem(
        catalogue,
        forecasts,
        days=DAYS,
        policy=Policy().in_settlement(FX),
        fx=FX,
        conditions=NetworkConditions(peak_windows=[PEAK]),
        limits=AllocationLimits(min_on_time=min_on_time),
    )
    return problem, forecasts


def test_prices_and_on_time_chances_are_selections_own() -> None:
    problem, forecasts = _problem(0.85)
    catalogue = default_catalogue()
    for l_index, forecast in enumerate(forecasts):
        for c_index in np.flatnonzero(problem.eligible[l_index]):
            channel = catalogue.channels[c_index]
            lane = channel.lane_for(forecast.parcel.country)
            assert lane is not None
            quote = price_parcel(forecast.parcel, channel, lane, FX)
            assert quote is not None
            assert problem.price[l_index, c_index] == quote.price
            peak = eta_quote(lane.transit, 12, peak=True).on_time_probability
            calm = eta_quote(lane.transit, 12, peak=False).on_time_probability
            on_time = problem.on_time[l_index, c_index]
            assert on_time[0] == calm and on_time[5] == peak


def test_the_catalogue_allocation_meets_the_on_time_floor_every_day() -> None:
    problem, _ = _problem(0.9)
    allocation = solve_allocation(problem)
    assert allocation.optimal
    assert np.all(allocation.on_time_rate() >= 0.9 - 1e-7)
    assert np.all(allocation.shares <= 0.7 + 1e-7)
