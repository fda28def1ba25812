"""`tradelane inventory import|list`: overseas-warehouse stock, which local last mile needs."""

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
    """SKUs in stock per warehouse."""
    with fail_on_errors():
        opened = open_system()
        with opened.uow() as uow:
            stocked = uow.inventory.stocked()
        if not stocked:
            console.print("no stock loaded (see `tradelane inventory import`)")
        for warehouse, skus in sorted(stocked.items()):
            shown = ", ".join(sorted(skus)[:10]) + (" ..." if len(skus) > 10 else "")
            console.print(f"{warehouse}: {len(skus):,} SKUs: {shown}")
