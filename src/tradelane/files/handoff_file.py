"""Parse hand-off files: CSV, one parcel handed to a channel per row.

Columns (header required, order free, unknown columns refused):
  required  order_id, channel_id, tracking_number, handed_over_at (ISO 8601 with offset)
  optional  promised_at (ISO 8601 with offset; default: the order's promise),
            label_cost and currency (together)
Each row yields a HandOff or a ValidationError naming file, row, column and value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic

from tradelane.domain.errors import ValidationError
from tradelane.domain.handoffs import HandOff, HandOffEntry
from tradelane.files.csv_rows import check_columns, csv_records, dict_reader
from tradelane.files.errors import from_pydantic
from tradelane.files.source_text import read_source_text

__all__ = ["HANDOFF_OPTIONAL", "HANDOFF_REQUIRED", "read_handoffs"]

HANDOFF_REQUIRED = ("order_id", "channel_id", "tracking_number", "handed_over_at")
HANDOFF_OPTIONAL = ("promised_at", "label_cost", "currency")
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_handoffs(path: Path) -> Iterator[HandOffEntry]:
    """Entries of a hand-off CSV; whole-file problems raise ValidationError at once."""
    where = str(path)
    text = read_source_text(path, what="hand-off file", max_bytes=MAX_FILE_BYTES)
    reader = dict_reader(text)
    check_columns(reader, where, required=HANDOFF_REQUIRED, optional=HANDOFF_OPTIONAL)
    return _entries(reader, where)


def _entries(reader: csv.DictReader[str], where: str) -> Iterator[HandOffEntry]:
    for number, row in csv_records(reader, where):
        at = f"{where}, row {number}"
        if isinstance(row, ValidationError):
            yield at, row
            continue
        if None in row:
            yield at, ValidationError("more cells than header columns", where=at)
            continue
        yield at, _handoff(row, at)


def _handoff(row: dict[str, str], at: str) -> HandOff | ValidationError:
    cell = {k: (v or "").strip() for k, v in row.items()}
    cost, currency = cell.get("label_cost", ""), cell.get("currency", "")
    if bool(cost) != bool(currency):
        return ValidationError(
            "give label_cost and currency together",
            field="currency" if cost else "label_cost",
            value=cost or currency,
            where=at,
        )
    document: dict[str, Any] = {key: cell[key] for key in HANDOFF_REQUIRED}
    if cell.get("promised_at"):
        document["promised_at"] = cell["promised_at"]
    if cost:
        document["label_cost"] = {"amount": cost, "currency": currency}
    try:
        return HandOff.model_validate(document)
    except pydantic.ValidationError as exc:
        first = from_pydantic(exc, where=at)[0]
        first.field = {"label_cost.amount": "label_cost", "label_cost.currency": "currency"}.get(
            first.field, first.field
        )
        return first
