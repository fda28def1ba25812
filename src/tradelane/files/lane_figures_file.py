"""Read measured channel x lane figures (e.g. a scorecards CSV export) for the allocation.

Columns: `channel`, `lane` (destination country), and any of `on_time_rate` (0..1),
`cost_per_parcel` (settlement currency), `transit_p50_days`, `transit_p90_days`; an empty
cell means no figure. Every bad cell is reported with its row and column; nothing is used
unless the whole file reads.
"""

from __future__ import annotations

import math
from pathlib import Path

from tradelane.domain.errors import ValidationError
from tradelane.files.csv_rows import check_columns, dict_reader, parsed_records
from tradelane.files.source_text import read_source_text
from tradelane.optimization.lane_costs import LaneFigures

__all__ = ["read_lane_figures"]

REQUIRED = ("channel", "lane")
NUMBERS = {
    "on_time_rate": (0.0, 1.0),
    "cost_per_parcel": (0.0, math.inf),
    "transit_p50_days": (0.0, math.inf),
    "transit_p90_days": (0.0, math.inf),
}


def _number(text: str, column: str, where: str) -> float | None:
    if not text.strip():
        return None
    low, high = NUMBERS[column]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise ValidationError(
            f"{column} must be a number in [{low}, {high}]", field=column, value=text, where=where
        )
    return value


def _figures(
    record: dict[str, str], where: str
) -> tuple[tuple[str, str], LaneFigures] | ValidationError:
    channel, lane = (record.get(k, "").strip() for k in REQUIRED)
    if not channel or not lane:
        return ValidationError("channel and lane are required", field="channel", where=where)
    try:
        values = {c: _number(record.get(c) or "", c, where) for c in NUMBERS}
    except ValidationError as exc:
        return exc
    p50, p90 = values["transit_p50_days"], values["transit_p90_days"]
    if p50 is not None and p90 is not None and p90 < p50:
        return ValidationError(
            "transit_p90_days is below transit_p50_days",
            field="transit_p90_days",
            value=p90,
            where=where,
        )
    return (lane.upper(), channel), LaneFigures(**values)


def read_lane_figures(path: Path) -> dict[tuple[str, str], LaneFigures]:
    """(country, channel id) -> figures; InputErrors naming every bad row."""
    where = str(path)
    reader = dict_reader(read_source_text(path, what="lane figures"))
    check_columns(reader, where, required=REQUIRED, optional=None)
    return dict(parsed_records(reader, where, _figures))
