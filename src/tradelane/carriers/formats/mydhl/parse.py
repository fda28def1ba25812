"""MyDHL API (DHL Express REST) tracking JSON through karrio's mydhl parser.

Times carry no offset (they take `assume_tz`); service areas carry no country.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from karrio.mappers.mydhl.settings import Settings
from karrio.providers.mydhl import parse_tracking_response

from tradelane.carriers.formats.karrio_adapter import CarrierCodes, json_response, run_karrio
from tradelane.carriers.formats.mydhl.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.parsed import ParsedTracking, load_json

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="mydhl", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(username="-", password="-", carrier_id="mydhl")


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "mydhl") -> ParsedTracking:
    document = load_json(payload, where=where)
    return run_karrio(
        parse_tracking_response,
        json_response(document),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
    )
