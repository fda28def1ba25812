"""Channel health per channel × lane: pure maths over aggregated figures.

    shipments ─(store: GROUP BY channel, country; or the simulator)─▶ LaneFigures
              ─▶ lane_health() ─▶ LaneHealth ─▶ triggers.assess() ─▶ policy.decide()

Figures (all about parcels still in flight unless said otherwise):

delay      a parcel is *overdue* once older than the lane's p90 transit; its delay is the hours
           past that p90. The lane's delay is the median (and p90) over its overdue parcels,
           read from a histogram of DELAY_BUCKET_HOURS-wide buckets (so the store can count
           per bucket instead of sorting). `past_p50` counts parcels older than the median.
           A healthy lane's overdue parcels are late too: in a steady flow their median delay
           is `normal_delay_hours` of its own profile (tens of hours on a slow lane, e.g. 62 h
           for p50/p90 of 10/16 days), so the lane's *excess* delay is the median beyond it.
backlog    orders assigned to the channel but not handed over, plus parcels picked up but not
           departed from origin; also expressed in hours of the channel's daily capacity.
clearance  mean hours from arrival in the destination country to clearance (or to
           out-for-delivery, or to now while still waiting) over parcels that have arrived.
stall      share of the lane's parcels picked up more than `StallWindow.after_hours` ago that have
           not departed origin (no departure nor any later scan): the stalled ones of any age
           over those picked up within the window before that (plus the stalled). The
           strategy's early signal: "no departed_origin within 48 h of picked_up" (DESIGN.md).
           Delivered parcels leave the count, so on lanes that deliver within days of pickup
           the share reads somewhat high (the cautious side).
pickup     share of the lane's labels older than `StallWindow.pickup_after_hours` with no scan
silence    after the label (never picked up), over those labelled within the window before
           that (plus the silent ones): a carrier that stopped collecting.
flow       per channel hub and per lane, pickup and departure scans in the last
           `StallWindow.flow_window_hours` (ending `flow_lag_hours` ago, so a window holds
           every scan of its day even when carriers report late) against the
           `flow_reference_windows` windows before (`Flow`). A flow that stops while parcels
           wait (stalled, or silent) is the fastest sign of a stop (evidence.flow_drop).
           Arrivals and clearances likewise, per lane, with the parcels awaiting them
           (departed and older than the lane's p50; arrived before the last window and longer
           before its end than the lane's customs leg runs at its p98 (`LaneProfile.
           clearance_hours`, monitoring's overdue customs leg), not cleared and not on a
           customs hold, which waits for its inspection): a congested port or a slow customs
           shows in days, not at the p90, and parcels within their ordinary clearance time
           are not counted as kept waiting.
           Delivered parcels leave the count, so the reference reads low on fast lanes (the
           cautious side).
exceptions share of in-flight parcels with an exception scan; with the totals over every lane
           judged in the same reading (`network_*`), the lane is compared with its peers.
capacity   parcels the channel took over in the last 24 h / its daily capacity.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from tradelane.domain.catalog import Catalogue
from tradelane.monitoring.lane_windows import overdue_leg_hours
from tradelane.selection.eta import lognormal_sigma
from tradelane.switching.peaks import PeakEvent
from tradelane.switching.states import LaneKey

__all__ = [
    "DELAY_BUCKETS",
    "DELAY_BUCKET_HOURS",
    "Flow",
    "LaneFigures",
    "LaneHealth",
    "LaneProfile",
    "StallWindow",
    "awaiting_clearance_before",
    "delay_bucket",
    "lane_health",
    "lane_profiles",
    "normal_delay_hours",
    "quantile_from_histogram",
]

DELAY_BUCKET_HOURS = 6.0
DELAY_BUCKETS = 60  # the last bucket is open-ended: 354 h and more
CUSTOMS_LEG = 2  # position of the customs leg in monitoring's legs
TAKING_SHARE = 0.25  # young parcels per overdue one below which a lane has stopped (estimate)


def delay_bucket(delay_hours: float) -> int:
    """The histogram bucket of a non-negative delay (the same rule the SQL applies)."""
    return min(int(delay_hours // DELAY_BUCKET_HOURS), DELAY_BUCKETS - 1)


@dataclass(frozen=True)
class StallWindow:
    """Which parcels the stall share looks at: picked up more than `after_hours` ago and, unless
    still stalled, within `window_hours` before that."""

    after_hours: float = 48.0  # DESIGN.md: no departed_origin within 48 h of picked_up
    window_hours: float = 48.0  # two days of pickups: evens out daily pickup batches (estimate)
    pickup_after_hours: float = 48.0  # a label normally gets its pickup scan by then (estimate)
    flow_window_hours: float = 24.0  # a day: each daily cut-off and departure in it (estimate)
    flow_reference_windows: int = 2  # the flow compared with: the days before (estimate)
    flow_lag_hours: float = 6.0  # windows end this long before now: scans arrive late (estimate)


@dataclass(frozen=True)
class Flow:
    """Scans of one kind (pickup or departure) on a lane or a channel's hub: `recent` in the
    last flow window, `reference` over the reference windows before it."""

    recent: int = 0
    reference: int = 0

    def __add__(self, other: Flow) -> Flow:
        return Flow(self.recent + other.recent, self.reference + other.reference)


@dataclass(frozen=True)
class LaneFigures:
    """Counts and sums for one lane; `overdue_histogram[i]` counts overdue parcels whose delay
    falls in bucket i. Channel-wide figures (capacity, handed over, backlog) are summed over
    the channel's lanes by the caller and passed in `channel_*` fields."""

    channel_id: str
    country: str
    in_flight: int = 0
    past_p50: int = 0
    overdue_histogram: tuple[int, ...] = ()
    unshipped: int = 0
    picked_not_departed: int = 0
    stall_sample: int = 0
    stalled_at_origin: int = 0
    pickup_sample: int = 0
    not_picked_up: int = 0
    arrived: int = 0
    clearance_hours_total: float = 0.0
    in_customs: int = 0
    exceptions: int = 0
    network_exceptions: int = 0  # over every lane of the reading, this one included
    network_in_flight: int = 0
    handed_over_24h: int = 0
    channel_backlog: int = 0
    channel_handed_over_24h: int = 0
    channel_stall_sample: int = 0
    channel_stalled_at_origin: int = 0
    channel_pickup_sample: int = 0
    channel_not_picked_up: int = 0
    pickups: Flow = Flow()
    departures: Flow = Flow()
    channel_pickups: Flow = Flow()  # over every lane of the channel: its origin hub's flow
    channel_departures: Flow = Flow()
    arrivals: Flow = Flow()
    clearances: Flow = Flow()
    awaiting_arrival: int = 0
    awaiting_clearance: int = 0
    daily_capacity: int = 0  # the channel's parcels a day (0: not known)
    normal_delay_hours: float = 0.0  # the lane profile's (normal_delay_hours)

    @property
    def overdue(self) -> int:
        return sum(self.overdue_histogram)

    @property
    def backlog(self) -> int:
        return self.unshipped + self.picked_not_departed


