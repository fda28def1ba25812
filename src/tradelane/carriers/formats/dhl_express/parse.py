"""DHL Express XML-PI TrackingResponse through karrio's dhl_express parser.

DHL writes local times without an offset (they take `assume_tz`) and locations as
"City - Country" service areas, from which the event country is read. Shipper and consignee
countries (else the origin/destination service areas) become the shipment's origin and
destination.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from xml.etree import ElementTree

import karrio.lib as lib
from karrio.mappers.dhl_express.settings import Settings
from karrio.providers.dhl_express import parse_tracking_response

from tradelane.carriers.formats.dhl_express.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.karrio_adapter import CarrierCodes, run_karrio
from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts, check_payload_size
from tradelane.domain.errors import ValidationError
from tradelane.tracking.places import country_in_text, optional_country

__all__ = ["CODES", "parse", "read_xml"]


def _service_area_country(text: str | None) -> str | None:
    return country_in_text(text, last_is_code=False)


CODES = CarrierCodes(
    carrier="dhl_express",
    events=EVENTS,
    not_found=NOT_FOUND,
    country_from_location=_service_area_country,
)
SETTINGS = Settings(site_id="-", password="-", carrier_id="dhl_express")


def read_xml(payload: str | bytes, *, where: str) -> ElementTree.Element:
    """The XML root of a payload (size-checked); ValidationError naming the parse error."""
    check_payload_size(payload, where=where)
    try:
        return ElementTree.fromstring(payload)
    except ElementTree.ParseError as exc:
        raise ValidationError(f"not well-formed XML: {exc}", field="payload", where=where) from exc


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "dhl_express"
) -> ParsedTracking:
    root = read_xml(payload, where=where)
    text = payload.decode() if isinstance(payload, bytes) else payload
    return run_karrio(
        parse_tracking_response,
        lib.Deserializable(text, lib.to_element),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        facts=_facts(root),
    )


def _facts(root: ElementTree.Element) -> list[ShipmentFacts]:
    facts = []
    for awb in root.iter("AWBInfo"):
        number = (awb.findtext("AWBNumber") or "").strip()
        origin = optional_country(
            awb.findtext("ShipmentInfo/Shipper/CountryCode")
        ) or _service_area_country(awb.findtext("ShipmentInfo/OriginServiceArea/Description"))
        destination = optional_country(
            awb.findtext("ShipmentInfo/Consignee/CountryCode")
        ) or _service_area_country(awb.findtext("ShipmentInfo/DestinationServiceArea/Description"))
        if number and (origin or destination):
            facts.append(ShipmentFacts(number, origin, destination))
    return facts
