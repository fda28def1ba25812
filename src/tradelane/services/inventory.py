"""Load overseas-warehouse stock (units on hand), which local last mile draws on, and read it
back with what assigned orders reserve. Stock is the unit of work's tenant's own.

Only warehouses that a channel of the active catalogue ships from are accepted: a row for any
other code is refused with its row number, and nothing of the file is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import InputErrors, NotFound, ValidationError
from tradelane.files.inventory_file import read_inventory
from tradelane.store.uow import UnitOfWork

__all__ = [
    "WarehouseStock",
    "catalogue_warehouses",
    "import_inventory_file",
    "put_stock",
    "warehouse_stock",
]


@dataclass(frozen=True)
class WarehouseStock:
    warehouse: str
    skus: tuple[str, ...]  # in stock, sorted
    on_hand: int
    reserved: int  # by assigned orders not yet handed over

    @property
    def available(self) -> int:
        return max(self.on_hand - self.reserved, 0)


def catalogue_warehouses(catalogue: Catalogue) -> frozenset[str]:
    """Warehouse codes the catalogue's overseas-warehouse channels ship from."""
    return frozenset(ch.warehouse for ch in catalogue.channels if ch.warehouse is not None)


def _active_warehouses(uow: UnitOfWork) -> frozenset[str]:
    with uow:
        stored = uow.catalogues.latest()
    if stored is None:
        raise NotFound("catalogue", "active (run `tradelane init` before loading stock)")
    return catalogue_warehouses(stored.catalogue)


def put_stock(
    rows: Sequence[tuple[str, str, int]], *, uow: UnitOfWork, now: datetime
) -> dict[str, tuple[int, int]]:
    """Store (warehouse, sku, on_hand) rows; returns warehouse -> (SKUs in stock, units)."""
    known = _active_warehouses(uow)
    unknown = [
        ValidationError("unknown warehouse", field="warehouse", value=w, where=f"row {i + 1}")
        for i, (w, _, _) in enumerate(rows)
        if w not in known
    ]
    if unknown:
        raise InputErrors("stock", unknown[:1_000])
    with uow:
        uow.inventory.put_many(rows, now=now)
        totals = uow.inventory.totals()
        uow.commit()
    return totals


def import_inventory_file(
    path: Path, *, uow: UnitOfWork, now: datetime
) -> dict[str, tuple[int, int]]:
    """Validate a stock CSV (all or nothing) against the active catalogue and store it."""
    return put_stock(read_inventory(path, warehouses=_active_warehouses(uow)), uow=uow, now=now)


def warehouse_stock(*, uow: UnitOfWork) -> list[WarehouseStock]:
    """The tenant's stock per warehouse, with the units its assigned orders reserve."""
    with uow:
        stored = uow.catalogues.latest()
        channels = [] if stored is None else stored.catalogue.channels
        warehouse_of = {ch.id: ch.warehouse for ch in channels if ch.warehouse is not None}
        on_hand = uow.inventory.on_hand()
        reserved = uow.inventory.reserved(warehouse_of)
    return [
        WarehouseStock(
            warehouse,
            tuple(sorted(held)),
            sum(held.values()),
            sum(reserved.get(warehouse, {}).get(sku, 0) for sku in held),
        )
        for warehouse, held in sorted(on_hand.items())
    ]
