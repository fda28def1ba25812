"""Yanwen tracking JSON (`api.track.yw56.com.cn/api/tracking`): `{"code": 0, "result":
[{tracking_number, waybill_number, checkpoints: [{time_stamp (local), time_zone ("+08"),
tracking_status, message, location, is_last_mile_checkpoint}], origin_country,
destination_country}]}`.

A checkpoint's time is its wall time in its own `time_zone`. Country: a last-mile checkpoint
is in the destination; otherwise the code family decides. `code` other than 0 is a refusal;
an unknown number (`tracking_status` NOTFOUND, or the legacy v2 answer with `state: 0` and
every field null) is TrackingNotFound, never "found with no events".
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from tradelane.carriers.formats.karrio_adapter import TrackingNotFound
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.carriers.formats.scans import event, from_wall, milestone, zone
from tradelane.carriers.formats.yanwen.codes import CHECKPOINTS, FAMILY_SIDES, NOT_FOUND
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.places import optional_country

__all__ = ["parse"]


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "yanwen"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    if not isinstance(document, dict) or "code" not in document:
        raise ValidationError("not a Yanwen answer: no code", field="code", where=where)
    if "result" not in document and "state" in document:
        raise TrackingNotFound("yanwen", str(document.get("waybill_number") or ""), "no data", "0")
    if document["code"] not in (0, "0") or not isinstance(document.get("result"), list):
        raise ValidationError(
            f"Yanwen refused the request: {document.get('message')}",
            field="code",
            value=document["code"],
            where=where,
        )
    parsed = ParsedTracking()
    for item in document["result"]:
        _parcel(item, parsed, assume_tz, where)
    return parsed


def _parcel(item: Any, parsed: ParsedTracking, assume_tz: tzinfo, where: str) -> None:
    number = tracking_text(item.get("tracking_number"), where=where)
    if item.get("tracking_status") == NOT_FOUND and not item.get("checkpoints"):
        parsed.entries.append(ValidationError("Yanwen has no tracking", value=number, where=where))
        return
    sides = {
        "origin": optional_country(item.get("origin_country") or None),
        "destination": optional_country(item.get("destination_country") or None),
    }
    for i, raw in enumerate(item.get("checkpoints") or []):
        parsed.entries.append(
            _checkpoint(raw, number, sides, assume_tz, f"{where}, {number}, checkpoint {i + 1}")
        )
    if sides["origin"] or sides["destination"]:
        parsed.shipments.append(ShipmentFacts(number, sides["origin"], sides["destination"]))


def _checkpoint(
    raw: Any, number: str, sides: dict[str, str | None], assume_tz: tzinfo, where: str
) -> Entry:
    if not isinstance(raw, dict):
        return ValidationError("checkpoint is not an object", field="checkpoint", where=where)
    try:
        when = from_wall(raw.get("time_stamp"), zone(raw.get("time_zone")), assume_tz=assume_tz)
    except ValueError:
        return ValidationError(
            "not a date and time", field="time_stamp", value=raw.get("time_stamp"), where=where
        )
    code, reached, unknown = milestone(
        (str(raw.get("tracking_status") or ""),), CHECKPOINTS, Milestone.IN_TRANSIT
    )
    side = (
        "destination" if raw.get("is_last_mile_checkpoint") == 1 else FAMILY_SIDES.get(code[:2], "")
    )
    return event(
        where=where,
        when=when,
        country=sides.get(side),
        carrier="yanwen",
        tracking_number=number,
        milestone=reached,
        status_code=code,
        status_text=raw.get("message"),
        location=raw.get("location"),
        unknown_code=unknown,
    )
