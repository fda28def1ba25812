"""Landmark Global TrackResponse XML through karrio's landmark parser.

Times are local without offset (`assume_tz`); a location ends with an ISO country code when
Landmark knows it ("Lyon, FR"), else it names none ("Feltham, SRY"). The events are tracked
under Landmark's own number (LTN...); the last-mile number is in the response too.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

import karrio.lib as lib
from karrio.mappers.landmark.settings import Settings
from karrio.providers.landmark import parse_tracking_response

from tradelane.carriers.formats.dhl_express.parse import read_xml
from tradelane.carriers.formats.karrio_adapter import CarrierCodes, keyed_response, run_karrio
from tradelane.carriers.formats.landmark.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.tracking.places import country_in_text

__all__ = ["CODES", "parse"]


def _location_country(text: str | None) -> str | None:
    return country_in_text(text, last_is_code=True)


CODES = CarrierCodes(
    carrier="landmark", events=EVENTS, not_found=NOT_FOUND, country_from_location=_location_country
)
SETTINGS = Settings(username="-", password="-", client_id="-", carrier_id="landmark")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "landmark"
) -> ParsedTracking:
    root = read_xml(payload, where=where)
    number = root.findtext(".//LandmarkTrackingNumber") or ""
    text = payload.decode() if isinstance(payload, bytes) else payload
    return run_karrio(
        parse_tracking_response,
        keyed_response(number, text, to=lib.to_element),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
    )
