"""The manual line: a carrier with no API. The seller hands the parcel over and either
gives the line's tracking number or takes one tradelane makes up."""

from __future__ import annotations

import hashlib

from tradelane.services.ports import Booking, BookingRequest

__all__ = ["ManualBooking", "manual_tracking_number"]


def manual_tracking_number(order_id: str, channel_id: str) -> str:
    """A stable number for (order, channel): booking the same parcel twice gives the same one."""
    digest = hashlib.sha256(f"{order_id}\x1f{channel_id}".encode()).hexdigest()
    return f"TL{digest[:14].upper()}"


class ManualBooking:
    """Records the hand-off only; the label cost is the channel's quoted rate."""

    def book(self, request: BookingRequest) -> Booking:
        number = request.tracking_number or manual_tracking_number(
            request.order.order_id, request.channel.id
        )
        return Booking(tracking_number=number, label_cost=request.quoted_cost, booked_via="manual")
