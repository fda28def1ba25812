"""FedEx Track API JSON through karrio's fedex parser.

Two adjustments before karrio sees the response, both documented in tests:
* karrio keeps one `trackResults` entry per tracking number (the one with the latest scan);
  FedEx sends several for one number (the duplicate-response sample), so each result is
  parsed on its own and the union of scans kept (ingestion de-duplicates);
* karrio's parser downloads a proof-of-delivery image over HTTP when the latest status is
  `DL`; parsing must never touch the network, so `latestStatusDetail` is replaced by a
  neutral in-transit one (we derive status from the scans ourselves).
Times keep FedEx's own UTC offsets; a scan written without one takes `assume_tz`.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.fedex.settings import Settings
from karrio.providers.fedex import parse_tracking_response

from tradelane.carriers.formats.fedex.codes import EVENTS, NOT_FOUND
from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    call_karrio,
    json_response,
    offset_of,
    to_parsed,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts, load_json
from tradelane.tracking.places import optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="fedex", events=EVENTS, not_found=NOT_FOUND)


class _OfflineSettings(Settings):  # type: ignore[misc]
    """Never used to connect (see module docstring); a loopback URL makes any slip fail fast."""

    @property
    def server_url(self) -> str:
        return "http://127.0.0.1:9"


NEUTRAL_STATUS = {"code": "IT"}
SETTINGS = _OfflineSettings(api_key="-", secret_key="-", carrier_id="fedex")


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "fedex") -> ParsedTracking:
    document = load_json(payload, where=where)
    details: list[Any] = []
    messages: list[Any] = []
    for part in _one_result_each(document):
        found, said = call_karrio(
            parse_tracking_response,
            json_response(part),
            SETTINGS,
            carrier="fedex",
            where=where,
        )
        details += found
        messages += [m for m in said if m not in messages]
    return to_parsed(
        details,
        messages,
        codes=CODES,
        stamps=_stamps(document),
        assume_tz=assume_tz,
        where=where,
        facts=_facts(document),
    )


def _results(document: Any) -> list[tuple[str, dict[str, Any]]]:
    output = document.get("output", {}) if isinstance(document, dict) else {}
    return [
        (complete.get("trackingNumber", ""), result)
        for complete in output.get("completeTrackResults") or []
        for result in complete.get("trackResults") or []
    ]


def _one_result_each(document: Any) -> list[Any]:
    results = _results(document)
    if not results:
        return [document]
    parts = []
    for number, result in results:
        trimmed = {**result, "latestStatusDetail": NEUTRAL_STATUS}
        complete = {"trackingNumber": number, "trackResults": [trimmed]}
        parts.append({**document, "output": {"completeTrackResults": [complete]}})
    return parts


def _stamps(document: Any) -> dict[tuple[str, str], Stamp]:
    stamps: dict[tuple[str, str], Stamp] = {}
    for _, result in _results(document):
        for scan in result.get("scanEvents") or []:
            when = scan.get("date") or ""
            country = optional_country((scan.get("scanLocation") or {}).get("countryCode"))
            stamps[(scan.get("eventType") or "", wall_key(when))] = Stamp(offset_of(when), country)
    return stamps


def _facts(document: Any) -> list[ShipmentFacts]:
    facts = []
    for number, result in _results(document):
        shipper = (result.get("shipperInformation") or {}).get("address") or {}
        recipient = (result.get("recipientInformation") or {}).get("address") or {}
        origin = optional_country(shipper.get("countryCode"))
        destination = optional_country(recipient.get("countryCode"))
        if number and (origin or destination):
            facts.append(ShipmentFacts(number, origin, destination))
    return facts
