"""What every tracking format produces: events (or per-entry errors) and shipment facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import TrackingEvent

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "Entry",
    "ParsedTracking",
    "ShipmentFacts",
    "check_payload_size",
    "load_json",
    "tracking_text",
]

# One carrier response or webhook payload; larger is refused (estimate: the biggest real
# responses in the shared samples are under 30 KB, so 10 MiB leaves a wide margin).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

Entry = TrackingEvent | ValidationError


@dataclass(frozen=True)
class ShipmentFacts:
    """What a response says about the shipment itself; it fills unknown columns only."""

    tracking_number: str
    origin_country: str | None = None
    destination_country: str | None = None


@dataclass
class ParsedTracking:
    """Events in source order; bad entries stay in place as ValidationErrors naming why."""

    entries: list[Entry] = field(default_factory=list)
    shipments: list[ShipmentFacts] = field(default_factory=list)

    @property
    def events(self) -> list[TrackingEvent]:
        return [e for e in self.entries if isinstance(e, TrackingEvent)]

    @property
    def errors(self) -> list[ValidationError]:
        return [e for e in self.entries if isinstance(e, ValidationError)]


def check_payload_size(payload: str | bytes, *, where: str, limit: int = MAX_PAYLOAD_BYTES) -> None:
    """ValidationError naming the limit when a payload is larger than `limit` bytes."""
    size = len(payload.encode() if isinstance(payload, str) else payload)
    if size > limit:
        raise ValidationError(
            f"payload of {size:,} bytes exceeds the limit of {limit:,} bytes",
            field="size",
            value=size,
            where=where,
        )


def load_json(payload: str | bytes, *, where: str) -> Any:
    """The JSON document of a payload (size-checked); ValidationError naming line and column."""
    check_payload_size(payload, where=where)
    try:
        return json.loads(payload)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            field="payload",
            where=where,
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError("payload is not UTF-8", field="encoding", where=where) from exc
    except RecursionError as exc:
        raise ValidationError(
            "JSON nested too deeply to read", field="payload", where=where
        ) from exc
    except ValueError as exc:  # an integer of more digits than int() converts
        raise ValidationError(
            f"not a readable JSON document: {exc}".split("; use ")[0], field="payload", where=where
        ) from exc


def tracking_text(value: object, *, where: str, field: str = "tracking_number") -> str:
    """A tracking number as the payload gives it: text (or a bare JSON integer), else refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            "a tracking number must be text", field=field, value=value, where=where
        )
    return value.strip()
