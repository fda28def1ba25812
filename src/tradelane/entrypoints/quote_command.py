"""`tradelane quote`: every channel for one parcel typed on the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.money import to_decimal
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions
from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import (
    CatalogueOption,
    PolicyOption,
    open_system,
    policy_of,
)
from tradelane.files.catalogue_file import load_catalogue
from tradelane.selection.decision import ChannelQuote, Decision
from tradelane.services.quote import QuoteResult

__all__ = ["quote", "quote_table"]


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
        opened = open_system()
        created = (on.replace(tzinfo=UTC) if on and on.tzinfo is None else on) or opened.clock.now()
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
        result = opened.quote(
            order,
            policy=policy_of(policy),
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
