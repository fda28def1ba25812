"""Switching rules (the rules file's schema) and the triggers that compare a health reading.

A trigger breaches at `degraded` and, where set, at `failed` (values at or above the level).
A reading is *clear* only when every figure is below `clear_ratio` × its degraded level; a
reading in between is *elevated*: it neither counts towards a switch nor towards recovery (the
value band of the hysteresis; the time part lives in policy.py).

Defaults: the 48 h lane delay is the strategy's (DESIGN.md, backup activation), and so is the
48 h a parcel may wait between pickup and departure from origin (DESIGN.md, deviation rules)
before it counts as stalled; every other level (the stall shares included), the sample minimums,
K, the hold period and the 30 % partial share are estimates to tune.
Set a trigger to null in the rules file to switch it off; backlog and capacity triggers are off
by default (a peak fills queues on a working channel).

Waiting shares and flows are judged by statistical tests with minimum samples, which make
their breaches decisive (figures.py). An advisory active on a lane (domain/advisories.py) is a
decisive breach `advisory` too: failed at severity >= ADVISORY_FAILED_SEVERITY, else degraded
(an estimate: an announcer calling it half-bad or worse means most parcels will be late).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.advisories import Advisory
from tradelane.switching.figures import WAITING_TRIGGERS, figures
from tradelane.switching.health import LaneHealth, StallWindow
from tradelane.switching.peak_settings import PeakSettings

__all__ = [
    "ADVISORY_FAILED_SEVERITY",
    "Assessment",
    "Breach",
    "Evaluation",
    "Severity",
    "SwitchingRules",
    "Threshold",
    "Triggers",
    "advisory_breach",
    "assess",
]

ADVISORY_FAILED_SEVERITY = 0.5  # estimate (module docstring)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Threshold(_Model):
    degraded: float = Field(gt=0)
    failed: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _failed_above_degraded(self) -> Self:
        if self.failed is not None and self.failed <= self.degraded:
            raise ValueError(f"failed {self.failed} must be above degraded {self.degraded}")
        return self


class Triggers(_Model):
    lane_delay_hours: Threshold | None = Threshold(degraded=48, failed=96)
    backlog_parcels: Threshold | None = None  # peak queues are not failures (waiting shares are)
    backlog_capacity_hours: Threshold | None = None
    clearance_hours: Threshold | None = Threshold(degraded=96, failed=168)
    exception_rate: Threshold | None = Threshold(degraded=0.05, failed=0.15)
    capacity_used: Threshold | None = None  # a full channel in a peak is working, not failing
    origin_stall_share: Threshold | None = Threshold(degraded=0.2, failed=0.5)
    pickup_silence_share: Threshold | None = Threshold(degraded=0.3, failed=0.6)
    pickup_flow_drop: Threshold | None = Threshold(degraded=0.5, failed=0.8)
    departure_flow_drop: Threshold | None = Threshold(degraded=0.5, failed=0.8)
    arrival_flow_drop: Threshold | None = Threshold(degraded=0.5, failed=0.8)
    clearance_flow_drop: Threshold | None = Threshold(degraded=0.5, failed=0.8)
    stall_after_hours: float = Field(default=48, gt=0, le=24 * 30)
    stall_window_hours: float = Field(default=48, gt=0, le=24 * 30)
    pickup_after_hours: float = Field(default=36, gt=0, le=24 * 30)
    normal_waiting_share: float = Field(default=0.05, ge=0, lt=1)
    at_capacity_share: float | None = Field(default=0.9, gt=0, le=1)  # None: never a queue
    waiting_alpha: float = Field(default=0.001, gt=0, lt=0.5)
    min_waiting_parcels: int = Field(default=5, ge=1)
    min_overdue_parcels: int = Field(default=30, ge=1)
    min_arrived_parcels: int = Field(default=30, ge=1)
    min_in_flight_parcels: int = Field(default=20, ge=1)
    min_stall_sample_parcels: int = Field(default=10, ge=1)
    flow_window_hours: float = Field(default=24, gt=0, le=24 * 7)
    flow_reference_windows: int = Field(default=2, ge=1, le=14)
    flow_lag_hours: float = Field(default=6, ge=0, le=48)
    min_flow_scans: float = Field(default=5, gt=0)  # expected scans per window to judge a flow
    clear_ratio: float = Field(default=0.8, gt=0, lt=1)

    @property
    def stall_window(self) -> StallWindow:
        """The parcels the stall share is measured over (the store needs it to count)."""
        return StallWindow(
            after_hours=self.stall_after_hours,
            window_hours=self.stall_window_hours,
            pickup_after_hours=self.pickup_after_hours,
            flow_window_hours=self.flow_window_hours,
            flow_reference_windows=self.flow_reference_windows,
            flow_lag_hours=self.flow_lag_hours,
        )


class Evaluation(_Model):
    enter_after_evaluations: int = Field(default=3, ge=1, le=100)
    recovery_hold_hours: float = Field(default=72, gt=0, le=24 * 30)
    silent_recovery_hold_hours: float = Field(default=120, gt=0, le=24 * 30)
    partial_share: float = Field(default=0.3, gt=0, le=1)
    full_share: float = Field(default=1.0, gt=0, le=1)
    max_backup_price_ratio: float = Field(default=2.0, ge=1)  # no dearer backup than this x
    rescue_price_ratio: float | None = Field(default=15.0, ge=1)  # dearer only to keep a promise
    rescue_budget_share: float = Field(default=0.05, ge=0, le=1)  # rescues' extra spend cap
    reroute_fee: float | None = Field(default=1.5, ge=0)  # per parcel moved at the hub; null: never

    @model_validator(mode="after")
    def _partial_not_above_full(self) -> Self:
        if self.partial_share > self.full_share:
            raise ValueError(
                f"partial_share {self.partial_share} is above full_share {self.full_share}"
            )
        return self


class SwitchingRules(_Model):
    name: str = Field(default="default", min_length=1, max_length=40)
    description: str = ""
    evaluation: Evaluation = Evaluation()
    triggers: Triggers = Triggers()
    peaks: PeakSettings = PeakSettings()


class Severity(IntEnum):
    CLEAR = 0
    ELEVATED = 1
    DEGRADED = 2
    FAILED = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Breach:
    trigger: str
    value: float
    threshold: float
    severity: Severity
    p_value: float | None = None  # statistically tested triggers: the test's p-value
    advisory: str | None = None  # an announced disruption: who announced it, its id

    @property
    def decisive(self) -> bool:
        """A tested or announced breach is evidence enough at once; others need K readings
        in a row."""
        return self.p_value is not None or self.advisory is not None

    def as_record(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "value": round(self.value, 3),
            "threshold": self.threshold,
            "severity": self.severity.label,
            **({"p_value": float(f"{self.p_value:.3g}")} if self.p_value is not None else {}),
            **({"advisory": self.advisory} if self.advisory is not None else {}),
        }


@dataclass(frozen=True)
class Assessment:
    severity: Severity
    breaches: tuple[Breach, ...] = ()  # the triggers at degraded or failed, worst first
    flow_seen: bool = True  # a waiting share was judged: the lane's parcels are moving or not

    @property
    def clear_with_flow(self) -> bool:
        """Clear, and the lane's own flow was measured: the only reading recovery counts."""
        return self.severity is Severity.CLEAR and self.flow_seen

    @property
    def breaching(self) -> bool:
        return self.severity >= Severity.DEGRADED

    @property
    def decisive(self) -> bool:
        return any(b.decisive for b in self.breaches)

    def summary(self) -> str:
        return "; ".join(
            f"{b.trigger} {b.value:.4g} >= {b.threshold:g} ({b.severity.label})"
            + (f" [{b.advisory}]" if b.advisory else "")
            for b in self.breaches
        )


