"""The `tradelane` command line (Typer + Rich). Parses, calls a service, presents."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane import __version__
from tradelane.bootstrap import Application, open_application
from tradelane.config import Settings, redact_url
from tradelane.domain.catalog import Catalogue, Channel
from tradelane.entrypoints.advisory_commands import register as register_advisories
from tradelane.entrypoints.allocation_commands import allocate_command
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.entrypoints.demo import run_demo
from tradelane.entrypoints.eta_commands import eta_app
from tradelane.entrypoints.event_commands import register as register_events
from tradelane.entrypoints.experiment_commands import register as register_experiments
from tradelane.entrypoints.history_commands import register as register_history
from tradelane.entrypoints.key_commands import register as register_keys
from tradelane.entrypoints.monitoring_commands import register_monitoring_commands
from tradelane.entrypoints.plan_commands import plan_app
from tradelane.entrypoints.scorecard_commands import register as register_scorecards
from tradelane.entrypoints.selection_commands import register as register_selection
from tradelane.entrypoints.shipping_commands import register as register_shipping
from tradelane.entrypoints.simulation_commands import simulate_command
from tradelane.entrypoints.switching_commands import register as register_switching
from tradelane.entrypoints.tracking_commands import register as register_tracking_commands
from tradelane.entrypoints.tracking_commands import shipments_app
from tradelane.entrypoints.webhook_commands import register_subscription_commands
from tradelane.entrypoints.worker_commands import register as register_workers
from tradelane.files.catalogue_file import load_catalogue
from tradelane.files.order_file import write_orders_csv
from tradelane.files.order_sources import OrderFormat, read_order_source
from tradelane.simulation.order_stream import generate_orders

app = typer.Typer(
    help="tradelane: primary + backup shipping channels for cross-border sellers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
channels_app = typer.Typer(help="Inspect and validate the channel catalogue.", no_args_is_help=True)
orders_app = typer.Typer(help="Import and generate orders.", no_args_is_help=True)
app.add_typer(channels_app, name="channels")
app.add_typer(orders_app, name="orders")
register_tracking_commands(app)
register_shipping(app, shipments_app)
app.command("simulate")(simulate_command)
register_monitoring_commands(app)
register_switching(app)
register_advisories(app)
register_workers(app)
register_events(app)
register_subscription_commands(app)
app.command("allocate")(allocate_command)
app.add_typer(plan_app, name="plan")
app.add_typer(eta_app, name="eta")

CatalogueOption = Annotated[
    Path | None, typer.Option("--catalogue", help="Catalogue YAML/TOML (default: the stored one).")
]


def _app() -> Application:
    return open_application()


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"tradelane {__version__}")


@app.command()
def init(catalogue: CatalogueOption = None) -> None:
    """Create or upgrade the database and install a catalogue (the default when none is given)."""
    with fail_on_errors():
        system = _app()
        try:
            _install_catalogue(system, catalogue)
        finally:
            system.engine.dispose()
        console.print(f"database ready: {redact_url(system.settings.resolved_database_url)}")


def _install_catalogue(system: Application, catalogue: Path | None) -> None:
    present = system.installed_catalogue()
    if present is None or catalogue is not None:
        version = system.install_catalogue_file(catalogue)
        console.print(f"catalogue installed as version {version}")
    else:
        console.print(f"catalogue version {present.version_id} ({present.catalogue.name}) kept")


def _catalogue(path: Path | None) -> Catalogue:
    if path is not None:
        return load_catalogue(path)
    return _app().catalogue().catalogue


@channels_app.command("list")
def channels_list(catalogue: CatalogueOption = None) -> None:
    """One line per channel: mode, carrier, limits, capacity and lanes."""
    with fail_on_errors():
        found = _catalogue(catalogue)
        table = Table(title=f"catalogue {found.name}: {len(found.channels)} channels")
        for column in ("id", "mode", "carrier", "air", "customs", "max kg", "per day", "lanes"):
            table.add_column(column)
        for ch in found.channels:
            table.add_row(
                ch.id,
                ch.mode.value,
                ch.carrier,
                ch.air_type.value,
                ch.customs_model.value,
                f"{ch.limits.max_weight_kg:g}",
                f"{ch.daily_capacity:,}",
                " ".join(lane.country for lane in ch.lanes),
            )
        console.print(table)


@channels_app.command("show")
def channels_show(channel_id: str, catalogue: CatalogueOption = None) -> None:
    """Everything about one channel, with its lanes and transit profiles."""
    with fail_on_errors():
        _print_channel(_catalogue(catalogue).channel(channel_id))


def _print_channel(ch: Channel) -> None:
    card = ch.rate_card
    console.print(
        f"[bold]{ch.id}[/] — {ch.name}\n  carrier {ch.carrier} / {ch.service}, "
        f"mode {ch.mode.value}, origin {ch.origin}, air {ch.air_type.value}, "
        f"customs {ch.customs_model.value}, clearance {', '.join(ch.clearance_ports) or '-'}"
        f"\n  accepts {', '.join(sorted(ch.accepts))}\n  limits "
        f"{ch.limits.model_dump(exclude_none=True)}\n  capacity {ch.daily_capacity:,}/day,"
        f" cut-off {ch.cutoff_local}\n  rates {card.currency}, divisor "
        f"{card.volumetric_divisor_cm3_per_kg:g} cm³/kg, rounding "
        f"{card.rounding_increment_kg:g} kg, fuel {card.fuel_surcharge_pct}%"
    )
    table = Table(title="lanes")
    for column in ("country", "zone", "p50 days", "p90 days", "peak +%", "clearance"):
        table.add_column(column)
    for lane in ch.lanes:
        t = lane.transit
        table.add_row(
            lane.country,
            lane.zone,
            f"{t.p50_days:g}",
            f"{t.p90_days:g}",
            f"{t.peak_uplift_pct:g}",
            lane.clearance_port or "-",
        )
    console.print(table)


@channels_app.command("validate")
def channels_validate(path: Path) -> None:
    """Validate a catalogue file; every problem names its path and value."""
    with fail_on_errors():
        found = load_catalogue(path)
        lanes = sum(len(c.lanes) for c in found.channels)
        console.print(f"[green]ok[/] {path}: {len(found.channels)} channels, {lanes} lanes")


@orders_app.command("import")
def orders_import(
    path: Path,
    format: Annotated[
        OrderFormat,
        typer.Option(
            "--format",
            help="tradelane (our CSV/JSON Lines), shopify (an orders export), mapped.",
        ),
    ] = OrderFormat.TRADELANE,
    products: Annotated[
        Path | None,
        typer.Option("--products", help="Products CSV (sku, weight_kg, ...) for exports."),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="YAML/TOML mapping any CSV's columns.")
    ] = None,
) -> None:
    """Import orders: all or nothing, with a per-row error report.

    Reads tradelane CSV or JSON Lines, a Shopify orders export (--format shopify --products
    PRODUCTS.csv), or any CSV through --mapping MAP.yaml.
    """
    with fail_on_errors():
        system = _app()
        started = time.perf_counter()
        total, entries = read_order_source(path, format=format, products=products, mapping=mapping)
        with progress_bar("orders") as bar:
            task = bar.add_task(f"importing {path.name}", total=None)

            def show(done: int, total: int, stage: str) -> None:
                bar.update(task, completed=done, total=total, description=f"{stage} {path.name}")

            report = system.import_order_entries(entries, total, source=str(path), progress=show)
        seconds = time.perf_counter() - started
        top = ", ".join(
            f"{c} {n:,}" for c, n in sorted(report.countries.items(), key=lambda kv: -kv[1])[:8]
        )
        console.print(f"[green]imported {report.imported:,} orders[/] in {seconds:.1f} s ({top})")


@orders_app.command("sample")
def orders_sample(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    count: Annotated[int, typer.Option(min=1, max=5_000_000)] = 1000,
    seed: int = 7,
) -> None:
    """Write a seeded sample of realistic orders as CSV (for trying the import)."""
    with fail_on_errors():
        start = datetime(2026, 11, 23, tzinfo=UTC)
        write_orders_csv(generate_orders(count, seed=seed, start=start), out)
        console.print(f"wrote {count:,} orders to {out}")


@app.command()
def demo(
    orders: Annotated[int, typer.Option(min=10, max=200_000, help="Orders to generate.")] = 3000,
    seed: int = 7,
    season_scale: Annotated[
        float, typer.Option(min=0.001, max=10, help="Volume of the simulated season (1 = full).")
    ] = 0.04,
) -> None:
    """Run the peak-season story on a fresh embedded database (needs no setup)."""
    with fail_on_errors():
        run_demo(order_count=orders, seed=seed, settings=Settings(), season_scale=season_scale)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind; 0.0.0.0 exposes the API to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    tick_every: Annotated[
        str | None,
        typer.Option(
            "--tick-every", help="Run sweep -> switching -> delivery in-process: 30s, 5m, 1h."
        ),
    ] = None,
) -> None:
    """Serve the HTTP API and the dashboard (uvicorn); every route needs an API key."""
    import uvicorn

    from tradelane.entrypoints.api.app import create_app
    from tradelane.entrypoints.scheduler import parse_interval

    with fail_on_errors():
        interval = None if tick_every is None else parse_interval(tick_every)
        uvicorn.run(create_app(_app(), tick_every=interval), host=host, port=port)


register_selection(app)
register_history(app)
register_scorecards(app)
register_experiments(app)
register_keys(app)
