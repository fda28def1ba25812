"""Channel health measured from stored shipments and assignments (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, inspect

from tests.switching_builders import DAY, HOUR, store_assigned_order, store_shipment
from tradelane.files.catalogue_file import default_catalogue
from tradelane.services.channel_health import channel_health, measure_lanes
from tradelane.store.tables import assignments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import LaneHealth, StallWindow, lane_profiles

NOW = datetime(2026, 9, 14, 8, tzinfo=UTC)
CATALOGUE = default_catalogue()
P90 = timedelta(days=24)  # epacket-cn to US
P50 = timedelta(days=14)


def _measure(uow: UnitOfWork) -> dict[tuple[str, str], LaneHealth]:
    return channel_health(uow=uow, catalogue=CATALOGUE, now=NOW)


def test_overdue_parcels_give_the_lane_delay_past_p90(uow: UnitOfWork) -> None:
    with uow:
        for i, late_hours in enumerate([10, 20, 30, 50, 70]):
            store_shipment(
                uow, f"LATE{i}", "epacket-cn", handed_over_at=NOW - P90 - late_hours * HOUR
            )
        for i in range(3):
            store_shipment(uow, f"MID{i}", "epacket-cn", handed_over_at=NOW - P50 - DAY)
        store_shipment(uow, "FRESH", "epacket-cn", handed_over_at=NOW - DAY)
        uow.commit()
    health = _measure(uow)[("epacket-cn", "US")]
    assert (health.in_flight, health.past_p50, health.overdue) == (9, 8, 5)
    assert 30 <= health.delay_p50_hours < 36  # the median overdue parcel is 30 h past p90
    assert 66 <= health.delay_p90_hours < 72


def test_backlog_counts_unshipped_orders_and_parcels_not_departed(uow: UnitOfWork) -> None:
    with uow:
        for i in range(4):
            store_assigned_order(uow, f"WAIT-{i}", "epacket-cn")
        store_assigned_order(uow, "SHIPPED", "epacket-cn")
        store_shipment(
            uow, "S-SHIPPED", "epacket-cn", order_id="SHIPPED", handed_over_at=NOW - 2 * DAY
        )
        store_assigned_order(uow, "MOVED", "epacket-cn")
        uow.connection.execute(
            assignments.update().where(assignments.c.order_id == "MOVED").values(superseded_at=NOW)
        )
        uow.connection.execute(
            insert(assignments).values(
                order_id="MOVED",
                primary_channel_id="yun-line-cn",
                backup_channel_ids=[],
                score={},
                reason="switched",
                policy_version="t",
                cause="switch",
                assigned_at=NOW,
            )
        )
        for i in range(2):
            store_shipment(
                uow,
                f"PICK{i}",
                "epacket-cn",
                handed_over_at=NOW - 3 * DAY,
                picked_up_at=NOW - 3 * DAY,
            )
        store_shipment(
            uow,
            "GONE",
            "epacket-cn",
            handed_over_at=NOW - 3 * DAY,
            picked_up_at=NOW - 3 * DAY,
            departed_origin_at=NOW - 2 * DAY,
        )
        uow.commit()
    lanes = _measure(uow)
    epacket = lanes[("epacket-cn", "US")]
    assert epacket.backlog_parcels == 4 + 2
    daily = CATALOGUE.channel("epacket-cn").daily_capacity
    assert epacket.backlog_capacity_hours == pytest.approx(24 * 6 / daily)
    assert lanes[("yun-line-cn", "US")].backlog_parcels == 1


def test_clearance_time_exceptions_and_capacity_used(uow: UnitOfWork) -> None:
    with uow:
        store_shipment(
            uow,
            "CLEARED",
            "yun-line-cn",
            handed_over_at=NOW - 8 * DAY,
            arrived_destination_at=NOW - 4 * DAY,
            customs_cleared_at=NOW - 4 * DAY + 30 * HOUR,
        )
        store_shipment(
            uow,
            "HELD",
            "yun-line-cn",
            handed_over_at=NOW - 8 * DAY,
            arrived_destination_at=NOW - 50 * HOUR,
            customs_hold_at=NOW - 40 * HOUR,
        )
        store_shipment(
            uow, "ODD", "yun-line-cn", handed_over_at=NOW - 2 * HOUR, exception_at=NOW - HOUR
        )
        store_shipment(
            uow,
            "DONE",
            "yun-line-cn",
            handed_over_at=NOW - 3 * HOUR,
            arrived_destination_at=NOW - 2 * HOUR,
            delivered_at=NOW - HOUR,
        )
        store_shipment(uow, "ELSEWHERE", "yun-line-cn", country="JP", handed_over_at=NOW - HOUR)
        uow.commit()
    health = _measure(uow)[("yun-line-cn", "US")]
    assert health.in_flight == 3  # delivered and unknown-lane parcels are left out
    assert health.arrived == 2 and health.in_customs == 1
    assert health.clearance_hours == pytest.approx((30 + 50) / 2, abs=0.01)
    assert health.exception_rate == pytest.approx(1 / 3)
    assert health.handed_over_24h == 1
    assert health.capacity_used == pytest.approx(
        1 / CATALOGUE.channel("yun-line-cn").daily_capacity
    )
    assert health.daily_capacity == CATALOGUE.channel("yun-line-cn").daily_capacity


def test_parcels_awaiting_clearance_leave_out_those_on_a_customs_hold(uow: UnitOfWork) -> None:
    """Arrived before the last flow window, longer ago than the lane's customs leg ordinarily
    runs, and not cleared: kept waiting by the customs. A parcel on a hold waits for its
    inspection instead (the customs_hold rule watches it); one within its ordinary clearance
    time, or just in, is not kept waiting."""
    profile = lane_profiles(CATALOGUE)[("yun-line-cn", "US")]
    customs = timedelta(hours=profile.clearance_hours)
    assert customs > timedelta(hours=30)  # the lane's clearance outlasts one flow window
    long_ago = NOW - 6 * HOUR - customs - DAY
    with uow:
        for i in range(3):
            store_shipment(
                uow,
                f"WAIT{i}",
                "yun-line-cn",
                handed_over_at=NOW - 8 * DAY,
                arrived_destination_at=long_ago,
            )
        store_shipment(
            uow,
            "HELD",
            "yun-line-cn",
            handed_over_at=NOW - 8 * DAY,
            arrived_destination_at=long_ago,
            customs_hold_at=long_ago + 10 * HOUR,
        )
        for name, arrived in (("ORDINARY", NOW - 30 * HOUR), ("JUST-IN", NOW - 2 * HOUR)):
            store_shipment(
                uow,
                name,
                "yun-line-cn",
                handed_over_at=NOW - 8 * DAY,
                arrived_destination_at=arrived,
            )
        uow.commit()
    health = _measure(uow)[("yun-line-cn", "US")]
    assert health.arrived == 6
    assert health.awaiting_clearance == 3


def test_every_catalogue_lane_is_measured_even_without_parcels(uow: UnitOfWork) -> None:
    lanes = _measure(uow)
    assert set(lanes) == set(lane_profiles(CATALOGUE))
    assert all(h.in_flight == 0 and h.backlog_parcels == 0 for h in lanes.values())


def test_measuring_twice_in_one_transaction_leaves_no_temporary_table_behind(
    uow: UnitOfWork,
) -> None:
    profiles = lane_profiles(CATALOGUE)
    with uow:
        store_shipment(uow, "ONE", "epacket-cn", handed_over_at=NOW - DAY)
        first = measure_lanes(uow.connection, profiles, now=NOW)
        second = measure_lanes(uow.connection, profiles, now=NOW)
    assert first == second


def test_a_measurement_leaves_no_lane_table_in_the_schema(uow: UnitOfWork) -> None:
    """The lane table of a measurement (a table of its own on PostgreSQL, so parallel workers
    can read it) is gone once the measurement returns, committed or not."""
    with uow:
        store_shipment(uow, "ONE", "epacket-cn", handed_over_at=NOW - P90 - DAY)
        health = measure_lanes(uow.connection, lane_profiles(CATALOGUE), now=NOW)
        inside = inspect(uow.connection).get_table_names()
        uow.commit()
    with uow.engine.connect() as connection:
        after = inspect(connection).get_table_names()
    assert health[("epacket-cn", "US")].overdue == 1
    assert [name for name in inside + after if name.startswith("tl_lane_profiles")] == []


def _picked(uow: UnitOfWork, tracking: str, picked_hours_ago: float, **milestones: Any) -> None:
    picked = NOW - picked_hours_ago * HOUR
    store_shipment(
        uow, tracking, "epacket-cn", handed_over_at=picked, picked_up_at=picked, **milestones
    )


def _store_stall_sample(uow: UnitOfWork) -> None:
    with uow:
        for i in range(6):
            _picked(uow, f"LEFT{i}", 60, departed_origin_at=NOW - 30 * HOUR)
        for i in range(2):
            _picked(uow, f"STUCK{i}", 60)
        _picked(uow, "STUCK-LONG", 200)
        _picked(uow, "LEFT-LONG-AGO", 200, departed_origin_at=NOW - 180 * HOUR)
        _picked(uow, "NO-DEPARTURE-SCAN", 60, arrived_destination_at=NOW - 5 * HOUR)
        for i in range(3):
            _picked(uow, f"YOUNG{i}", 10)
        _picked(uow, "DELIVERED", 60, delivered_at=NOW - HOUR)
        uow.commit()


def test_stall_share_counts_parcels_not_departed_48h_after_pickup(uow: UnitOfWork) -> None:
    _store_stall_sample(uow)
    health = _measure(uow)[("epacket-cn", "US")]
    # sample: 6 departed + 1 departed without a scan (both picked up 48-72 h ago) + 3 stalled
    assert (health.stall_sample, health.origin_stall_share) == (10, 0.3)


def test_stall_window_is_the_callers_to_choose(uow: UnitOfWork) -> None:
    _store_stall_sample(uow)
    shorter = StallWindow(after_hours=24, window_hours=24)
    health = channel_health(uow=uow, catalogue=CATALOGUE, now=NOW, stall=shorter)
    lane = health[("epacket-cn", "US")]
    assert (lane.stall_sample, lane.origin_stall_share) == (3, 1.0)  # only the stalled ones


def test_measuring_twice_through_the_service_reuses_the_connection_cleanly(
    uow: UnitOfWork,
) -> None:
    _store_stall_sample(uow)
    assert _measure(uow) == _measure(uow)
