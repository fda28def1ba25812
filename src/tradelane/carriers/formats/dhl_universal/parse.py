"""DHL Shipment Tracking - Unified API JSON through karrio's dhl_universal parser.

Offsets and countries come from the raw events (`timestamp`, `location.address.countryCode`);
the shipment's origin and destination from its `origin`/`destination` addresses.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.dhl_universal.settings import Settings
from karrio.providers.dhl_universal import parse_tracking_response

from tradelane.carriers.formats.dhl_universal.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    json_response,
    offset_of,
    run_karrio,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts, load_json
from tradelane.tracking.places import optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="dhl_universal", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(consumer_key="-", consumer_secret="-", carrier_id="dhl_universal")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "dhl_universal"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    shipments = document.get("shipments") or [] if isinstance(document, dict) else []
    return run_karrio(
        parse_tracking_response,
        json_response(document, listed=True),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        stamps=_stamps(shipments),
        facts=_facts(shipments),
    )


def _country(place: Any) -> str | None:
    return optional_country(((place or {}).get("address") or {}).get("countryCode"))


def _stamps(shipments: list[dict[str, Any]]) -> dict[tuple[str, str], Stamp]:
    stamps: dict[tuple[str, str], Stamp] = {}
    for shipment in shipments:
        for event in shipment.get("events") or []:
            when = event.get("timestamp") or ""
            stamp = Stamp(offset_of(when), _country(event.get("location")))
            stamps[(event.get("statusCode") or "", wall_key(when))] = stamp
    return stamps


def _facts(shipments: list[dict[str, Any]]) -> list[ShipmentFacts]:
    return [
        ShipmentFacts(str(s["id"]), _country(s.get("origin")), _country(s.get("destination")))
        for s in shipments
        if s.get("id") is not None
    ]
