"""DHL Express event codes (XML-PI `ServiceEvent/EventCode`, MyDHL API `typeCode`) -> milestone.

Meanings follow DHL Express's checkpoint code list as karrio's dhl_express and mydhl units
quote it. `PO` ("departing origin") leaves the origin *facility*, not the country: the
crossing is derived from the service-area countries instead. Customs meanings of CD, UD, IC,
CR and BR are an estimate from the published checkpoint descriptions; unknown codes are
stored raw and flagged.
"""

from __future__ import annotations

from tradelane.domain.shipments import Milestone

__all__ = ["EVENTS", "NOT_FOUND"]

M = Milestone
EVENTS: dict[str, Milestone] = {
    "PU": M.PICKED_UP,  # shipment picked up
    "SA": M.PICKED_UP,  # shipment acceptance
    "PL": M.IN_TRANSIT,  # processed at location
    "PO": M.IN_TRANSIT,  # departing origin facility
    "RW": M.IN_TRANSIT,  # weighed / measured
    "AF": M.IN_TRANSIT,  # arrived at facility
    "DF": M.IN_TRANSIT,  # departed facility
    "AR": M.IN_TRANSIT,  # arrived at delivery facility
    "ES": M.IN_TRANSIT,  # entered sort
    "FD": M.IN_TRANSIT,  # forwarded for delivery
    "IT": M.IN_TRANSIT,
    "TR": M.IN_TRANSIT,  # record of transfer
    "TP": M.IN_TRANSIT,  # forwarded to a third party
    "SM": M.IN_TRANSIT,  # scheduled movement
    "IC": M.IN_TRANSIT,  # in clearance processing
    "CR": M.CUSTOMS_CLEARED,  # clearance release
    "BR": M.CUSTOMS_CLEARED,  # broker release
    "CD": M.CUSTOMS_HOLD,  # controllable clearance delay
    "UD": M.CUSTOMS_HOLD,  # uncontrollable clearance delay
    "WC": M.OUT_FOR_DELIVERY,  # with delivery courier
    "CC": M.OUT_FOR_DELIVERY,  # awaiting collection by the consignee
    "OK": M.DELIVERED,
    "DD": M.DELIVERED,  # delivered damaged
    "HP": M.EXCEPTION,  # held for payment
    "OH": M.EXCEPTION,  # on hold
    "BA": M.EXCEPTION,  # bad address
    "CA": M.EXCEPTION,  # closed on arrival
    "CM": M.EXCEPTION,  # consignee moved
    "NH": M.EXCEPTION,  # not home
    "RD": M.EXCEPTION,  # refused delivery
    "MD": M.EXCEPTION,  # missed delivery cycle
    "MS": M.EXCEPTION,  # mis-sorted
    "TD": M.EXCEPTION,  # transport delay
    "WX": M.EXCEPTION,  # weather delay
    "DM": M.EXCEPTION,  # damaged
    "SS": M.EXCEPTION,  # shipment stopped
    "ST": M.EXCEPTION,  # shipment intercepted
    "RT": M.RETURNED,  # returned to consignor
    "DS": M.LOST,  # destroyed / disposal
}
NOT_FOUND = frozenset({"103", "404"})  # XML-PI "No Shipments Found"; MyDHL HTTP 404
