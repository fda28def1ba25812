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
from tradelane.carriers.formats.parsed import Entry, ParsedTracking, ShipmentFacts, load_json
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone, TrackingEvent
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
    number = str(tracking["tracking_number"])
    entries: list[Entry] = [
        _event(point, tracking, assume_tz=assume_tz, where=f"{where}, checkpoint {i + 1}")
        for i, point in enumerate(tracking.get("checkpoints") or [])
    ]
    origin = optional_country(
        tracking.get("origin_country_iso3") or tracking.get("origin_country_region")
    )
    destination = optional_country(
        tracking.get("destination_country_iso3") or tracking.get("destination_country_region")
    )
    facts = [ShipmentFacts(number, origin, destination)] if origin or destination else []
    return ParsedTracking(entries=entries, shipments=facts)


def _milestone(point: dict[str, Any]) -> tuple[str, Milestone, bool]:
    subtag, tag = str(point.get("subtag") or ""), str(point.get("tag") or "")
    if subtag in SUBTAGS:
        return subtag, SUBTAGS[subtag], False
    return subtag or tag, TAGS.get(tag, Milestone.IN_TRANSIT), True


def _event(point: Any, tracking: dict[str, Any], *, assume_tz: tzinfo, where: str) -> Entry:
    if not isinstance(point, dict):
        return ValidationError("checkpoint is not an object", field="checkpoint", where=where)
    when = point.get("checkpoint_time")
    try:
        occurred = datetime.fromisoformat(str(when))
    except ValueError:
        return ValidationError(
            "not an ISO 8601 time", field="checkpoint_time", value=when, where=where
        )
    code, milestone, unknown = _milestone(point)
    place = [str(point[k]) for k in ("location", "city", "state") if point.get(k)]
    try:
        return TrackingEvent(
            carrier=str(point.get("slug") or tracking.get("slug") or "aftership"),
            tracking_number=str(tracking["tracking_number"]),
            occurred_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=assume_tz),
            milestone=milestone,
            status_code=code,
            status_text=str(point.get("message") or point.get("subtag_message") or "")[:500],
            location=", ".join(dict.fromkeys(place))[:200],
            country=optional_country(point.get("country_iso3") or point.get("country_region")),
            unknown_code=unknown,
        )
    except ValueError as exc:
        return ValidationError(str(exc).splitlines()[-1].strip(), field="checkpoint", where=where)
