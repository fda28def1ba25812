"""Read warehouse stock files: CSV with columns warehouse, sku, on_hand (header required).

Every bad row is reported with file, row, field and value; nothing is returned if any is bad.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.errors import read_utf8

__all__ = ["INVENTORY_COLUMNS", "read_inventory"]

INVENTORY_COLUMNS = ("warehouse", "sku", "on_hand")


def read_inventory(path: Path) -> list[tuple[str, str, int]]:
    """(warehouse, sku, on_hand) rows; the last row wins when a pair repeats."""
    where = str(path)
    try:
        text = read_utf8(path.read_bytes(), where=where)
    except OSError as exc:
        raise ValidationError(f"cannot read stock file: {exc.strerror}", where=where) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if sorted(header) != sorted(INVENTORY_COLUMNS):
        raise ValidationError(
            f"columns must be {', '.join(INVENTORY_COLUMNS)}",
            field="header",
            value=",".join(header),
            where=where,
        )
    reader.fieldnames = header
    rows: dict[tuple[str, str], int] = {}
    errors: list[ValidationError] = []
    for row in reader:
        at = f"{where}, row {reader.line_num}"
        parsed = _row(row, at)
        if isinstance(parsed, ValidationError):
            errors.append(parsed)
        else:
            rows[(parsed[0], parsed[1])] = parsed[2]
    if errors:
        raise InputErrors(where, errors)
    return [(w, s, n) for (w, s), n in rows.items()]


def _row(row: dict[str, str], at: str) -> tuple[str, str, int] | ValidationError:
    warehouse = (row.get("warehouse") or "").strip().upper()
    sku = (row.get("sku") or "").strip()
    count = (row.get("on_hand") or "").strip()
    if not warehouse or len(warehouse) > 16:
        return ValidationError(
            "warehouse code must be 1-16 characters", field="warehouse", value=warehouse, where=at
        )
    if not sku or len(sku) > 64:
        return ValidationError("sku must be 1-64 characters", field="sku", value=sku, where=at)
    if not count.isdigit():
        return ValidationError(
            "on_hand must be a whole number >= 0", field="on_hand", value=count, where=at
        )
    return warehouse, sku, int(count)
