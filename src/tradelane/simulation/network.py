"""The catalogue and a scenario compiled into arrays the model indexes by channel and country.

Door-to-door transit per lane is a lognormal fitted to the lane's p50/p90 days, minus the
mean wait for the scheduled cut-off and departure the model adds itself, so an undisturbed
lane delivers close to its profile (the lognormal fit is selection/eta.py's). That free-flow
time is split into legs by mode with monitoring/legs.py's shares, so the monitor's revised ETA
reads the legs the simulator draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from tradelane.domain.catalog import Catalogue, Channel, Mode
from tradelane.monitoring.legs import LEG_SHARES, MIN_REST_SHARE
from tradelane.selection.eta import lognormal_sigma
from tradelane.simulation.clock import hours_between
from tradelane.simulation.disruptions import DisruptionWindows, compile_disruptions
from tradelane.simulation.scenarios import ChannelCapacity, Scenario

__all__ = ["CUSTOMS_TICK_HOURS", "ORIGIN_HANDLING_H", "Network", "build_network"]

# UTC offset of the shipper's site in November (standard time): estimate per origin country.
ORIGIN_UTC_OFFSET_HOURS = {"CN": 8, "DE": 1, "US": -8, "GB": 0, "NL": 1, "PL": 1}
# Median hours from pickup to ready for line haul (warehouse: pick-pack), lognormal sigma
# ORIGIN_SIGMA; kept short so an undisturbed channel departs within the strategy's 48 h.
ORIGIN_HANDLING_H: dict[Mode, float] = {
    Mode.EXPRESS: 4.0,
    Mode.DEDICATED_AIR: 8.0,
    Mode.POSTAL: 12.0,
    Mode.DEDICATED_TRUCK: 8.0,
    Mode.DEDICATED_RAIL: 12.0,
    Mode.DEDICATED_SEA: 12.0,
    Mode.REGIONAL_HUB: 8.0,
    Mode.OVERSEAS_WAREHOUSE: 12.0,
}  # estimates
ORIGIN_SIGMA = 0.3  # estimate
EXPRESS_DEPARTURES_PER_DAY = 2  # estimate; other modes 1
DEPARTURE_HEADROOM = 1.25  # line-haul space per day vs pickup capacity: estimate
FIRST_DEPARTURE_AFTER_CUTOFF_HOURS = 6.0  # estimate
CUSTOMS_TICK_HOURS = 4.0  # customs releases in batches this often (estimate)
CUSTOMS_HEADROOM = 1.5  # default port throughput vs the pickups that can reach it: estimate


@dataclass(frozen=True, eq=False)
class Network:
    start: datetime
    channel_ids: tuple[str, ...]
    carriers: tuple[str, ...]
    origins: tuple[str, ...]
    domestic: np.ndarray  # (C,) bool: overseas-warehouse channels: no line haul, no customs
    cutoff_h: np.ndarray  # (C,) first daily cut-off, hours after start, in [0, 24)
    departure_h: tuple[np.ndarray, ...]  # per channel: departure hours within a day
    pickup_per_day: np.ndarray  # (C,) parcels
    parcels_per_departure: np.ndarray  # (C,) parcels
    origin_h: np.ndarray  # (C,) median origin handling hours
    legs: np.ndarray  # (C, 3) shares of the rest: line haul, customs, last mile
    countries: tuple[str, ...]
    has_lane: np.ndarray  # (C, K) bool
    mu: np.ndarray  # (C, K) log of median free-flow hours
    sigma: np.ndarray  # (C, K)
    uplift: np.ndarray  # (C, K) peak-season factor
    port_of: np.ndarray  # (C, K) customs port index, -1 for none
    ports: tuple[str, ...]
    customs_per_day: np.ndarray  # (P,) parcels
    disruptions: DisruptionWindows
    peak_h: tuple[float, float] | None

    @property
    def channel_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.channel_ids)}

    def leg_hours(
        self, channel: np.ndarray, country: np.ndarray, z: np.ndarray, label_h: np.ndarray
    ) -> np.ndarray:
        """(4, n) free-flow hours per parcel: origin handling, line haul, customs, last mile.

        Door-to-door is lognormal in the parcel's standard normal draw `z` (with the peak
        uplift for labels in the peak season); origin handling takes its mode's time and the
        other legs share the rest.
        """
        total = np.exp(self.mu[channel, country] + self.sigma[channel, country] * z)
        if self.peak_h is not None:
            in_peak = (label_h >= self.peak_h[0]) & (label_h < self.peak_h[1])
            total = np.where(in_peak, total * self.uplift[channel, country], total)
        origin = self.origin_h[channel] * np.exp(ORIGIN_SIGMA * z)
        rest = np.maximum(total - origin, MIN_REST_SHARE * total)
        return np.vstack([origin, (self.legs[channel] * rest[:, None]).T])


def build_network(scenario: Scenario, catalogue: Catalogue, countries: tuple[str, ...]) -> Network:
    """Compile; assumes `check_against(scenario, catalogue)` passed."""
    channels = catalogue.channels
    pickup, departures, per_departure = _capacities(scenario, catalogue)
    cutoffs = np.array([_cutoff_h(scenario, ch) for ch in channels])
    ports, port_of = _ports(catalogue, countries)
    has_lane, mu, sigma, uplift = _lanes(catalogue, countries, departures)
    peak = scenario.peak_season
    return Network(
        start=scenario.start,
        channel_ids=tuple(catalogue.channel_ids),
        carriers=tuple(ch.carrier for ch in channels),
        origins=tuple(ch.origin for ch in channels),
        domestic=np.array([ch.mode == Mode.OVERSEAS_WAREHOUSE for ch in channels]),
        cutoff_h=cutoffs,
        departure_h=tuple(
            (cutoffs[i] + FIRST_DEPARTURE_AFTER_CUTOFF_HOURS + np.arange(n) * 24.0 / n) % 24.0
            for i, n in enumerate(departures)
        ),
        pickup_per_day=pickup,
        parcels_per_departure=per_departure,
        origin_h=np.array([ORIGIN_HANDLING_H[ch.mode] for ch in channels]),
        legs=np.array([LEG_SHARES[ch.mode] for ch in channels]),
        countries=countries,
        has_lane=has_lane,
        mu=mu,
        sigma=sigma,
        uplift=uplift,
        port_of=port_of,
        ports=ports,
        customs_per_day=_customs(scenario, ports, port_of, pickup),
        disruptions=compile_disruptions(scenario, catalogue, ports),
        peak_h=None
        if peak is None
        else (hours_between(scenario.start, peak.start), hours_between(scenario.start, peak.end)),
    )


def _capacities(
    scenario: Scenario, catalogue: Catalogue
) -> tuple[np.ndarray, list[int], np.ndarray]:
    """Pickups per day, departures per day and parcels per departure, scaled."""
    channels, scale = catalogue.channels, scenario.capacity_scale
    pickup = np.array(
        [_capacity(scenario, ch).pickup_per_day or ch.daily_capacity for ch in channels], float
    )
    pickup = np.maximum(1, np.round(pickup * scale)).astype(np.int64)
    departures = [_departures_per_day(scenario, ch) for ch in channels]
    per_departure = np.array([_per_departure(scenario, ch) for ch in channels], float) * scale
    unset = per_departure == 0
    per_departure[unset] = DEPARTURE_HEADROOM * pickup[unset] / np.array(departures)[unset]
    return pickup, departures, np.maximum(1, np.ceil(per_departure)).astype(np.int64)


def _capacity(scenario: Scenario, channel: Channel) -> ChannelCapacity:
    return scenario.channels.get(channel.id, ChannelCapacity())


def _per_departure(scenario: Scenario, channel: Channel) -> int:
    return _capacity(scenario, channel).parcels_per_departure or 0


def _departures_per_day(scenario: Scenario, channel: Channel) -> int:
    chosen = _capacity(scenario, channel).departures_per_day
    if chosen is not None:
        return chosen
    return EXPRESS_DEPARTURES_PER_DAY if channel.mode == Mode.EXPRESS else 1


def _cutoff_h(scenario: Scenario, channel: Channel) -> float:
    hours, minutes = (int(part) for part in channel.cutoff_local.split(":"))
    utc = hours + minutes / 60 - ORIGIN_UTC_OFFSET_HOURS.get(channel.origin, 0)
    start = scenario.start.astimezone(UTC)
    return float((utc - (start.hour + start.minute / 60)) % 24.0)


def _lanes(
    catalogue: Catalogue, countries: tuple[str, ...], departures: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    shape = (len(catalogue.channels), len(countries))
    has, mu, sigma, uplift = np.zeros(shape, bool), np.zeros(shape), np.zeros(shape), np.ones(shape)
    for c, channel in enumerate(catalogue.channels):
        domestic = channel.mode == Mode.OVERSEAS_WAREHOUSE
        wait_h = 12.0 + 12.0 / departures[c] + (0.0 if domestic else CUSTOMS_TICK_HOURS / 2)
        for k, country in enumerate(countries):
            lane = next((lane for lane in channel.lanes if lane.country == country), None)
            if lane is None:
                continue
            p50 = max(lane.transit.p50_days * 24 - wait_h, 0.3 * lane.transit.p50_days * 24)
            p90 = max(lane.transit.p90_days * 24 - wait_h, p50)
            has[c, k] = True
            mu[c, k], sigma[c, k] = math.log(p50), float(lognormal_sigma(p50, p90))
            uplift[c, k] = 1 + lane.transit.peak_uplift_pct / 100
    return has, mu, sigma, uplift


def _ports(catalogue: Catalogue, countries: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
    """Customs port per lane: its clearance port, else the country itself (-1: domestic)."""
    names: list[str] = []
    port_of = np.full((len(catalogue.channels), len(countries)), -1, dtype=np.int64)
    for c, channel in enumerate(catalogue.channels):
        if channel.mode == Mode.OVERSEAS_WAREHOUSE:
            continue
        for k, country in enumerate(countries):
            lane = next((lane for lane in channel.lanes if lane.country == country), None)
            if lane is None:
                continue
            name = lane.clearance_port or country
            if name not in names:
                names.append(name)
            port_of[c, k] = names.index(name)
    return tuple(names), port_of


def _customs(
    scenario: Scenario, ports: tuple[str, ...], port_of: np.ndarray, pickup: np.ndarray
) -> np.ndarray:
    per_day = np.zeros(len(ports))
    for p, name in enumerate(ports):
        chosen = scenario.customs.get(name)
        if chosen is not None:
            per_day[p] = chosen.parcels_per_day * scenario.capacity_scale
        else:
            feeding = (port_of == p).any(axis=1)
            per_day[p] = CUSTOMS_HEADROOM * pickup[feeding].sum()
    return np.maximum(per_day, 1.0)
