"""What the sweep applies: lane windows, the configured scopes for the rest, peak windows.

    MonitoringPlan.build(config, channels, peaks)
        lanes     (channel, country) of the catalogue ─▶ LaneWindows (monitoring/lane_windows.py)
        fallback  config.scopes(): shipments of a channel or country the catalogue lacks
        peaks     [start, end) UTC: a parcel handed over (else picked up) inside one uses the
                  lane's peak-uplifted windows and transit

`breached_rules` and `revised_eta` answer one shipment; they are the reference the sweep's SQL
(store/deviation_sql.py) is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import numpy as np

from tradelane.domain.catalog import Channel
from tradelane.monitoring.lane_windows import LaneWindows, lane_windows
from tradelane.monitoring.legs import legs_done
from tradelane.monitoring.revised_eta import revised_eta_hours
from tradelane.monitoring.rules import RULES, MilestoneTimes, RuleId, TimeField, is_breached
from tradelane.monitoring.thresholds import MonitoringConfig, Scope, Thresholds
from tradelane.selection.conditions import PeakWindow

__all__ = ["MILESTONE_OF_LEGS", "PEAK_ANCHORS", "MonitoringPlan", "RevisedEta", "breached_rules"]

# Which time marks a parcel's progress after k legs; the last event stands in when missing.
MILESTONE_OF_LEGS: tuple[tuple[TimeField, ...], ...] = (
    (TimeField.PICKED_UP, TimeField.HANDED_OVER),
    (TimeField.DEPARTED_ORIGIN,),
    (TimeField.ARRIVED_DESTINATION, TimeField.CUSTOMS_HOLD),
    (TimeField.CUSTOMS_CLEARED,),
    (TimeField.DELIVERED,),
)
PEAK_ANCHORS = (TimeField.HANDED_OVER, TimeField.PICKED_UP)
Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class RevisedEta:
    eta: datetime | None  # None: the shipment's lane has no transit profile
    promise_at_risk: bool


@dataclass(frozen=True)
class MonitoringPlan:
    lanes: tuple[LaneWindows, ...] = ()
    fallback: tuple[Scope, ...] = (Scope(None, None, Thresholds()),)
    peaks: tuple[Span, ...] = ()
    _by_key: dict[tuple[str, str], LaneWindows] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {(w.channel_id, w.country): w for w in self.lanes})

    @classmethod
    def build(
        cls,
        config: MonitoringConfig,
        channels: Sequence[Channel] = (),
        peaks: Sequence[PeakWindow] = (),
    ) -> MonitoringPlan:
        spans = tuple(
            (
                datetime.combine(p.start, time(), UTC),
                datetime.combine(p.end + timedelta(days=1), time(), UTC),
            )
            for p in peaks
        )
        return cls(lane_windows(list(channels), config), tuple(config.scopes()), spans)

    def lane(self, channel_id: str | None, country: str | None) -> LaneWindows | None:
        if channel_id is None or country is None:
            return None
        return self._by_key.get((channel_id, country))

    def in_peak(self, times: MilestoneTimes) -> bool:
        at = next((t for f in PEAK_ANCHORS if (t := times.at(f)) is not None), None)
        return at is not None and any(start <= at < end for start, end in self.peaks)

    def thresholds_for(
        self, channel_id: str | None, country: str | None, times: MilestoneTimes
    ) -> Thresholds:
        lane = self.lane(channel_id, country)
        if lane is not None:
            return lane.for_peak(self.in_peak(times))[0]
        for scope in self.fallback:
            if scope.channel_id in (None, channel_id) and scope.country in (None, country):
                return scope.thresholds
        return Thresholds()

    def revised_eta(
        self, times: MilestoneTimes, *, channel_id: str | None, country: str | None, now: datetime
    ) -> RevisedEta:
        """The shipment's revised ETA at `now` (monitoring/revised_eta.py, one parcel).

        Without a lane there is no ETA and the promise is at risk once it has passed."""
        lane = self.lane(channel_id, country)
        promised = times.promised_at
        if lane is None:
            return RevisedEta(None, promised is not None and promised < now)
        eta = _eta(times, lane.for_peak(self.in_peak(times))[1], now)
        return RevisedEta(eta, promised is not None and eta > promised)

    def eta_past_promise(
        self, times: MilestoneTimes, *, channel_id: str | None, country: str | None, now: datetime
    ) -> bool:
        """Whether the ETA with the legs ahead at the lane's quick end (RISK_Z) passes the
        promise (no lane or no promise: False)."""
        lane = self.lane(channel_id, country)
        if lane is None or times.promised_at is None:
            return False
        return _eta(times, lane.quick_legs(self.in_peak(times)), now) > times.promised_at


def _eta(times: MilestoneTimes, legs: tuple[float, ...], now: datetime) -> datetime:
    done = int(legs_done(times.status_rank))
    offset_h = revised_eta_hours(
        legs_hours=np.array([legs]),
        done=done,
        status_rank=times.status_rank,
        milestone_h=_hours_from(now, _milestone_at(times, done)),
        now_h=0.0,
    )
    return now + timedelta(hours=float(offset_h[0]))


def _milestone_at(times: MilestoneTimes, done: int) -> datetime | None:
    for field_ in (*MILESTONE_OF_LEGS[done], TimeField.LAST_EVENT):
        found = times.at(field_)
        if found is not None:
            return found
    return None


def _hours_from(now: datetime, at: datetime | None) -> float:
    """Hours from `now` to `at` (negative: before now); 0 when unknown."""
    return (at - now).total_seconds() / 3600 if at is not None else 0.0


def breached_rules(
    times: MilestoneTimes,
    *,
    channel_id: str | None,
    country: str | None,
    plan: MonitoringPlan | MonitoringConfig,
    now: datetime,
) -> frozenset[RuleId]:
    """The rules one shipment breaks at `now` under `plan` (the reference for the sweep)."""
    plan = as_plan(plan)
    thresholds = plan.thresholds_for(channel_id, country, times)
    past = plan.eta_past_promise(times, channel_id=channel_id, country=country, now=now)
    return frozenset(
        r.id
        for r in RULES
        if is_breached(
            r,
            times,
            window=thresholds.window(r.id),
            floor=thresholds.floor(r.id),
            now=now,
            eta_past_promise=past,
        )
    )


def as_plan(rules: MonitoringPlan | MonitoringConfig) -> MonitoringPlan:
    """A plan as is; a bare config as a plan without lanes or peaks."""
    return rules if isinstance(rules, MonitoringPlan) else MonitoringPlan.build(rules)
