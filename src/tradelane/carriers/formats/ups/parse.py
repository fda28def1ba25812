"""UPS Track API JSON through karrio's ups parser.

Activity times are local; the offset and the country come from the raw activity
(`gmtOffset`, `location.address.countryCode`) when UPS sends them, else `assume_tz`.
"""

from __future__ import annotations

import json
from datetime import UTC, tzinfo
from typing import Any

from karrio.mappers.ups.settings import Settings
from karrio.providers.ups import parse_tracking_response

from tradelane.carriers.formats.karrio_adapter import (
    CarrierCodes,
    Stamp,
    keyed_response,
    offset_of,
    run_karrio,
    wall_key,
)
from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts, load_json
from tradelane.carriers.formats.ups.codes import EVENTS, NOT_FOUND
from tradelane.tracking.places import optional_country

__all__ = ["CODES", "parse"]

CODES = CarrierCodes(carrier="ups", events=EVENTS, not_found=NOT_FOUND)
SETTINGS = Settings(client_id="-", client_secret="-", carrier_id="ups")


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "ups") -> ParsedTracking:
    document = load_json(payload, where=where)
    packages = _packages(document)
    number = next((p.get("trackingNumber") for _, p in packages), None) or ""
    return run_karrio(
        parse_tracking_response,
        keyed_response(number, json.dumps(document)),
        SETTINGS,
        codes=CODES,
        assume_tz=assume_tz,
        where=where,
        stamps=_stamps(packages),
        facts=_facts(packages),
    )


def _packages(document: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    track = document.get("trackResponse", {}) if isinstance(document, dict) else {}
    return [
        (shipment, package)
        for shipment in track.get("shipment") or []
        for package in shipment.get("package") or []
    ]


def _stamps(packages: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[tuple[str, str], Stamp]:
    stamps: dict[tuple[str, str], Stamp] = {}
    for _, package in packages:
        for activity in package.get("activity") or []:
            day, time = activity.get("date") or "", activity.get("time") or ""
            wall = f"{day[:4]}-{day[4:6]}-{day[6:8]}T{time[:2]}:{time[2:4]}"
            address = (activity.get("location") or {}).get("address") or {}
            code = (activity.get("status") or {}).get("code") or ""
            stamps[(code, wall_key(wall))] = Stamp(
                offset_of(activity.get("gmtOffset")), optional_country(address.get("countryCode"))
            )
    return stamps


def _facts(packages: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[ShipmentFacts]:
    facts = []
    for _, package in packages:
        ends = {
            str(a.get("type", "")).upper(): optional_country(
                (a.get("address") or {}).get("countryCode")
            )
            for a in package.get("packageAddress") or []
        }
        origin, destination = ends.get("ORIGIN"), ends.get("DESTINATION")
        if package.get("trackingNumber") and (origin or destination):
            facts.append(ShipmentFacts(package["trackingNumber"], origin, destination))
    return facts
