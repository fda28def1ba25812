"""Deviation rules: when a shipment's timeline breaks the strategy's time windows.

Each rule waits a window after an anchor milestone for the milestones that clear it
(defaults from the strategy, DESIGN.md "Defaults"; every window is configurable per channel
and lane, see `monitoring.thresholds`):

    rule                 anchor              window   cleared by
    no_departure         picked_up_at        48 h     departed_origin or any later milestone
    no_arrival           departed_origin_at  7 d      arrived_destination_country or later
    customs_hold         customs_hold_at     72 h     customs_cleared at/after the hold, or later
    no_event_in_transit  last_event_at       5 d      any newer event (applies while in transit)
    promise_at_risk      handed_over_at      0 h      delivered, or the ETA back within the promise
                         (only while the ETA at the lane's quick end passes the promise)
    late_delivery        promised_at         0 h      delivered
                         (floor: picked_up_at + a lane's normal spread, see below)

A shipment breaches a rule at `now` when the anchor is set, `anchor <= now - window`, no
clearing milestone is set and its status rank lies in the rule's range. `late_delivery` thus
fires the moment the promise passes undelivered, not days later at delivery; on a lane with
a transit profile (monitoring/lane_windows.py) it also waits for the lane's p98 door-to-door
time since pickup, so a parcel late only within its lane's ordinary spread raises nothing.
`promise_at_risk` is the early warning: it fires when the parcel's revised ETA (its progress
so far, monitoring/revised_eta.py) passes its promise even with the legs still ahead at the
lane's quick end (monitoring/lane_windows.py `RISK_Z`), so the promise is lost with high
probability before it passes; lanes without a transit profile have no ETA and never raise it.
The alert carries the median ETA, past the promise too.

Buyer notices (`Rule.tells_buyer`, `tells_buyer`): a buyer hears of a delay only when their
parcel has broken what its lane led us to expect at dispatch (a leg past its lane's window,
a customs hold past its window, a scan silence past the mode's cadence, or the promise passed
beyond the lane's normal spread) and the alert's revised ETA lies past the promise.
`promise_at_risk` alone is the seller's early warning: it also fires for parcels still within
their lane's ordinary spread, on a lane chosen because no channel could keep the promise more
surely, and the buyer is not told of a delay their lane has not shown.

`monitoring.plan.breached_rules` is the reference: the sweep's SQL (store/deviation_sql.py)
translates the same `Rule` definitions and a property test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tradelane.domain.shipments import MILESTONE_RANK, Milestone

__all__ = [
    "BUYER_RULES",
    "RULES",
    "Clearance",
    "MilestoneTimes",
    "Rule",
    "RuleId",
    "TimeField",
    "is_breached",
    "rule",
    "tells_buyer",
]


class RuleId(StrEnum):
    NO_DEPARTURE = "no_departure"
    NO_ARRIVAL = "no_arrival"
    CUSTOMS_HOLD = "customs_hold"
    NO_EVENT_IN_TRANSIT = "no_event_in_transit"
    PROMISE_AT_RISK = "promise_at_risk"
    LATE_DELIVERY = "late_delivery"


class TimeField(StrEnum):
    """The milestone times of a shipment; values are the `shipments` column names."""

    LAST_EVENT = "last_event_at"
    PICKED_UP = "picked_up_at"
    DEPARTED_ORIGIN = "departed_origin_at"
    ARRIVED_DESTINATION = "arrived_destination_at"
    CUSTOMS_HOLD = "customs_hold_at"
    CUSTOMS_CLEARED = "customs_cleared_at"
    OUT_FOR_DELIVERY = "out_for_delivery_at"
    DELIVERED = "delivered_at"
    PROMISED = "promised_at"
    HANDED_OVER = "handed_over_at"


@dataclass(frozen=True, slots=True)
class MilestoneTimes:
    """What the rules read of one shipment (tz-aware times; None = not reached yet)."""

    status_rank: int = 0
    last_event_at: datetime | None = None
    picked_up_at: datetime | None = None
    departed_origin_at: datetime | None = None
    arrived_destination_at: datetime | None = None
    customs_hold_at: datetime | None = None
    customs_cleared_at: datetime | None = None
    out_for_delivery_at: datetime | None = None
    delivered_at: datetime | None = None
    promised_at: datetime | None = None
    handed_over_at: datetime | None = None

    def at(self, field: TimeField) -> datetime | None:
        value: datetime | None = getattr(self, field.value)
        return value


@dataclass(frozen=True, slots=True)
class Clearance:
    """A milestone that ends a breach; `not_before_anchor`: only when at or after the anchor
    (a parcel held again after an earlier clearance is on hold again)."""

    field: TimeField
    not_before_anchor: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """One deviation rule; applies while `min_rank <= status_rank < below_rank`.

    `floor_anchor`: when a floor window is set (a lane's normal spread), the rule also waits
    until that window has passed since this milestone (a missing milestone sets no floor).
    `eta_past_promise`: the rule also needs the parcel's quick-end ETA past its promise.
    `tells_buyer`: a breach is a deviation from the lane's expectation, so its alert with the
    revised ETA past the promise sends the buyer a delay notice."""

    id: RuleId
    summary: str
    anchor: TimeField
    cleared_by: tuple[Clearance, ...]
    min_rank: int = 0
    below_rank: int = 100
    floor_anchor: TimeField | None = None
    eta_past_promise: bool = False
    tells_buyer: bool = True


def _cleared_by(*fields: TimeField) -> tuple[Clearance, ...]:
    return tuple(Clearance(f) for f in fields)


_AFTER_ARRIVAL = (
    TimeField.CUSTOMS_HOLD,
    TimeField.CUSTOMS_CLEARED,
    TimeField.OUT_FOR_DELIVERY,
    TimeField.DELIVERED,
)

RULES: tuple[Rule, ...] = (
    Rule(
        RuleId.NO_DEPARTURE,
        "no departure from the origin country within the window after pickup",
        TimeField.PICKED_UP,
        _cleared_by(TimeField.DEPARTED_ORIGIN, TimeField.ARRIVED_DESTINATION, *_AFTER_ARRIVAL),
    ),
    Rule(
        RuleId.NO_ARRIVAL,
        "no arrival in the destination country within the window after departure",
        TimeField.DEPARTED_ORIGIN,
        _cleared_by(TimeField.ARRIVED_DESTINATION, *_AFTER_ARRIVAL),
    ),
    Rule(
        RuleId.CUSTOMS_HOLD,
        "held by customs for longer than the window",
        TimeField.CUSTOMS_HOLD,
        (
            Clearance(TimeField.CUSTOMS_CLEARED, not_before_anchor=True),
            *_cleared_by(TimeField.OUT_FOR_DELIVERY, TimeField.DELIVERED),
        ),
    ),
    Rule(
        RuleId.NO_EVENT_IN_TRANSIT,
        "no tracking event at all for the window while in transit",
        TimeField.LAST_EVENT,
        _cleared_by(TimeField.DELIVERED),
        min_rank=MILESTONE_RANK[Milestone.IN_TRANSIT],
        below_rank=MILESTONE_RANK[Milestone.DELIVERED],
    ),
    Rule(
        RuleId.PROMISE_AT_RISK,
        "the revised ETA passes the promise even if the rest of the way goes quickly",
        TimeField.HANDED_OVER,
        _cleared_by(TimeField.DELIVERED),
        below_rank=MILESTONE_RANK[Milestone.DELIVERED],
        eta_past_promise=True,
        tells_buyer=False,
    ),
    Rule(
        RuleId.LATE_DELIVERY,
        "the promised delivery time passed before delivery",
        TimeField.PROMISED,
        _cleared_by(TimeField.DELIVERED),
        floor_anchor=TimeField.PICKED_UP,
    ),
)

_BY_ID = {r.id: r for r in RULES}
BUYER_RULES = frozenset(r.id.value for r in RULES if r.tells_buyer)


def rule(rule_id: RuleId) -> Rule:
    return _BY_ID[rule_id]


def tells_buyer(rule_id: str, *, eta_past_promise: bool) -> bool:
    """Whether an alert of `rule_id` whose revised ETA is (or is not) past the promise sends
    the buyer a delay notice; the notice repository's SQL filters on `BUYER_RULES`."""
    return eta_past_promise and rule_id in BUYER_RULES


def is_breached(
    rule: Rule,
    times: MilestoneTimes,
    *,
    window: timedelta | None,
    now: datetime,
    floor: timedelta | None = None,
    eta_past_promise: bool = False,
) -> bool:
    """Whether `times` breaks `rule` at `now`; a None window means the rule is switched off,
    a None floor that the rule has none here; `eta_past_promise`: the parcel's quick-end ETA
    (on its lane) lies past its promise (read only by rules that need it)."""
    anchor = times.at(rule.anchor)
    if window is None or anchor is None or anchor > now - window:
        return False
    if rule.eta_past_promise and not eta_past_promise:
        return False
    floor_at = None if rule.floor_anchor is None else times.at(rule.floor_anchor)
    if floor is not None and floor_at is not None and floor_at > now - floor:
        return False
    if not rule.min_rank <= times.status_rank < rule.below_rank:
        return False
    return not any(_clears(c, times.at(c.field), anchor) for c in rule.cleared_by)


def _clears(clearance: Clearance, reached_at: datetime | None, anchor: datetime) -> bool:
    if reached_at is None:
        return False
    return not clearance.not_before_anchor or reached_at >= anchor
