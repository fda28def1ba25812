"""`tradelane monitor deliver | endpoints | enable`: webhook delivery and endpoint state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Application
from tradelane.config import redact_url
from tradelane.entrypoints.console import console, fail_on_errors, option_instant
from tradelane.services.outbox_delivery import DeliveryReport
from tradelane.services.webhook_endpoints import enable_endpoint, endpoint_statuses

__all__ = ["print_delivery", "register_webhook_commands"]


def print_delivery(report: DeliveryReport) -> None:
    parked = f", {report.parked} parked (see `monitor endpoints`)" if report.parked else ""
    console.print(
        f"webhooks: {report.delivered} delivered, {report.failed} failed (will retry), "
        f"{report.postponed} postponed, {report.pending} pending{parked}"
    )


def register_webhook_commands(
    monitor_app: typer.Typer, open_system: Callable[[], Application]
) -> None:
    @monitor_app.command("deliver")
    def monitor_deliver(
        at: Annotated[
            str | None, typer.Option("--at", help="Deliver what is due as of this ISO time.")
        ] = None,
    ) -> None:
        """Send the due outbox messages to the configured webhooks (retries included)."""
        with fail_on_errors():
            now = None if at is None else option_instant(at)
            print_delivery(open_system().deliver_outbox(now=now))

    @monitor_app.command("endpoints")
    def monitor_endpoints() -> None:
        """Each webhook destination: active, disabled (410 Gone) or unconfigured, with its
        pending and parked messages."""
        with fail_on_errors():
            system = open_system()
            statuses = endpoint_statuses(
                uow=system.uow(), configured=list(system.settings.webhooks)
            )
            table = Table(title="webhook endpoints")
            for column in ("url", "state", "pending", "parked", "since", "reason"):
                table.add_column(column, overflow="fold")
            for status in statuses:
                since = status.since.isoformat(timespec="seconds") if status.since else "-"
                table.add_row(
                    redact_url(status.url),
                    status.state,
                    str(status.pending),
                    str(status.parked),
                    since,
                    status.reason or "-",
                )
            console.print(table)

    @monitor_app.command("enable")
    def monitor_enable(url: str) -> None:
        """Re-enable a disabled endpoint (or a destination configured again) and re-queue its
        parked messages."""
        with fail_on_errors():
            system = open_system()
            count = enable_endpoint(url, uow=system.uow(), now=system.clock.now())
            console.print(f"{redact_url(url)} enabled: {count} parked message(s) queued again")
