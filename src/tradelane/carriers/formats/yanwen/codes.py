"""Yanwen (燕文) checkpoint `tracking_status` codes -> milestone.

Source: Yanwen open platform, "物流轨迹查询" (tracking query),
https://opendocs.yw56.com.cn/webfile/7128663508291424256 (response example: OR10, LH20, LM40,
LM54), and karrio's Yanwen connector fixture (PU10 acceptance, SC20; LM40 delivered,
"NOTFOUND" not found). Inferred: the prefix families (OR order, PU pick-up, SC sorting
centre, LH line-haul, LM last mile) and the LH/LM codes not in those examples; an unlisted
code keeps its family's side of the border and is flagged unknown.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["CHECKPOINTS", "FAMILY_SIDES", "NOT_FOUND"]

M = Milestone
CHECKPOINTS: dict[str, Milestone] = {
    "OR10": M.INFO_RECEIVED,  # order processed by shipper
    "PU10": M.PICKED_UP,  # Yanwen acceptance
    "SC20": M.IN_TRANSIT,  # sorting centre
    "LH20": M.DEPARTED_ORIGIN,  # port of departure - departure
    "LH30": M.ARRIVED_DESTINATION_COUNTRY,  # inferred: port of arrival
    "LM10": M.IN_TRANSIT,  # inferred: received by the last-mile carrier
    "LM30": M.OUT_FOR_DELIVERY,  # inferred
    "LM40": M.DELIVERED,  # delivered
    "LM54": M.RETURNED,  # return shipment inbound confirmation
}
FAMILY_SIDES: dict[str, str] = {"OR": "origin", "PU": "origin", "SC": "origin", "LM": "destination"}
NOT_FOUND = "NOTFOUND"
