"""Read views of tracking: one shipment's projection, timeline and open alerts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tradelane.domain.shipments import TrackingEvent
from tradelane.store.uow import UnitOfWork

__all__ = ["ShipmentTimeline", "shipment_timeline"]


@dataclass(frozen=True)
class ShipmentTimeline:
    """The shipments row (as a mapping), its events oldest first, its unresolved alerts."""

    shipment: dict[str, Any]
    events: list[TrackingEvent]
    open_alerts: list[dict[str, Any]]


def shipment_timeline(tracking_number: str, *, uow: UnitOfWork) -> ShipmentTimeline:
    """NotFound when no shipment has this tracking number."""
    with uow:
        shipment = dict(uow.tracking.get(tracking_number))
        events = uow.tracking.events(tracking_number)
        alerts = [dict(a) for a in uow.tracking.open_alerts(shipment["id"])]
    return ShipmentTimeline(shipment=shipment, events=events, open_alerts=alerts)
