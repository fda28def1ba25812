"""AfterShip webhook payload (`{"event", "msg": {tracking..., "checkpoints": [...]}, "ts"}`).

Each checkpoint becomes one event: its subtag (else tag) is the status code, its
`checkpoint_time` the time (an ISO offset is kept; none takes `assume_tz`), `country_iso3`
or `country_region` its country, the tracking's `slug` its carrier. The tracking's origin and
destination countries become shipment facts. A checkpoint without a time is rejected alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from tradelane.carriers.formats.aftership.codes import SUBTAGS, TAGS
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    load_json,
    tracking_text,
)
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone, TrackingEvent, in_utc
from tradelane.tracking.places import optional_country

__all__ = ["parse"]


def parse(
    payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "aftership"
) -> ParsedTracking:
    document = load_json(payload, where=where)
    tracking = document.get("msg") if isinstance(document, dict) else None
    if not isinstance(tracking, dict) or not tracking.get("tracking_number"):
        raise ValidationError(
            "not an AfterShip webhook: no msg.tracking_number", field="msg", where=where
        )
    number = tracking_text(tracking["tracking_number"], where=where, field="msg.tracking_number")
    points = tracking.get("checkpoints") or []
    if not isinstance(points, list):
        raise ValidationError("checkpoints must be a list", field="msg.checkpoints", where=where)
    entries: list[Entry] = [
        _event(point, tracking, number, assume_tz=assume_tz, where=f"{where}, checkpoint {i + 1}")
        for i, point in enumerate(points)
    ]
    try:
        origin = _country(tracking, "origin")
        destination = _country(tracking, "destination")
    except ValidationError as exc:
        raise ValidationError(exc.message, field=exc.field, value=exc.value, where=where) from exc
    facts = [ShipmentFacts(number, origin, destination)] if origin or destination else []
    return ParsedTracking(entries=entries, shipments=facts)


def _country(fields: dict[str, Any], prefix: str = "") -> str | None:
    """The country of `<prefix>country_iso3`, else `<prefix>country_region`."""
    key = f"{prefix}_country_iso3" if prefix else "country_iso3"
    region = f"{prefix}_country_region" if prefix else "country_region"
    if fields.get(key):
        return optional_country(fields[key], field=key)
    return optional_country(fields.get(region) or None, field=region)


def _milestone(point: dict[str, Any]) -> tuple[str, Milestone, bool]:
    subtag, tag = str(point.get("subtag") or ""), str(point.get("tag") or "")
    if subtag in SUBTAGS:
        return subtag, SUBTAGS[subtag], False
    return subtag or tag, TAGS.get(tag, Milestone.IN_TRANSIT), True


def _time(when: Any, assume_tz: tzinfo) -> tuple[datetime, datetime | None]:
    """(occurred_at, the wall time when it carries no offset); ValueError naming why not."""
    try:
        occurred = datetime.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        occurred = None
    if occurred is None:
        raise ValueError("not an ISO 8601 time")
    local = None if occurred.tzinfo else occurred
    aware = occurred if occurred.tzinfo else occurred.replace(tzinfo=assume_tz)
    in_utc(aware)
    return aware, local


def _event(
    point: Any, tracking: dict[str, Any], number: str, *, assume_tz: tzinfo, where: str
) -> Entry:
    if not isinstance(point, dict):
        return ValidationError("checkpoint is not an object", field="checkpoint", where=where)
    when = point.get("checkpoint_time")
    try:
        occurred, local = _time(when, assume_tz)
        country = _country(point)
    except ValidationError as exc:
        return ValidationError(exc.message, field=exc.field, value=exc.value, where=where)
    except ValueError as exc:
        return ValidationError(str(exc), field="checkpoint_time", value=when, where=where)
    code, milestone, unknown = _milestone(point)
    place = [str(point[k]) for k in ("location", "city", "state") if point.get(k)]
    try:
        return TrackingEvent(
            carrier=str(point.get("slug") or tracking.get("slug") or "aftership"),
            tracking_number=number,
            occurred_at=occurred,
            milestone=milestone,
            status_code=code,
            status_text=str(point.get("message") or point.get("subtag_message") or "")[:500],
            location=", ".join(dict.fromkeys(place))[:200],
            country=country,
            unknown_code=unknown,
            local_time=local,
        )
    except ValueError as exc:
        return ValidationError(str(exc).splitlines()[-1].strip(), field="checkpoint", where=where)
