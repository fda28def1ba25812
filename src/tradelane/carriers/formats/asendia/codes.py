"""Asendia tracking event codes -> milestone (the codes karrio's asendia units list)."""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "PENDING": M.INFO_RECEIVED,
    "CREATED": M.INFO_RECEIVED,
    "ACCEPTED": M.INFO_RECEIVED,
    "LABEL_PRINTED": M.INFO_RECEIVED,
    "PU": M.PICKED_UP,
    "PICKED_UP": M.PICKED_UP,
    "COLLECTED": M.PICKED_UP,
    "IT": M.IN_TRANSIT,
    "IN_TRANSIT": M.IN_TRANSIT,
    "DEPARTED": M.IN_TRANSIT,  # a facility; the crossing comes from the event countries
    "ARRIVED": M.IN_TRANSIT,
    "PROCESSED": M.IN_TRANSIT,
    "CUSTOMS": M.IN_TRANSIT,
    "CLEARED": M.CUSTOMS_CLEARED,
    "ON_HOLD": M.EXCEPTION,
    "HELD": M.EXCEPTION,
    "DELAYED": M.EXCEPTION,
    "OUT_FOR_DELIVERY": M.OUT_FOR_DELIVERY,
    "OFD": M.OUT_FOR_DELIVERY,
    "READY_FOR_PICKUP": M.OUT_FOR_DELIVERY,
    "DL": M.DELIVERED,
    "DELIVERED": M.DELIVERED,
    "DELIVERY_FAILED": M.EXCEPTION,
    "UNDELIVERABLE": M.EXCEPTION,
    "RETURNED": M.RETURNED,
    "RTS": M.RETURNED,
}
NOT_FOUND = frozenset({"404"})
