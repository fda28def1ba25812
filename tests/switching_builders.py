"""Builders for switching tests: orders, assignments and shipments stored as rows, with
defaults so each test states only what matters to it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from tests.builders import NOW, an_order
from tradelane.files.catalogue_file import default_catalogue
from tradelane.store.tables import assignments, shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import normal_delay_hours

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def store_assigned_order(
    uow: UnitOfWork,
    order_id: str,
    channel_id: str,
    *,
    country: str = "US",
    backups: tuple[str, ...] = ("yun-line-cn", "dhl-express-cn"),
    at: datetime = NOW,
) -> None:
    """An imported order with a current assignment to `channel_id` (inside an open uow)."""
    uow.orders.add_many([an_order(order_id, country=country, created_at=at)], now=at)
    uow.connection.execute(
        insert(assignments).values(
            order_id=order_id,
            primary_channel_id=channel_id,
            backup_channel_ids=list(backups),
            score={},
            reason="test assignment",
            policy_version="test",
            cause="initial",
            assigned_at=at,
        )
    )


def store_shipment(
    uow: UnitOfWork,
    tracking_number: str,
    channel_id: str,
    *,
    country: str = "US",
    handed_over_at: datetime = NOW,
    order_id: str | None = None,
    promised_at: datetime | None = None,
    **milestones: Any,
) -> None:
    """A parcel handed to `channel_id`; `milestones` are the shipments table's *_at columns
    (picked_up_at, departed_origin_at, arrived_destination_at, customs_hold_at, ...)."""
    delivered = milestones.get("delivered_at") is not None
    uow.connection.execute(
        insert(shipments).values(
            tracking_number=tracking_number,
            carrier="test-carrier",
            order_id=order_id,
            channel_id=channel_id,
            origin_country="CN",
            destination_country=country,
            handed_over_at=handed_over_at,
            promised_at=promised_at,
            status="delivered" if delivered else "in_transit",
            is_active=not delivered,
            **milestones,
        )
    )


def store_lane_incident(
    uow: UnitOfWork, channel_id: str, country: str, *, at: datetime, parcels: int = 30
) -> None:
    """`parcels` (30: the fewest a lane delay is judged on) departed parcels on a lane, 90.5 h
    later at `at` than a healthy lane's overdue parcels (past its p90 and its normal delay,
    off-peak) and not arrived; the first one is order "INC-1", stored and assigned (inside an
    open uow, not committed). The lane still takes parcels: a third as many handed over a day
    before `at`, moving as usual (a lane delay is judged only on such a lane)."""
    lane = default_catalogue().channel(channel_id).lane_for(country)
    assert lane is not None
    p50, p90 = lane.transit.p50_days * 24, lane.transit.p90_days * 24
    normal = float(normal_delay_hours([p50], [p90])[0])
    since = at - timedelta(hours=p90 + normal + 90.5)
    store_assigned_order(uow, "INC-1", channel_id, country=country, at=since - DAY)
    for i in range(parcels):
        store_shipment(
            uow,
            f"LI{country}{i:03d}CN",
            channel_id,
            country=country,
            order_id="INC-1" if i == 0 else f"INC-X{i}",
            handed_over_at=since,
            promised_at=since + 20 * DAY,
            picked_up_at=since + 6 * HOUR,
            departed_origin_at=since + 20 * HOUR,
        )
    for i in range(parcels // 3):
        store_shipment(
            uow,
            f"LY{country}{i:03d}CN",
            channel_id,
            country=country,
            order_id=f"INC-Y{i}",
            handed_over_at=at - DAY,
            promised_at=at + 19 * DAY,
            picked_up_at=at - DAY + 6 * HOUR,
            departed_origin_at=at - DAY + 20 * HOUR,
        )
