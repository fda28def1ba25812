"""4PX tracking JSON, both shapes 4PX answers with:

- listTrackV3: `{"result": 1, "data": [{queryCode, ctStartCode, ctEndCode, tracks: [{tkCode,
  tkDesc, tkLocation, tkDate (UTC, "+0000"), tkCategoryCode}]}]}`
- Open API tr.order.tracking.get: `{"result": "1", "data": {deliveryOrderNo,
  destinationCountry, trackingList: [{businessLinkCode, occurDatetime (local, no offset),
  occurLocation, trackingContent}]}}`; `result` "0" carries `errors[{errorCode, errorMsg}]`.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from tradelane.carriers.formats.fourpx.codes import CATEGORY_SIDES, TRACK_CODES
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.carriers.formats.scans import Stamped, event, from_iso, from_wall
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.places import optional_country

__all__ = ["parse"]


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "4px") -> ParsedTracking:
    document = load_json(payload, where=where)
    if not isinstance(document, dict) or "result" not in document:
        raise ValidationError("not a 4PX answer: no result", field="result", where=where)
    if str(document["result"]) != "1":
        errors = document.get("errors") or [{}]
        first = errors[0] if isinstance(errors, list) and errors else {}
        raise ValidationError(
            f"4PX refused the request: {first.get('errorMsg') or document.get('msg')} "
            f"(code {first.get('errorCode')})",
            field="result",
            value=document["result"],
            where=where,
        )
    data = document.get("data")
    if isinstance(data, dict):
        return _open_api(data, assume_tz, where)
    if isinstance(data, list):
        parsed = ParsedTracking()
        for item in data:
            _web(item, parsed, where)
        return parsed
    raise ValidationError("not a 4PX answer: data is neither", field="data", where=where)


def _web(item: Any, parsed: ParsedTracking, where: str) -> None:
    number = tracking_text(item.get("queryCode"), where=where, field="queryCode")
    sides = {
        "origin": optional_country(item.get("ctStartCode") or None),
        "destination": optional_country(item.get("ctEndCode") or None),
    }
    for i, raw in enumerate(item.get("tracks") or []):
        located = f"{where}, {number}, event {i + 1}"
        try:
            when = _utc(raw.get("tkDate"))
        except (ValueError, AttributeError):
            parsed.entries.append(ValidationError("not a 4PX time", field="tkDate", where=located))
            continue
        code = str(raw.get("tkCode") or "")
        category = str(raw.get("tkCategoryCode") or "")
        parsed.entries.append(
            _entry(code, CATEGORY_SIDES.get(category, ""), when, sides, number, raw, located)
        )
    if sides["origin"] or sides["destination"]:
        parsed.shipments.append(ShipmentFacts(number, sides["origin"], sides["destination"]))


def _utc(text: object) -> Stamped:
    """'2024-09-05T18:18:00.000+0000' (4PX writes the offset without a colon)."""
    if not isinstance(text, str):
        raise ValueError("not a time")
    value = text.strip()
    if len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        value = f"{value[:-2]}:{value[-2:]}"
    return from_iso(value, assume_tz=UTC)


def _open_api(data: dict[str, Any], assume_tz: tzinfo, where: str) -> ParsedTracking:
    number = tracking_text(data.get("deliveryOrderNo"), where=where, field="deliveryOrderNo")
    destination = optional_country(data.get("destinationCountry") or None)
    sides = {"origin": None, "destination": destination}
    parsed = ParsedTracking(shipments=[ShipmentFacts(number, None, destination)])
    for i, raw in enumerate(data.get("trackingList") or []):
        located = f"{where}, {number}, event {i + 1}"
        try:
            when = from_wall(raw.get("occurDatetime"), None, assume_tz=assume_tz)
        except (ValueError, AttributeError):
            parsed.entries.append(
                ValidationError("not a date and time", field="occurDatetime", where=located)
            )
            continue
        normal = {"tkDesc": raw.get("trackingContent"), "tkLocation": raw.get("occurLocation")}
        code = str(raw.get("businessLinkCode") or "")
        parsed.entries.append(_entry(code, "", when, sides, number, normal, located))
    return parsed


def _entry(
    code: str,
    category_side: str,
    when: Stamped,
    sides: dict[str, str | None],
    number: str,
    raw: dict[str, Any],
    where: str,
) -> Entry:
    reached, side = TRACK_CODES.get(code, (Milestone.IN_TRANSIT, category_side))
    return event(
        where=where,
        when=when,
        country=sides.get(side),
        carrier="4px",
        tracking_number=number,
        milestone=reached,
        status_code=code,
        status_text=raw.get("tkDesc"),
        location=raw.get("tkLocation"),
        unknown_code=bool(code) and code not in TRACK_CODES,
    )