def _grade(value: float, threshold: Threshold, clear_ratio: float) -> Severity:
    if threshold.failed is not None and value >= threshold.failed:
        return Severity.FAILED
    if value >= threshold.degraded:
        return Severity.DEGRADED
    if value >= threshold.degraded * clear_ratio:
        return Severity.ELEVATED
    return Severity.CLEAR


def advisory_breach(advisory: Advisory) -> Breach:
    """The decisive breach an active advisory puts on each lane it hits."""
    failed = advisory.severity >= ADVISORY_FAILED_SEVERITY
    return Breach(
        "advisory",
        advisory.severity,
        ADVISORY_FAILED_SEVERITY if failed else 0.0,
        Severity.FAILED if failed else Severity.DEGRADED,
        advisory=f"{advisory.source}, advisory {advisory.id}",
    )


def assess(
    health: LaneHealth, triggers: Triggers, *, advisories: Iterable[Advisory] = ()
) -> Assessment:
    """Grade one reading against every enabled trigger and the advisories active on the lane;
    the worst grade wins."""
    breaches = [advisory_breach(advisory) for advisory in advisories]
    worst = max((b.severity for b in breaches), default=Severity.CLEAR)
    found = figures(health, triggers)
    flow_seen = any(name in WAITING_TRIGGERS for name, _, _ in found)
    for name, value, p_value in found:
        threshold: Threshold | None = getattr(triggers, name)
        if threshold is None:
            continue
        severity = _grade(value, threshold, triggers.clear_ratio)
        worst = max(worst, severity)
        if severity >= Severity.DEGRADED:
            level = threshold.failed if severity is Severity.FAILED else threshold.degraded
            breaches.append(Breach(name, float(value), float(level or 0), severity, p_value))
    breaches.sort(key=lambda b: -b.severity)
    return Assessment(worst, tuple(breaches), flow_seen)
