"""Tracking events as CSV: one event per row, the generic webhook's event fields as columns.

Required columns: carrier, tracking_number, occurred_at (ISO 8601 with offset), and
milestone or status_code (with code_system). Optional: status_text, location, country,
incident_reason, origin_country, destination_country (the last two become shipment facts).
Unknown columns are refused; each bad row is rejected alone, naming its row and field.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, tzinfo

from tradelane.carriers.formats.generic.parse import EVENT_FIELDS, event_from_fields
from tradelane.carriers.formats.parsed import ParsedTracking, ShipmentFacts, check_payload_size
from tradelane.domain.errors import ValidationError
from tradelane.tracking.places import optional_country

__all__ = ["MAX_CSV_BYTES", "REQUIRED", "parse"]

MAX_CSV_BYTES = 512 * 1024 * 1024  # the same ceiling as order files
REQUIRED = ("carrier", "tracking_number", "occurred_at")
FACT_COLUMNS = ("origin_country", "destination_country")


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "csv") -> ParsedTracking:
    """`assume_tz` is not used: occurred_at must carry its offset."""
    check_payload_size(payload, where=where, limit=MAX_CSV_BYTES)
    text = _decode(payload, where)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(list(reader.fieldnames or []), where)
    parsed = ParsedTracking()
    facts: dict[str, ShipmentFacts] = {}
    for row_number, row in enumerate(reader, start=2):
        located = f"{where}, row {row_number}"
        if None in row:
            parsed.entries.append(
                ValidationError("more values than columns", field="row", where=located)
            )
            continue
        parsed.entries.append(event_from_fields(row, where=located))
        origin = optional_country(row.get("origin_country"))
        destination = optional_country(row.get("destination_country"))
        if (origin or destination) and row.get("tracking_number"):
            facts[row["tracking_number"]] = ShipmentFacts(
                row["tracking_number"], origin, destination
            )
    parsed.shipments = list(facts.values())
    return parsed


def _decode(payload: str | bytes, where: str) -> str:
    if isinstance(payload, str):
        return payload
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"file is not UTF-8 (invalid byte at offset {exc.start})", field="encoding", where=where
        ) from exc


def _check_header(columns: list[str], where: str) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    if "milestone" not in columns and "status_code" not in columns:
        missing.append("milestone or status_code")
    unknown = [c for c in columns if c not in EVENT_FIELDS and c not in FACT_COLUMNS]
    if missing or unknown:
        problem = "; ".join(
            p for p in (missing and f"missing {missing}", unknown and f"unknown {unknown}") if p
        )
        raise ValidationError(f"bad header: {problem}", field="header", value=columns, where=where)
