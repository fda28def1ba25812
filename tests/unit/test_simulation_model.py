"""The season model: reproducible, conserving, causal, and disruptions hit only their target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from tests.seasons import a_season, catalogue, default_runs, run_season, services
from tradelane.domain.errors import NotFound
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.simulation.events import EventBatch
from tradelane.simulation.model import SeasonModel, Services
from tradelane.simulation.parcels import Fate
from tradelane.simulation.routing import CheapestEligibleRouter
from tradelane.simulation.scenarios import FlightCancellations, PortCongestion
from tradelane.simulation.strategies import Strategy

WINDOW = {"start": datetime(2026, 11, 20, tzinfo=UTC), "end": datetime(2026, 11, 30, tzinfo=UTC)}
TIMES = ("label_h", "pickup_h", "depart_h", "arrive_h", "cleared_h", "delivered_h")


def test_same_seed_same_numbers_and_another_seed_differs() -> None:
    scenario = a_season(scale=0.03)
    first, again = run_season(scenario, "static_backup"), run_season(scenario, "static_backup")
    for name in ("fate", "channel", "cents", "delivered_h", "pickup_h", "notified"):
        assert np.array_equal(getattr(first.outcomes, name), getattr(again.outcomes, name), True)
    assert first.switches == again.switches
    other = run_season(scenario, "static_backup", seed=scenario.seed + 1)
    assert len(other.outcomes) != len(first.outcomes) or not np.array_equal(
        other.outcomes.channel, first.outcomes.channel
    )


@pytest.mark.parametrize("strategy", ["primary_only", "static_backup", "automated"])
def test_every_order_ends_delivered_lost_returned_unrouted_or_in_flight(strategy: str) -> None:
    run = default_runs()[strategy]
    fates = np.bincount(run.outcomes.fate, minlength=len(Fate))
    assert fates.sum() == len(run.outcomes) > 10_000
    assert fates[Fate.DELIVERED] > 0.9 * len(run.outcomes)
    assert fates[Fate.UNROUTED] == run.unrouted


def test_a_parcel_still_in_flight_at_the_horizon_is_somewhere_in_the_network() -> None:
    scenario = a_season(scale=0.03, drain_days=3)
    model = SeasonModel(
        scenario, catalogue(), Strategy.named("static_backup"), services(scenario)[0]
    )
    run = model.run()
    flying = np.flatnonzero(run.outcomes.fate == Fate.IN_FLIGHT)
    queued = np.concatenate(
        [
            q.members()
            for q in (*model.stages.pickup, *model.stages.departure, *model.stages.customs)
        ]
    )
    planned_later = flying[model.table.end_h[flying] > run.horizon_h]
    assert len(flying) > 100
    assert len(np.unique(queued)) == len(queued)  # no parcel waits in two places
    assert np.array_equal(np.sort(np.concatenate([queued, planned_later])), flying)


def test_stage_times_follow_the_stages_in_order() -> None:
    outcomes = default_runs()["automated"].outcomes
    delivered = outcomes.fate == Fate.DELIVERED
    times = np.vstack([getattr(outcomes, name)[delivered] for name in TIMES])
    cross_border = ~np.isnan(times[3])
    ordered = np.diff(times[:, cross_border], axis=0) >= 0
    assert ordered.all()
    assert (outcomes.created_h[delivered] <= outcomes.label_h[delivered]).all()


def test_the_tracker_gets_each_hour_of_events_after_it_happened_in_time_order() -> None:
    scenario = a_season(scale=0.02)
    received: list[tuple[datetime, list[TrackingEvent]]] = []

    class Recorder:
        def open(self, shipments: object, *, now: datetime) -> None:
            return None

        def record(self, events: EventBatch, *, now: datetime) -> None:  # type: ignore[override]
            received.append((now, list(events)))

        def reroute(self, reroutes: object, *, now: datetime) -> None:
            return None

    router = CheapestEligibleRouter(catalogue(), stock=scenario.stocked_skus())
    SeasonModel(
        scenario, catalogue(), Strategy.named("primary_only"), Services(router, Recorder())
    ).run()
    assert sum(len(events) for _, events in received) > 10_000
    for now, events in received:
        occurred = [e.occurred_at for e in events]
        assert occurred == sorted(occurred)
        assert now - timedelta(hours=1) <= occurred[0] and occurred[-1] < now
    milestones = {e.milestone for _, events in received for e in events}
    assert {Milestone.INFO_RECEIVED, Milestone.CUSTOMS_HOLD, Milestone.DELIVERED} <= milestones


def test_every_emitted_event_reaches_the_tracker_as_a_valid_domain_event() -> None:
    scenario = a_season(scale=0.02)
    services_, tracker = services(scenario)
    run = SeasonModel(scenario, catalogue(), Strategy.named("primary_only"), services_).run()
    assert tracker.events == run.events_emitted > 10_000
    assert tracker.late_batches == 0
    assert len(tracker.channel_of) == int((run.outcomes.fate != Fate.UNROUTED).sum())


def _per_channel_change(disruption: FlightCancellations | PortCongestion) -> dict[str, float]:
    calm = a_season("calm-peak")
    before = run_season(calm).outcomes
    after = run_season(calm.model_copy(update={"disruptions": [disruption]})).outcomes
    assert np.array_equal(before.channel, after.channel)
    change = {}
    for c, channel_id in enumerate(catalogue().channel_ids):
        delivered = (before.fate == Fate.DELIVERED) & (after.fate == Fate.DELIVERED)
        both = (before.channel == c) & delivered
        if both.any():
            change[channel_id] = float(np.mean(after.delivered_h[both] - before.delivered_h[both]))
    return change


def test_flight_cancellations_on_one_channel_delay_that_channel_only() -> None:
    event = FlightCancellations(channels=["epacket-cn"], severity=0.9, **WINDOW)
    change = _per_channel_change(event)
    assert change.pop("epacket-cn") > 24.0  # hours, on average over the season
    assert change and all(hours == 0.0 for hours in change.values())


def test_port_congestion_delays_only_channels_clearing_there() -> None:
    event = PortCongestion(port="US-LGB", severity=0.5, **WINDOW)
    change = _per_channel_change(event)
    assert change.pop("cn-us-fastsea") > 24.0
    assert all(hours == 0.0 for hours in change.values())


def test_a_switch_moves_only_unshipped_orders_and_tells_their_customers() -> None:
    run = default_runs()["static_backup"]
    outcomes, moves = run.outcomes, run.outcomes.moves
    assert len(np.unique(moves.parcel)) == len(moves.parcel) > 0  # each moved once here
    assert np.array_equal(outcomes.channel[moves.parcel], moves.to_channel)
    assert (moves.to_channel != moves.from_channel).all()
    assert (outcomes.first_label_h[moves.parcel] < moves.at_h).all()
    assert (outcomes.pickup_h[moves.parcel] > moves.at_h).all()  # picked up on the backup
    assert (outcomes.label_h[moves.parcel] == moves.at_h).all()
    assert outcomes.notified[moves.parcel].all()


def test_automated_strategy_needs_a_switcher() -> None:
    scenario = a_season(scale=0.01)
    router = CheapestEligibleRouter(catalogue())
    tracker = services(scenario)[1]
    with pytest.raises(NotFound):
        SeasonModel(scenario, catalogue(), Strategy.named("automated"), Services(router, tracker))
