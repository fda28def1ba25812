"""Asendia tracking JSON through karrio's asendia parser; countries from `locationCountry`."""

from __future__ import annotations

import json
from datetime import UTC, tzinfo

from karrio.mappers.asendia.settings import Settings
from karrio.providers.asendia import parse_tracking_response

from tradelane.carriers.formats.asendia.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    keyed_response,
    offset_of,
    run_karrio,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking, load_json
from tradelane.tracking.places import optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="asendia", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(username="-", password="-", carrier_id="asendia")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "asendia"
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
        stamps={
            (e.get("code") or "", wall_key(e.get("time") or "")): Stamp(
                offset_of(e.get("time")), optional_country(e.get("locationCountry"))
            )
            for e in events
        },
    )
