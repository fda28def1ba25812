"""Rule windows of each catalogue lane, derived from its own transit profile (pure).

    lane p50/p90 (+ peak uplift) ─▶ legs at p98 ─▶ windows, each max(configured, derived)
                                 ─▶ legs at p50 (the revised ETA's legs)
                                 ─▶ legs at RISK_Z (the quick end: promise_at_risk's legs)

    rule                 derived window (WINDOW_Z: the 98th percentile)
    no_departure         the origin leg's p98
    no_arrival           the line haul's p98
    customs_hold         the customs leg's p98
    no_event_in_transit  the mode's scan cadence, or the longest leg's p98 where the mode
                         reports only at hand-overs (every mode but express, estimate)
    late_delivery        floor: door-to-door p98 since pickup (late within the lane's
                         ordinary spread is the promise's miss, not the lane's deviation)

The configured windows (the strategy's 48 h / 7 d / 72 h / 5 d, or the file's `defaults`) are
floors: air and express lanes keep them, slower lanes get their own where longer. A window an
override in the monitoring file names for the channel or country is kept as written. Several
lanes of one channel to one country (postcode zones) share the slowest profile.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradelane.domain.catalog import Channel, Lane, Mode
from tradelane.monitoring.legs import (
    LEG_SHARES,
    ORIGIN_LEG_HOURS,
    Z98,
    door_to_door_hours,
    leg_hours,
)
from tradelane.monitoring.thresholds import MonitoringConfig, Thresholds

__all__ = [
    "RISK_Z",
    "SCAN_CADENCE_HOURS",
    "WINDOW_Z",
    "LaneWindows",
    "lane_windows",
    "overdue_leg_hours",
]

# A leg counts as overdue past its 98th percentile: on a calm lane about 2 parcels in 100 run
# past it by their own spread, the false-alarm budget of a quiet peak (<= 3 alerts / 100).
WINDOW_Z = Z98
# `promise_at_risk` takes the legs still ahead at their 16th percentile (z = -1): a parcel whose
# ETA passes the promise even then misses it with about 84 % probability on its lane's own
# spread, so the early warning is precise (README "Alerts": the measured precision / recall
# curve over this quantile).
RISK_Z = -1.0
ORIGIN_SPREAD_SIGMA = 0.3  # lognormal spread of the origin leg (estimate)
# Longest ordinary silence between scans where the carrier scans along its legs (estimate);
# other modes report at hand-overs only, so a leg is silent for as long as it lasts.
SCAN_CADENCE_HOURS: dict[Mode, float] = {Mode.EXPRESS: 24.0}
_LEG_RULES = ("no_departure_hours", "no_arrival_hours", "customs_hold_hours")


@dataclass(frozen=True, slots=True)
class LaneWindows:
    """One channel to one country: windows, median hours of the four legs and their quick
    end (RISK_Z), off-peak and for parcels handed over in a peak window."""

    channel_id: str
    country: str
    thresholds: Thresholds
    peak_thresholds: Thresholds
    legs_hours: tuple[float, ...]
    peak_legs_hours: tuple[float, ...]
    quick_legs_hours: tuple[float, ...]
    peak_quick_legs_hours: tuple[float, ...]

    def for_peak(self, peak: bool) -> tuple[Thresholds, tuple[float, ...]]:
        if peak:
            return self.peak_thresholds, self.peak_legs_hours
        return self.thresholds, self.legs_hours

    def quick_legs(self, peak: bool) -> tuple[float, ...]:
        return self.peak_quick_legs_hours if peak else self.quick_legs_hours


def lane_windows(channels: list[Channel], config: MonitoringConfig) -> tuple[LaneWindows, ...]:
    """Windows of every (channel, destination country) the catalogue serves."""
    found: list[LaneWindows] = []
    for channel in channels:
        for country, lanes in _by_country(channel.lanes).items():
            found.append(_lane(channel, country, lanes, config))
    return tuple(found)


def _by_country(lanes: list[Lane]) -> dict[str, list[Lane]]:
    grouped: dict[str, list[Lane]] = {}
    for lane in lanes:
        grouped.setdefault(lane.country, []).append(lane)
    return grouped


def _lane(
    channel: Channel, country: str, lanes: list[Lane], config: MonitoringConfig
) -> LaneWindows:
    p50 = max(lane.transit.p50_days for lane in lanes)
    p90 = max(lane.transit.p90_days for lane in lanes)
    uplift = 1 + max(lane.transit.peak_uplift_pct for lane in lanes) / 100
    base = config.thresholds_for(channel.id, country)
    kept = config.overridden(channel.id, country)
    windows, legs, quick = [], [], []
    for factor in (1.0, uplift):
        derived = _derived_hours(channel.mode, p50, p90, factor)
        windows.append(_raised(base, derived, kept))
        legs.append(_rounded(_legs(channel.mode, p50, p90, factor, 0.0)))
        quick.append(_rounded(_legs(channel.mode, p50, p90, factor, RISK_Z)))
    return LaneWindows(
        channel.id, country, windows[0], windows[1], legs[0], legs[1], quick[0], quick[1]
    )


def _rounded(legs: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(hours), 3) for hours in legs)


def _legs(mode: Mode, p50: float, p90: float, factor: float, z: float) -> np.ndarray:
    total = door_to_door_hours(p50, p90, z=z, peak_factor=factor)
    origin = ORIGIN_LEG_HOURS[mode] * math.exp(ORIGIN_SPREAD_SIGMA * z)
    legs: np.ndarray = leg_hours(total, np.array([origin]), np.array([LEG_SHARES[mode]]))[0]
    return legs


def overdue_leg_hours(
    modes: Sequence[Mode],
    p50_days: npt.ArrayLike,
    p90_days: npt.ArrayLike,
    factors: npt.ArrayLike,
) -> np.ndarray:
    """(n, 4) hours of the legs (origin, line haul, customs, last mile) past which a parcel
    is overdue on that leg, one row per lane: each leg at WINDOW_Z, scaled by the lane's peak
    factor (the same legs as `_legs` at WINDOW_Z, for many lanes at once)."""
    total = door_to_door_hours(p50_days, p90_days, z=WINDOW_Z, peak_factor=factors)
    spread = math.exp(ORIGIN_SPREAD_SIGMA * WINDOW_Z)
    origin = np.array([ORIGIN_LEG_HOURS[mode] * spread for mode in modes], dtype=np.float64)
    shares = np.array([LEG_SHARES[mode] for mode in modes], dtype=np.float64).reshape(-1, 3)
    return leg_hours(total, origin, shares)


def _derived_hours(mode: Mode, p50: float, p90: float, factor: float) -> dict[str, float]:
    legs = _legs(mode, p50, p90, factor, WINDOW_Z)
    silence = SCAN_CADENCE_HOURS.get(mode, float(legs.max()))
    derived = {name: float(hours) for name, hours in zip(_LEG_RULES, legs, strict=False)}
    derived["no_event_in_transit_hours"] = silence
    derived["late_delivery_floor_hours"] = float(legs.sum())
    return derived


def _raised(base: Thresholds, derived: dict[str, float], kept: frozenset[str]) -> Thresholds:
    update: dict[str, float] = {}
    for name, hours in derived.items():
        if name in kept:
            continue
        configured = getattr(base, name)
        update[name] = round(hours if configured is None else max(configured, hours), 1)
    return base.model_copy(update=update)
