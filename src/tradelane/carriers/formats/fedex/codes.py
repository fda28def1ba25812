"""FedEx Track API scan event types (`scanEvents[].eventType`) -> milestone.

Codes and meanings follow FedEx's tracking status code list as karrio's fedex units quote it
(developer.fedex.com, "trackingstatuscodes"); CC/CD/CP (customs cleared / clearance delay /
clearance in progress) come from the same list. Anything else is stored raw and flagged.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "OC": M.INFO_RECEIVED,  # shipment information sent to FedEx
    "OX": M.INFO_RECEIVED,  # shipment information sent to USPS
    "MD": M.INFO_RECEIVED,  # manifest data
    "EP": M.INFO_RECEIVED,  # enroute to pickup
    "PU": M.PICKED_UP,
    "PX": M.PICKED_UP,
    "OF": M.IN_TRANSIT,  # at FedEx origin facility
    "AP": M.IN_TRANSIT,  # at pickup
    "AA": M.IN_TRANSIT,
    "AC": M.IN_TRANSIT,
    "AE": M.IN_TRANSIT,  # shipment arriving early
    "AF": M.IN_TRANSIT,
    "AO": M.IN_TRANSIT,  # shipment arriving on time
    "AR": M.IN_TRANSIT,
    "AX": M.IN_TRANSIT,
    "CH": M.IN_TRANSIT,  # location changed
    "DP": M.IN_TRANSIT,  # departed a FedEx location (not necessarily the origin country)
    "DS": M.IN_TRANSIT,
    "EA": M.IN_TRANSIT,
    "EO": M.IN_TRANSIT,
    "FD": M.IN_TRANSIT,
    "IT": M.IN_TRANSIT,
    "IX": M.IN_TRANSIT,
    "LO": M.IN_TRANSIT,
    "PF": M.IN_TRANSIT,
    "PL": M.IN_TRANSIT,
    "PM": M.IN_TRANSIT,
    "SF": M.IN_TRANSIT,
    "SP": M.IN_TRANSIT,
    "TR": M.IN_TRANSIT,
    "CP": M.IN_TRANSIT,  # clearance in progress
    "CD": M.CUSTOMS_HOLD,  # clearance delay
    "CC": M.CUSTOMS_CLEARED,
    "AD": M.OUT_FOR_DELIVERY,
    "ED": M.OUT_FOR_DELIVERY,
    "OD": M.OUT_FOR_DELIVERY,
    "HL": M.OUT_FOR_DELIVERY,  # at a hold location for the recipient
    "HP": M.OUT_FOR_DELIVERY,  # ready for recipient pickup
    "DL": M.DELIVERED,
    "DE": M.EXCEPTION,  # delivery exception
    "DD": M.EXCEPTION,  # delivery delay
    "DY": M.EXCEPTION,
    "PD": M.EXCEPTION,  # pickup delay
    "SE": M.EXCEPTION,
    "HA": M.EXCEPTION,
    "CA": M.EXCEPTION,  # shipment cancelled
    "RS": M.RETURNED,
}
NOT_FOUND = frozenset({"TRACKING.TRACKINGNUMBER.NOTFOUND"})
