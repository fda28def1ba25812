"""Orders gathered from foreign files (marketplace exports, mapped CSVs) before validation.

A reader collects an order's fields and its lines' cells under tradelane's field names
(order_id, created_at, country, postcode, city, currency, urgency, promised_days,
marketplace; per line sku, quantity, unit_value, weight_kg, length_cm, width_cm, height_cm,
hs_code, goods_classes), then `build_order` fills each line's missing weight, box, goods
classes and HS code from its SKU's product and validates the Order. Errors name the row of
the line at fault and the source column (`column_of` maps field -> column).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import Order
from tradelane.domain.products import Product
from tradelane.files.errors import from_pydantic

__all__ = ["LineDraft", "OrderDraft", "build_order"]

ORDER_FIELDS = ("currency", "urgency", "promised_days", "marketplace")
_ADDRESS = {"destination.country": "country", "destination.postcode": "postcode"}
_LINE_FIELD = {"unit_weight_kg": "weight_kg", "dimensions": "length_cm"}


@dataclass
class LineDraft:
    where: str
    cells: dict[str, Any]


@dataclass
class OrderDraft:
    where: str  # the order's first row
    cells: dict[str, Any]
    lines: list[LineDraft] = field(default_factory=list)


def build_order(
    draft: OrderDraft,
    products: Mapping[str, Product] | None,
    *,
    column_of: Mapping[str, str] | None = None,
) -> Order | ValidationError:
    """The validated Order, or the first problem, located at its line's row."""
    names = column_of or {}
    lines = []
    for line in draft.lines:
        built = _line(line, products, names)
        if isinstance(built, ValidationError):
            return built
        lines.append(built)
    cells = draft.cells
    document: dict[str, Any] = {
        "order_id": cells.get("order_id"),
        "created_at": cells.get("created_at"),
        "destination": {
            "country": cells.get("country"),
            "postcode": cells.get("postcode") or None,
            "city": cells.get("city") or None,
        },
        "lines": lines,
        **{key: cells[key] for key in ORDER_FIELDS if cells.get(key) not in (None, "")},
    }
    try:
        return Order.model_validate(document)
    except pydantic.ValidationError as exc:
        return _located(exc, draft, names)


def _line(
    line: LineDraft, products: Mapping[str, Product] | None, names: Mapping[str, str]
) -> dict[str, Any] | ValidationError:
    cells = {k: v for k, v in line.cells.items() if v not in (None, "")}
    sku = str(cells.get("sku", ""))
    product = None if products is None else products.get(sku)
    if product is None and "weight_kg" not in cells:
        why = "no product row for SKU" if products is not None else "no weight; give --products"
        return ValidationError(why, field=names.get("sku", "sku"), value=sku, where=line.where)
    document: dict[str, Any] = {
        "sku": sku,
        "quantity": cells.get("quantity", 1),
        "unit_value": cells.get("unit_value"),
        "unit_weight_kg": cells.get("weight_kg", product.weight_kg if product else None),
        "hs_code": cells.get("hs_code", product.hs_code if product else None),
    }
    dims = [cells.get(d) for d in ("length_cm", "width_cm", "height_cm")]
    if all(d is not None for d in dims):
        document["dimensions"] = dict(
            zip(("length_cm", "width_cm", "height_cm"), dims, strict=True)
        )
    elif product is not None and product.dimensions is not None:
        document["dimensions"] = product.dimensions
    if "goods_classes" in cells:
        document["goods_classes"] = _classes(cells["goods_classes"])
    elif product is not None:
        document["goods_classes"] = product.goods_classes
    return document


def _classes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [c.strip() for c in value.split(";") if c.strip()]
    return list(value)


def _located(
    exc: pydantic.ValidationError, draft: OrderDraft, names: Mapping[str, str]
) -> ValidationError:
    first = from_pydantic(exc, where=draft.where)[0]
    path = first.field
    if path.startswith("lines["):
        index = int(path[len("lines[") : path.index("]")])
        first.where = draft.lines[index].where
        name = path[path.index("]") + 2 :].split(".")[0]
        path = _LINE_FIELD.get(name, name)
    else:
        path = _ADDRESS.get(path, path.removeprefix("destination."))
    first.field = names.get(path, path)
    if len(exc.errors()) > 1:
        first.message += f" (+{len(exc.errors()) - 1} more problems in this order)"
    return first
