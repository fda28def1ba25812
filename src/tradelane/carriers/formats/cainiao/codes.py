"""Cainiao / AliExpress Standard Shipping `actionCode` -> (milestone, side of the border).

Source: Cainiao global tracking (global.cainiao.com/global/detail.json), `detailList[]`
actionCode with Cainiao's own normalised English (`standerdDesc`), as recorded in the
dir01/parcels fixtures (RS0814398526Y, UZ0556033196Y). The side ("origin"/"destination")
places the event in the parcel's origin or destination country (events carry no country).
Inferred: GTMS_SIGNED = delivered and GTMS_DO_DEPART = out for delivery (third-party code);
the family of an unlisted code (its prefix) only sets the side, the code stays unknown.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["ACTIONS", "FAMILY_SIDES", "Side"]

M = Milestone
Side = str  # "origin" | "destination" | ""
ACTIONS: dict[str, tuple[Milestone, Side]] = {
    "PU_PICKUP_SUCCESS": (M.PICKED_UP, "origin"),
    "SC_INBOUND_SUCCESS": (M.IN_TRANSIT, "origin"),
    "SC_OUTBOUND_SUCCESS": (M.IN_TRANSIT, "origin"),
    "LH_HO_IN_SUCCESS": (M.IN_TRANSIT, "origin"),
    "CC_EX_START": (M.IN_TRANSIT, "origin"),
    "CC_EX_SUCCESS": (M.IN_TRANSIT, "origin"),
    "LH_HO_AIRLINE": (M.IN_TRANSIT, "origin"),  # handed to the airline, not yet left
    "LH_DEPART": (M.DEPARTED_ORIGIN, "origin"),
    "LH_ARRIVE": (M.ARRIVED_DESTINATION_COUNTRY, "destination"),
    "CC_HO_IN_SUCCESS": (M.IN_TRANSIT, "destination"),
    "CC_IM_START": (M.IN_TRANSIT, "destination"),  # may be stamped early (pre-advice)
    "CC_IM_SUCCESS": (M.CUSTOMS_CLEARED, "destination"),
    "CC_HO_OUT_SUCCESS": (M.CUSTOMS_CLEARED, "destination"),
    "GTMS_ACCEPT": (M.IN_TRANSIT, "destination"),
    "GTMS_DO_DEPART": (M.OUT_FOR_DELIVERY, "destination"),  # inferred
    "GTMS_SIGNED": (M.DELIVERED, "destination"),  # inferred
}
FAMILY_SIDES: dict[str, Side] = {
    "PU_": "origin",
    "SC_": "origin",
    "CW_": "origin",
    "CC_EX": "origin",
    "LH_HO": "origin",
    "CC_IM": "destination",
    "CC_HO": "destination",
    "GTMS_": "destination",
}
