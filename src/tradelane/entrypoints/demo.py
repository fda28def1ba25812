"""`tradelane demo`: the story on a fresh embedded database, told in a few tables.

fresh SQLite ─▶ default catalogue ─▶ seeded peak-week orders ─▶ import ─▶ assign (mix)
             ─▶ default season scenario × {primary only, static backup, automated, oracle}
             ─▶ comparison table + what each strategy did (first switch after each
                disruption, orders moved, parcels re-routed at the hub, buyers told, the
                cause its switches named) + HTML report
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

from rich.table import Table

from tradelane.bootstrap import open_application
from tradelane.config import Settings
from tradelane.domain.catalog import Catalogue
from tradelane.domain.geo import market_of
from tradelane.domain.orders import Order
from tradelane.entrypoints.console import console, progress_bar
from tradelane.entrypoints.demo_story import story_table
from tradelane.entrypoints.selection_commands import show_channel_mix
from tradelane.entrypoints.simulation_commands import (
    DEFAULT_STRATEGIES,
    compare_strategies,
    write_report,
)
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.scenario_file import read_scenario
from tradelane.simulation.order_stream import generate_orders
from tradelane.simulation.strategies import Strategy

__all__ = ["DEMO_START", "run_demo"]

DEMO_START = datetime(2026, 11, 23, tzinfo=UTC)  # the Monday of Black Friday week 2026


def run_demo(*, order_count: int, seed: int, settings: Settings, season_scale: float) -> None:
    database = settings.data_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    system = open_application(settings.model_copy(update={"database_url": f"sqlite:///{database}"}))
    catalogue = default_catalogue()
    system.install_catalogue(catalogue, source="default")
    console.rule("[bold]tradelane demo[/] — Black Friday week 2026, China-origin seller")
    console.print(
        f"catalogue [bold]{catalogue.name}[/]: {len(catalogue.channels)} channels, "
        f"{sum(len(c.lanes) for c in catalogue.channels)} lanes "
        "(illustrative rates; see `tradelane channels list`)"
    )
    orders = generate_orders(order_count, seed=seed, start=DEMO_START)
    with progress_bar("import") as bar:
        task = bar.add_task("importing orders", total=len(orders))
        system.import_orders(
            orders,
            source="demo",
            progress=lambda done, total, _s: bar.update(task, completed=done),
        )
    console.print(_market_table(orders, catalogue_lanes=_lanes_by_country(catalogue)))
    console.print(_goods_table(orders))
    show_channel_mix(system, orders)
    console.print(f"orders, assignments and explanations stored in [bold]{database}[/]")
    report = _season(settings, scale=season_scale, seed=seed)
    console.print(
        "\nnext: open the report in a browser; `tradelane explain ORDER_ID` for one decision;"
        " `tradelane quote --country US --weight 0.4 --size 20x15x5 --value 25`;"
        " `tradelane simulate carrier-outage`; `tradelane serve` for the dashboard"
        f" (report: {report})"
    )


def _season(settings: Settings, *, scale: float, seed: int) -> Path:
    """The default scenario under each strategy on the production services."""
    scenario, catalogue = read_scenario("default")
    scenario = scenario.scaled(scale)
    console.rule(f"[bold]peak season[/] — scenario {scenario.name} at {scale:g} of full volume")
    console.print(scenario.description.strip())
    strategies = [Strategy.named(name) for name in DEFAULT_STRATEGIES]
    runs = compare_strategies(scenario, catalogue, strategies, settings=settings, seed=None)
    console.print(story_table(runs))
    return write_report(runs, out=None, settings=settings)


def _lanes_by_country(catalogue: Catalogue) -> Counter[str]:
    return Counter(lane.country for ch in catalogue.channels for lane in ch.lanes)


def _market_table(orders: list[Order], *, catalogue_lanes: Counter[str]) -> Table:
    table = Table(title="orders by market")
    for column in (
        "market",
        "orders",
        "median value USD",
        "median kg",
        "express %",
        "channels serving",
    ):
        table.add_column(column, justify="right")
    by_market: dict[str, list[Order]] = {}
    for order in orders:
        by_market.setdefault(market_of(order.destination.country).value, []).append(order)
    for market, group in sorted(by_market.items(), key=lambda kv: -len(kv[1])):
        countries = {o.destination.country for o in group}
        serving = min(catalogue_lanes[c] for c in countries)
        express = sum(o.urgency == "express" for o in group) / len(group)
        table.add_row(
            market,
            f"{len(group):,}",
            f"{median(float(o.declared_value.amount) for o in group):.2f}",
            f"{median(o.weight_kg for o in group):.2f}",
            f"{express:.0%}",
            f">= {serving}",
        )
    return table


def _goods_table(orders: list[Order]) -> Table:
    table = Table(title="restricted goods in the mix")
    table.add_column("goods class")
    table.add_column("orders", justify="right")
    counts = Counter(c.value for o in orders for c in o.goods_classes)
    for goods, count in counts.most_common():
        table.add_row(goods, f"{count:,} ({count / len(orders):.0%})")
    return table
