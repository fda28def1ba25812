"""The allocation problem of a catalogue: selection's own pricing, ETA and miss cost per lane.

    lane forecast (typical parcel as ParcelFacts + parcels per day)
      × every channel ─▶ eligible? (selection.eligibility, a priced tier, not failed on the lane)
                      ─▶ price per parcel (selection.pricing)
                      ─▶ P(on time) per day, peak uplift inside peak windows (selection.eta)
      late penalty per lane = selection.scoring.miss_cost of the typical parcel
Capacity per channel and day is its catalogue `daily_capacity`.
Where delivery history scored a (channel, lane) pair (`LaneFigures`, e.g. from scorecards) its
figures replace the catalogue's: observed cost per parcel for the rate card's price, observed
transit p50/p90 for the catalogue profile (peak uplift still applied), or failing those the
observed on-time rate for every day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from tradelane.domain.catalog import Catalogue, TransitProfile
from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass
from tradelane.optimization.allocation_problem import AllocationProblem
from tradelane.selection.conditions import ChannelState, FxTable, NetworkConditions
from tradelane.selection.eligibility import fit_refusals
from tradelane.selection.eta import eta_quote
from tradelane.selection.facts import ParcelFacts
from tradelane.selection.policy import Policy
from tradelane.selection.pricing import price_parcel
from tradelane.selection.scoring import miss_cost

__all__ = ["AllocationLimits", "LaneFigures", "LaneForecast", "catalogue_problem", "median_parcel"]


@dataclass(frozen=True)
class LaneForecast:
    """A lane (the typical parcel's country) and its forecast parcels on each horizon day."""

    parcel: ParcelFacts
    parcels_per_day: Sequence[float]


def median_parcel(found: Sequence[ParcelFacts]) -> ParcelFacts:
    """A lane's typical parcel: its median-weight order of general goods (of all its orders
    when none is general goods only)."""
    general = [f for f in found if f.goods == {GoodsClass.GENERAL}] or list(found)
    return sorted(general, key=lambda f: (f.weight_kg, f.order_id))[len(general) // 2]


@dataclass(frozen=True)
class LaneFigures:
    """What history measured for one channel on one lane; None where it has no figure."""

    on_time_rate: float | None = None
    cost_per_parcel: float | None = None  # settlement currency
    transit_p50_days: float | None = None
    transit_p90_days: float | None = None

    def profile(self, catalogue_profile: TransitProfile) -> TransitProfile:
        """The catalogue profile with the observed percentiles, when both were measured."""
        if self.transit_p50_days is None or self.transit_p90_days is None:
            return catalogue_profile
        return TransitProfile(
            p50_days=self.transit_p50_days,
            p90_days=self.transit_p90_days,
            peak_uplift_pct=catalogue_profile.peak_uplift_pct,
        )

    def on_time(self, transit: TransitProfile, promise_days: int, *, peak: bool) -> float:
        if self.on_time_rate is not None and self.transit_p50_days is None:
            return self.on_time_rate
        return eta_quote(self.profile(transit), promise_days, peak=peak).on_time_probability


CATALOGUE_FIGURES = LaneFigures()


@dataclass(frozen=True)
class AllocationLimits:
    """Policy of the allocation; the defaults are estimates to tune, not sourced figures."""

    min_on_time: float = 0.85
    channel_cap: float = 0.7
    carrier_cap: float = 0.8
    warm_share: float = 0.05


def catalogue_problem(
    catalogue: Catalogue,
    forecasts: Sequence[LaneForecast],
    *,
    days: Sequence[date],
    policy: Policy,
    fx: FxTable,
    conditions: NetworkConditions,
    limits: AllocationLimits,
    warm: Collection[tuple[str, str]] = (),
    observed: Mapping[tuple[str, str], LaneFigures] | None = None,
) -> AllocationProblem:
    """`policy` is in the settlement currency; `warm` holds (country, channel id) backups;
    `observed` maps (country, channel id) to measured figures (scorecards)."""
    observed = observed or {}
    lanes, channels = len(forecasts), len(catalogue.channels)
    eligible = np.zeros((lanes, channels), dtype=bool)
    price = np.zeros((lanes, channels))
    on_time = np.zeros((lanes, channels, len(days)))
    peaks = [conditions.in_peak(day) for day in days]
    for l_index, forecast in enumerate(forecasts):
        if len(forecast.parcels_per_day) != len(days):
            raise ValidationError(
                "a forecast needs one volume per horizon day",
                field="parcels_per_day",
                value=forecast.parcel.country,
            )
        facts = forecast.parcel
        for c_index, channel in enumerate(catalogue.channels):
            lane = channel.lane_for(facts.country, facts.postcode)
            if lane is None or fit_refusals(facts, channel, lane, fx=fx, conditions=conditions):
                continue
            quote = price_parcel(facts, channel, lane, fx)
            if quote is None or conditions.state(channel.id, facts.country) is ChannelState.FAILED:
                continue
            figures = observed.get((facts.country, channel.id), CATALOGUE_FIGURES)
            cost = figures.cost_per_parcel
            eligible[l_index, c_index] = True
            price[l_index, c_index] = quote.price if cost is None else cost
            for d_index, peak in enumerate(peaks):
                on_time[l_index, c_index, d_index] = figures.on_time(
                    lane.transit, facts.promised_days, peak=peak
                )
    ids = catalogue.channel_ids
    warm_mask = np.zeros((lanes, channels), dtype=bool)
    countries = [f.parcel.country for f in forecasts]
    for country, channel_id in warm:
        if country in countries and channel_id in ids:
            warm_mask[countries.index(country), ids.index(channel_id)] = True
    return AllocationProblem(
        lanes=tuple(countries),
        channels=tuple(ids),
        carriers=tuple(channel.carrier for channel in catalogue.channels),
        days=tuple(days),
        volume=np.array([f.parcels_per_day for f in forecasts], dtype=float).reshape(lanes, -1),
        eligible=eligible,
        price=price,
        on_time=on_time,
        capacity=np.array([[ch.daily_capacity] * len(days) for ch in catalogue.channels], float),
        min_on_time=np.full(lanes, limits.min_on_time),
        late_penalty=np.array([miss_cost(f.parcel, policy) for f in forecasts]),
        warm=warm_mask,
        channel_cap=limits.channel_cap,
        carrier_cap=limits.carrier_cap,
        warm_share=limits.warm_share,
    )
