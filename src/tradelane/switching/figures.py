"""The figures a health reading is graded on, each with the p-value of its test (None:
untested), as `triggers.assess` compares them with the rules' levels.

The exception share is judged against the other lanes of the same reading (a binomial test);
only a surprising share is graded on the rules' levels, still over consecutive readings.

Waiting shares (origin stall, pickup silence) are judged against the lane's own normal flow: a
binomial test with a minimum number of waiting parcels (evidence.py). A surprising share is a
decisive breach (the policy acts on one reading); an unsurprising one never breaches. Labels
waiting for pickup while the channel collects at its daily capacity are a queue, not a
silence: capped below degraded.

The lane delay is judged on a lane still taking parcels (`LaneHealth.taking_parcels`): the
overdue parcels of a lane whose flow ended are its stragglers, not a delay.

Flows (pickup, departure, arrival and clearance scans, health.py) are judged against the
lane's own days before: while parcels are overdue for the scan (stalled past the 48 h, silent
past the pickup window, awaiting arrival past the lane's p50, awaiting clearance since before
the window), a drop in the last window that a binomial test finds surprising breaches
decisively at the share of the flow lost (lane alone, or its channel's hub pooled for a lane
too small to judge alone). A flow at a daily cadence is recognised one window after it stops,
hours rather than the days the 48 h stall share needs. Arrivals and clearances are judged only
while the parcels awaiting them account for half the scans missing (a lane draining upstream
shows fewer arrivals and clearances with nobody waiting for them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradelane.switching.evidence import Surprise, flow_drop, flow_lost_share, waiting_surprise
from tradelane.switching.health import Flow, LaneHealth

if TYPE_CHECKING:
    from tradelane.switching.triggers import Threshold, Triggers

__all__ = ["BELOW_DEGRADED", "WAITING_TRIGGERS", "Figure", "figures"]

BELOW_DEGRADED = 0.999  # an untested waiting share is capped just under its degraded level
ACCOUNTED_SHARE = (
    0.5  # of the arrival / clearance scans missing, the share found waiting (estimate)
)
WAITING_TRIGGERS = frozenset(
    {"origin_stall_share", "pickup_silence_share", "pickup_flow_drop", "departure_flow_drop"}
)  # origin flows: a lane switched away shows none of these (arrivals still drain in)
Figure = tuple[str, float, float | None]  # trigger, value, p-value of its test (None: untested)


def _waiting(
    name: str, lane: tuple[int, int], pooled: tuple[int, int], t: Triggers
) -> list[Figure]:
    """A waiting share breaches only when a binomial test finds it surprising (then it is
    decisive): the lane's own (waiting, sample), or, for a lane too small to judge alone whose
    own share is at the degraded level, its channel's pooled one (one origin hub, one flow).
    An unsurprising share on a sample big enough still shows the flow: it grades clear, or
    elevated just below degraded (holding recovery), never breaching."""
    threshold: Threshold | None = getattr(t, name)
    if threshold is None:
        return []
    (waiting, sample), settings = lane, (t.normal_waiting_share, t.waiting_alpha)
    own = waiting_surprise(
        waiting,
        sample,
        normal_share=settings[0],
        alpha=settings[1],
        min_parcels=t.min_waiting_parcels,
        min_excess=0.0,
    )
    if own.significant:
        return [(name, own.share, own.p_value)]
    if waiting and own.share >= threshold.degraded:  # only then is the pooled test asked
        channel = waiting_surprise(
            *pooled,
            normal_share=settings[0],
            alpha=settings[1],
            min_parcels=t.min_waiting_parcels,
            min_excess=0.0,
        )
        if channel.significant:
            return [(name, own.share, channel.p_value)]
    if sample >= t.min_stall_sample_parcels:
        return [(name, min(own.share, threshold.degraded * BELOW_DEGRADED), None)]
    return []


def _exceptions(h: LaneHealth, t: Triggers) -> list[Figure]:
    """The exception share, graded on the rules' levels only where a binomial test finds it
    surprising against the other lanes of the same reading (ordinary incidents — inspections,
    failed deliveries, refusals — are every lane's lot, not a failure); an unsurprising share
    is capped just under its degraded level. Without other lanes to compare with (a reading
    of one lane), the share is graded as it is."""
    threshold: Threshold | None = t.exception_rate
    if threshold is None or h.in_flight < t.min_in_flight_parcels:
        return []
    others = h.network_in_flight - h.in_flight
    if others < t.min_in_flight_parcels:
        return [("exception_rate", h.exception_rate, None)]
    usual = (h.network_exceptions - h.exceptions) / others
    surprise = waiting_surprise(
        h.exceptions,
        h.in_flight,
        normal_share=usual,
        alpha=t.waiting_alpha,
        min_parcels=t.min_waiting_parcels,
        min_excess=0.0,
    )
    if surprise.significant:
        return [("exception_rate", h.exception_rate, None)]
    return [("exception_rate", min(h.exception_rate, threshold.degraded * BELOW_DEGRADED), None)]


def _lost(flow: Flow, t: Triggers) -> float:
    return flow_lost_share(flow.recent, flow.reference, windows=t.flow_reference_windows)


def _drop(flow: Flow, t: Triggers) -> Surprise:
    return flow_drop(
        flow.recent,
        flow.reference,
        windows=t.flow_reference_windows,
        alpha=t.waiting_alpha,
        min_expected=t.min_flow_scans,
    )


def _flow(
    name: str, flows: tuple[Flow, Flow], overdue: tuple[int, int], t: Triggers
) -> list[Figure]:
    """A flow drop breaches only while parcels are overdue for the scan (the lane's, and its
    channel hub's, stalled or silent parcels: `overdue`) and a binomial test finds the drop
    surprising: the lane's own flow, or, for a lane too small to judge alone whose own drop
    is at the degraded level, its channel hub's (the lane's next orders would wait at that
    hub too). A moving flow with nothing overdue shows the lane working (clear); a lane with
    no scans shows nothing (traffic switched away is not recovery)."""
    (lane, hub), (lane_overdue, hub_overdue) = flows, overdue
    threshold: Threshold | None = getattr(t, name)
    if threshold is None:
        return []
    share = _lost(lane, t)  # the tests below run only where their answer is used
    if lane_overdue >= t.min_waiting_parcels:
        own = _drop(lane, t)
        if own.significant:
            return [(name, share, own.p_value)]
    if lane.reference and hub_overdue >= t.min_waiting_parcels and share >= threshold.degraded:
        pooled = _drop(hub, t)
        if pooled.significant:
            return [(name, share, pooled.p_value)]
    if lane.recent and _judged(lane, t):
        shown = min(share, threshold.degraded * BELOW_DEGRADED) if lane_overdue else 0.0
        return [(name, shown, None)]
    return []


def _judged(flow: Flow, t: Triggers) -> bool:
    """Enough scans in the reference windows to judge the flow (the minimum sample)."""
    return flow.reference / t.flow_reference_windows >= t.min_flow_scans


def _moving(flows: tuple[Flow, Flow], t: Triggers) -> bool:
    """The lane's flow (or, too small to judge, its hub's) is judged and has lost less than
    the clear level of a clearance flow drop: its parcels wait in a queue that moves."""
    for flow in flows:
        if _judged(flow, t):
            drop = t.clearance_flow_drop
            return drop is not None and _lost(flow, t) < drop.degraded * t.clear_ratio
    return False


def _unless_moving(readings: list[Figure], moving: bool, t: Triggers) -> list[Figure]:
    """Waiting in a queue that moves is a peak's volume, not a failure: a slow clearance on a
    lane whose clearance flow moves, labels waiting for a carrier that collects at its
    capacity. Capped just below the degraded level (elevated at most). The mean clearance is
    judged only on a lane whose clearance flow is (stragglers of a lane that drains are not a
    slow customs)."""
    if not moving:
        return readings
    capped: list[Figure] = []
    for name, value, _ in readings:
        threshold: Threshold | None = getattr(t, name)
        level = threshold.degraded * BELOW_DEGRADED if threshold else value
        capped.append((name, min(value, level), None))
    return capped


def _lane_delay(h: LaneHealth, t: Triggers) -> list[Figure]:
    """The excess delay of the overdue parcels, judged on a lane still taking parcels; on a
    lane that stopped (its orders ended, or were switched away) the overdue ones are the
    stragglers of a flow that ended, ageing past a steady flow's normal delay with no delay
    of the lane's own: capped just below degraded (elevated at most: it neither opens a
    switch nor counts towards recovery)."""
    threshold: Threshold | None = t.lane_delay_hours
    if threshold is None or h.overdue < t.min_overdue_parcels:
        return []
    if h.taking_parcels:
        return [("lane_delay_hours", h.excess_delay_hours, None)]
    return [
        ("lane_delay_hours", min(h.excess_delay_hours, threshold.degraded * BELOW_DEGRADED), None)
    ]


def figures(health: LaneHealth, triggers: Triggers) -> list[Figure]:
    """(trigger name, value, p-value) for every trigger with enough parcels behind it."""
    plain: list[tuple[str, float]] = [
        ("backlog_parcels", health.backlog_parcels),
        ("backlog_capacity_hours", health.backlog_capacity_hours),
        ("capacity_used", health.capacity_used),
    ]
    found: list[Figure] = [(name, value, None) for name, value in plain]
    found += _lane_delay(health, triggers)
    found += _exceptions(health, triggers)
    h, t = health, triggers
    if health.arrived >= t.min_arrived_parcels and _judged(h.clearances, t):
        clearance: list[Figure] = [("clearance_hours", health.clearance_hours, None)]
        found += _unless_moving(clearance, _moving((h.clearances, h.clearances), t), t)
    stall = _waiting(
        "origin_stall_share",
        (h.stalled_at_origin, h.stall_sample),
        (h.channel_stalled_at_origin, h.channel_stall_sample),
        triggers,
    )
    found += stall
    silence = _waiting(
        "pickup_silence_share",
        (h.not_picked_up, h.pickup_sample),
        (h.channel_not_picked_up, h.channel_pickup_sample),
        triggers,
    )
    found += _unless_moving(silence, _collecting_at_capacity(h, t), t)
    found += _flow(
        "pickup_flow_drop",
        (h.pickups, h.channel_pickups),
        (h.not_picked_up, h.channel_not_picked_up),
        triggers,
    )
    found += _flow(
        "departure_flow_drop",
        (h.departures, h.channel_departures),
        (h.stalled_at_origin, h.channel_stalled_at_origin),
        triggers,
    )
    for name, flow, awaiting in (
        ("arrival_flow_drop", h.arrivals, h.awaiting_arrival),
        ("clearance_flow_drop", h.clearances, h.awaiting_clearance),
    ):
        overdue = awaiting if _accounted(flow, awaiting, t) else 0
        found += _flow(name, (flow, flow), (overdue, overdue), triggers)
    return found


def _collecting_at_capacity(h: LaneHealth, t: Triggers) -> bool:
    """The channel's pickups over the last flow window reached `at_capacity_share` of its
    daily capacity: labels waiting past the pickup window queue behind a carrier collecting
    all it can (a peak's volume, for the pre-arranged peak capacity to take), not behind one
    that stopped collecting (whose pickups fall with it)."""
    if t.at_capacity_share is None or h.daily_capacity <= 0:
        return False
    capacity = h.daily_capacity * t.flow_window_hours / 24.0
    return h.channel_pickups.recent >= t.at_capacity_share * capacity


def _accounted(flow: Flow, awaiting: int, t: Triggers) -> bool:
    """Arrivals and clearances that stop at a port or a customs leave their parcels waiting
    there: the parcels awaiting the scan account for at least ACCOUNTED_SHARE of the scans
    missing from the last window. Fewer waiting than that, the flow fell because fewer parcels
    came (the lane upstream drains: demand fell, or traffic was switched away), not because
    the port or the customs stopped."""
    expected = flow.reference / t.flow_reference_windows
    missing = max(0.0, expected - flow.recent)
    return awaiting >= ACCOUNTED_SHARE * missing
