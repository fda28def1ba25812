"""Turn karrio's parsed tracking (TrackingDetails, Message) into tradelane events.

raw response ─▶ karrio carrier parser ─▶ TrackingDetails + Messages
    ─▶ per event: our code table (codes.py), else karrio's status (flagged unknown_code)
    ─▶ time: karrio keeps the carrier's local wall time and drops the offset, so the offset
       (and the country, which karrio folds into a location string) comes from the raw
       response where the carrier sends one, keyed by (code, local minute); else the
       caller's `assume_tz` (the event then keeps its wall time as `local_time`)
Messages with no events: NotFound (carrier says so) or ValidationError, naming the carrier's
message and code. Messages next to events: one rejected entry per failed tracking number.
Neither events nor messages: the payload is not this carrier's format, a ValidationError
saying so (a payload of another format must never import as "0 events").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import karrio.lib as lib
from loguru import logger

from tradelane.carriers.formats.parsed import Entry, ParsedTracking, ShipmentFacts, load_json
from tradelane.domain.errors import NotFound, TradelaneError, ValidationError
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.tracking.milestones import KARRIO_STATUS, milestone_for_incident

__all__ = [
    "CarrierCodes",
    "Stamp",
    "TrackingNotFound",
    "call_karrio",
    "json_response",
    "keyed_response",
    "offset_of",
    "run_karrio",
    "run_karrio_on_events",
    "to_parsed",
    "wall_key",
]

# karrio logs every unmodelled field of a response through jstruct and loguru; a tracking
# import must not spray those on the user's terminal.
logger.disable("karrio")
logging.getLogger("jstruct").setLevel(logging.ERROR)


class TrackingNotFound(NotFound):
    """The carrier answered that it has no tracking for the number; names its message."""

    def __init__(self, carrier: str, key: str, message: str, code: str) -> None:
        super().__init__(f"{carrier} tracking", key)
        subject = f" for {key!r}" if key else ""
        self.args = (f"{carrier} has no tracking{subject}: {message} (code {code})",)


@dataclass(frozen=True)
class Stamp:
    """What the raw response says about one scan and karrio drops: offset and country."""

    offset: tzinfo | None = None
    country: str | None = None


@dataclass(frozen=True)
class CarrierCodes:
    """A carrier's code table: event code -> milestone, and the message codes of 'not found'."""

    carrier: str
    events: Mapping[str, Milestone]
    not_found: frozenset[str] = frozenset()
    country_from_location: Callable[[str | None], str | None] = field(default=lambda _: None)


def wall_key(wall: datetime | str) -> str:
    """'2024-04-26T09:26' for a local wall time (karrio's stamps are minute-precise at best)."""
    text = wall if isinstance(wall, str) else wall.isoformat()
    return text[:16]


def offset_of(text: str | None) -> tzinfo | None:
    """The UTC offset of an ISO time or a bare '+08:00'/'-05:00'/'Z'; None when absent."""
    if not text:
        return None
    if text.endswith("Z"):
        return UTC
    tail = text[-6:]
    if len(tail) == 6 and tail[0] in "+-" and tail[3] == ":":
        hours, minutes = int(tail[1:3]), int(tail[4:6])
        sign = 1 if tail[0] == "+" else -1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return None


def to_parsed(
    details: Sequence[Any],
    messages: Sequence[Any],
    *,
    codes: CarrierCodes,
    stamps: Mapping[tuple[str, str], Stamp],
    assume_tz: tzinfo,
    where: str,
    facts: Sequence[ShipmentFacts] = (),
) -> ParsedTracking:
    """Events of every TrackingDetails; raises when the response holds only errors, or
    nothing this carrier's parser recognises (a payload of another format)."""
    if not details and messages:
        raise _response_error(messages, codes=codes, where=where)
    if not details:
        raise ValidationError(
            f"not a {codes.carrier} payload: it holds no tracking results and no "
            f"{codes.carrier} messages (is --format right?)",
            field="payload",
            where=where,
        )
    entries: list[Entry] = []
    for detail in details:
        for index, event in enumerate(detail.events or []):
            located = f"{where}, {detail.tracking_number}, event {index + 1}"
            entries.append(_entry(event, detail.tracking_number, codes, stamps, assume_tz, located))
    for message in messages:
        number = (message.details or {}).get("tracking_number")
        if number is not None and number not in {d.tracking_number for d in details}:
            entries.append(_message_error(message, codes=codes, where=where))
    return ParsedTracking(entries=entries, shipments=list(facts))


def _entry(
    event: Any,
    tracking_number: str,
    codes: CarrierCodes,
    stamps: Mapping[tuple[str, str], Stamp],
    assume_tz: tzinfo,
    where: str,
) -> Entry:
    """_event's result, or the entry's rejection when a field has the wrong type."""
    try:
        return _event(event, tracking_number, codes, stamps, assume_tz, where)
    except (AttributeError, TypeError, ValueError) as exc:
        return ValidationError(f"unreadable event: {exc}", field="event", where=where)


