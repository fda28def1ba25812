"""Hand-offs: a parcel of one order left on one channel under one tracking number.

A hand-off without a promise takes the order's: created_at + promised_days. Re-recording the
same hand-off (same order, channel and number) changes nothing; a number already used by
another order is a Conflict.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tradelane.domain.errors import ValidationError
from tradelane.domain.money import Money
from tradelane.domain.orders import Order, OrderId

__all__ = ["HandOff", "HandOffEntry", "TrackingNumber", "promise_of"]

TrackingNumber = Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")


class HandOff(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: OrderId
    channel_id: str = Field(min_length=1, max_length=64)
    tracking_number: str = TrackingNumber
    handed_over_at: AwareDatetime
    promised_at: AwareDatetime | None = None
    label_cost: Money | None = None


HandOffEntry = tuple[str, HandOff | ValidationError]  # (where, the hand-off or why it is bad)


def promise_of(order: Order) -> datetime:
    """When delivery was promised to the buyer: the order's promised_days after it was placed."""
    return order.created_at + timedelta(days=order.promised_days)
