"""USPS tracking JSON through karrio's usps_international parser.

Offsets come from each event's `GMTOffset`. USPS leaves `eventCountry` empty on its own
scans, which are in the United States; a named country is taken as given.
"""

from __future__ import annotations

import json
from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.usps_international.settings import Settings
from karrio.providers.usps_international import parse_tracking_response

from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    keyed_response,
    offset_of,
    run_karrio,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking, load_json
from tradelane.carriers.formats.usps_international.codes import EVENTS, NOT_FOUND
from tradelane.tracking.places import country_in_text, optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="usps", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(client_id="-", client_secret="-", carrier_id="usps_international")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "usps_international"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    events = document.get("trackingEvents") or [] if isinstance(document, dict) else []
    number = document.get("trackingNumber", "") if isinstance(document, dict) else ""
    return run_karrio(
        parse_tracking_response,
        keyed_response(number, json.dumps(document)),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        stamps={_key(e): Stamp(offset_of(e.get("GMTOffset")), _country(e)) for e in events},
    )


def _key(event: dict[str, Any]) -> tuple[str, str]:
    return (event.get("eventCode") or "", wall_key(event.get("eventTimestamp") or ""))


def _country(event: dict[str, Any]) -> str | None:
    named = event.get("eventCountry")
    if not named:
        return "US"
    return optional_country(named) or country_in_text(f"- {named}", last_is_code=False)
