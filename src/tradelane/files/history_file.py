"""Read any delivery-history CSV through a HistoryMapping (see history_mapping for the format).

text (UTF-8, BOM allowed; LF, CRLF or CR line ends) ─▶ strict CSV records
  ─▶ every column the mapping reads must exist (ValidationError naming the field)
  ─▶ per row and field: column or expr ─▶ default when empty ─▶ values ─▶ typed value
  ─▶ HistoryRecord, or a ValidationError naming row, column and value

Numbers that do not read ("Weight Captured Separately") become None and are counted per
(field, text) in `HistoryReading.missing` as the rows are read, never a silent zero.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tradelane.domain.errors import ValidationError
from tradelane.domain.history import HistoryRecord, HistoryStatus, span_days
from tradelane.files.cell_expressions import ExpressionError
from tradelane.files.csv_rows import csv_header, csv_records, dict_reader
from tradelane.files.history_mapping import (
    DATE_FIELDS,
    NUMBER_FIELDS,
    REQUIRED,
    HistoryFieldSpec,
    HistoryMapping,
)
from tradelane.files.order_mapping import mapped_time, require_columns
from tradelane.files.source_text import read_source_text

__all__ = ["HistoryEntry", "HistoryReading", "read_history"]

HistoryEntry = tuple[int, HistoryRecord | ValidationError]
TEXT_MAX = 64  # channel, lane, order id, mode: as long as the store's columns
TIME_CACHE = 200_000  # distinct date texts kept per import (dates repeat: a day, a minute)


@dataclass
class HistoryReading:
    """`entries` is lazy; `missing` fills as it is consumed."""

    source: str
    digest: str  # sha256 of the file's text and the mapping: the same import twice is seen
    rows_estimate: int
    entries: Iterator[HistoryEntry]
    missing: Counter[tuple[str, str]] = field(default_factory=Counter)


def read_history(path: Path, mapping: HistoryMapping) -> HistoryReading:
    """Open `path` and check its header against `mapping`; ValidationError at once when the
    file cannot be read or lacks a mapped column."""
    where = str(path)
    text = read_source_text(path, what="history file")
    reader = dict_reader(text)
    header = csv_header(reader, where)
    require_columns(mapping.fields.items(), header, where)
    lines = max(text.count("\n"), text.count("\r")) - 1
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(mapping.model_dump_json().encode("utf-8"))
    reading = HistoryReading(
        source=where, digest=digest.hexdigest(), rows_estimate=max(lines, 0), entries=iter(())
    )
    reading.entries = _entries(csv_records(reader, where), mapping, reading.missing, where)
    return reading


def _entries(
    records: Iterator[tuple[int, dict[str, str] | ValidationError]],
    mapping: HistoryMapping,
    missing: Counter[tuple[str, str]],
    where: str,
) -> Iterator[HistoryEntry]:
    fields = _Fields(mapping, missing)
    for line, row in records:
        if isinstance(row, ValidationError):
            yield line, row
            continue
        at = f"{where}, row {line}"
        if None in row:
            yield line, ValidationError("more cells than header columns", where=at)
            continue
        clean = {k: (v or "").strip() for k, v in row.items()}
        try:
            yield line, fields.record(line, clean)
        except _CellError as exc:
            yield line, ValidationError(exc.message, field=exc.column, value=exc.value, where=at)


class _CellError(Exception):
    def __init__(self, message: str, column: str, value: str) -> None:
        self.message, self.column, self.value = message, column, value


class _Fields:
    """The mapping's fields prepared for many rows; dates read once per distinct text."""

    def __init__(self, mapping: HistoryMapping, missing: Counter[tuple[str, str]]) -> None:
        self.zone = mapping.zone
        self.missing = missing
        self.specs = [(name, spec, spec.reader()) for name, spec in mapping.fields.items()]
        self.times: dict[tuple[str, str], datetime] = {}

    def record(self, line: int, row: dict[str, str]) -> HistoryRecord:
        cells: dict[str, Any] = {}
        for name, spec, raw in self.specs:
            cells[name] = self.typed(name, spec, raw, row)
        for name, spec, _ in self.specs:
            if name in REQUIRED and not cells[name]:
                raise _CellError("is empty; every record needs one", _column(name, spec), "")
        shipped, scheduled, delivered = (cells.get(name) for name in DATE_FIELDS)
        transit = cells.get("transit_days")
        transit = transit if transit is not None else span_days(shipped, delivered)
        promised = cells.get("promised_days")
        promised = promised if promised is not None else span_days(shipped, scheduled)
        status = cells.get("status") or (
            HistoryStatus.DELIVERED
            if delivered is not None or transit is not None
            else HistoryStatus.IN_TRANSIT
        )
        return HistoryRecord(
            row=line,
            channel=cells["channel"],
            lane=cells["lane"],
            status=status,
            order_id=cells.get("order_id"),
            mode=cells.get("mode"),
            shipped_at=shipped,
            scheduled_at=scheduled,
            delivered_at=delivered,
            scheduled_day=_local_day(scheduled, self.zone),
            delivered_day=_local_day(delivered, self.zone),
            transit_days=transit,
            promised_days=promised,
            weight_kg=cells.get("weight_kg"),
            cost=cells.get("cost"),
            currency=cells.get("currency"),
        )

    def typed(
        self,
        name: str,
        spec: HistoryFieldSpec,
        raw: Callable[[Mapping[str, str]], Any],
        row: dict[str, str],
    ) -> Any:
        try:
            value = raw(row)
        except ExpressionError as exc:
            raise _CellError(str(exc), _column(name, spec), _shown(spec, row)) from None
        if value in (None, "") and spec.default is not None:
            value = spec.default
        text = str(value).strip() if value is not None else ""
        if spec.values is not None and text in spec.values:
            text = spec.values[text]
        if not text:
            return None
        if name in NUMBER_FIELDS:
            return _number(name, text, self.missing)
        if name in DATE_FIELDS:
            return self.time(name, spec, text)
        if name == "status":
            try:
                return HistoryStatus(text)
            except ValueError:
                known = ", ".join(s.value for s in HistoryStatus)
                message = f"unknown status; translate it with values: to one of {known}"
                raise _CellError(message, _column(name, spec), text) from None
        if name == "currency":
            if len(text) != 3 or not text.isalpha():
                raise _CellError("not a 3-letter currency code", _column(name, spec), text)
            return text.upper()
        if len(text) > TEXT_MAX:
            raise _CellError(f"longer than {TEXT_MAX} characters", _column(name, spec), text)
        return text

    def time(self, name: str, spec: HistoryFieldSpec, text: str) -> datetime | None:
        if text in spec.missing:
            self.missing[(name, text)] += 1
            return None
        key = (name, text)
        found = self.times.get(key)
        if found is None:
            try:
                found = mapped_time(text, spec.date_format, self.zone).astimezone(UTC)
                found.astimezone(self.zone)  # its local day must exist too
            except ValueError as exc:
                raise _CellError(str(exc), _column(name, spec), text) from None
            except OverflowError:
                raise _CellError("time out of range", _column(name, spec), text) from None
            if len(self.times) >= TIME_CACHE:
                self.times.clear()
            self.times[key] = found
        return found


def _number(name: str, text: str, missing: Counter[tuple[str, str]]) -> float | None:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        missing[(name, text)] += 1
        return None
    return number


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def _column(name: str, spec: HistoryFieldSpec) -> str:
    return spec.column or f"fields.{name}"


def _shown(spec: HistoryFieldSpec, row: dict[str, str]) -> str:
    return " / ".join(row.get(column, "") for column in sorted(spec.columns))
