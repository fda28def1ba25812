"""USPS tracking event codes (`trackingEvents[].eventCode`) -> milestone.

The codes are those of the real USPS response in the shared samples with their own event
texts (GX label created, 03 USPS in possession, SF/T1/TL/10/A1/07 facility scans, OF out for
delivery, 01 delivered); other USPS codes are stored raw and flagged.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "GX": M.INFO_RECEIVED,  # shipping label created, USPS awaiting item
    "MA": M.INFO_RECEIVED,  # manifest acknowledged
    "03": M.PICKED_UP,  # USPS in possession of item
    "OA": M.PICKED_UP,  # accepted at USPS origin facility
    "SF": M.IN_TRANSIT,  # departed post office
    "10": M.IN_TRANSIT,  # arrived at USPS regional origin facility
    "T1": M.IN_TRANSIT,  # departed USPS regional facility
    "TL": M.IN_TRANSIT,  # in transit to next facility
    "A1": M.IN_TRANSIT,  # arrived at USPS regional facility
    "07": M.IN_TRANSIT,  # arrived at post office
    "OF": M.OUT_FOR_DELIVERY,
    "01": M.DELIVERED,
}
NOT_FOUND: frozenset[str] = frozenset()