@dataclass(frozen=True)
class LaneHealth:
    """One reading of a lane's health, as the triggers compare it."""

    channel_id: str
    country: str
    in_flight: int = 0
    past_p50: int = 0
    overdue: int = 0
    delay_p50_hours: float = 0.0
    delay_p90_hours: float = 0.0
    backlog_parcels: int = 0
    backlog_capacity_hours: float = 0.0
    stall_sample: int = 0
    stalled_at_origin: int = 0
    origin_stall_share: float = 0.0
    pickup_sample: int = 0
    not_picked_up: int = 0
    pickup_silence_share: float = 0.0
    channel_stall_sample: int = 0  # over every lane of the channel: its origin hub's flow
    channel_stalled_at_origin: int = 0
    channel_pickup_sample: int = 0
    channel_not_picked_up: int = 0
    arrived: int = 0
    clearance_hours: float = 0.0
    in_customs: int = 0
    exception_rate: float = 0.0
    exceptions: int = 0
    network_exceptions: int = 0  # over every lane of the reading, this one included
    network_in_flight: int = 0
    capacity_used: float = 0.0
    handed_over_24h: int = 0
    pickups: Flow = Flow()
    departures: Flow = Flow()
    channel_pickups: Flow = Flow()
    channel_departures: Flow = Flow()
    arrivals: Flow = Flow()
    clearances: Flow = Flow()
    awaiting_arrival: int = 0
    awaiting_clearance: int = 0
    normal_delay_hours: float = 0.0  # a healthy lane's median delay past its p90 (profile)
    daily_capacity: int = 0  # the channel's parcels a day (0: not known)

    @property
    def excess_delay_hours(self) -> float:
        """How much later than a healthy lane's the overdue parcels run: the lane delay the
        triggers judge."""
        return max(0.0, self.delay_p50_hours - self.normal_delay_hours)

    @property
    def taking_parcels(self) -> bool:
        """The lane still takes parcels: those in flight younger than its p50 number at least
        TAKING_SHARE of the overdue ones. In a steady flow they are many times more (about p50
        days of hand-overs against the few of the tail), and still a few times more on a lane
        whose parcels stopped moving days ago; a lane whose hand-overs stopped p50 ago keeps
        only parcels past its p50."""
        return self.in_flight - self.past_p50 >= TAKING_SHARE * self.overdue

    def as_record(self) -> dict[str, float | int]:
        """The figures as JSON-safe numbers (rounded; flows as name_recent, ...), for the
        audit trail."""
        record: dict[str, float | int] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, Flow):
                record |= {f"{name}_{part}": n for part, n in value.__dict__.items()}
            elif name not in ("channel_id", "country"):
                record[name] = round(value, 3) if isinstance(value, float) else value
        return record


