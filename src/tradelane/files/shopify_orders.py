"""Read a Shopify orders export (Admin → Orders → Export, "CSV for Excel, Numbers, or other
spreadsheet programs") as it comes.

The export has one row per line item. An order's rows follow each other and share `Name`;
its later rows leave the order's columns (dates, currency, addresses) empty. What is used:

  Name                 order id, without the leading '#'  ("#1001" -> "1001")
  Created at           "2026-11-27 10:15:31 +0800" (ISO 8601 accepted too)
  Currency             ISO 4217
  Shipping Country     ISO 3166 code or English name; Shipping Zip (a leading apostrophe,
                       which spreadsheets need to keep zeros, is dropped), Shipping City
  Shipping Method      names with express/priority/expedited/overnight make the order express
  Lineitem sku, Lineitem quantity, Lineitem price (unit), Lineitem discount (whole line)
  Lineitem requires shipping   "false" lines (gift cards, digital goods) are left out
  Cancelled at         cancelled orders are left out

Weights, boxes, goods classes and HS codes come from the products file (the export carries
none). Every other column of the export is read past.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pycountry

from tradelane.domain.errors import ValidationError
from tradelane.domain.products import Product
from tradelane.files.order_drafts import LineDraft, OrderDraft, build_order
from tradelane.files.order_file import OrderEntry
from tradelane.files.source_text import read_source_text

__all__ = ["SHOPIFY_REQUIRED", "read_shopify_orders"]

SHOPIFY_REQUIRED = (
    "Name",
    "Created at",
    "Currency",
    "Lineitem quantity",
    "Lineitem price",
    "Lineitem sku",
    "Shipping Country",
)
COLUMN_OF = {
    "order_id": "Name",
    "created_at": "Created at",
    "currency": "Currency",
    "country": "Shipping Country",
    "postcode": "Shipping Zip",
    "city": "Shipping City",
    "sku": "Lineitem sku",
    "quantity": "Lineitem quantity",
    "unit_value": "Lineitem price",
}
EXPRESS_WORDS = ("express", "priority", "expedited", "overnight")


def read_shopify_orders(
    path: Path, products: Mapping[str, Product]
) -> tuple[int, Iterator[OrderEntry]]:
    """(approximate order count, entries); whole-file problems raise ValidationError."""
    where = str(path)
    text = read_source_text(path, what="Shopify orders export")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in SHOPIFY_REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            f"not a Shopify orders export: missing column(s) {', '.join(missing)}",
            field="header",
            value=",".join(header[:12]),
            where=where,
        )
    reader.fieldnames = header
    return max(text.count("\n") - 1, 0), _entries(reader, where, products)


def _entries(
    reader: csv.DictReader[str], where: str, products: Mapping[str, Product]
) -> Iterator[OrderEntry]:
    for row_number, draft in _drafts(reader, where):
        if isinstance(draft, ValidationError):
            yield row_number, draft
        elif draft is not None:
            yield row_number, build_order(draft, products, column_of=COLUMN_OF)


def _drafts(
    reader: csv.DictReader[str], where: str
) -> Iterator[tuple[int, OrderDraft | ValidationError | None]]:
    """Consecutive rows of one Name make one order (a row with an empty Name continues the
    order above it); None for an order left out (cancelled, or nothing to ship)."""
    current: OrderDraft | ValidationError | None = None
    name, first_row, cancelled = "", 0, False
    for row in reader:
        at = f"{where}, row {reader.line_num}"
        cell = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not cell["Name"] and not name:
            yield reader.line_num, ValidationError("no order name", field="Name", where=at)
            continue
        if cell["Name"] and cell["Name"] != name:
            if name:
                yield first_row, _finished(current, cancelled)
            name, first_row = cell["Name"], reader.line_num
            cancelled = bool(cell.get("Cancelled at"))
            current = _order(cell, at)
        if isinstance(current, OrderDraft) and _ships(cell):
            current.lines.append(LineDraft(where=at, cells=_line(cell)))
    if name:
        yield first_row, _finished(current, cancelled)


def _finished(
    draft: OrderDraft | ValidationError | None, cancelled: bool
) -> OrderDraft | ValidationError | None:
    if cancelled or (isinstance(draft, OrderDraft) and not draft.lines):
        return None
    return draft


def _ships(cell: dict[str, str]) -> bool:
    return cell.get("Lineitem requires shipping", "").lower() != "false"


def _order(cell: dict[str, str], at: str) -> OrderDraft | ValidationError:
    created = cell["Created at"]
    try:
        created_at = datetime.strptime(created, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        try:
            created_at = datetime.fromisoformat(created)
        except ValueError:
            return ValidationError(
                "not a time like '2026-11-27 10:15:31 +0800'",
                field="Created at",
                value=created,
                where=at,
            )
    method = cell.get("Shipping Method", "").lower()
    express = any(word in method for word in EXPRESS_WORDS)
    return OrderDraft(
        where=at,
        cells={
            "order_id": cell["Name"].removeprefix("#"),
            "created_at": created_at,
            "currency": cell["Currency"],
            "country": _country(cell["Shipping Country"]),
            "postcode": cell.get("Shipping Zip", "").lstrip("'"),
            "city": cell.get("Shipping City", ""),
            "urgency": "express" if express else "standard",
            "marketplace": "shopify",
        },
    )


def _line(cell: dict[str, str]) -> dict[str, object]:
    price, quantity = cell["Lineitem price"], cell["Lineitem quantity"]
    unit_value: object = price
    discount = cell.get("Lineitem discount", "")
    try:
        if discount and Decimal(discount) and int(quantity) > 0:
            unit_value = Decimal(price) - Decimal(discount) / int(quantity)
    except (InvalidOperation, ValueError):
        pass  # the Order's validation names the bad price or quantity
    return {"sku": cell["Lineitem sku"], "quantity": quantity, "unit_value": unit_value}


def _country(value: str) -> str:
    """Codes pass through; an English name becomes its code (the Order validates both)."""
    if len(value) <= 3:
        return value
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return value
