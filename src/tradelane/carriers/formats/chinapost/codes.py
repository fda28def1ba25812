"""China Post / EMS / ePacket (E邮宝) trace events -> UPU EMSEVT code -> milestone.

The partner track query (shipping.ems.com.cn .../track/query/{language}/{number}, as read by
slince/shipment-tracking EMSTracker) answers `<traces><trace><acceptTime/><acceptAddress/>
<remark/></trace>...</traces>` with words, no codes. A trace that carries a UPU event code
(`<code>`/`<opCode>`) is mapped through UPU EMSEVT (tracking/milestones.py UPU_EVENTS, names
from the UPU Global Postal Model list cited in DOMAIN.md §5.1: EMA posting/collection, EMC
departure from outward office of exchange, EMD arrival at inward office of exchange, EME held
by import customs, EMI delivered, ...). Otherwise the remark is matched against the UPU event
names and China Post's English wording below ("Posting" in the recorded answer; its domestic
"Arrival at / Despatch from Sorting Center" scans have no UPU code and stay in transit).
"""

from __future__ import annotations

from tradelane.tracking.milestones import UPU_EVENTS

__all__ = ["REMARKS", "UPU_EVENTS"]

# Lower-case remark wording -> UPU EMSEVT code. Longest match wins.
REMARKS: dict[str, str] = {
    "posting": "EMA",
    "posting/collection": "EMA",
    "collection": "EMA",
    "arrival at outward office of exchange": "EMB",
    "departure from outward office of exchange": "EMC",
    "dispatched from the outward office of exchange": "EMC",
    "item presented to export customs": "EXA",
    "held by export customs": "EXB",
    "arrival at transit office of exchange": "EMJ",
    "departure from transit office of exchange": "EMK",
    "arrival at inward office of exchange": "EMD",
    "held at inward office of exchange": "EDA",
    "item presented to import customs": "EDB",
    "held by import customs": "EME",
    "item returned from import customs": "EDC",
    "departure from inward office of exchange": "EMF",
    "item into sorting centre": "EDD",
    "item out of sorting centre": "EDE",
    "arrival at delivery office": "EMG",
    "held at delivery depot": "EDF",
    "out for physical delivery": "EDG",
    "out for delivery": "EDG",
    "arrival at collection point": "EDH",
    "unsuccessful delivery attempt": "EMH",
    "delivered": "EMI",
    "final delivery": "EMI",
}
