"""Lane flows: a stop of pickups or departures is recognised from the lane's own days before,
noise and demand drops are not; causes are explained by the narrowest shared failure."""

from __future__ import annotations

import math
from dataclasses import replace

from tests.seasons import catalogue
from tradelane.switching.causes import lane_causes
from tradelane.switching.evidence import binomial_lower_tail, flow_drop
from tradelane.switching.health import Flow, LaneHealth
from tradelane.switching.triggers import Severity, Triggers, assess


def test_the_lower_binomial_tail_matches_the_sum_of_its_terms() -> None:
    n, p = 40, 1 / 3
    exact = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(6))
    assert math.isclose(binomial_lower_tail(5, n, p), exact, rel_tol=1e-9)
    assert binomial_lower_tail(n, n, p) == 1.0
    assert binomial_lower_tail(-1, n, p) == 0.0


def test_a_stopped_flow_is_a_surprising_drop_and_a_steady_one_is_not() -> None:
    stopped = flow_drop(0, 60, windows=2, alpha=0.001, min_expected=5)
    steady = flow_drop(27, 60, windows=2, alpha=0.001, min_expected=5)
    assert stopped.significant and stopped.share == 1.0
    assert not steady.significant and steady.share < 0.2


def test_a_flow_too_small_to_judge_is_never_evidence() -> None:
    tiny = flow_drop(0, 6, windows=2, alpha=0.001, min_expected=5)
    assert not tiny.significant and tiny.share == 1.0


def _lane(pickups: Flow, silent: int, *, hub: Flow | None = None) -> LaneHealth:
    return LaneHealth(
        "ups-saver-cn",
        "US",
        pickup_sample=60,
        not_picked_up=silent,
        pickup_silence_share=silent / 60,
        pickups=pickups,
        channel_pickups=hub or pickups,
        channel_not_picked_up=silent,
    )


def test_pickups_that_stop_while_labels_wait_fail_the_lane_in_one_reading() -> None:
    reading = assess(_lane(Flow(recent=0, reference=80), silent=6), Triggers())
    assert reading.severity is Severity.FAILED and reading.decisive
    assert reading.breaches[0].trigger in {"pickup_flow_drop", "pickup_silence_share"}
    assert any(b.trigger == "pickup_flow_drop" for b in reading.breaches)


def test_fewer_pickups_with_no_label_waiting_is_a_demand_drop_not_a_failure() -> None:
    reading = assess(_lane(Flow(recent=5, reference=80), silent=0), Triggers())
    assert not any(b.trigger == "pickup_flow_drop" for b in reading.breaches)


def test_a_small_lane_is_judged_by_its_hub_when_its_own_flow_is_too_small() -> None:
    small = _lane(Flow(recent=0, reference=4), silent=1, hub=Flow(recent=2, reference=90))
    small = LaneHealth(**{**small.__dict__, "channel_not_picked_up": 20})
    reading = assess(small, Triggers())
    assert any(b.trigger == "pickup_flow_drop" and b.decisive for b in reading.breaches)


def test_trouble_on_one_air_type_is_not_blamed_on_the_whole_origin() -> None:
    belly = [
        (c.id, lane.country)
        for c in catalogue().channels
        if c.air_type.value == "passenger_belly"
        for lane in c.lanes
    ]
    other = next(
        (c.id, lane.country)
        for c in catalogue().channels
        if c.origin == "CN" and c.air_type.value != "passenger_belly"
        for lane in c.lanes
    )
    causes = lane_causes(catalogue(), [*belly, other])
    cause = causes[belly[0]]
    assert (cause.kind, cause.value) == ("air_type", "passenger_belly")


def test_arrivals_that_stop_while_departed_parcels_are_due_fail_the_lane() -> None:
    congested = LaneHealth(
        "cn-us-fastsea", "US", arrivals=Flow(recent=0, reference=70), awaiting_arrival=40
    )
    drained = LaneHealth("cn-us-fastsea", "US", arrivals=Flow(recent=0, reference=70))
    assert any(b.trigger == "arrival_flow_drop" for b in assess(congested, Triggers()).breaches)
    assert not assess(drained, Triggers()).breaching


def test_labels_waiting_while_the_carrier_collects_at_capacity_are_a_queue_not_a_silence() -> None:
    """A peak fills the carrier's daily pickups: a surprising share of labels waits past the
    pickup window, yet it collects all it can (21 a day of a 21-a-day capacity)."""
    queued = replace(_lane(Flow(recent=21, reference=42), silent=30), daily_capacity=21)
    reading = assess(queued, Triggers())
    assert queued.pickup_silence_share >= Triggers().pickup_silence_share.degraded  # type: ignore[union-attr]
    assert reading.severity < Severity.DEGRADED and not reading.breaches


def test_labels_waiting_while_the_carrier_collects_a_tenth_of_its_capacity_breach() -> None:
    """A carrier that stopped collecting (10 % of pickups go on) is no queue."""
    stopped = replace(_lane(Flow(recent=21, reference=42), silent=30), daily_capacity=210)
    reading = assess(stopped, Triggers())
    assert any(b.trigger == "pickup_silence_share" for b in reading.breaches)
    unknown = _lane(Flow(recent=21, reference=42), silent=30)  # no capacity known: judged
    assert any(b.trigger == "pickup_silence_share" for b in assess(unknown, Triggers()).breaches)


def test_clearances_that_fall_with_few_parcels_waiting_are_a_lane_draining_upstream() -> None:
    """60 clearances over the two days before, 2 in the last: 28 missing. A customs that
    stopped leaves them waiting; a handful of held parcels means fewer parcels came."""
    falling = Flow(recent=2, reference=60)
    draining = LaneHealth("hub-latam", "BR", clearances=falling, awaiting_clearance=6)
    stopped = LaneHealth("hub-latam", "BR", clearances=falling, awaiting_clearance=20)
    assert not any(
        b.trigger == "clearance_flow_drop" for b in assess(draining, Triggers()).breaches
    )
    assert any(b.trigger == "clearance_flow_drop" for b in assess(stopped, Triggers()).breaches)
