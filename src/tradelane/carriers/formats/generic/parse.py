"""The generic tracking webhook JSON (schema in README, "Tracking formats").

    {"events": [{"carrier", "tracking_number", "occurred_at" (ISO 8601 with offset),
                 "milestone"?, "status_code"?, "code_system"?, "status_text"?, "location"?,
                 "country"?, "incident_reason"?}, ...],
     "shipments": [{"tracking_number", "origin_country"?, "destination_country"?}]?}

A bare list of events is accepted too. An event names its `milestone`, or a `status_code` in a
`code_system`; a code we cannot map is stored raw as `in_transit` with `unknown_code`. Each
bad event is rejected alone, naming its index and field.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

import pydantic

from tradelane.carriers.formats.generic.codes import CODE_SYSTEMS, CodeSystem
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.tracking.places import optional_country

__all__ = ["EVENT_FIELDS", "event_from_fields", "parse"]

EVENT_FIELDS = (
    "carrier",
    "tracking_number",
    "occurred_at",
    "milestone",
    "status_code",
    "code_system",
    "status_text",
    "location",
    "country",
    "incident_reason",
)


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "generic"
) -> ParsedTracking:
    """`assume_tz` is not used: the schema requires offsets."""
    document = load_json(payload, where=where)
    body = {"events": document} if isinstance(document, list) else document
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise ValidationError(
            "expected an object with an 'events' list", field="events", where=where
        )
    entries = [
        event_from_fields(item, where=f"{where}, events[{i}]")
        for i, item in enumerate(body["events"])
    ]
    return ParsedTracking(entries=entries, shipments=_facts(body.get("shipments"), where))


def _facts(items: Any, where: str) -> list[ShipmentFacts]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValidationError("'shipments' must be a list", field="shipments", where=where)
    return [
        ShipmentFacts(
            tracking_text(s["tracking_number"], where=f"{where}, shipments[{i}]"),
            optional_country(s.get("origin_country")),
            optional_country(s.get("destination_country")),
        )
        for i, s in enumerate(items)
        if isinstance(s, dict) and s.get("tracking_number")
    ]


def _resolve(fields: dict[str, Any]) -> tuple[str, bool]:
    """(milestone value, unknown_code) from `milestone`, else `code_system` + `status_code`."""
    if fields.get("milestone"):
        return str(fields["milestone"]), False
    code, system = str(fields.get("status_code") or ""), fields.get("code_system")
    table = CODE_SYSTEMS.get(CodeSystem(system)) if system in set(CodeSystem) else None
    if table is not None and code in table:
        return table[code].value, False
    return Milestone.IN_TRANSIT.value, True


def event_from_fields(fields: Any, *, where: str) -> Entry:
    """One event from a flat mapping of EVENT_FIELDS; a ValidationError names the bad field."""
    if not isinstance(fields, dict):
        return ValidationError("event is not an object", field="event", where=where)
    system = fields.get("code_system")
    if system and (not isinstance(system, str) or system not in set(CodeSystem)):
        known = ", ".join(CodeSystem)
        return ValidationError(
            f"unknown code system (known: {known})",
            field="code_system",
            value=system,
            where=where,
        )
    milestone, unknown = _resolve(fields)
    document = {k: v for k, v in fields.items() if k in EVENT_FIELDS and v not in (None, "")}
    document.pop("code_system", None)
    try:
        return TrackingEvent.model_validate(
            {**document, "milestone": milestone, "unknown_code": unknown}
        )
    except pydantic.ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in error["loc"]) or "event"
        value = error.get("input") if not isinstance(error.get("input"), dict) else None
        return ValidationError(str(error["msg"]), field=field, value=value, where=where)
