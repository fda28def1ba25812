"""Shared milestone vocabularies: the carrier-neutral code systems of DOMAIN.md §5.

Carrier formats map their own codes in `formats/<source>/codes.py`; the code systems here are
the ones several sources share (UPU EMSEVT postal events, 17TRACK and TrackingMore statuses)
plus the fallback from karrio's normalised status names.
"""

from __future__ import annotations

from enum import StrEnum

from tradelane.domain.shipments import Milestone

__all__ = [
    "CODE_SYSTEMS",
    "KARRIO_STATUS",
    "SEVENTEEN_TRACK",
    "TRACKINGMORE",
    "UPU_EVENTS",
    "CodeSystem",
    "milestone_for_incident",
]

M = Milestone


class CodeSystem(StrEnum):
    UPU = "upu"
    SEVENTEEN_TRACK = "17track"
    TRACKINGMORE = "trackingmore"


# UPU EMSEVT event codes (DOMAIN.md §5.1; secondary but consistent across three sources).
# EMC = departure from the outward office of exchange (the parcel leaves the origin country),
# EMD = arrival at the inward office of exchange (it reached the destination country).
# EMF/EDC end the customs stage ("if EMF/EDC not sent, time in customs is not deducted").
UPU_EVENTS: dict[str, Milestone] = {
    "EMA": M.PICKED_UP,
    "EMB": M.IN_TRANSIT,
    "EMC": M.DEPARTED_ORIGIN,
    "EXA": M.IN_TRANSIT,
    "EXB": M.EXCEPTION,  # held by export customs
    "EXC": M.IN_TRANSIT,
    "EXD": M.IN_TRANSIT,
    "EXX": M.EXCEPTION,  # export cancelled
    "EMJ": M.IN_TRANSIT,
    "EMK": M.IN_TRANSIT,
    "EMD": M.ARRIVED_DESTINATION_COUNTRY,
    "EDA": M.IN_TRANSIT,
    "EDB": M.IN_TRANSIT,  # presented to import customs: not yet a hold
    "EME": M.CUSTOMS_HOLD,
    "EDC": M.CUSTOMS_CLEARED,
    "EMF": M.CUSTOMS_CLEARED,
    "EDD": M.IN_TRANSIT,
    "EDE": M.IN_TRANSIT,
    "EMG": M.IN_TRANSIT,
    "EDF": M.IN_TRANSIT,
    "EDG": M.OUT_FOR_DELIVERY,
    "EDH": M.OUT_FOR_DELIVERY,  # at a collection point, ready for the buyer
    "EMH": M.EXCEPTION,  # unsuccessful delivery attempt
    "EMI": M.DELIVERED,
    "EDX": M.EXCEPTION,  # import terminated
}

# 17TRACK v2 main and sub-statuses (DOMAIN.md §5.2, secondary). The most specific key wins.
SEVENTEEN_TRACK: dict[str, Milestone] = {
    "InfoReceived": M.INFO_RECEIVED,
    "NotFound": M.INFO_RECEIVED,
    "InTransit": M.IN_TRANSIT,
    "InTransit_PickedUp": M.PICKED_UP,
    "InTransit_Departure": M.DEPARTED_ORIGIN,
    "InTransit_Arrival": M.ARRIVED_DESTINATION_COUNTRY,
    "InTransit_CustomsProcessing": M.IN_TRANSIT,
    "InTransit_CustomsReleased": M.CUSTOMS_CLEARED,
    "InTransit_CustomsRequiringInformation": M.CUSTOMS_HOLD,
    "InTransit_Other": M.IN_TRANSIT,
    "Expired": M.EXCEPTION,
    "AvailableForPickup": M.OUT_FOR_DELIVERY,
    "OutForDelivery": M.OUT_FOR_DELIVERY,
    "DeliveryFailure": M.EXCEPTION,
    "Delivered": M.DELIVERED,
    "Exception": M.EXCEPTION,
    "Exception_Returned": M.RETURNED,
    "Exception_Lost": M.LOST,
    "Exception_Destroyed": M.LOST,
}

# TrackingMore statuses and sub-statuses (DOMAIN.md §5.3): transit004 = arrived at destination
# country, transit005 = customs clearance completed, exception006 = held by customs,
# exception010 = returned.
TRACKINGMORE: dict[str, Milestone] = {
    "pending": M.INFO_RECEIVED,
    "notfound": M.INFO_RECEIVED,
    "transit": M.IN_TRANSIT,
    "transit004": M.ARRIVED_DESTINATION_COUNTRY,
    "transit005": M.CUSTOMS_CLEARED,
    "pickup": M.OUT_FOR_DELIVERY,
    "delivered": M.DELIVERED,
    "undelivered": M.EXCEPTION,
    "exception": M.EXCEPTION,
    "exception006": M.CUSTOMS_HOLD,
    "exception010": M.RETURNED,
    "expired": M.EXCEPTION,
}

CODE_SYSTEMS: dict[CodeSystem, dict[str, Milestone]] = {
    CodeSystem.UPU: UPU_EVENTS,
    CodeSystem.SEVENTEEN_TRACK: SEVENTEEN_TRACK,
    CodeSystem.TRACKINGMORE: TRACKINGMORE,
}

# karrio's normalised status names (karrio.core.units.TrackerStatus) -> milestone. Used only
# when a carrier code is missing from our own table for that carrier.
KARRIO_STATUS: dict[str, Milestone] = {
    "pending": M.INFO_RECEIVED,
    "picked_up": M.PICKED_UP,
    "in_transit": M.IN_TRANSIT,
    "on_hold": M.EXCEPTION,
    "out_for_delivery": M.OUT_FOR_DELIVERY,
    "ready_for_pickup": M.OUT_FOR_DELIVERY,
    "delivered": M.DELIVERED,
    "delivery_failed": M.EXCEPTION,
    "delivery_delayed": M.EXCEPTION,
    "return_to_sender": M.RETURNED,
    "cancelled": M.EXCEPTION,
}


def milestone_for_incident(milestone: Milestone, reason: str | None) -> Milestone:
    """An exception whose reason is a customs one (karrio `customs_*`) is a customs hold."""
    if milestone is M.EXCEPTION and reason is not None and reason.startswith("customs_"):
        return M.CUSTOMS_HOLD
    return milestone
