"""Parse a products CSV: one SKU per row.

Columns (header required, order free, unknown columns refused):
  required  sku, weight_kg
  optional  length_cm, width_cm, height_cm (all three or none), goods_classes
            (';'-separated, default general), hs_code (6-10 digits; dots and spaces dropped)
Every bad row is reported (InputErrors naming row, column and value); a SKU given twice too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.products import Product
from tradelane.files.csv_rows import check_columns, csv_records, dict_reader
from tradelane.files.errors import from_pydantic
from tradelane.files.source_text import read_source_text

__all__ = ["PRODUCT_COLUMNS", "read_products"]

REQUIRED = ("sku", "weight_kg")
DIMENSIONS = ("length_cm", "width_cm", "height_cm")
PRODUCT_COLUMNS = (*REQUIRED, *DIMENSIONS, "goods_classes", "hs_code")


def read_products(path: Path) -> dict[str, Product]:
    """SKU -> Product; InputErrors listing every bad row, ValidationError for the whole file."""
    where = str(path)
    text = read_source_text(path, what="products file")
    reader = dict_reader(text)
    check_columns(reader, where, required=REQUIRED, optional=PRODUCT_COLUMNS)
    products: dict[str, Product] = {}
    first_row: dict[str, int] = {}
    errors: list[ValidationError] = []
    for number, row in csv_records(reader, where):
        at = f"{where}, row {number}"
        found = row if isinstance(row, ValidationError) else _product(row, at)
        if isinstance(found, ValidationError):
            errors.append(found)
        elif found.sku in products:
            errors.append(
                ValidationError(
                    f"SKU given twice (first at row {first_row[found.sku]})",
                    field="sku",
                    value=found.sku,
                    where=at,
                )
            )
        else:
            products[found.sku] = found
            first_row[found.sku] = reader.line_num
    if errors:
        raise InputErrors(where, errors)
    return products


def _product(row: dict[str, str], at: str) -> Product | ValidationError:
    if None in row:
        return ValidationError("more cells than header columns", where=at)
    cell = {k: (v or "").strip() for k, v in row.items()}
    dims = [cell.get(d, "") for d in DIMENSIONS]
    if any(dims) and not all(dims):
        return ValidationError(
            "give all of length_cm, width_cm, height_cm or none",
            field="length_cm",
            value="/".join(dims),
            where=at,
        )
    document: dict[str, Any] = {"sku": cell["sku"], "weight_kg": cell["weight_kg"]}
    if all(dims):
        document["dimensions"] = dict(zip(DIMENSIONS, dims, strict=True))
    if cell.get("goods_classes"):
        document["goods_classes"] = [c.strip() for c in cell["goods_classes"].split(";") if c]
    if cell.get("hs_code"):
        document["hs_code"] = cell["hs_code"].replace(".", "").replace(" ", "")
    try:
        return Product.model_validate(document)
    except pydantic.ValidationError as exc:
        first = from_pydantic(exc, where=at)[0]
        first.field = first.field.removeprefix("dimensions.").split("[")[0]
        return first
