"""Cainiao global tracking JSON: `{"module": [{mailNo, originCountry, destCountry, status,
detailList: [{time (epoch ms), timeZone, actionCode, standerdDesc, desc}]}], "success"}`.

Times are epoch milliseconds (absolute; `timeZone` is not uniform and not needed). Countries
come as names ("Mainland China", "Israel"); each event is placed on the origin or destination
side by its action family. A number with no events (`SELLER_PREPARING`) gives no entries.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

import pycountry

from tradelane.carriers.formats.cainiao.codes import ACTIONS, FAMILY_SIDES
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.carriers.formats.scans import event, from_epoch_ms
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.places import optional_country

__all__ = ["parse"]

_ALIASES = {"mainland china": "CN", "hong kong": "HK", "hong kong, china": "HK"}


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "cainiao"
) -> ParsedTracking:
    """`assume_tz` is not used: Cainiao times are epoch milliseconds."""
    document = load_json(payload, where=where)
    modules = document.get("module") if isinstance(document, dict) else None
    if not isinstance(modules, list) or not all(
        isinstance(m, dict) and m.get("mailNo") for m in modules
    ):
        raise ValidationError(
            "not a Cainiao answer: no module[].mailNo", field="module", where=where
        )
    parsed = ParsedTracking()
    for module in modules:
        number = tracking_text(module["mailNo"], where=where, field="mailNo")
        sides = {
            "origin": _country(module.get("originCountry")),
            "destination": _country(module.get("destCountry")),
        }
        for i, raw in enumerate(module.get("detailList") or []):
            parsed.entries.append(_event(raw, number, sides, f"{where}, {number}, event {i + 1}"))
        if sides["origin"] or sides["destination"]:
            parsed.shipments.append(ShipmentFacts(number, sides["origin"], sides["destination"]))
    return parsed


def _country(name: object) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return None
    text = name.strip()
    if text.lower() in _ALIASES:
        return _ALIASES[text.lower()]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return optional_country(text)


def _side(code: str) -> str:
    return next((side for prefix, side in FAMILY_SIDES.items() if code.startswith(prefix)), "")


def _event(raw: Any, number: str, sides: dict[str, str | None], where: str) -> Entry:
    if not isinstance(raw, dict):
        return ValidationError("event is not an object", field="event", where=where)
    try:
        when = from_epoch_ms(raw.get("time"))
    except (ValueError, OverflowError, OSError):
        return ValidationError(
            "not epoch milliseconds", field="time", value=raw.get("time"), where=where
        )
    code = str(raw.get("actionCode") or "")
    reached, side = ACTIONS.get(code, (Milestone.IN_TRANSIT, _side(code)))
    return event(
        where=where,
        when=when,
        country=sides.get(side),
        carrier="cainiao",
        tracking_number=number,
        milestone=reached,
        status_code=code,
        status_text=raw.get("standerdDesc") or raw.get("desc"),
        unknown_code=bool(code) and code not in ACTIONS,
    )
