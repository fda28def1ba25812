"""What the JSON/XML carrier formats written by hand share: reading carrier times and zones,
and building one event (a bad field rejects that event alone, naming it).

Carriers write times three ways: ISO 8601 with an offset, a local wall time with the zone in
a separate field ("+08", "GMT+8", "UTC+08:00"), or epoch milliseconds. A wall time with no
zone takes the caller's `assume_tz` and keeps its wall time as `local_time` (scan identity).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from tradelane.carriers.formats.parsed import Entry
from tradelane.domain.errors import TradelaneError, ValidationError
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.tracking.places import optional_country

__all__ = ["Stamped", "event", "from_epoch_ms", "from_iso", "from_wall", "milestone", "zone"]

Stamped = tuple[datetime, datetime | None]  # (occurred_at, wall time when no zone was given)
_ZONE = re.compile(r"^(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_WALL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S")


def zone(text: object) -> tzinfo | None:
    """'+08', '+08:00', 'GMT+8', 'UTC+08:00', 'GMT-3:30', 'Z', 'UTC' -> offset; None otherwise."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    if value.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    found = _ZONE.match(value)
    if found is None or int(found.group(2)) > 14:
        return None
    sign = 1 if found.group(1) == "+" else -1
    minutes = int(found.group(3) or 0)
    return timezone(sign * timedelta(hours=int(found.group(2)), minutes=minutes))


def from_iso(text: object, *, assume_tz: tzinfo) -> Stamped:
    """An ISO 8601 time; ValueError naming why not."""
    if not isinstance(text, str):
        raise ValueError("not an ISO 8601 time")
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=assume_tz), moment
    return moment, None


def from_wall(text: object, offset: tzinfo | None, *, assume_tz: tzinfo) -> Stamped:
    """A local wall time ('2024-09-03 10:15:00') read in `offset`, else in `assume_tz`."""
    if not isinstance(text, str):
        raise ValueError("not a date and time")
    for shape in _WALL_FORMATS:
        try:
            wall = datetime.strptime(text.strip(), shape)  # noqa: DTZ007 (zone applied below)
        except ValueError:
            continue
        if offset is None:
            return wall.replace(tzinfo=assume_tz), wall
        return wall.replace(tzinfo=offset), None
    return from_iso(text, assume_tz=offset or assume_tz)


def from_epoch_ms(value: object) -> Stamped:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError("not epoch milliseconds")
    return datetime.fromtimestamp(value / 1000, tz=UTC), None


def milestone(
    codes: tuple[str, ...], table: Mapping[str, Milestone], fallback: Milestone
) -> tuple[str, Milestone, bool]:
    """(code, milestone, unknown): the first code found in `table` wins; else the first code
    given, `fallback`, flagged unknown (an event with no code at all is not unknown)."""
    present = [c for c in codes if c]
    for code in present:
        if code in table:
            return code, table[code], False
    return (present[0], fallback, True) if present else ("", fallback, False)


def event(*, where: str, when: Stamped, country: object = None, **fields: Any) -> Entry:
    """One TrackingEvent; a field the model refuses rejects this event alone."""
    occurred, local = when
    try:
        code = optional_country(country)
        text = " ".join(str(fields.pop("status_text", "") or "").split())[:500]
        location = str(fields.pop("location", "") or "").strip()[:200]
        return TrackingEvent(
            occurred_at=occurred,
            local_time=local,
            country=code,
            status_text=text,
            location=location,
            **fields,
        )
    except ValidationError as exc:
        return ValidationError(exc.message, field=exc.field, value=exc.value, where=where)
    except (ValueError, TradelaneError) as exc:
        return ValidationError(str(exc).splitlines()[-1].strip(), field="event", where=where)
