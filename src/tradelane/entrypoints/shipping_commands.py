"""`tradelane ship` and `tradelane shipments register`: parse arguments, call, present."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Application, open_application
from tradelane.entrypoints.console import at_or_now, console, err_console, fail_on_errors
from tradelane.files.handoff_file import read_handoffs
from tradelane.services.ship import ShipCommand, ShipReport

__all__ = ["register"]

SHOWN = 25


def register(app: typer.Typer, shipments_app: typer.Typer) -> None:
    """Add `ship` to the main CLI and `register` to the `shipments` group."""
    app.command("ship")(ship)
    shipments_app.command("register")(shipments_register)


def _system() -> Application:
    return open_application()


def ship(
    order: Annotated[
        list[str] | None, typer.Option("--order", help="Order id to ship (repeatable).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="Ship on this channel, not the primary.")
    ] = None,
    tracking_number: Annotated[
        str | None,
        typer.Option("--tracking-number", help="Number the line gave (manual, one --order)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many orders.")] = None,
    labels: Annotated[
        Path | None, typer.Option("--labels", help="Folder to write carrier labels to.")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="Hand-off time, ISO 8601 with offset (default: now).")
    ] = None,
) -> None:
    """Book assigned orders on their primary (or --channel) and record the hand-offs.

    Carriers with an account in TRADELANE_CARRIER_ACCOUNTS are booked through karrio; every
    other line is manual (your --tracking-number, or one tradelane makes up). Exits 1 when
    any order could not ship.
    """
    with fail_on_errors():
        system = _system()
        command = ShipCommand(
            order_ids=tuple(order or ()),
            channel_id=channel,
            tracking_number=tracking_number,
            limit=limit,
        )
        report = system.ship(command, now=at_or_now(at, system.clock))
        _print_shipped(report, labels)
    if report.refused:
        raise typer.Exit(1)


def _print_shipped(report: ShipReport, labels: Path | None) -> None:
    table = Table(title=f"{len(report.shipped)} order(s) shipped")
    for column in ("order", "channel", "tracking number", "booked via", "label cost"):
        table.add_column(column)
    for shipped in report.shipped:
        booking = shipped.booking
        cost = "-" if booking.label_cost is None else str(booking.label_cost)
        table.add_row(
            shipped.order_id, shipped.channel_id, booking.tracking_number, booking.booked_via, cost
        )
        if labels is not None and booking.label is not None:
            labels.mkdir(parents=True, exist_ok=True)
            (labels / f"{booking.tracking_number}.{booking.label_format}").write_bytes(
                booking.label
            )
    console.print(table)
    if report.refused:
        refused = Table(title=f"{len(report.refused)} order(s) not shipped", title_style="bold red")
        for column in ("order", "why"):
            refused.add_column(column, overflow="fold")
        for error in report.refused[:SHOWN]:
            refused.add_row(str(error.value), error.message)
        err_console.print(refused)


def shipments_register(path: Path) -> None:
    """Record hand-offs made elsewhere from a CSV (order_id, channel_id, tracking_number,
    handed_over_at, optional promised_at, label_cost + currency): all or nothing."""
    with fail_on_errors():
        system = _system()
        report = system.record_handoffs(
            read_handoffs(path), source=str(path), booked_via=f"register:{path.name}"
        )
        console.print(
            f"[green]{report.recorded} hand-off(s) recorded[/], {report.updated} updated, "
            f"{report.unchanged} already recorded"
        )
