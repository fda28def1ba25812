"""Landmark Global event codes -> milestone (karrio's landmark units name each code).

Landmark runs cross-border postal lines with a crossing of its own: 150 "Crossing Border"
is the departure from the origin country and 155 "Crossing Received" the arrival in the
destination country. Code 125 reads "Customs Cleared" in one real response and "Customs
transmission sent to carrier" in another; it is mapped to the code's documented meaning.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "50": M.INFO_RECEIVED,  # shipment data uploaded
    "60": M.INFO_RECEIVED,  # inventory allocated
    "75": M.INFO_RECEIVED,  # shipment processed (still at Landmark, cancellable)
    "80": M.INFO_RECEIVED,  # shipment fulfilled
    "100": M.INFO_RECEIVED,  # information transmitted to carrier
    "90": M.CUSTOMS_HOLD,  # held for payment (duties)
    "125": M.CUSTOMS_CLEARED,
    "135": M.CUSTOMS_HOLD,  # customs issue
    "150": M.DEPARTED_ORIGIN,  # crossing border
    "155": M.ARRIVED_DESTINATION_COUNTRY,  # crossing received
    "200": M.IN_TRANSIT,  # scanned at postal facility
    "225": M.IN_TRANSIT,  # grouped at Landmark or partner facility
    "250": M.IN_TRANSIT,  # scanned for crossing / clearance in progress
    "275": M.IN_TRANSIT,  # in transit with carrier
    "300": M.OUT_FOR_DELIVERY,
    "410": M.OUT_FOR_DELIVERY,  # available for pickup
    "400": M.EXCEPTION,  # attempted delivery
    "450": M.IN_TRANSIT,  # re-directed to a new address
    "500": M.DELIVERED,
    "510": M.DELIVERED,  # proof of delivery
    "900": M.EXCEPTION,  # delivery failed
}
NOT_FOUND: frozenset[str] = frozenset()
