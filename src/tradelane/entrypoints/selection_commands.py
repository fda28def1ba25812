"""CLI for channel selection: `tradelane assign`, `quote`, `explain`, `inventory ...`."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Application
from tradelane.domain.orders import Order
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.entrypoints.inventory_commands import inventory_app
from tradelane.entrypoints.quote_command import quote
from tradelane.entrypoints.selection_options import (
    CatalogueOption,
    PolicyOption,
    open_system,
    policy_of,
)
from tradelane.files.assignment_file import write_assignments_csv
from tradelane.files.catalogue_file import load_catalogue
from tradelane.selection.policy import Policy
from tradelane.selection.summary import ChannelMix
from tradelane.services.assign import AssignReport

__all__ = ["mix_table", "register", "show_channel_mix"]


def register(app: typer.Typer) -> None:
    """Add the selection commands to the `tradelane` app."""
    app.command("assign")(assign)
    app.command("quote")(quote)
    app.command("explain")(explain_order)
    app.add_typer(inventory_app, name="inventory")


def assign(
    limit: Annotated[int | None, typer.Option(min=1, help="Assign at most this many.")] = None,
    policy: PolicyOption = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Decide a CSV/JSONL file instead (not stored).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="CSV for --file results.")] = None,
    catalogue: CatalogueOption = None,
    ignore_capacity: Annotated[
        bool, typer.Option("--ignore-capacity", help="Do not limit channels to today's capacity.")
    ] = False,
    eta_model: Annotated[
        bool,
        typer.Option(
            "--eta-model", help="Use the latest ETA model's transit on lanes where it won."
        ),
    ] = False,
) -> None:
    """Choose primary + backup channels for every new stored order (or a file's orders)."""
    with fail_on_errors():
        opened, started = open_system(), time.perf_counter()
        chosen_policy = policy_of(policy)
        with progress_bar("assign") as bar:
            task = bar.add_task("reading orders", total=None)

            def show(done: int, total: int, stage: str) -> None:
                bar.update(task, completed=done, total=total, description=stage)

            if file is None:
                predicted = opened.predicted_transit() if eta_model else None
                report = opened.assign(
                    policy=chosen_policy,
                    limit=limit,
                    limit_capacity=not ignore_capacity,
                    progress=show,
                    predicted=predicted,
                )
            else:
                records, report = opened.assign_file(
                    file,
                    policy=chosen_policy,
                    catalogue=None if catalogue is None else load_catalogue(catalogue),
                    progress=show,
                )
                target = out or file.with_name(file.stem + ".assignments.csv")
                write_assignments_csv(records, target)
        _print_report(report, seconds=time.perf_counter() - started)
        if file is not None:
            console.print(f"wrote {len(records):,} assignments to {target}")


def _print_report(report: AssignReport, *, seconds: float) -> None:
    _print_skipped(report)
    if not report.orders:
        console.print("no new orders to assign")
        return
    console.print(mix_table(report.mix, currency=report.currency, title="channel mix"))
    console.print(
        f"[green]assigned {report.assigned:,} of {report.orders:,} orders[/] in {seconds:.1f} s "
        f"(policy {report.policy_version}, catalogue version {report.catalogue_version_id})"
    )
    if report.unassigned_count:
        console.print(
            f"[bold red]{report.unassigned_count:,} orders have no eligible channel[/] "
            "(stored with the reasons; they are retried on the next run). First ones:"
        )
        for order_id, reason in report.unassigned[:5]:
            console.print(f"  {order_id}: {reason}")


def _print_skipped(report: AssignReport) -> None:
    if not report.skipped:
        return
    console.print(
        f"[bold red]{len(report.skipped):,} orders skipped[/]: they cannot be decided and stay "
        "new until fixed. First ones:"
    )
    for order_id, reason in report.skipped[:5]:
        console.print(f"  {order_id}: {reason}")


def show_channel_mix(opened: Application, orders: list[Order], *, stocked_skus: int = 20) -> None:
    """Demo step: stock the best sellers in every overseas warehouse, assign, show the mix."""
    catalogue = opened.catalogue().catalogue
    best = Counter(sku for order in orders for sku in order.skus).most_common(stocked_skus)
    warehouses = sorted({ch.warehouse for ch in catalogue.channels if ch.warehouse})
    rows = [(w, sku, 50 * count) for w in warehouses for sku, count in best]
    opened.put_stock(rows)
    with progress_bar("assign") as bar:
        task = bar.add_task("assigning channels", total=len(orders))
        report = opened.assign(
            policy=Policy(),
            progress=lambda done, total, stage: bar.update(task, completed=done, description=stage),
        )
    console.print(
        f"stocked the {len(best)} best-selling SKUs in {', '.join(warehouses)}; "
        f"policy {report.policy_version}"
    )
    console.print(mix_table(report.mix, currency=report.currency, title="channel mix chosen"))
    if report.unassigned_count:
        console.print(
            f"{report.unassigned_count:,} orders have no eligible channel (reasons stored), "
            f"e.g. {report.unassigned[0][0]}: {report.unassigned[0][1][:160]}"
        )


def mix_table(mix: list[ChannelMix], *, currency: str, title: str) -> Table:
    """Orders, share, cost and mean on-time probability per primary channel."""
    total = sum(m.orders for m in mix) or 1
    table = Table(title=title)
    for column in ("primary channel", "orders", "share", f"avg {currency}", "mean on-time"):
        table.add_column(column, justify="left" if column == "primary channel" else "right")
    for m in mix:
        average = "" if m.cost is None else f"{m.cost / m.orders:.2f}"
        on_time = "" if m.mean_on_time is None else f"{m.mean_on_time:.0%}"
        name = m.channel_id or "[red]no eligible channel[/]"
        table.add_row(name, f"{m.orders:,}", f"{m.orders / total:.1%}", average, on_time)
    return table


def explain_order(order_id: str) -> None:
    """The stored assignment of an order: channels, reason and score breakdown."""
    with fail_on_errors():
        opened = open_system()
        records = opened.assignment_history(order_id)
        if not records:
            console.print(f"order {order_id!r} has no assignment")
            raise typer.Exit(2)
        current = records[-1]
        console.print(
            f"[bold]{order_id}[/] primary {current.primary_channel_id or '-'}, backups "
            f"{', '.join(current.backup_channel_ids) or '-'}; cost {current.cost or '-'}; "
            f"policy {current.policy_version}, assigned {current.assigned_at:%Y-%m-%d %H:%M} UTC"
            f" ({len(records)} assignment(s) so far)\n{current.reason}"
        )
