"""Rows of the `shipments` projection, inserted directly, as tracking ingestion would leave them.

Defaults: status and status rank follow the furthest milestone given, `last_event_at` is the
latest milestone time, the shipment is active unless delivered.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Engine, insert, update

from tradelane.domain.shipments import MILESTONE_RANK, Milestone
from tradelane.store.tables import shipments

__all__ = [
    "MILESTONE_OF",
    "a_shipment_row",
    "insert_shipments",
    "update_shipment",
]

_numbers = itertools.count(1)

# Projection column -> the milestone it records (the status it implies).
MILESTONE_OF = {
    "picked_up_at": Milestone.PICKED_UP,
    "departed_origin_at": Milestone.DEPARTED_ORIGIN,
    "arrived_destination_at": Milestone.ARRIVED_DESTINATION_COUNTRY,
    "customs_hold_at": Milestone.CUSTOMS_HOLD,
    "customs_cleared_at": Milestone.CUSTOMS_CLEARED,
    "out_for_delivery_at": Milestone.OUT_FOR_DELIVERY,
    "delivered_at": Milestone.DELIVERED,
}


def a_shipment_row(
    tracking_number: str | None = None,
    *,
    channel_id: str | None = "test-line",
    destination_country: str | None = "US",
    is_active: bool | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A full row; `fields` sets milestone times, `status`, `status_rank`, `last_event_at`…"""
    times = {k: v for k, v in fields.items() if k in MILESTONE_OF and v is not None}
    furthest = max(times, key=lambda k: MILESTONE_RANK[MILESTONE_OF[k]], default=None)
    status = MILESTONE_OF[furthest] if furthest else Milestone.INFO_RECEIVED
    row: dict[str, Any] = {
        "tracking_number": tracking_number or f"TL{next(_numbers):09d}CN",
        "carrier": "test-carrier",
        "order_id": None,
        "channel_id": channel_id,
        "origin_country": "CN",
        "destination_country": destination_country,
        "status": status.value,
        "status_rank": MILESTONE_RANK[status],
        "is_active": status is not Milestone.DELIVERED if is_active is None else is_active,
        "last_event_at": max(times.values(), default=None),
        "promised_at": None,
        **{column: None for column in MILESTONE_OF},
    }
    row.update(fields)
    return row


def insert_shipments(engine: Engine, *rows: dict[str, Any]) -> list[int]:
    """Insert rows in order; returns their ids."""
    with engine.begin() as connection:
        ids = []
        for row in rows:
            result = connection.execute(insert(shipments).values(**row))
            ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
    return ids


def update_shipment(engine: Engine, shipment_id: int, **fields: Any) -> None:
    """Record what ingestion would: new milestone times, status, activity."""
    with engine.begin() as connection:
        statement = update(shipments).where(shipments.c.id == shipment_id).values(**fields)
        connection.execute(statement)
