"""POST /shipments/ship and GET /shipments/{number}: hand-offs booked here, and a parcel's
timeline with its order, channel and open alerts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.errors import NotFound
from tradelane.domain.shipments import TrackingEvent
from tradelane.entrypoints.api.deps import Operator, Reader
from tradelane.entrypoints.api.schemas import Moment
from tradelane.services.ship import ShipCommand

__all__ = ["router"]

router = APIRouter(prefix="/shipments", tags=["shipments"])


class ShipRequest(BaseModel):
    """What `tradelane ship` takes: orders (default: every assigned one), an optional channel
    instead of the primary, the number a manual line gave (one order), the hand-off time."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] = Field(default_factory=list, max_length=10_000)
    channel_id: str | None = None
    tracking_number: str | None = None
    limit: int | None = Field(default=None, ge=1, le=10_000)
    at: Moment | None = None


class Shipped(BaseModel):
    order_id: str
    channel_id: str
    tracking_number: str
    booked_via: str


class Refused(BaseModel):
    order_id: str
    reason: str


class ShipOut(BaseModel):
    shipped: list[Shipped]
    refused: list[Refused]


class ShipmentView(BaseModel):
    shipment: dict[str, Any]
    events: list[TrackingEvent]
    open_alerts: list[dict[str, Any]]


@router.post("/ship", response_model=ShipOut)
def post_ship(request: ShipRequest, app: Operator) -> ShipOut:
    """Book and record hand-offs of the tenant's orders; refused orders are listed with the
    reason (nothing of theirs stored)."""
    command = ShipCommand(
        order_ids=tuple(request.order_ids),
        channel_id=request.channel_id,
        tracking_number=request.tracking_number,
        limit=request.limit,
    )
    report = app.ship(command, now=request.at)
    return ShipOut(
        shipped=[
            Shipped(
                order_id=s.order_id,
                channel_id=s.channel_id,
                tracking_number=s.booking.tracking_number,
                booked_via=s.booking.booked_via,
            )
            for s in report.shipped
        ],
        refused=[Refused(order_id=str(e.value), reason=e.message) for e in report.refused],
    )


@router.get("/{tracking_number}", response_model=ShipmentView)
def get_shipment(tracking_number: str, app: Reader) -> ShipmentView:
    """The shipment (order, channel, status, milestone times), its events oldest first and
    its open alerts; 404 for an unknown number or another tenant's parcel."""
    if not app.owns_shipment(tracking_number):
        raise NotFound("shipment", tracking_number)
    view = app.shipment_timeline(tracking_number)
    return ShipmentView(
        shipment={k: _plain(v) for k, v in view.shipment.items()},
        events=list(view.events),
        open_alerts=[{k: _plain(v) for k, v in a.items()} for a in view.open_alerts],
    )


def _plain(value: object) -> object:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
