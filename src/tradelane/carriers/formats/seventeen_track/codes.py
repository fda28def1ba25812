"""17TRACK key stages -> milestone (sub-statuses: tracking/milestones.py SEVENTEEN_TRACK).

Source: 17TRACK Tracking API v2.2 documentation, https://asset.17track.net/api/document/v2.2_en/
("milestone" key stages and main/sub-status tables, DOMAIN.md §5.2), checked against the
webhook push sample of 17TRACK (TRACKING_UPDATED). Per event, `sub_status` (when given) wins
over `stage`. Inferred: `Departure` = left the origin country and `Arrival` = arrived in the
destination country (17TRACK's own sub-statuses InTransit_Departure / InTransit_Arrival say so);
`Returning` is treated as an exception until `Returned`.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone
from tradelane.tracking.milestones import SEVENTEEN_TRACK

__all__ = ["CODES", "KEY_STAGES"]

M = Milestone
KEY_STAGES: dict[str, Milestone] = {
    "InfoReceived": M.INFO_RECEIVED,
    "PickedUp": M.PICKED_UP,
    "Departure": M.DEPARTED_ORIGIN,
    "Arrival": M.ARRIVED_DESTINATION_COUNTRY,
    "AvailableForPickup": M.OUT_FOR_DELIVERY,
    "OutForDelivery": M.OUT_FOR_DELIVERY,
    "Delivered": M.DELIVERED,
    "Returning": M.EXCEPTION,
    "Returned": M.RETURNED,
}
CODES: dict[str, Milestone] = {**SEVENTEEN_TRACK, **KEY_STAGES}
