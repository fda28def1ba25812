"""`tradelane inventory import|list`: overseas-warehouse stock in units, which local last mile
draws down (assignments reserve units, hand-offs ship them)."""

from __future__ import annotations

from pathlib import Path

import typer

from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import open_system
from tradelane.services.inventory import import_inventory_file

__all__ = ["inventory_app"]

inventory_app = typer.Typer(help="Overseas-warehouse stock.", no_args_is_help=True)


@inventory_app.command("import")
def inventory_import(path: Path) -> None:
    """Load stock from CSV (warehouse,sku,on_hand): all rows or none."""
    with fail_on_errors():
        opened = open_system()
        totals = import_inventory_file(path, uow=opened.uow(), now=opened.clock.now())
        for warehouse, (skus, units) in sorted(totals.items()):
            console.print(f"{warehouse}: {skus:,} SKUs in stock, {units:,} units")


@inventory_app.command("list")
def inventory_list() -> None:
    """Units per warehouse: on hand, reserved by assigned orders, available to new ones."""
    with fail_on_errors():
        opened = open_system()
        with opened.uow() as uow:
            stored = uow.catalogues.latest()
            channels = [] if stored is None else stored.catalogue.channels
            warehouse_of = {ch.id: ch.warehouse for ch in channels if ch.warehouse is not None}
            on_hand = uow.inventory.on_hand()
            reserved = uow.inventory.reserved(warehouse_of)
        if not on_hand:
            console.print("no stock loaded (see `tradelane inventory import`)")
        for warehouse, held in sorted(on_hand.items()):
            units = sum(held.values())
            taken = sum(reserved.get(warehouse, {}).get(sku, 0) for sku in held)
            shown = ", ".join(sorted(held)[:10]) + (" ..." if len(held) > 10 else "")
            console.print(
                f"{warehouse}: {len(held):,} SKUs: {shown}; {units:,} on hand, {taken:,} "
                f"reserved, {max(units - taken, 0):,} available"
            )
