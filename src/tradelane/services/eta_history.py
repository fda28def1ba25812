"""Delivery history (HISTORY_SCHEMA frames or history records) as ETA model samples.

delivered records ─▶ with a hand-over and transit days: days = transit days, the schedule's
                     figure = promised days, anchor = hand-over day
                  ─▶ else with scheduled and delivered days: days = delivered − scheduled
                     (days late), the schedule's figure = 0, anchor = scheduled day
                  ─▶ anything else (in transit, lost, cancelled, no dates) is left out
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import polars as pl

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.history import HistoryRecord, HistoryStatus
from tradelane.files.history_file import read_history
from tradelane.files.history_mapping import load_history_mapping
from tradelane.forecasting.eta_model import EtaSamples
from tradelane.store.history_repository import HISTORY_SCHEMA

__all__ = ["eta_samples", "file_samples", "records_frame"]

MAX_REPORTED = 1_000
DAY = pl.duration(days=1)


def records_frame(records: Iterable[HistoryRecord]) -> pl.DataFrame:
    """Records as a HISTORY_SCHEMA frame (import_id 0)."""
    rows = list(records)
    columns: dict[str, list[object]] = {name: [] for name in HISTORY_SCHEMA}
    for record in rows:
        for name in HISTORY_SCHEMA:
            value = 0 if name == "import_id" else getattr(record, name)
            columns[name].append(value.value if isinstance(value, HistoryStatus) else value)
    return pl.DataFrame(columns, schema=HISTORY_SCHEMA)


def file_samples(path: Path, mapping: Path) -> EtaSamples:
    """Samples of a history file read through a mapping; InputErrors naming every bad row."""
    reading = read_history(path, load_history_mapping(mapping))
    records, errors = [], []
    for _row, entry in reading.entries:
        if isinstance(entry, ValidationError):
            errors.append(entry)
        else:
            records.append(entry)
    if errors:
        raise InputErrors(reading.source, errors[:MAX_REPORTED])
    return eta_samples(records_frame(records))


def _epoch_days(column: pl.Expr) -> pl.Expr:
    return column.cast(pl.Date).cast(pl.Int64)


def eta_samples(frame: pl.DataFrame) -> EtaSamples:
    """Delivered shipments of a HISTORY_SCHEMA frame, sorted by anchor day."""
    delivered = pl.col("status") == HistoryStatus.DELIVERED.value
    handed = pl.col("transit_days").is_not_null() & pl.col("shipped_at").is_not_null()
    scheduled = pl.col("scheduled_day").is_not_null() & pl.col("delivered_day").is_not_null()
    anchor = (
        pl.when(handed)
        .then(_epoch_days(pl.col("shipped_at")))
        .otherwise(_epoch_days(pl.col("scheduled_day")))
    )
    arrived = (
        pl.when(pl.col("delivered_at").is_not_null())
        .then(_epoch_days(pl.col("delivered_at")))
        .otherwise(anchor + pl.col("transit_days").ceil().cast(pl.Int64))
    )
    days = (
        pl.when(handed)
        .then(pl.col("transit_days"))
        .otherwise(
            (_epoch_days(pl.col("delivered_day")) - _epoch_days(pl.col("scheduled_day"))).cast(
                pl.Float64
            )
        )
    )
    schedule = pl.when(handed).then(pl.col("promised_days")).otherwise(pl.lit(0.0))
    found = (
        frame.filter(delivered & (handed | scheduled))
        .select(
            pl.col("channel"),
            pl.col("lane"),
            anchor.alias("anchor"),
            arrived.alias("arrived"),
            days.alias("days"),
            schedule.cast(pl.Float64).alias("scheduled"),
            pl.col("weight_kg").cast(pl.Float64),
        )
        .sort("anchor", maintain_order=True)
    )
    return EtaSamples(
        channel=found["channel"].to_list(),
        lane=found["lane"].to_list(),
        anchor_day=found["anchor"].to_numpy().astype(np.int64),
        delivered_day=found["arrived"].fill_null(found["anchor"]).to_numpy().astype(np.int64),
        days=found["days"].to_numpy().astype(np.float64),
        scheduled=found["scheduled"].fill_null(np.nan).to_numpy().astype(np.float64),
        weight_kg=found["weight_kg"].fill_null(np.nan).to_numpy().astype(np.float64),
    )
