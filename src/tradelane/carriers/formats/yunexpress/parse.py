"""YunExpress `Tracking/GetTrackInfo` JSON: `{"Code": "0000", "Item": {WaybillNumber,
CountryCode, PackageState, OrderTrackingDetails: [{ProcessDate, ProcessContent,
ProcessLocation, TrackNodeCode?, ProcessCountry?}]}}`.

ProcessDate is a local wall time without offset (it takes `assume_tz`); the destination is
`CountryCode`. A `Code` other than "0000" is the carrier's refusal, naming its message.
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
from tradelane.carriers.formats.scans import event, from_wall, milestone
from tradelane.carriers.formats.yunexpress.codes import NODES, PACKAGE_STATES
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.places import optional_country

__all__ = ["parse"]


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "yunexpress"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    if not isinstance(document, dict) or "Code" not in document:
        raise ValidationError("not a YunExpress answer: no Code", field="Code", where=where)
    if str(document["Code"]) != "0000" or not isinstance(document.get("Item"), dict):
        raise ValidationError(
            f"YunExpress refused the request: {document.get('Message')}",
            field="Code",
            value=document["Code"],
            where=where,
        )
    item = document["Item"]
    number = tracking_text(
        item.get("WaybillNumber") or item.get("TrackingNumber"), where=where, field="WaybillNumber"
    )
    details = item.get("OrderTrackingDetails") or []
    newest = max(range(len(details)), key=lambda i: str(details[i].get("ProcessDate")), default=-1)
    state = PACKAGE_STATES.get(item.get("PackageState"))
    entries: list[Entry] = [
        _event(raw, number, state if i == newest else None, assume_tz, f"{where}, event {i + 1}")
        for i, raw in enumerate(details)
    ]
    destination = optional_country(item.get("CountryCode") or None)
    facts = [ShipmentFacts(number, None, destination)] if destination else []
    return ParsedTracking(entries=entries, shipments=facts)


def _event(raw: Any, number: str, state: Milestone | None, assume_tz: tzinfo, where: str) -> Entry:
    if not isinstance(raw, dict):
        return ValidationError("event is not an object", field="event", where=where)
    try:
        when = from_wall(raw.get("ProcessDate"), None, assume_tz=assume_tz)
    except ValueError:
        return ValidationError(
            "not a date and time", field="ProcessDate", value=raw.get("ProcessDate"), where=where
        )
    node = (str(raw.get("TrackNodeCode") or ""),)
    code, reached, unknown = milestone(node, NODES, Milestone.IN_TRANSIT)
    if state is not None and (unknown or not code):
        reached, unknown = state, False
    return event(
        where=where,
        when=when,
        country=raw.get("ProcessCountry") or None,
        carrier="yunexpress",
        tracking_number=number,
        milestone=reached,
        status_code=code,
        status_text=raw.get("TrackCodeDescription") or raw.get("ProcessContent"),
        location=raw.get("ProcessLocation"),
        unknown_code=unknown,
    )
