"""Load overseas-warehouse stock, which decides whether local last mile can serve an order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from tradelane.files.inventory_file import read_inventory
from tradelane.store.uow import UnitOfWork

__all__ = ["import_inventory_file", "put_stock"]


def put_stock(
    rows: Sequence[tuple[str, str, int]], *, uow: UnitOfWork, now: datetime
) -> dict[str, tuple[int, int]]:
    """Store (warehouse, sku, on_hand) rows; returns warehouse -> (SKUs in stock, units)."""
    with uow:
        uow.inventory.put_many(rows, now=now)
        totals = uow.inventory.totals()
        uow.commit()
    return totals


def import_inventory_file(
    path: Path, *, uow: UnitOfWork, now: datetime
) -> dict[str, tuple[int, int]]:
    """Validate a stock CSV (all or nothing) and store it."""
    return put_stock(read_inventory(path), uow=uow, now=now)
