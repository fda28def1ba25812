"""AfterShip delivery tags and sub-statuses (subtags) -> milestone.

Source: AfterShip tracking docs, "Delivery Sub-statuses" (DOMAIN.md §5.3): InTransit_007 is
the departure scan, InTransit_004 arrival in the destination country, InTransit_005/006
customs clearance completed/started, Exception_004 a customs-clearance delay, Exception_011
returned to sender, Exception_013 lost. Exception_016-018 exist from 2026-03-27. The subtag
wins over the tag; an unlisted subtag falls back to its tag and is flagged unknown.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["SUBTAGS", "TAGS"]

M = Milestone
TAGS: dict[str, Milestone] = {
    "Pending": M.INFO_RECEIVED,
    "InfoReceived": M.INFO_RECEIVED,
    "InTransit": M.IN_TRANSIT,
    "OutForDelivery": M.OUT_FOR_DELIVERY,
    "AvailableForPickup": M.OUT_FOR_DELIVERY,
    "AttemptFail": M.EXCEPTION,
    "Delivered": M.DELIVERED,
    "Exception": M.EXCEPTION,
    "Expired": M.EXCEPTION,
}
SUBTAGS: dict[str, Milestone] = {
    "Pending_001": M.INFO_RECEIVED,
    "InfoReceived_001": M.INFO_RECEIVED,
    "InTransit_001": M.IN_TRANSIT,
    "InTransit_002": M.PICKED_UP,  # acceptance scan: the carrier accepted the parcel
    "InTransit_003": M.IN_TRANSIT,  # arrival scan at a hub
    "InTransit_004": M.ARRIVED_DESTINATION_COUNTRY,
    "InTransit_005": M.CUSTOMS_CLEARED,
    "InTransit_006": M.IN_TRANSIT,  # handed to customs: clearance started, not a hold
    "InTransit_007": M.DEPARTED_ORIGIN,  # departure scan
    "InTransit_008": M.IN_TRANSIT,  # problem resolved
    "InTransit_009": M.IN_TRANSIT,  # forwarded to another address
    "OutForDelivery_001": M.OUT_FOR_DELIVERY,
    "OutForDelivery_002": M.OUT_FOR_DELIVERY,
    "OutForDelivery_003": M.OUT_FOR_DELIVERY,
    "OutForDelivery_004": M.OUT_FOR_DELIVERY,
    "AvailableForPickup_001": M.OUT_FOR_DELIVERY,
    "AttemptFail_001": M.EXCEPTION,
    "AttemptFail_002": M.EXCEPTION,
    "AttemptFail_003": M.EXCEPTION,
    "Delivered_001": M.DELIVERED,
    "Delivered_002": M.DELIVERED,
    "Delivered_003": M.DELIVERED,
    "Delivered_004": M.DELIVERED,
    "Exception_001": M.EXCEPTION,
    "Exception_002": M.EXCEPTION,  # customer moved
    "Exception_003": M.EXCEPTION,  # customer refused
    "Exception_004": M.CUSTOMS_HOLD,  # delayed (customs clearance)
    "Exception_005": M.EXCEPTION,  # delayed (external factors)
    "Exception_006": M.EXCEPTION,  # held for payment
    "Exception_007": M.EXCEPTION,  # incorrect address
    "Exception_008": M.EXCEPTION,  # pick-up missed
    "Exception_009": M.EXCEPTION,  # rejected by carrier
    "Exception_010": M.EXCEPTION,  # returning to sender
    "Exception_011": M.RETURNED,
    "Exception_012": M.EXCEPTION,  # shipment damaged
    "Exception_013": M.LOST,
    "Exception_016": M.EXCEPTION,  # delayed (processing issue), from 2026-03-27
    "Exception_017": M.EXCEPTION,  # delayed (extreme weather), from 2026-03-27
    "Exception_018": M.CUSTOMS_HOLD,  # incorrect / missing documents, from 2026-03-27
    "Expired_001": M.EXCEPTION,
}
