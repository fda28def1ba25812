"""POST /orders/import: a seller's own export (Shopify, or any CSV through a mapping) as text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.entrypoints.api.deps import Operator
from tradelane.entrypoints.api.routes.orders import ImportOut
from tradelane.files.order_sources import OrderFormat, read_order_source

router = APIRouter(prefix="/orders", tags=["orders"])


class OrderExport(BaseModel):
    """The files `tradelane orders import` reads, sent as their text."""

    model_config = ConfigDict(extra="forbid")

    format: OrderFormat = OrderFormat.TRADELANE
    orders_csv: str = Field(description="The export (e.g. Shopify's orders_export.csv) as text.")
    products_csv: str | None = Field(default=None, description="sku, weight_kg, ... as text.")
    mapping_yaml: str | None = Field(default=None, description="A column mapping as YAML.")


@router.post("/import", status_code=201, response_model=ImportOut)
def import_export(export: OrderExport, app: Operator) -> ImportOut:
    """Import an export all or nothing, exactly as the CLI does; 422 lists every bad row."""
    with tempfile.TemporaryDirectory(prefix="tradelane-import-") as folder:
        files = _written(Path(folder), export)
        total, entries = read_order_source(
            files["orders.csv"],
            format=export.format,
            products=files.get("products.csv"),
            mapping=files.get("mapping.yaml"),
        )
        report = app.import_order_entries(entries, total, source="api")
    return ImportOut(imported=report.imported, countries=dict(report.countries))


def _written(folder: Path, export: OrderExport) -> dict[str, Path]:
    texts = {
        "orders.csv": export.orders_csv,
        "products.csv": export.products_csv,
        "mapping.yaml": export.mapping_yaml,
    }
    files = {}
    for name, text in texts.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
            files[name] = folder / name
    return files
