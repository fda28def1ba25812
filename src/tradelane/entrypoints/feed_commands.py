"""`tradelane track poll` and `tradelane track webhooks`: live tracking feeds from the CLI."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.table import Table

from tradelane.bootstrap import Application
from tradelane.carriers.polling.rate import CarrierPace
from tradelane.entrypoints.console import console, err_console, fail_on_errors
from tradelane.services.poll_tracking import PollReport

__all__ = ["poll_once", "print_poll", "register_feed_commands"]


def register_feed_commands(track_app: typer.Typer, system: Callable[[], Application]) -> None:
    """Add `poll` and `webhooks` to the `track` group; `system` builds the migrated app."""

    @track_app.command("poll")
    def track_poll() -> None:
        """Ask every carrier with a karrio account (TRADELANE_CARRIER_ACCOUNTS) for the
        tracking of its active shipments, in paced batches; exits 1 if a request failed."""
        with fail_on_errors():
            report = poll_once(system())
            print_poll(report)
        if report.failures:
            raise typer.Exit(1)

    @track_app.command("webhooks")
    def track_webhooks() -> None:
        """How many inbound tracking webhooks ended in each outcome, per source."""
        with fail_on_errors():
            rows = system().tracking_intake_counts()
        table = Table(title="inbound tracking webhooks")
        for column in ("source", "outcome", "count", "last (UTC)"):
            table.add_column(column)
        for source, outcome, count, last in rows:
            table.add_row(source, outcome, str(count), f"{last:%Y-%m-%d %H:%M:%S}")
        console.print(table)


def poll_once(system: Application, pace: CarrierPace | None = None) -> PollReport:
    return system.poll_tracking(pace=(pace or CarrierPace()).wait)


def print_poll(report: PollReport) -> None:
    ingest = report.ingest
    stored = 0 if ingest is None else ingest.stored
    console.print(
        f"polled {report.numbers} shipment(s) in {report.requests} request(s): "
        f"[green]{stored} new event(s)[/]"
    )
    for carrier, why in report.failures:
        err_console.print(f"[bold red]{carrier}:[/] {why}")
