"""17TRACK Tracking API v2.x: a webhook push (`{"event", "data": {number, carrier,
track_info}}`) or a `gettrackinfo` answer (`{"code", "data": {"accepted": [...]}}`).

Each `track_info.tracking.providers[].events[]` entry becomes one event: `sub_status`, else
`stage`, is its code; `time_iso` (with offset) its time, else `time_utc`; `address.country`
its country; the provider's name its carrier. The shipper and recipient countries become
shipment facts. A push with no track_info (TRACKING_STOPPED) has no events.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.carriers.formats.scans import event, from_iso, milestone
from tradelane.carriers.formats.seventeen_track.codes import CODES
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.places import optional_country

__all__ = ["parse"]


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "17track"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    data = document.get("data") if isinstance(document, dict) else None
    items = data.get("accepted") if isinstance(data, dict) and "accepted" in data else [data]
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and i.get("number") for i in items
    ):
        raise ValidationError(
            "not a 17TRACK payload: no data.number (nor data.accepted[].number)",
            field="data",
            where=where,
        )
    parsed = ParsedTracking()
    for item in items:
        number = tracking_text(item["number"], where=where, field="data.number")
        info = item.get("track_info") or {}
        parsed.entries.extend(_events(info, number, assume_tz, f"{where}, {number}"))
        parsed.shipments.extend(_facts(info, number))
    return parsed


def _facts(info: dict[str, Any], number: str) -> list[ShipmentFacts]:
    shipping = info.get("shipping_info") or {}
    origin = optional_country((shipping.get("shipper_address") or {}).get("country") or None)
    dest = optional_country((shipping.get("recipient_address") or {}).get("country") or None)
    return [ShipmentFacts(number, origin, dest)] if origin or dest else []


def _events(info: dict[str, Any], number: str, assume_tz: tzinfo, where: str) -> list[Entry]:
    providers = (info.get("tracking") or {}).get("providers") or []
    entries: list[Entry] = []
    for provider in providers:
        carrier = str((provider.get("provider") or {}).get("name") or "17track")[:40]
        for raw in provider.get("events") or []:
            entries.append(
                _event(raw, number, carrier, assume_tz, f"{where}, event {len(entries) + 1}")
            )
    return entries


def _event(raw: Any, number: str, carrier: str, assume_tz: tzinfo, where: str) -> Entry:
    if not isinstance(raw, dict):
        return ValidationError("event is not an object", field="event", where=where)
    try:
        when = from_iso(raw.get("time_iso") or raw.get("time_utc"), assume_tz=assume_tz)
    except ValueError:
        return ValidationError(
            "not an ISO 8601 time", field="time_iso", value=raw.get("time_iso"), where=where
        )
    codes = (str(raw.get("sub_status") or ""), str(raw.get("stage") or ""))
    code, reached, unknown = milestone(codes, CODES, Milestone.IN_TRANSIT)
    return event(
        where=where,
        when=when,
        country=(raw.get("address") or {}).get("country") or None,
        carrier=carrier,
        tracking_number=number,
        milestone=reached,
        status_code=code,
        status_text=raw.get("description"),
        location=raw.get("location"),
        unknown_code=unknown,
    )
