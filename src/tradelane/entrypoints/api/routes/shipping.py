"""POST /shipments/ship and GET /shipments/{number}: hand-offs booked here, and a parcel's
timeline with its order, channel and open alerts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tradelane.entrypoints.api.deps import System
from tradelane.services.catalogues import active_catalogue
from tradelane.services.ship import ShipCommand, ship_orders
from tradelane.services.tracking_queries import shipment_timeline

router = APIRouter(prefix="/shipments", tags=["shipments"])


class ShipRequest(BaseModel):
    """What `tradelane ship` takes: orders (default: every assigned one), an optional channel
    instead of the primary, the number a manual line gave (one order), the hand-off time."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] = Field(default_factory=list)
    channel_id: str | None = None
    tracking_number: str | None = None
    limit: int | None = Field(default=None, ge=1)
    at: AwareDatetime | None = None


@router.post("/ship")
def post_ship(request: ShipRequest, system: System) -> dict[str, Any]:
    """Book and record hand-offs; refused orders are listed with the reason (nothing of
    theirs stored)."""
    command = ShipCommand(
        order_ids=tuple(request.order_ids),
        channel_id=request.channel_id,
        tracking_number=request.tracking_number,
        limit=request.limit,
    )
    report = ship_orders(
        command,
        uow=system.uow(),
        catalogue=active_catalogue(uow=system.uow()).catalogue,
        bookings=system.bookings(),
        now=request.at or system.clock.now(),
    )
    return {
        "shipped": [
            {
                "order_id": s.order_id,
                "channel_id": s.channel_id,
                "tracking_number": s.booking.tracking_number,
                "booked_via": s.booking.booked_via,
            }
            for s in report.shipped
        ],
        "refused": [{"order_id": e.value, "reason": e.message} for e in report.refused],
    }


@router.get("/{tracking_number}")
def get_shipment(tracking_number: str, system: System) -> dict[str, Any]:
    """The shipment (order, channel, status, milestone times), its events oldest first and
    its open alerts; 404 for an unknown number."""
    view = shipment_timeline(tracking_number, uow=system.uow())
    return {
        "shipment": {k: _plain(v) for k, v in view.shipment.items()},
        "events": [e.model_dump(mode="json") for e in view.events],
        "open_alerts": [{k: _plain(v) for k, v in a.items()} for a in view.open_alerts],
    }


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
