"""USPS tracking JSON through karrio's usps_international parser.

Offsets come from each event's `GMTOffset`. USPS leaves `eventCountry` empty on its own
scans, which are in the United States; a named country is taken as given.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.usps_international.settings import Settings
from karrio.providers.usps_international import parse_tracking_response

from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    offset_of,
    run_karrio_on_events,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.carriers.formats.usps_international.codes import EVENTS, NOT_FOUND
from tradelane.tracking.places import country_in_text, optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="usps", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(client_id="-", client_secret="-", carrier_id="usps_international")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "usps_international"
) -> ParsedTracking:
    return run_karrio_on_events(
        parse_tracking_response,
        payload,
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        stamp_of=lambda e: (_key(e), Stamp(offset_of(e.get("GMTOffset")), _country(e))),
    )


def _key(event: dict[str, Any]) -> tuple[str, str]:
    return (event.get("eventCode") or "", wall_key(event.get("eventTimestamp") or ""))


def _country(event: dict[str, Any]) -> str | None:
    named = event.get("eventCountry")
    if not named:
        return "US"
    return optional_country(named) or country_in_text(f"- {named}", last_is_code=False)
