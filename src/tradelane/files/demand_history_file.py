"""Read daily demand history: CSV with columns date, sku, market, units (header required).

`date` is ISO (YYYY-MM-DD), `market` an ISO 3166 country code (alpha-2 or alpha-3), `units`
a whole number >= 0; rows for the same day, SKU and market add up. Every bad row is reported
with file, row, field and value; nothing is returned if any is bad.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tradelane.domain.errors import ValidationError
from tradelane.domain.geo import country_code
from tradelane.domain.orders import SKU_MAX
from tradelane.files.csv_rows import check_columns, dict_reader, parsed_records
from tradelane.files.source_text import read_source_text

__all__ = ["DEMAND_COLUMNS", "DemandRow", "read_demand_history"]

DEMAND_COLUMNS = ("date", "sku", "market", "units")
MAX_UNITS = 10_000_000
MAX_REPORTED = 1_000
DemandRow = tuple[date, str, str, int]  # day, sku, country, units


def read_demand_history(path: Path) -> list[DemandRow]:
    where = str(path)
    reader = dict_reader(read_source_text(path, what="demand file"))
    check_columns(reader, where, required=DEMAND_COLUMNS)
    totals: dict[tuple[date, str, str], int] = {}
    for day, sku, market, units in parsed_records(reader, where, _row, max_reported=MAX_REPORTED):
        totals[(day, sku, market)] = totals.get((day, sku, market), 0) + units
    return [(day, sku, market, units) for (day, sku, market), units in totals.items()]


def _row(row: dict[str, str], at: str) -> DemandRow | ValidationError:
    text = {name: (row.get(name) or "").strip() for name in DEMAND_COLUMNS}
    try:
        day = date.fromisoformat(text["date"])
    except ValueError:
        return ValidationError(
            "date must be YYYY-MM-DD", field="date", value=text["date"], where=at
        )
    if not text["sku"] or len(text["sku"]) > SKU_MAX:
        return ValidationError(
            f"sku must be 1-{SKU_MAX} characters", field="sku", value=text["sku"], where=at
        )
    try:
        market = country_code(text["market"], field="market")
    except ValidationError as exc:
        return ValidationError(exc.message, field="market", value=text["market"], where=at)
    units = text["units"]
    if not (units.isascii() and units.isdigit()) or int(units) > MAX_UNITS:
        return ValidationError(
            f"units must be a whole number from 0 to {MAX_UNITS:,}",
            field="units",
            value=units,
            where=at,
        )
    return day, text["sku"], market, int(units)
