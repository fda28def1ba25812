"""Read warehouse stock files: CSV with columns warehouse, sku, on_hand (header required).

Every bad row is reported with file, row, field and value; nothing is returned if any is bad.
A warehouse code must belong to a channel of the catalogue (`warehouses`), so stock can never
be loaded for a warehouse that selection would not find.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import SKU_MAX
from tradelane.domain.values import stored_text
from tradelane.files.csv_rows import check_columns, dict_reader, parsed_records
from tradelane.files.source_text import read_source_text

__all__ = ["INVENTORY_COLUMNS", "read_inventory"]

INVENTORY_COLUMNS = ("warehouse", "sku", "on_hand")
WAREHOUSE_MAX = 16
MAX_ON_HAND = 1_000_000_000


def read_inventory(
    path: Path, *, warehouses: Collection[str] | None = None
) -> list[tuple[str, str, int]]:
    """(warehouse, sku, on_hand) rows; the last row wins when a pair repeats. With
    `warehouses`, a row for any other warehouse code is refused (naming its row)."""
    where = str(path)
    reader = dict_reader(read_source_text(path, what="stock file"))
    check_columns(reader, where, required=INVENTORY_COLUMNS)
    parsed = parsed_records(reader, where, lambda row, at: _row(row, at, warehouses))
    rows = {(warehouse, sku): on_hand for warehouse, sku, on_hand in parsed}
    return [(w, s, n) for (w, s), n in rows.items()]


def _row(
    row: dict[str, str], at: str, warehouses: Collection[str] | None
) -> tuple[str, str, int] | ValidationError:
    warehouse = (row.get("warehouse") or "").strip().upper()
    sku = (row.get("sku") or "").strip()
    count = (row.get("on_hand") or "").strip()
    if not warehouse or len(warehouse) > WAREHOUSE_MAX or not warehouse.isalnum():
        return ValidationError(
            f"warehouse code must be 1-{WAREHOUSE_MAX} letters or digits",
            field="warehouse",
            value=warehouse,
            where=at,
        )
    if warehouses is not None and warehouse not in warehouses:
        known = ", ".join(sorted(warehouses)) or "none"
        return ValidationError(
            f"unknown warehouse: no channel of the active catalogue ships from it (known: {known})",
            field="warehouse",
            value=warehouse,
            where=at,
        )
    if not sku or len(sku) > SKU_MAX:
        return ValidationError(
            f"sku must be 1-{SKU_MAX} characters", field="sku", value=sku, where=at
        )
    try:
        stored_text(sku)
    except ValueError as exc:
        return ValidationError(str(exc), field="sku", value=sku, where=at)
    if not (count.isascii() and count.isdigit()) or int(count) > MAX_ON_HAND:
        return ValidationError(
            f"on_hand must be a whole number from 0 to {MAX_ON_HAND:,}",
            field="on_hand",
            value=count,
            where=at,
        )
    return warehouse, sku, int(count)