def quantile_from_histogram(
    counts: Sequence[int], q: float, *, bucket_width: float = DELAY_BUCKET_HOURS
) -> float:
    """The q-quantile (0 < q <= 1) of values counted per bucket [i·w, (i+1)·w).

    Nearest-rank on the bucket, values spread evenly inside it, so the result lies inside the
    bucket of the exact nearest-rank quantile (error below one bucket width). 0.0 for no values.
    """
    running = list(accumulate(counts))  # values up to and including each bucket
    total = running[-1] if running else 0
    if total == 0:
        return 0.0
    rank = max(1, -int(-q * total // 1))  # ceil(q·total), at least the first value
    index = bisect_left(running, rank)  # the first bucket reaching the rank: never empty
    count = counts[index]
    within = (rank - (running[index] - count) - 0.5) / count  # its place inside the bucket
    return (index + within) * bucket_width


def lane_health(figures: LaneFigures) -> LaneHealth:
    """Turn one lane's counts into rates, means and quantiles. Never divides by zero."""
    histogram = figures.overdue_histogram
    return LaneHealth(
        channel_id=figures.channel_id,
        country=figures.country,
        in_flight=figures.in_flight,
        past_p50=figures.past_p50,
        overdue=figures.overdue,
        delay_p50_hours=quantile_from_histogram(histogram, 0.5),
        delay_p90_hours=quantile_from_histogram(histogram, 0.9),
        backlog_parcels=figures.backlog,
        backlog_capacity_hours=24.0 * figures.channel_backlog / max(figures.daily_capacity, 1),
        stall_sample=figures.stall_sample,
        stalled_at_origin=figures.stalled_at_origin,
        origin_stall_share=(
            figures.stalled_at_origin / figures.stall_sample if figures.stall_sample else 0.0
        ),
        pickup_sample=figures.pickup_sample,
        not_picked_up=figures.not_picked_up,
        pickup_silence_share=(
            figures.not_picked_up / figures.pickup_sample if figures.pickup_sample else 0.0
        ),
        channel_stall_sample=figures.channel_stall_sample,
        channel_stalled_at_origin=figures.channel_stalled_at_origin,
        channel_pickup_sample=figures.channel_pickup_sample,
        channel_not_picked_up=figures.channel_not_picked_up,
        arrived=figures.arrived,
        clearance_hours=figures.clearance_hours_total / figures.arrived if figures.arrived else 0.0,
        in_customs=figures.in_customs,
        exception_rate=figures.exceptions / figures.in_flight if figures.in_flight else 0.0,
        exceptions=figures.exceptions,
        network_exceptions=figures.network_exceptions,
        network_in_flight=figures.network_in_flight,
        capacity_used=figures.channel_handed_over_24h / max(figures.daily_capacity, 1),
        handed_over_24h=figures.handed_over_24h,
        pickups=figures.pickups,
        departures=figures.departures,
        channel_pickups=figures.channel_pickups,
        channel_departures=figures.channel_departures,
        arrivals=figures.arrivals,
        clearances=figures.clearances,
        awaiting_arrival=figures.awaiting_arrival,
        awaiting_clearance=figures.awaiting_clearance,
        normal_delay_hours=figures.normal_delay_hours,
        daily_capacity=figures.daily_capacity,
    )


_BISECTIONS = 40  # halvings of a 4 x p90 bracket: far below one delay bucket


def _tail_mass(
    mu: npt.NDArray[np.float64], sigma: npt.NDArray[np.float64], c: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """E[max(T - c, 0)] for lognormal T (mu, sigma > 0): the area under its survival past c."""
    log_c = np.log(c)
    d1 = (mu + sigma * sigma - log_c) / sigma
    d2 = (mu - log_c) / sigma
    return np.asarray(np.exp(mu + sigma * sigma / 2) * ndtr(d1) - c * ndtr(d2))


def normal_delay_hours(
    p50_hours: npt.ArrayLike, p90_hours: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """The median delay past p90 of a healthy lane's overdue parcels in a steady flow.

    With parcels handed over at a steady rate, those in flight at age a are in proportion to
    the survival S(a) of the lane's transit (the lognormal through p50 and p90, the one fit
    selection and monitoring use), so the overdue ones' delays x have density S(p90 + x) / A,
    A = E[(T - p90)+]. The median d solves E[(T - p90 - d)+] = A / 2 (bisection, arrays).
    0 for a deterministic profile (p90 == p50): nothing healthy is overdue."""
    p50 = np.asarray(p50_hours, dtype=np.float64)
    p90 = np.maximum(np.asarray(p90_hours, dtype=np.float64), p50)
    sigma = lognormal_sigma(p50, p90)
    spread = sigma > 0
    mu, s, top = np.log(p50[spread]), sigma[spread], p90[spread]
    half = _tail_mass(mu, s, top) / 2
    low, high = np.zeros_like(top), 4.0 * top
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        beyond = _tail_mass(mu, s, top + middle) > half
        low, high = np.where(beyond, middle, low), np.where(beyond, high, middle)
    delay = np.zeros_like(p50)
    delay[spread] = (low + high) / 2
    return delay


@dataclass(frozen=True)
class LaneProfile:
    """The transit a lane is judged against, in hours (peak-uplifted while a peak is active)."""

    channel_id: str
    country: str
    origin: str
    p50_hours: float
    p90_hours: float
    daily_capacity: int
    clearance_hours: float = 0.0  # customs leg past which an arrived parcel is overdue there


def awaiting_clearance_before(profile: LaneProfile, now: datetime, stall: StallWindow) -> datetime:
    """A parcel arrived before this instant and not cleared is kept waiting by the customs:
    it arrived before the last flow window began and longer before that window's end than
    the lane's customs leg ordinarily runs (`LaneProfile.clearance_hours`)."""
    until = now - timedelta(hours=stall.flow_lag_hours)
    return until - timedelta(hours=max(stall.flow_window_hours, profile.clearance_hours))


def lane_profiles(
    catalogue: Catalogue, *, active_peaks: Sequence[PeakEvent] = ()
) -> dict[LaneKey, LaneProfile]:
    """One profile per (channel, country). Several lanes of a channel to one country (postcode
    ranges) are judged by the slowest; the catalogue's peak uplift applies while any active
    peak affects the lane's market and origin."""
    lanes = [(channel, lane) for channel in catalogue.channels for lane in channel.lanes]
    stretch = [
        1 + lane.transit.peak_uplift_pct / 100
        if any(e.affects(lane.country, channel.origin) for e in active_peaks)
        else 1.0
        for channel, lane in lanes
    ]
    customs = overdue_leg_hours(
        [channel.mode for channel, _ in lanes],
        [lane.transit.p50_days for _, lane in lanes],
        [lane.transit.p90_days for _, lane in lanes],
        stretch,
    )[:, CUSTOMS_LEG].tolist()
    profiles: dict[LaneKey, LaneProfile] = {}
    for (channel, lane), factor, clearance in zip(lanes, stretch, customs, strict=True):
        key = (channel.id, lane.country)
        known = profiles.get(key)
        profiles[key] = LaneProfile(
            channel_id=channel.id,
            country=lane.country,
            origin=channel.origin,
            p50_hours=max(lane.transit.p50_days * 24 * factor, known.p50_hours if known else 0),
            p90_hours=max(lane.transit.p90_days * 24 * factor, known.p90_hours if known else 0),
            daily_capacity=channel.daily_capacity,
            clearance_hours=max(clearance, known.clearance_hours if known else 0),
        )
    return profiles
