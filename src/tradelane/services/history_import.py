"""Import a delivery history exported from elsewhere, all or nothing, in one streaming pass.

    file + mapping ─▶ seen before? (sha256 of both) Conflict, or replace the earlier import
                   ─▶ records (files/history_file) ─▶ insert chunk (open transaction)
                       └─ any bad row: keep reading to report every problem, then roll back

Memory stays bounded by the chunk size whatever the file size. The report counts the records
stored and, per (field, text), the values recorded as missing ("Weight Captured Separately").
`history_frame` is the library call that reads stored history back (HISTORY_SCHEMA).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from tradelane.domain.errors import Conflict, InputErrors, ValidationError
from tradelane.domain.history import HistoryRecord
from tradelane.files.history_file import read_history
from tradelane.files.history_mapping import load_history_mapping
from tradelane.store.uow import UnitOfWork

__all__ = ["HistoryImportReport", "history_frame", "import_history_file"]

Progress = Callable[[int, int], None]
CHUNK = 5_000
MAX_REPORTED_ERRORS = 1_000


def _silent(_done: int, _total: int) -> None:
    return None


@dataclass
class HistoryImportReport:
    source: str
    import_id: int = 0
    records: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    missing: Counter[tuple[str, str]] = field(default_factory=Counter)  # (field, text) -> rows


def import_history_file(
    path: Path,
    mapping_path: Path,
    *,
    uow: UnitOfWork,
    now: datetime,
    progress: Progress = _silent,
    chunk_size: int = CHUNK,
    replace: bool = False,
) -> HistoryImportReport:
    """Read `path` through the mapping and store every record; InputErrors naming each bad
    row (nothing stored) when any row is bad. The same file through the same mapping again is
    a Conflict, unless `replace`: then the earlier import is swapped for this one in the same
    transaction."""
    mapping = load_history_mapping(mapping_path)
    reading = read_history(path, mapping)
    report = HistoryImportReport(source=reading.source, missing=reading.missing)
    errors: list[ValidationError] = []
    pending: list[HistoryRecord] = []
    with uow:
        earlier = uow.history.import_with(reading.digest)
        if earlier is not None and not replace:
            raise Conflict(
                f"{reading.source} was already imported through this mapping (import {earlier});"
                " nothing was stored (replace it with --replace)"
            )
        if earlier is not None:
            uow.history.delete_import(earlier)
        report.import_id = uow.history.open_import(reading.source, reading.digest, now=now)
        for _row, entry in reading.entries:
            if isinstance(entry, ValidationError):
                errors.append(entry)
                continue
            if errors:
                continue  # keep reading to report every problem; nothing will be stored
            pending.append(entry)
            if len(pending) >= chunk_size:
                _store(pending, report, uow)
                progress(report.records, reading.rows_estimate)
        if errors:
            raise InputErrors(reading.source, errors[:MAX_REPORTED_ERRORS])
        _store(pending, report, uow)
        uow.history.close_import(report.import_id, report.records, report.missing)
        uow.commit()
    progress(report.records, report.records)
    return report


def _store(pending: list[HistoryRecord], report: HistoryImportReport, uow: UnitOfWork) -> None:
    uow.history.add_records(report.import_id, pending)
    report.records += len(pending)
    report.channels.update(record.channel for record in pending)
    pending.clear()


def history_frame(
    *, uow: UnitOfWork, channel: str | None = None, lane: str | None = None
) -> pl.DataFrame:
    """Every imported record (optionally of one channel / lane) as a Polars DataFrame with
    the columns and types of store.history_repository.HISTORY_SCHEMA."""
    with uow:
        return uow.history.frame(channel=channel, lane=lane)
