"""Daily demand forecast of one SKU in one market: weekly seasonality plus peak spikes.

    daily units (history, one value per day)
      ─▶ peak lift per peak window name: units per day inside each past occurrence of the
         window / units per day in the BASELINE_DAYS before it (median over occurrences;
         DEFAULT_PEAK_LIFT, an estimate, where the history holds none)
      ─▶ history with peak days divided by their lift (the everyday level)
      ─▶ statsforecast AutoETS, additive error and weekly season (ANA), with an 80 % interval;
         a history shorter than two weeks gets statsforecast's HistoricAverage instead
      ─▶ forecast days inside a peak window multiplied by that window's lift
      ─▶ DemandForecast: mean and standard deviation of units per day from `start`

The standard deviation of a day is read off the 80 % interval (half-width / z(0.9)). Days are
treated as independent when summed (`total`): an estimate that understates the spread of
correlated errors.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.errors import ValidationError
from tradelane.selection.conditions import PeakWindow

__all__ = [
    "BASELINE_DAYS",
    "DEFAULT_PEAK_LIFT",
    "DailyDemand",
    "DemandForecast",
    "forecast_demand",
    "peak_lifts",
]

Floats = NDArray[np.float64]
SEASON_DAYS = 7
BASELINE_DAYS = 28  # days before a peak that give its everyday level
INTERVAL = 80
Z_INTERVAL = NormalDist().inv_cdf(0.5 + INTERVAL / 200)
DEFAULT_PEAK_LIFT = 2.0  # estimate: units per day in a peak vs the weeks before, when unseen


@dataclass(frozen=True)
class DailyDemand:
    """Units sold per day from `start` (one value per calendar day, no gaps)."""

    start: date
    units: Floats

    def __post_init__(self) -> None:
        if self.units.ndim != 1 or bool(np.any(self.units < 0)):
            raise ValidationError("daily demand must be units >= 0, one per day", field="units")

    @property
    def end(self) -> date:
        """The day after the last one."""
        return self.start + timedelta(days=len(self.units))

    def days_of(self, window: PeakWindow) -> slice:
        """The positions of `window`'s days that fall inside the history."""
        first = max((window.start - self.start).days, 0)
        last = min((window.end - self.start).days + 1, len(self.units))
        return slice(first, max(first, last))


@dataclass(frozen=True)
class DemandForecast:
    """Units per day from `start`: mean and standard deviation."""

    start: date
    mean: Floats
    sd: Floats

    def span(self, first: date, end: date) -> slice:
        """Positions of the days first..end-1 (clipped to the forecast)."""
        a = min(max((first - self.start).days, 0), len(self.mean))
        b = min(max((end - self.start).days, a), len(self.mean))
        return slice(a, b)

    def total(self, first: date, end: date) -> tuple[float, float]:
        """(mean, standard deviation) of the units of days first..end-1."""
        days = self.span(first, end)
        return float(self.mean[days].sum()), float(np.sqrt(np.square(self.sd[days]).sum()))


def peak_lifts(history: DailyDemand, windows: Sequence[PeakWindow]) -> dict[str, float]:
    """Lift per window name seen in the history (windows need BASELINE_DAYS before them)."""
    seen: dict[str, list[float]] = {}
    for window in windows:
        inside = history.units[history.days_of(window)]
        start = (window.start - history.start).days
        if start < BASELINE_DAYS or len(inside) < (window.end - window.start).days + 1:
            continue
        before = history.units[start - BASELINE_DAYS : start]
        if before.mean() > 0:
            seen.setdefault(window.name, []).append(float(inside.mean() / before.mean()))
    return {name: statistics.median(lifts) for name, lifts in seen.items()}


def _lift_per_day(
    first: date, days: int, windows: Sequence[PeakWindow], lifts: dict[str, float]
) -> Floats:
    lift = np.ones(days)
    for window in windows:
        a = max((window.start - first).days, 0)
        b = min((window.end - first).days + 1, days)
        if b > a:
            lift[a:b] = np.maximum(lift[a:b], lifts.get(window.name, DEFAULT_PEAK_LIFT))
    return lift


def forecast_demand(
    history: DailyDemand, *, horizon_days: int, windows: Sequence[PeakWindow]
) -> DemandForecast:
    """Forecast `horizon_days` days from the day after the history ends."""
    if horizon_days < 1:
        raise ValidationError(
            "horizon must be at least one day", field="horizon_days", value=horizon_days
        )
    if not len(history.units):
        zeros = np.zeros(horizon_days)
        return DemandForecast(history.end, zeros, zeros.copy())
    lifts = peak_lifts(history, windows)
    past = _lift_per_day(history.start, len(history.units), windows, lifts)
    everyday = history.units / past
    from statsforecast.models import AutoETS, HistoricAverage  # imported when used: slow import

    if len(everyday) >= 2 * SEASON_DAYS and everyday.any():
        model: AutoETS | HistoricAverage = AutoETS(season_length=SEASON_DAYS, model="ANA")
    else:
        model = HistoricAverage()
    found = model.forecast(y=everyday.astype(np.float64), h=horizon_days, level=[INTERVAL])
    mean = np.maximum(np.nan_to_num(np.asarray(found["mean"], dtype=np.float64)), 0.0)
    half = np.asarray(found[f"hi-{INTERVAL}"], dtype=np.float64) - found["mean"]
    sd = np.maximum(np.nan_to_num(half) / Z_INTERVAL, 0.0)
    ahead = _lift_per_day(history.end, horizon_days, windows, lifts)
    return DemandForecast(history.end, mean * ahead, sd * ahead)
