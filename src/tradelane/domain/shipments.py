"""Shipments and their milestone timelines (the vocabulary of DESIGN.md).

A shipment's status is derived from its whole timeline, never from the last event to
arrive: events may come late or out of order, and status never moves backwards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NaiveDatetime, field_validator

from tradelane.domain.geo import CountryCode

__all__ = [
    "MILESTONE_RANK",
    "TERMINAL_MILESTONES",
    "Milestone",
    "Shipment",
    "TrackingEvent",
    "in_utc",
]


class Milestone(StrEnum):
    INFO_RECEIVED = "info_received"
    PICKED_UP = "picked_up"
    DEPARTED_ORIGIN = "departed_origin"
    ARRIVED_DESTINATION_COUNTRY = "arrived_destination_country"
    CUSTOMS_HOLD = "customs_hold"
    CUSTOMS_CLEARED = "customs_cleared"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED = "returned"
    LOST = "lost"
    IN_TRANSIT = "in_transit"  # an event that moves nothing forward (e.g. a hub scan)


# Progress order used to keep status monotonic. Exceptions rank with their neighbours:
# an `exception` does not undo progress, terminal outcomes outrank everything.
MILESTONE_RANK: dict[Milestone, int] = {
    Milestone.INFO_RECEIVED: 0,
    Milestone.IN_TRANSIT: 1,
    Milestone.PICKED_UP: 1,
    Milestone.DEPARTED_ORIGIN: 2,
    Milestone.ARRIVED_DESTINATION_COUNTRY: 3,
    Milestone.CUSTOMS_HOLD: 4,
    Milestone.CUSTOMS_CLEARED: 5,
    Milestone.OUT_FOR_DELIVERY: 6,
    Milestone.EXCEPTION: 6,
    Milestone.DELIVERED: 9,
    Milestone.RETURNED: 9,
    Milestone.LOST: 9,
}
TERMINAL_MILESTONES = frozenset({Milestone.DELIVERED, Milestone.RETURNED, Milestone.LOST})


def in_utc(moment: datetime) -> datetime:
    """The instant in UTC; ValueError when it falls outside the years 1-9999 once converted."""
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("time is out of range once converted to UTC") from exc


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrackingEvent(_Model):
    """One carrier scan, normalised. `status_code`/`status_text` keep the carrier's words."""

    carrier: str = Field(min_length=1, max_length=40)
    tracking_number: str = Field(min_length=4, max_length=64)
    occurred_at: AwareDatetime
    milestone: Milestone
    status_code: str = Field(default="", max_length=64)
    status_text: str = Field(default="", max_length=500)
    location: str = Field(default="", max_length=200)
    country: CountryCode | None = None
    incident_reason: str | None = Field(default=None, max_length=200)
    unknown_code: bool = False  # the carrier code was not in our table; stored raw, flagged
    # The carrier's wall time when it wrote no offset (occurred_at reads it in an assumed
    # zone): with code, location and milestone it identifies the scan whatever zone was assumed.
    local_time: NaiveDatetime | None = None

    @field_validator("occurred_at")
    @classmethod
    def _representable_in_utc(cls, value: datetime) -> datetime:
        in_utc(value)
        return value


class Shipment(_Model):
    """A parcel handed to a channel for one order."""

    tracking_number: str = Field(min_length=4, max_length=64)
    order_id: str
    channel_id: str
    carrier: str
    origin_country: CountryCode
    destination_country: CountryCode
    handed_over_at: AwareDatetime
    promised_at: AwareDatetime
