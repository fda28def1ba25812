"""`tradelane inventory import|list`: overseas-warehouse stock in units, which local last mile
draws down (assignments reserve units, hand-offs ship them). Each tenant has its own stock."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import open_system
from tradelane.store.tenancy import DEFAULT_TENANT

__all__ = ["inventory_app"]

inventory_app = typer.Typer(help="Overseas-warehouse stock.", no_args_is_help=True)
TenantOption = Annotated[str, typer.Option("--tenant", help="The tenant whose stock this is.")]


@inventory_app.command("import")
def inventory_import(path: Path, tenant: TenantOption = DEFAULT_TENANT) -> None:
    """Load stock from CSV (warehouse,sku,on_hand): all rows or none."""
    with fail_on_errors():
        totals = open_system().for_tenant(tenant).import_inventory(path)
        for warehouse, (skus, units) in sorted(totals.items()):
            console.print(f"{warehouse}: {skus:,} SKUs in stock, {units:,} units")


@inventory_app.command("list")
def inventory_list(tenant: TenantOption = DEFAULT_TENANT) -> None:
    """Units per warehouse: on hand, reserved by assigned orders, available to new ones."""
    with fail_on_errors():
        stock = open_system().for_tenant(tenant).stock()
        if not stock:
            console.print("no stock loaded (see `tradelane inventory import`)")
        for held in stock:
            shown = ", ".join(held.skus[:10]) + (" ..." if len(held.skus) > 10 else "")
            console.print(
                f"{held.warehouse}: {len(held.skus):,} SKUs: {shown}; {held.on_hand:,} on hand, "
                f"{held.reserved:,} reserved, {held.available:,} available"
            )
