"""`tradelane plan inventory`: how much stock to send to each overseas warehouse before a peak."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import open_system
from tradelane.files.inventory_plan_file import write_plan_csv
from tradelane.forecasting.placement import PlacementCosts
from tradelane.services.inventory_plan import PlanCommand

__all__ = ["plan_app"]

plan_app = typer.Typer(help="Plans ahead of peaks.", no_args_is_help=True)
SHOWN = 20


def _lead_times(values: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for value in values:
        warehouse, _, days = value.partition("=")
        if not days.strip().isdigit():
            raise ValidationError("expected WAREHOUSE=DAYS", field="--lead-time", value=value)
        found[warehouse.strip().upper()] = int(days)
    return found


@plan_app.command("inventory")
def plan_inventory_command(
    as_of: Annotated[
        str | None, typer.Option("--date", help="Planning day (default: today).")
    ] = None,
    peak: Annotated[str | None, typer.Option(help="Peak window name (default: the next).")] = None,
    service_level: Annotated[
        float, typer.Option(help="In-stock probability over the cover.")
    ] = 0.95,
    lead_time: Annotated[
        list[str] | None, typer.Option("--lead-time", help="WAREHOUSE=DAYS by sea/rail (repeat).")
    ] = None,
    express_cost: Annotated[
        float, typer.Option(help="Per unit, express from China (estimate).")
    ] = 12.0,
    inbound_cost: Annotated[float, typer.Option(help="Per unit, sea/rail to the warehouse.")] = 0.8,
    last_mile_cost: Annotated[float, typer.Option(help="Per unit, warehouse to buyer.")] = 4.0,
    holding_cost: Annotated[float, typer.Option(help="Per unit and day in the warehouse.")] = 0.02,
    leftover_days: Annotated[
        float, typer.Option(help="Days a leftover unit waits to sell.")
    ] = 30.0,
    history: Annotated[
        Path | None, typer.Option(help="CSV date,sku,market,units (default: stored orders).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the whole plan as CSV.")] = None,
) -> None:
    """Units to pre-position per warehouse and SKU before a peak, and the cost saved."""
    with fail_on_errors():
        opened = open_system()
        day = opened.clock.now().date() if as_of is None else _day(as_of)
        costs = PlacementCosts(
            express_cost, inbound_cost, last_mile_cost, holding_cost, leftover_days
        )
        cmd = PlanCommand(day, costs, service_level, peak, _lead_times(lead_time or []), history)
        plan = opened.plan_inventory(cmd)
        table = Table(title=f"stock for {plan.peak.name} ({plan.peak.start} to {plan.peak.end})")
        for column in (
            "warehouse",
            "sku",
            "ship by",
            "ship units",
            "on hand",
            "cover demand",
            "saved",
        ):
            table.add_column(column, justify="left" if column in ("warehouse", "sku") else "right")
        for line in plan.lines[:SHOWN]:
            placed = line.placement
            late = "" if line.in_time else " (late)"
            table.add_row(
                line.warehouse,
                line.sku,
                f"{placed.ship_by}{late}",
                f"{placed.ship_units:,}",
                f"{line.on_hand:,}",
                f"{line.cover_mean:,.0f} ± {line.cover_sd:,.0f}",
                f"{placed.saved:,.2f}",
            )
        console.print(table)
        console.print(
            f"{len(plan.lines):,} SKU x warehouse lines; ship {plan.units:,} units; expected "
            f"saving {plan.saved:,.2f} against serving every order from China by express"
        )
        if out is not None:
            write_plan_csv(out, plan.lines)
            console.print(f"plan written to {out}")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("date must be YYYY-MM-DD", field="--date", value=text) from None
