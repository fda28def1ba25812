"""4PX (递四方) track codes -> (milestone, side of the border).

Sources: 4PX's tracking of parcel 4PX3001291278502CN (listTrackV3, recorded in the track4px
0.1.0 package docstring) for codes and 4PX's own descriptions; category letters L picking in
origin, C warehouse operations, M transit by air or ship, I import clearance. Open API
`tr.order.tracking.get` field names from slince/shipment-tracking (FourPartyExpressTracker).
Inferred: FPX_D_SD = out for delivery and FPX_S_OK = delivered (third-party mapping code);
an unlisted code takes its category's side only and is flagged unknown.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["CATEGORY_SIDES", "TRACK_CODES"]

M = Milestone
TRACK_CODES: dict[str, tuple[Milestone, str]] = {
    "FPX_L_RPIF": (M.INFO_RECEIVED, "origin"),  # parcel information received
    "FPX_O_IR": (M.INFO_RECEIVED, ""),  # order data transmitted
    "FPX_C_SPLS": (M.PICKED_UP, "origin"),  # 4px picked up shipment
    "FPX_C_AAF": (M.IN_TRANSIT, "origin"),  # arrived at facility and measured
    "FPX_C_ADFF": (M.IN_TRANSIT, "origin"),  # depart from facility to service provider
    "FPX_M_HA": (M.IN_TRANSIT, "origin"),  # hand over to airline
    "FPX_M_DFOA": (M.DEPARTED_ORIGIN, "origin"),  # departure from the original airport
    "FPX_M_ATA": (M.ARRIVED_DESTINATION_COUNTRY, "destination"),  # arrival, destination airport
    "FPX_I_RCUK": (M.CUSTOMS_CLEARED, "destination"),  # released from customs
    "FPX_D_SD": (M.OUT_FOR_DELIVERY, "destination"),  # inferred
    "FPX_S_OK": (M.DELIVERED, "destination"),  # inferred
}
CATEGORY_SIDES: dict[str, str] = {
    "L": "origin",
    "C": "origin",
    "I": "destination",
    "D": "destination",
}
