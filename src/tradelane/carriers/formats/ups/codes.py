"""UPS Track API activity status codes (`activity[].status.code`) -> milestone.

UPS publishes the status *type* (D delivered, I in transit, M manifest, P pickup, X exception,
RS returned) but not a full list of the two-letter codes; the codes here are those karrio's
ups units name, plus SR whose text in the real response reads "released by the customs
agency". A code not listed falls back to karrio's reading of the type and is flagged unknown.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "MP": M.INFO_RECEIVED,  # manifest pickup
    "M": M.INFO_RECEIVED,
    "OR": M.PICKED_UP,  # origin scan
    "PU": M.PICKED_UP,
    "DP": M.IN_TRANSIT,  # departure scan (a facility, not necessarily the origin country)
    "AR": M.IN_TRANSIT,  # arrival scan
    "AF": M.IN_TRANSIT,
    "OT": M.OUT_FOR_DELIVERY,
    "OD": M.OUT_FOR_DELIVERY,
    "OF": M.OUT_FOR_DELIVERY,
    "SR": M.CUSTOMS_CLEARED,  # "Your package was released by the customs agency."
    "KB": M.DELIVERED,
    "FS": M.DELIVERED,
    "F4": M.DELIVERED,
    "DY": M.EXCEPTION,
    "DE": M.EXCEPTION,
    "RS": M.RETURNED,
}
NOT_FOUND = frozenset({"TW0001"})  # "Tracking Information Not Found"
