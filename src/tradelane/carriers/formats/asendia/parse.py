"""Asendia tracking JSON through karrio's asendia parser; countries from `locationCountry`."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.asendia.settings import Settings
from karrio.providers.asendia import parse_tracking_response

from tradelane.carriers.formats.asendia.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    offset_of,
    run_karrio_on_events,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.tracking.places import optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="asendia", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(username="-", password="-", carrier_id="asendia")


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "asendia"
) -> ParsedTracking:
    return run_karrio_on_events(
        parse_tracking_response,
        payload,
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        stamp_of=_stamp,
    )


def _stamp(event: dict[str, Any]) -> tuple[tuple[str, str], Stamp]:
    key = (event.get("code") or "", wall_key(event.get("time") or ""))
    return key, Stamp(offset_of(event.get("time")), optional_country(event.get("locationCountry")))
