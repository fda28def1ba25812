"""YunExpress (云途) tracking codes -> milestone.

Sources: YunExpress API "Tracking/GetTrackInfo" as transcribed by the Go SDK zengweigg/yunexpress
(model/yun.track.go: PackageState 0 unknown, 1 submitted, 2 in transit, 3 signed for, 4 received,
5 cancelled, 6 delivery failed, 7 returned) and the SDK fixture laradocs/php-yunexpress-sdk
tests/get_track_info.json (envelope Code "0000", Item.OrderTrackingDetails[]).
Inferred: the node codes of the newer OpenAPI (`TrackNodeCode`: ORDER_CREATION,
FIRST_MILE_ARRIVE, FIRST_MILE_DEPART are named in its docs; the meaning of each here is read
from the name), and that PackageState describes the newest event. The numeric per-event
`TrackingStatus` (10, 20, ...) is undocumented and never used.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["NODES", "PACKAGE_STATES"]

M = Milestone
NODES: dict[str, Milestone] = {
    "ORDER_CREATION": M.INFO_RECEIVED,
    "FIRST_MILE_ARRIVE": M.PICKED_UP,
    "FIRST_MILE_DEPART": M.IN_TRANSIT,
    "LINE_HAUL_DEPART": M.DEPARTED_ORIGIN,  # inferred
    "LINE_HAUL_ARRIVE": M.ARRIVED_DESTINATION_COUNTRY,  # inferred
    "CUSTOMS_CLEARED": M.CUSTOMS_CLEARED,  # inferred
    "LAST_MILE_OUT_FOR_DELIVERY": M.OUT_FOR_DELIVERY,  # inferred
    "DELIVERED": M.DELIVERED,  # inferred
}
# PackageState -> milestone of the newest event when its own code says nothing.
PACKAGE_STATES: dict[int, Milestone] = {
    3: M.DELIVERED,
    6: M.EXCEPTION,
    7: M.RETURNED,
}
