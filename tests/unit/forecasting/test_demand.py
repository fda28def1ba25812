"""Demand forecasts: weekly seasonality from statsforecast, peak spikes learned from history."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from tradelane.forecasting.demand import (
    DEFAULT_PEAK_LIFT,
    DailyDemand,
    forecast_demand,
    peak_lifts,
)
from tradelane.selection.season import default_peak_windows

START = date(2025, 1, 1)
WINDOWS = [w for year in (2025, 2026) for w in default_peak_windows(year)]
WEEKLY = np.array([1.0, 1.1, 1.0, 0.9, 1.2, 1.5, 1.3])  # Wednesday first (2025-01-01)


def history(days: int, *, level: float = 20.0, lift: float = 3.0, seed: int = 1) -> DailyDemand:
    rng = np.random.default_rng(seed)
    day = np.arange(days)
    units = level * WEEKLY[day % 7] * rng.lognormal(0, 0.08, days)
    for window in WINDOWS:
        if window.name == "black-friday-cyber-monday":
            a = (window.start - START).days
            b = (window.end - START).days + 1
            units[max(a, 0) : max(min(b, days), 0)] *= lift
    return DailyDemand(START, np.round(units))


def test_a_past_peak_gives_its_lift() -> None:
    lifts = peak_lifts(history(400), WINDOWS)
    assert lifts["black-friday-cyber-monday"] == pytest.approx(3.0, rel=0.15)
    assert lifts["singles-day"] == pytest.approx(1.0, rel=0.15)


def test_the_forecast_spikes_in_the_next_peak_and_keeps_the_weekly_pattern() -> None:
    past = history(600)  # to 2026-08-24
    ahead = forecast_demand(past, horizon_days=130, windows=WINDOWS)
    assert ahead.start == date(2026, 8, 24)
    window = next(
        w for w in WINDOWS if w.name == "black-friday-cyber-monday" and w.start.year == 2026
    )
    peak, _ = ahead.total(window.start, window.end + timedelta(days=1))
    before, _ = ahead.total(window.start - timedelta(days=28), window.start)
    days = (window.end - window.start).days + 1
    assert peak / days == pytest.approx(3.0 * before / 28, rel=0.2)
    october = ahead.span(date(2026, 10, 5), date(2026, 10, 19))  # two Mondays to Sundays
    weeks = ahead.mean[october].reshape(2, 7)
    assert np.argmax(weeks[0]) == np.argmax(weeks[1]) == 0  # Monday (1.5) sells most
    assert ahead.sd.min() > 0


def test_an_unseen_peak_uses_the_default_lift() -> None:
    past = history(60, lift=1.0)  # January and February 2025: no Black Friday seen yet
    ahead = forecast_demand(past, horizon_days=365, windows=WINDOWS)
    window = next(
        w for w in WINDOWS if w.name == "black-friday-cyber-monday" and w.start.year == 2025
    )
    inside = ahead.mean[ahead.span(window.start, window.end + timedelta(days=1))].mean()
    outside = ahead.mean[ahead.span(date(2025, 10, 1), date(2025, 10, 29))].mean()
    assert inside / outside == pytest.approx(DEFAULT_PEAK_LIFT, rel=0.15)


def test_a_short_or_empty_history_still_forecasts() -> None:
    short = forecast_demand(
        DailyDemand(START, np.array([3.0, 5.0, 4.0])), horizon_days=5, windows=[]
    )
    assert short.mean == pytest.approx(np.full(5, 4.0))
    empty = forecast_demand(DailyDemand(START, np.zeros(0)), horizon_days=3, windows=[])
    assert empty.mean.tolist() == [0.0, 0.0, 0.0]
