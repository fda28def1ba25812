"""Pick the reader of an orders file: tradelane CSV / JSON Lines, a Shopify export, or any
CSV through a mapping. Each yields the same entries for the order import service."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

from tradelane.domain.errors import ValidationError
from tradelane.files.mapped_orders import read_mapped_orders
from tradelane.files.order_file import OrderEntry, read_orders
from tradelane.files.order_mapping import load_mapping
from tradelane.files.products_file import read_products
from tradelane.files.shopify_orders import read_shopify_orders

__all__ = ["OrderFormat", "read_order_source"]


class OrderFormat(StrEnum):
    TRADELANE = "tradelane"  # our CSV or JSON Lines, told apart by the file name
    SHOPIFY = "shopify"
    MAPPED = "mapped"


def read_order_source(
    path: Path,
    *,
    format: OrderFormat = OrderFormat.TRADELANE,
    products: Path | None = None,
    mapping: Path | None = None,
) -> tuple[int, Iterator[OrderEntry]]:
    """(approximate entry count, entries). --mapping implies the mapped format; Shopify
    needs --products (the export has no weights)."""
    if mapping is not None and format is OrderFormat.TRADELANE:
        format = OrderFormat.MAPPED
    if format is OrderFormat.MAPPED:
        if mapping is None:
            raise ValidationError("give the mapping file", field="--mapping", value=None)
        catalogue = None if products is None else read_products(products)
        return read_mapped_orders(path, load_mapping(mapping), catalogue)
    if mapping is not None:
        raise ValidationError(
            "--mapping reads any CSV; do not combine it with --format",
            field="--format",
            value=format.value,
        )
    if format is OrderFormat.SHOPIFY:
        if products is None:
            raise ValidationError(
                "a Shopify export carries no weights: give --products PRODUCTS.csv",
                field="--products",
                value=None,
            )
        return read_shopify_orders(path, read_products(products))
    if products is not None:
        raise ValidationError(
            "tradelane CSV carries weights itself; --products is for --format shopify or --mapping",
            field="--products",
            value=str(products),
        )
    return read_orders(path)
