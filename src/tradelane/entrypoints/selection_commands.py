"""CLI for channel selection: `tradelane assign`, `quote`, `explain`, `inventory ...`."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Tradelane, build
from tradelane.config import Settings
from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.money import to_decimal
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.files.assignment_file import write_assignments_csv
from tradelane.files.catalogue_file import load_catalogue
from tradelane.files.policy_file import load_policy
from tradelane.selection.conditions import FxTable
from tradelane.selection.decision import ChannelQuote, Decision
from tradelane.selection.policy import Policy
from tradelane.selection.summary import ChannelMix
from tradelane.services.assign import AssignReport, assign_order_file, assign_orders
from tradelane.services.catalogues import active_catalogue
from tradelane.services.inventory import import_inventory_file, put_stock
from tradelane.services.quote import QuoteResult, quote_order

__all__ = ["register"]

inventory_app = typer.Typer(help="Overseas-warehouse stock.", no_args_is_help=True)
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy YAML/TOML (default: built-in strategy).")
]
CatalogueOption = Annotated[
    Path | None, typer.Option("--catalogue", help="Catalogue YAML/TOML (default: the stored one).")
]


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
    app.command("quote")(quote)
    app.command("explain")(explain_order)
    app.add_typer(inventory_app, name="inventory")


def _system() -> Tradelane:
    system = build(Settings())
    system.migrate()
    return system


def _fx(system: Tradelane) -> FxTable:
    return FxTable(system.settings.fx_rates, system.settings.settlement_currency)


def _policy(path: Path | None) -> Policy:
    return Policy() if path is None else load_policy(path)


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
) -> None:
    """Choose primary + backup channels for every new stored order (or a file's orders)."""
    with fail_on_errors():
        system, started = _system(), time.perf_counter()
        chosen_policy = _policy(policy)
        with progress_bar("assign") as bar:
            task = bar.add_task("reading orders", total=None)

            def show(done: int, total: int, stage: str) -> None:
                bar.update(task, completed=done, total=total, description=stage)

            if file is None:
                report = assign_orders(
                    uow=system.uow(),
                    now=system.clock.now(),
                    fx=_fx(system),
                    policy=chosen_policy,
                    limit=limit,
                    limit_capacity=not ignore_capacity,
                    progress=show,
                )
            else:
                records, report = assign_order_file(
                    file,
                    uow=system.uow(),
                    now=system.clock.now(),
                    fx=_fx(system),
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


def show_channel_mix(system: Tradelane, orders: list[Order], *, stocked_skus: int = 20) -> None:
    """Demo step: stock the best sellers in every overseas warehouse, assign, show the mix."""
    catalogue = active_catalogue(uow=system.uow()).catalogue
    best = Counter(sku for order in orders for sku in order.skus).most_common(stocked_skus)
    warehouses = sorted({ch.warehouse for ch in catalogue.channels if ch.warehouse})
    rows = [(w, sku, 50 * count) for w in warehouses for sku, count in best]
    put_stock(rows, uow=system.uow(), now=system.clock.now())
    with progress_bar("assign") as bar:
        task = bar.add_task("assigning channels", total=len(orders))
        report = assign_orders(
            uow=system.uow(),
            now=system.clock.now(),
            fx=_fx(system),
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


def _size(text: str | None) -> Dimensions | None:
    if text is None:
        return None
    parts = text.lower().replace("×", "x").split("x")
    try:
        sides = [float(p) for p in parts]
    except ValueError:
        sides = []
    if len(sides) != 3 or min(sides) <= 0:
        raise ValidationError("size must be LxWxH in cm, e.g. 20x15x5", field="size", value=text)
    return Dimensions(length_cm=sides[0], width_cm=sides[1], height_cm=sides[2])


def _goods(text: str) -> frozenset[GoodsClass]:
    names = [g.strip() for g in text.replace(";", ",").split(",") if g.strip()]
    try:
        return frozenset(GoodsClass(g) for g in names)
    except ValueError:
        known = ", ".join(g.value for g in GoodsClass)
        raise ValidationError(
            f"unknown goods class (known: {known})", field="goods", value=text
        ) from None


def quote(
    country: Annotated[str, typer.Option(help="Destination ISO country code.")],
    weight: Annotated[float, typer.Option(help="Actual weight in kg.", min=0.001)],
    value: Annotated[str, typer.Option(help="Declared value, e.g. 25 or 25.90.")],
    size: Annotated[str | None, typer.Option(help="Box LxWxH in cm, e.g. 20x15x5.")] = None,
    goods: Annotated[str, typer.Option(help="Goods classes, comma-separated.")] = "general",
    urgency: Urgency = Urgency.STANDARD,
    promise_days: Annotated[int, typer.Option(min=1, max=120)] = 20,
    postcode: str | None = None,
    currency: str = "USD",
    sku: Annotated[str, typer.Option(help="SKU, to check overseas-warehouse stock.")] = (
        "unknown-sku"
    ),
    on: Annotated[
        datetime | None, typer.Option("--date", help="Order date (peak windows); default now.")
    ] = None,
    catalogue: CatalogueOption = None,
    policy: PolicyOption = None,
) -> None:
    """Every channel for one parcel: price, ETA p50/p90, on-time chance, or why it refuses."""
    with fail_on_errors():
        system = _system()
        created = (on.replace(tzinfo=UTC) if on and on.tzinfo is None else on) or system.clock.now()
        order = Order(
            order_id="QUOTE",
            created_at=created,
            destination=Address(country=country, postcode=postcode),
            lines=[
                OrderLine(
                    sku=sku,
                    unit_value=to_decimal(value, field="value"),
                    unit_weight_kg=weight,
                    dimensions=_size(size),
                    goods_classes=_goods(goods),
                )
            ],
            currency=currency,
            urgency=urgency,
            promised_days=promise_days,
        )
        result = quote_order(
            order,
            uow=system.uow(),
            now=system.clock.now(),
            fx=_fx(system),
            policy=_policy(policy),
            catalogue=None if catalogue is None else load_catalogue(catalogue),
        )
        console.print(quote_table(result))


def _roles(decision: Decision) -> dict[str, str]:
    roles = {} if decision.primary is None else {decision.primary.channel_id: "primary"}
    roles |= {b.channel_id: f"backup {k}" for k, b in enumerate(decision.backups, start=1)}
    return roles


def quote_table(result: QuoteResult) -> Table:
    facts, cur = result.facts, result.currency
    season = "peak season" if result.peak else "off-peak"
    table = Table(
        title=f"{facts.country} {facts.weight_kg:g} kg, {facts.currency} "
        f"{facts.declared_value}, {', '.join(sorted(g.value for g in facts.goods))}, "
        f"{facts.urgency.value}, promise {facts.promised_days} d "
        f"({season}; catalogue {result.catalogue_name})"
    )
    table.add_column("channel", no_wrap=True)
    table.add_column("mode", no_wrap=True)
    for column in (cur, "kg billed", "ETA p50/p90 d", "on-time"):
        table.add_column(column, justify="right")
    table.add_column("assignment / why not", overflow="fold")
    roles = _roles(result.decision)
    for q in sorted(result.quotes, key=lambda q: _rank(q, roles)):
        table.add_row(*_quote_cells(q, roles))
    return table


def _rank(q: ChannelQuote, roles: dict[str, str]) -> tuple[int, float]:
    """Primary, backups in order, other fitting channels by score, then refused channels."""
    role = roles.get(q.channel.id)
    if role is not None:
        return (0, 0.0 if role == "primary" else float(role.split()[-1]))
    return (1, q.score.total) if q.score is not None else (2, 0.0)


def _quote_cells(q: ChannelQuote, roles: dict[str, str]) -> list[str]:
    price = "" if q.price is None else f"{q.price.price:.2f}"
    billed = "" if q.price is None else f"{q.price.chargeable_kg:g}"
    eta = "" if q.eta is None else f"{q.eta.p50_days:.1f} / {q.eta.p90_days:.1f}"
    on_time = "" if q.eta is None else f"{q.eta.on_time_probability:.0%}"
    if q.fits:
        verdict = f"[green]{roles.get(q.channel.id, 'eligible')}[/]"
    else:
        verdict = f"[red]{'; '.join(q.refusals)}[/]"
    return [q.channel.id, q.channel.mode.value, price, billed, eta, on_time, verdict]


def explain_order(order_id: str) -> None:
    """The stored assignment of an order: channels, reason and score breakdown."""
    with fail_on_errors():
        system = _system()
        with system.uow() as uow:
            records = uow.assignments.history(order_id)
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


@inventory_app.command("import")
def inventory_import(path: Path) -> None:
    """Load stock from CSV (warehouse,sku,on_hand): all rows or none."""
    with fail_on_errors():
        system = _system()
        totals = import_inventory_file(path, uow=system.uow(), now=system.clock.now())
        for warehouse, (skus, units) in sorted(totals.items()):
            console.print(f"{warehouse}: {skus:,} SKUs in stock, {units:,} units")


@inventory_app.command("list")
def inventory_list() -> None:
    """SKUs in stock per warehouse."""
    with fail_on_errors():
        system = _system()
        with system.uow() as uow:
            stocked = uow.inventory.stocked()
        if not stocked:
            console.print("no stock loaded (see `tradelane inventory import`)")
        for warehouse, skus in sorted(stocked.items()):
            shown = ", ".join(sorted(skus)[:10]) + (" ..." if len(skus) > 10 else "")
            console.print(f"{warehouse}: {len(skus):,} SKUs: {shown}")
