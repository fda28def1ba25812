"""A calm peak is not a failure: a waiting share whose own flow still moves is a queue, and a
lane that takes no traffic (draining its stragglers) gives its transit figures no breach."""

from __future__ import annotations

from tradelane.switching.health import Flow, LaneHealth
from tradelane.switching.triggers import Severity, Triggers, assess


def _silent_hub(pickups: Flow) -> LaneHealth:
    """A small lane with 3 of 9 labels silent; its hub has 13 of 57 silent (the pooled test
    finds that surprising) and picks up `pickups`."""
    return LaneHealth(
        "hub-latam",
        "CO",
        pickup_sample=9,
        not_picked_up=3,
        pickup_silence_share=3 / 9,
        channel_pickup_sample=57,
        channel_not_picked_up=13,
        pickups=Flow(recent=4, reference=4),
        channel_pickups=pickups,
        handed_over_24h=3,
    )


def test_silent_labels_at_a_hub_whose_pickups_keep_their_pace_are_a_queue() -> None:
    reading = assess(_silent_hub(Flow(recent=21, reference=42)), Triggers())
    assert not reading.breaching
    assert reading.severity is Severity.ELEVATED  # still holds a recovery back


def test_silent_labels_at_a_hub_whose_pickups_fell_still_breach_at_once() -> None:
    reading = assess(_silent_hub(Flow(recent=10, reference=42)), Triggers())
    assert reading.breaching and reading.decisive
    assert any(b.trigger == "pickup_silence_share" for b in reading.breaches)


def _late(**traffic: object) -> LaneHealth:
    """A lane whose 58 overdue parcels are a median 105 h past the p90, with arrivals and
    clearances that fell off, and the traffic given."""
    base: dict[str, object] = {
        "in_flight": 60,
        "overdue": 58,
        "delay_p50_hours": 105.0,
        "arrived": 41,
        "clearance_hours": 60.0,
        "arrivals": Flow(recent=0, reference=40),
        "clearances": Flow(recent=1, reference=40),
        "awaiting_arrival": 20,
        "awaiting_clearance": 12,
    }
    return LaneHealth("cn-us-fastsea", "US", **(base | traffic))  # type: ignore[arg-type]


def test_a_lane_taking_no_traffic_is_draining_not_failing() -> None:
    reading = assess(_late(), Triggers())
    assert not reading.breaching
    assert reading.severity is Severity.ELEVATED


def test_the_same_delays_on_a_lane_still_taking_orders_fail_it() -> None:
    for traffic in (
        {"handed_over_24h": 5},
        {"backlog_parcels": 3},
        {"pickups": Flow(recent=0, reference=6)},
        {"departures": Flow(recent=2, reference=0)},
    ):
        reading = assess(_late(**traffic), Triggers())
        assert reading.severity is Severity.FAILED, traffic
        assert {"lane_delay_hours", "arrival_flow_drop"} <= {b.trigger for b in reading.breaches}


def test_labels_piling_up_past_a_flow_stopped_for_days_still_breach() -> None:
    """The hub's pickups have run at a trickle for days (steady against its stopped days), but
    40 labels wait: more than a window of that flow clears."""
    stopped = LaneHealth(
        **{**_silent_hub(Flow(recent=6, reference=12)).__dict__, "channel_not_picked_up": 40}
    )
    reading = assess(stopped, Triggers())
    assert reading.breaching and reading.decisive
