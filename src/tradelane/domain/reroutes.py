"""A re-route: a parcel handed over to one line, moved to another before it left the origin hub.

The seller's "combined" move (e.g. air to sea, or one air line to another) for parcels stuck at
the origin hub: the old label is voided, the parcel ships on a new label of the other line, and
the move costs a stated fee on top of the new label.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Reroute"]


class Reroute(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    order_id: str
    voided_tracking_number: str = Field(min_length=4, max_length=64)
    tracking_number: str = Field(min_length=4, max_length=64)
    from_channel_id: str
    to_channel_id: str
    fee: Decimal = Field(ge=0)  # on top of the new label's price
    currency: str = Field(min_length=3, max_length=3)
    reason: str = Field(default="", max_length=500)
