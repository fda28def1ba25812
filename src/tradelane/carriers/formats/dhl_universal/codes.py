"""DHL Shipment Tracking - Unified API `statusCode` -> milestone.

The unified API has five status codes (pre-transit, transit, delivered, failure, unknown) as
karrio's dhl_universal units list them; its `status` text is free-form and not used.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "pre-transit": M.INFO_RECEIVED,
    "transit": M.IN_TRANSIT,
    "delivered": M.DELIVERED,
    "failure": M.EXCEPTION,
}
NOT_FOUND = frozenset({"404"})
