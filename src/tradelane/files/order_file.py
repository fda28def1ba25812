"""Parse order files: CSV (one order with one line per row) and JSON Lines (the Order schema).

Each entry yields either an Order or a ValidationError that names file, row, field and value.
CSV columns (header required, order free, unknown or repeated columns refused):
  required  order_id, created_at (ISO 8601 with offset), country, sku, unit_value, weight_kg
  optional  postcode, city, quantity (1), currency (USD), length_cm, width_cm, height_cm
            (all three or none), hs_code, goods_classes (';'-separated), urgency
            (standard|express), promised_days (20), marketplace (direct)
JSON Lines are split on "\n" only (U+2028 and other Unicode line breaks may sit in strings).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic

from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import Order
from tradelane.files.csv_rows import check_columns, csv_records, dict_reader
from tradelane.files.errors import from_pydantic
from tradelane.files.json_text import parse_json
from tradelane.files.source_text import read_source_text

__all__ = ["CSV_OPTIONAL", "CSV_REQUIRED", "OrderEntry", "read_orders", "write_orders_csv"]

CSV_REQUIRED = ("order_id", "created_at", "country", "sku", "unit_value", "weight_kg")
CSV_OPTIONAL = (
    "postcode",
    "city",
    "quantity",
    "currency",
    "length_cm",
    "width_cm",
    "height_cm",
    "hs_code",
    "goods_classes",
    "urgency",
    "promised_days",
    "marketplace",
)
DIMENSIONS = ("length_cm", "width_cm", "height_cm")
# CSV column -> path of the field in the Order schema, so errors name the column the user wrote.
CSV_FIELD_OF_PATH = {
    "destination.country": "country",
    "destination.postcode": "postcode",
    "destination.city": "city",
    "lines[0].sku": "sku",
    "lines[0].unit_value": "unit_value",
    "lines[0].unit_weight_kg": "weight_kg",
    "lines[0].quantity": "quantity",
    "lines[0].hs_code": "hs_code",
    "lines[0].goods_classes": "goods_classes",
    "lines[0].dimensions.length_cm": "length_cm",
    "lines[0].dimensions.width_cm": "width_cm",
    "lines[0].dimensions.height_cm": "height_cm",
}

OrderEntry = tuple[int, Order | ValidationError]


def read_orders(path: Path) -> tuple[int, Iterator[OrderEntry]]:
    """(approximate entry count, entries). Whole-file problems raise ValidationError at once."""
    where = str(path)
    text = read_source_text(path, what="orders file")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return text.count("\n") + 1, _jsonl_entries(text, where)
    if suffix == ".csv":
        reader = dict_reader(text)
        check_columns(reader, where, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
        return max(text.count("\n") - 1, 0), _csv_entries(reader, where)
    raise ValidationError(
        "unknown orders file type; use .csv or .jsonl", field="extension", value=suffix, where=where
    )


def _jsonl_entries(text: str, where: str) -> Iterator[OrderEntry]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        at = f"{where}, line {number}"
        try:
            document = parse_json(line, where=at)
        except ValidationError as exc:
            yield number, exc
            continue
        yield number, _validate(document, at, csv_names=False)


def _csv_entries(reader: csv.DictReader[str], where: str) -> Iterator[OrderEntry]:
    for number, row in csv_records(reader, where):
        if isinstance(row, ValidationError):
            yield number, row
            continue
        at = f"{where}, row {number}"
        yield number, _row_shape_error(row, at) or _csv_order(row, at)


def _row_shape_error(row: dict[str, str], at: str) -> ValidationError | None:
    if None in row:
        return ValidationError("more cells than header columns", where=at)
    missing = [name for name, value in row.items() if value is None]
    if missing:
        return ValidationError(
            f"fewer cells than header columns (no {', '.join(missing)})", field=missing[0], where=at
        )
    spanning = [name for name, value in row.items() if "\n" in value or "\r" in value]
    if spanning:
        return ValidationError(
            "CSV quoting: this cell runs over several lines (is a quote left open?)",
            field=spanning[0],
            value=row[spanning[0]][:80],
            where=at,
        )
    return None


def _csv_order(row: dict[str, str], at: str) -> Order | ValidationError:
    cell = {k: v.strip() for k, v in row.items()}
    dims = [cell.get(d, "") for d in DIMENSIONS]
    if any(dims) and not all(dims):
        return ValidationError(
            "give all of length_cm, width_cm, height_cm or none",
            where=at,
            field="length_cm",
            value="/".join(dims),
        )
    line: dict[str, Any] = {
        "sku": cell["sku"],
        "unit_value": cell["unit_value"],
        "unit_weight_kg": cell["weight_kg"],
        "quantity": cell.get("quantity") or 1,
        "hs_code": cell.get("hs_code") or None,
    }
    if all(dims):
        line["dimensions"] = dict(zip(DIMENSIONS, dims, strict=True))
    if cell.get("goods_classes"):
        line["goods_classes"] = [c.strip() for c in cell["goods_classes"].split(";") if c.strip()]
    document: dict[str, Any] = {
        "order_id": cell["order_id"],
        "created_at": cell["created_at"],
        "destination": {
            "country": cell["country"],
            "postcode": cell.get("postcode") or None,
            "city": cell.get("city") or None,
        },
        "lines": [line],
    }
    for key in ("currency", "urgency", "promised_days", "marketplace"):
        if cell.get(key):
            document[key] = cell[key]
    return _validate(document, at, csv_names=True)


def _validate(document: Any, at: str, *, csv_names: bool) -> Order | ValidationError:
    if not isinstance(document, dict):
        return ValidationError(
            "each line must be a JSON object", where=at, value=str(document)[:80]
        )
    try:
        return Order.model_validate(document)
    except pydantic.ValidationError as exc:
        first = from_pydantic(exc, where=at)[0]
        if csv_names:
            first.field = CSV_FIELD_OF_PATH.get(first.field, first.field)
        if len(exc.errors()) > 1:
            first.message += f" (+{len(exc.errors()) - 1} more problems in this entry)"
        return first


def write_orders_csv(orders: list[Order], path: Path) -> None:
    """Write single-line orders in the CSV format `read_orders` accepts."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*CSV_REQUIRED, *CSV_OPTIONAL])
        writer.writeheader()
        for order in orders:
            writer.writerow(_csv_row(order))


def _csv_row(order: Order) -> dict[str, Any]:
    if len(order.lines) != 1:
        raise ValidationError(
            "CSV holds one line per order; use JSON Lines",
            field="lines",
            value=len(order.lines),
            where=order.order_id,
        )
    line = order.lines[0]
    dims = line.dimensions
    return {
        "order_id": order.order_id,
        "created_at": order.created_at.isoformat(),
        "country": order.destination.country,
        "sku": line.sku,
        "unit_value": line.unit_value,
        "weight_kg": line.unit_weight_kg,
        "postcode": order.destination.postcode or "",
        "city": order.destination.city or "",
        "quantity": line.quantity,
        "currency": order.currency,
        "length_cm": dims.length_cm if dims else "",
        "width_cm": dims.width_cm if dims else "",
        "height_cm": dims.height_cm if dims else "",
        "hs_code": line.hs_code or "",
        "goods_classes": ";".join(sorted(c.value for c in line.goods_classes)),
        "urgency": order.urgency.value,
        "promised_days": order.promised_days,
        "marketplace": order.marketplace,
    }
