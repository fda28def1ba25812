"""Tracking events as CSV: one event per row, the generic webhook's event fields as columns.

Required columns: carrier, tracking_number, occurred_at (ISO 8601 with offset), and
milestone or status_code (with code_system). Optional: status_text, location, country,
incident_reason, origin_country, destination_country (the last two become shipment facts).
Unknown columns are refused; each bad row is rejected alone, naming its row and field.

A file is read as a stream (`read_chunks`): rows are decoded line by line and handed on in
chunks of a bounded number of rows, so memory does not grow with the file. A line that is not
UTF-8, or a CSV syntax error, refuses the whole file naming the line.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, tzinfo
from itertools import islice
from typing import BinaryIO

from tradelane.carriers.formats.generic.parse import EVENT_FIELDS, event_from_fields
from tradelane.carriers.formats.parsed import (
    Entry,
    ParsedTracking,
    ShipmentFacts,
    check_payload_size,
)
from tradelane.domain.errors import ValidationError
from tradelane.tracking.places import optional_country

__all__ = ["CHUNK_ROWS", "MAX_CSV_BYTES", "REQUIRED", "parse", "read_chunks"]

MAX_CSV_BYTES = 512 * 1024 * 1024  # the same ceiling as order files
CHUNK_ROWS = 50_000  # rows per chunk: ~60 MB of events and rows in flight (estimate)
REQUIRED = ("carrier", "tracking_number", "occurred_at")
FACT_COLUMNS = ("origin_country", "destination_country")


def parse(payload: str | bytes, *, assume_tz: tzinfo = UTC, where: str = "csv") -> ParsedTracking:
    """A whole payload at once. `assume_tz` is not used: occurred_at must carry its offset."""
    check_payload_size(payload, where=where, limit=MAX_CSV_BYTES)
    data = payload.encode() if isinstance(payload, str) else payload
    whole = ParsedTracking()
    for chunk in read_chunks(io.BytesIO(data), where=where):
        whole.entries += chunk.entries
        whole.shipments += chunk.shipments
    return whole


def read_chunks(
    stream: BinaryIO, *, where: str, rows: int = CHUNK_ROWS
) -> Iterator[ParsedTracking]:
    """The file's rows as chunks of at most `rows` entries, each with its rows' shipment facts."""
    lines = _Lines(stream, where)
    reader = csv.DictReader(lines)
    try:
        columns = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise lines.syntax_error(exc) from exc
    _check_header(columns, where)
    numbered = _rows(reader, lines)
    while chunk := list(islice(numbered, rows)):
        yield _chunk(chunk, where)


def _rows(reader: csv.DictReader[str], lines: _Lines) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row); the header is row 1."""
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise lines.syntax_error(exc) from exc
        row_number += 1
        yield row_number, row


def _chunk(rows: Iterable[tuple[int, dict[str, str]]], where: str) -> ParsedTracking:
    entries: list[Entry] = []
    facts: dict[str, ShipmentFacts] = {}
    for row_number, row in rows:
        located = f"{where}, row {row_number}"
        if None in row:
            entries.append(ValidationError("more values than columns", field="row", where=located))
            continue
        entries.append(event_from_fields(row, where=located))
        origin = optional_country(row.get("origin_country"))
        destination = optional_country(row.get("destination_country"))
        if (origin or destination) and row.get("tracking_number"):
            number = row["tracking_number"]
            facts[number] = ShipmentFacts(number, origin, destination)
    return ParsedTracking(entries=entries, shipments=list(facts.values()))


class _Lines:
    """The stream's lines as text (a leading BOM dropped), counting them; a line that is not
    UTF-8 refuses the file, naming the line."""

    def __init__(self, stream: BinaryIO, where: str) -> None:
        self._raw = iter(stream)
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._where = where
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = next(self._raw)
        self.number += 1
        try:
            return self._decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"file is not UTF-8 (invalid byte at offset {exc.start} of the line)",
                field="encoding",
                where=f"{self._where}, line {self.number}",
            ) from exc

    def syntax_error(self, exc: csv.Error) -> ValidationError:
        return ValidationError(
            f"not readable as CSV: {exc}", field="row", where=f"{self._where}, line {self.number}"
        )


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
