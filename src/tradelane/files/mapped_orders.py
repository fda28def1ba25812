"""Read any order CSV through an OrderMapping (see order_mapping for the file format).

header ─▶ every column the mapping reads must exist (ValidationError naming the field)
rows ─▶ per field: column or expr ─▶ default when empty ─▶ values ─▶ date_format/timezone
     ─▶ consecutive rows with one order_id make one order ─▶ build_order (products fill
        weights and boxes) ─▶ Order or ValidationError naming row, field and value
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tradelane.domain.errors import ValidationError
from tradelane.domain.products import Product
from tradelane.files.cell_expressions import ExpressionError
from tradelane.files.order_drafts import LineDraft, OrderDraft, build_order
from tradelane.files.order_file import OrderEntry
from tradelane.files.order_mapping import (
    LINE_FIELDS,
    ORDER_FIELDS,
    FieldSpec,
    OrderMapping,
    mapped_time,
    require_columns,
)
from tradelane.files.source_text import read_source_text

__all__ = ["read_mapped_orders"]


def read_mapped_orders(
    path: Path, mapping: OrderMapping, products: Mapping[str, Product] | None
) -> tuple[int, Iterator[OrderEntry]]:
    """(approximate row count, entries); a column the mapping names but the file lacks is a
    ValidationError at once."""
    where = str(path)
    text = read_source_text(path, what="orders file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    require_columns(mapping.fields.items(), header, where)
    reader.fieldnames = header
    return max(text.count("\n") - 1, 0), _entries(reader, where, mapping, products)


def _entries(
    reader: csv.DictReader[str],
    where: str,
    mapping: OrderMapping,
    products: Mapping[str, Product] | None,
) -> Iterator[OrderEntry]:
    column_of: dict[str, str] = {
        name: spec.column or f"fields.{name}" for name, spec in mapping.fields.items()
    }
    draft: OrderDraft | None = None
    first_row = 0
    for row in reader:
        at = f"{where}, row {reader.line_num}"
        if None in row:
            yield reader.line_num, ValidationError("more cells than header columns", where=at)
            continue
        cells = _cells(row, mapping, at)
        if isinstance(cells, ValidationError):
            yield reader.line_num, cells
            continue
        if draft is None or cells.get("order_id") != draft.cells.get("order_id"):
            if draft is not None:
                yield first_row, build_order(draft, products, column_of=column_of)
            first_row = reader.line_num
            order_cells = {k: v for k, v in cells.items() if k in ORDER_FIELDS}
            draft = OrderDraft(where=at, cells=order_cells)
        line = {k: v for k, v in cells.items() if k in LINE_FIELDS}
        draft.lines.append(LineDraft(where=at, cells=line))
    if draft is not None:
        yield first_row, build_order(draft, products, column_of=column_of)


def _cells(row: dict[str, str], mapping: OrderMapping, at: str) -> dict[str, Any] | ValidationError:
    clean = {k: (v or "").strip() for k, v in row.items()}
    cells: dict[str, Any] = {}
    for name, spec in mapping.fields.items():
        try:
            cells[name] = _value(name, spec, clean, mapping)
        except (ExpressionError, ValueError) as exc:
            return ValidationError(
                str(exc),
                field=spec.column or f"fields.{name}",
                value=_shown(spec, clean),
                where=at,
            )
    return cells


def _value(name: str, spec: FieldSpec, row: dict[str, str], mapping: OrderMapping) -> Any:
    value = spec.raw(row)
    if value in (None, "") and spec.default is not None:
        value = spec.default
    if spec.values is not None and str(value) in spec.values:
        value = spec.values[str(value)]
    if name == "created_at" and value not in (None, ""):
        return mapped_time(str(value), spec.date_format, mapping.zone)
    return value


def _shown(spec: FieldSpec, row: dict[str, str]) -> str:
    return " / ".join(row.get(column, "") for column in sorted(spec.columns))
