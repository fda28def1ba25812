"""The timeline is a pure function of the set of events: order never matters, rank never drops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import a_tracking_event
from tradelane.domain.shipments import MILESTONE_RANK, Milestone
from tradelane.tracking.normalize import derive_timeline

M = Milestone
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_empty_timeline_is_an_active_info_received_shipment() -> None:
    timeline = derive_timeline([])
    assert (timeline.status, timeline.status_rank, timeline.is_active) == (M.INFO_RECEIVED, 0, True)
    assert timeline.last_event_at is None


def test_delivery_ends_the_shipment_and_keeps_first_times() -> None:
    events = [
        a_tracking_event("picked_up", hours(0)),
        a_tracking_event("out_for_delivery", hours(50)),
        a_tracking_event("delivered", hours(54)),
    ]
    timeline = derive_timeline(events)
    assert timeline.status is M.DELIVERED
    assert timeline.is_active is False
    assert timeline.first_at[M.PICKED_UP] == hours(0)
    assert timeline.first_at[M.DELIVERED] == hours(54)
    assert timeline.last_event_at == hours(54)


def test_a_late_hub_scan_does_not_move_status_backwards() -> None:
    events = [
        a_tracking_event("customs_cleared", hours(10)),
        a_tracking_event("in_transit", hours(12)),
    ]
    assert derive_timeline(events).status is M.CUSTOMS_CLEARED


def test_first_scan_outside_origin_country_derives_departure() -> None:
    events = [
        a_tracking_event("picked_up", hours(0), country="CN"),
        a_tracking_event("in_transit", hours(5), country="CN"),
        a_tracking_event("in_transit", hours(30), country="KR"),
        a_tracking_event("in_transit", hours(40), country="KR"),
    ]
    timeline = derive_timeline(events, origin_country="CN", destination_country="US")
    assert timeline.first_at[M.DEPARTED_ORIGIN] == hours(30)
    assert M.ARRIVED_DESTINATION_COUNTRY not in timeline.first_at
    assert timeline.status is M.DEPARTED_ORIGIN


def test_first_scan_in_destination_country_derives_arrival_and_departure() -> None:
    events = [
        a_tracking_event("picked_up", hours(0), country="CN"),
        a_tracking_event("customs_hold", hours(60), country="US"),
    ]
    timeline = derive_timeline(events, origin_country="CN", destination_country="US")
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == hours(60)
    assert timeline.first_at[M.DEPARTED_ORIGIN] == hours(60)
    assert timeline.status is M.CUSTOMS_HOLD


def test_pre_advice_in_a_foreign_country_is_not_a_crossing() -> None:
    events = [a_tracking_event("info_received", hours(0), country="US")]
    timeline = derive_timeline(events, origin_country="CN", destination_country="US")
    assert timeline.first_at == {}


def test_countries_say_nothing_without_a_known_origin() -> None:
    events = [a_tracking_event("in_transit", hours(3), country="US")]
    assert derive_timeline(events, destination_country="US").status is M.IN_TRANSIT


def test_an_arrival_code_is_also_evidence_of_departure() -> None:
    events = [a_tracking_event("arrived_destination_country", hours(80))]
    timeline = derive_timeline(events)
    assert timeline.first_at[M.DEPARTED_ORIGIN] == hours(80)


def test_equal_rank_ties_go_to_the_latest_event() -> None:
    early_exception = [
        a_tracking_event("exception", hours(1)),
        a_tracking_event("out_for_delivery", hours(2)),
    ]
    late_exception = [
        a_tracking_event("out_for_delivery", hours(1)),
        a_tracking_event("exception", hours(2)),
    ]
    assert derive_timeline(early_exception).status is M.OUT_FOR_DELIVERY
    assert derive_timeline(late_exception).status is M.EXCEPTION


milestones = st.sampled_from(list(Milestone))
countries = st.sampled_from([None, "CN", "DE", "US"])
event_lists = st.lists(
    st.builds(
        lambda m, h, c: a_tracking_event(m.value, hours(h), country=c),
        milestones,
        st.integers(min_value=0, max_value=400),
        countries,
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(events=event_lists, data=st.data())
def test_shuffled_events_give_the_same_timeline(events: list, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(events))
    context = {"origin_country": "CN", "destination_country": "US"}
    assert derive_timeline(shuffled, **context) == derive_timeline(events, **context)


@settings(max_examples=200, deadline=None)
@given(events=event_lists)
def test_status_rank_never_drops_as_events_arrive(events: list) -> None:
    ranks = [
        derive_timeline(events[:n], origin_country="CN").status_rank for n in range(len(events) + 1)
    ]
    assert ranks == sorted(ranks)
    assert all(rank in MILESTONE_RANK.values() for rank in ranks)