def _event(
    event: Any,
    tracking_number: str,
    codes: CarrierCodes,
    stamps: Mapping[tuple[str, str], Stamp],
    assume_tz: tzinfo,
    where: str,
) -> Entry:
    code = (event.code or "").strip()
    if not event.timestamp:
        return ValidationError("event has no time", field="timestamp", value=None, where=where)
    try:
        wall = datetime.fromisoformat(str(event.timestamp).removesuffix("Z").split(".")[0])
    except ValueError:
        return ValidationError(
            "not an ISO 8601 time", field="timestamp", value=event.timestamp, where=where
        )
    stamp = stamps.get((code, wall_key(wall)), Stamp())
    milestone = codes.events.get(code)
    unknown = milestone is None
    if milestone is None:
        milestone = KARRIO_STATUS.get(event.status or "", Milestone.IN_TRANSIT)
    try:
        return TrackingEvent(
            carrier=codes.carrier,
            tracking_number=tracking_number,
            occurred_at=wall.replace(tzinfo=stamp.offset or assume_tz),
            milestone=milestone_for_incident(milestone, event.reason),
            status_code=code[:64],
            status_text=" ".join((event.description or "").split())[:500],
            location=(event.location or "").strip()[:200],
            country=stamp.country or codes.country_from_location(event.location),
            incident_reason=event.reason,
            unknown_code=unknown,
            local_time=None if stamp.offset else wall.replace(tzinfo=None),
        )
    except (ValueError, TradelaneError) as exc:
        return ValidationError(str(exc).splitlines()[0], field="event", where=where)


def _message_error(message: Any, *, codes: CarrierCodes, where: str) -> ValidationError:
    number = (message.details or {}).get("tracking_number")
    return ValidationError(
        f"{codes.carrier} answered: {message.message} (code {message.code})",
        field="tracking_number",
        value=number,
        where=where,
    )


def _response_error(messages: Sequence[Any], *, codes: CarrierCodes, where: str) -> Exception:
    first = messages[0]
    if all(str(m.code) in codes.not_found for m in messages):
        number = (first.details or {}).get("tracking_number") or ""
        return TrackingNotFound(codes.carrier, str(number), str(first.message), str(first.code))
    shown = "; ".join(f"{m.message} (code {m.code})" for m in messages[:3])
    return ValidationError(
        f"{codes.carrier} refused the request: {shown}", field="response", where=where
    )


def call_karrio(
    parse_response: Callable[..., tuple[list[Any], list[Any]]],
    response: Any,
    settings: Any,
    *,
    carrier: str,
    where: str,
) -> tuple[list[Any], list[Any]]:
    """Run a karrio parser; a response it cannot read is a ValidationError, never a crash."""
    try:
        return parse_response(response, settings)
    except Exception as exc:  # karrio raises whatever its schema code trips on
        raise ValidationError(
            f"not a {carrier} tracking response karrio can read: {type(exc).__name__}: {exc}",
            field="response",
            where=where,
        ) from exc


def run_karrio(
    parse_response: Callable[..., tuple[list[Any], list[Any]]],
    response: Any,
    settings: Any,
    *,
    codes: CarrierCodes,
    assume_tz: tzinfo,
    where: str,
    stamps: Mapping[tuple[str, str], Stamp] | None = None,
    facts: Sequence[ShipmentFacts] = (),
) -> ParsedTracking:
    """call_karrio, then to_parsed: the whole path of a carrier with nothing to pre-process."""
    details, messages = call_karrio(
        parse_response, response, settings, carrier=codes.carrier, where=where
    )
    return to_parsed(
        details,
        messages,
        codes=codes,
        stamps=stamps or {},
        assume_tz=assume_tz,
        where=where,
        facts=facts,
    )


def run_karrio_on_events(
    parse_response: Callable[..., tuple[list[Any], list[Any]]],
    payload: str | bytes,
    settings: Any,
    *,
    codes: CarrierCodes,
    assume_tz: tzinfo,
    where: str,
    stamp_of: Callable[[dict[str, Any]], tuple[tuple[str, str], Stamp]],
) -> ParsedTracking:
    """run_karrio on one JSON document `{"trackingNumber": ..., "trackingEvents": [...]}` (the
    shape Asendia and USPS share), each raw event stamped by `stamp_of` -> (key, stamp)."""
    document = load_json(payload, where=where)
    events = document.get("trackingEvents") or [] if isinstance(document, dict) else []
    number = document.get("trackingNumber", "") if isinstance(document, dict) else ""
    return run_karrio(
        parse_response,
        keyed_response(number, json.dumps(document)),
        settings,
        codes=codes,
        assume_tz=assume_tz,
        where=where,
        stamps=dict(stamp_of(e) for e in events),
    )


def json_response(document: Any, *, listed: bool = False) -> Any:
    """A decoded JSON document as the response karrio's parser reads: the document itself, or
    (`listed`) a one-element list of documents."""
    if listed:
        return lib.Deserializable([json.dumps(document)], _to_dicts)
    return lib.Deserializable(json.dumps(document), lib.to_dict)


def keyed_response(number: str, body: str, *, to: Callable[[str], Any] = lib.to_dict) -> Any:
    """One response body keyed by its tracking number, as the parsers that take
    `[(tracking_number, body)]` read it; `to` decodes the body (JSON by default)."""
    return lib.Deserializable([(number, body)], lambda pairs: [(n, to(b)) for n, b in pairs])


def _to_dicts(bodies: list[str]) -> list[Any]:
    return [lib.to_dict(body) for body in bodies]
