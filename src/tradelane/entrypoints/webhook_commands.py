"""`tradelane monitor deliver | endpoints | enable`: webhook delivery and endpoint state;
`tradelane webhooks subscribe | subscriptions | unsubscribe`: a tenant's own subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Application, open_application
from tradelane.config import redact_url
from tradelane.entrypoints.console import console, fail_on_errors, option_instant
from tradelane.services.outbox_delivery import DeliveryReport
from tradelane.store.tenancy import DEFAULT_TENANT

__all__ = ["print_delivery", "register_subscription_commands", "register_webhook_commands"]

webhooks_app = typer.Typer(
    help="A tenant's webhook subscriptions: subscribe, list, unsubscribe.", no_args_is_help=True
)
TenantOption = Annotated[
    str, typer.Option("--tenant", help="The tenant whose subscriptions these are.")
]


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
        """Each webhook destination: active, disabled (410 Gone, for the tenants listed) or
        unconfigured, with its pending and parked messages."""
        with fail_on_errors():
            statuses = open_system().webhook_endpoints()
            table = Table(title="webhook endpoints")
            for column in ("url", "state", "tenants", "pending", "parked", "since", "reason"):
                table.add_column(column, overflow="fold")
            for status in statuses:
                since = status.since.isoformat(timespec="seconds") if status.since else "-"
                table.add_row(
                    redact_url(status.url),
                    status.state,
                    ", ".join(status.tenants) or "-",
                    str(status.pending),
                    str(status.parked),
                    since,
                    status.reason or "-",
                )
            console.print(table)

    @monitor_app.command("enable")
    def monitor_enable(
        url: str,
        tenant: Annotated[
            str | None,
            typer.Option("--tenant", help="Only for this tenant (default: for every tenant)."),
        ] = None,
    ) -> None:
        """Re-enable a disabled endpoint (or a destination configured again) and re-queue its
        parked messages."""
        with fail_on_errors():
            count = open_system().enable_webhook_endpoint(url, tenant=tenant)
            console.print(f"{redact_url(url)} enabled: {count} parked message(s) queued again")


def register_subscription_commands(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("subscribe")
def webhooks_subscribe(
    url: str,
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", help="A topic to receive (repeat; default: every topic)."),
    ] = None,
    tenant: TenantOption = DEFAULT_TENANT,
) -> None:
    """Queue the tenant's events for URL and print the signing secret: it is shown this once."""
    with fail_on_errors():
        system = open_application().for_tenant(tenant)
        added, secret = system.subscribe_webhook(url, topics=topic or None)
        topics = ", ".join(added.topics) if added.topics else "every topic"
        console.print(
            f"subscription {added.id} of tenant {added.tenant_id}: {redact_url(added.url)} "
            f"({topics}); store its secret now, it is not shown again:"
        )
        typer.echo(secret)


@webhooks_app.command("subscriptions")
def webhooks_subscriptions(tenant: TenantOption = DEFAULT_TENANT) -> None:
    """The tenant's subscriptions (never their secrets)."""
    with fail_on_errors():
        found = open_application().for_tenant(tenant).webhook_subscriptions()
        table = Table(title=f"{len(found)} webhook subscription(s) of tenant {tenant}")
        for column in ("id", "url", "topics", "created"):
            table.add_column(column, overflow="fold")
        for subscription in found:
            table.add_row(
                str(subscription.id),
                redact_url(subscription.url),
                ", ".join(subscription.topics) if subscription.topics else "all",
                subscription.created_at.isoformat(timespec="seconds"),
            )
        console.print(table)


@webhooks_app.command("unsubscribe")
def webhooks_unsubscribe(subscription_id: int, tenant: TenantOption = DEFAULT_TENANT) -> None:
    """Queue nothing more for the subscription; its queued messages are not sent."""
    with fail_on_errors():
        ended = open_application().for_tenant(tenant).unsubscribe_webhook(subscription_id)
        console.print(f"subscription {ended.id} ({redact_url(ended.url)}) deleted")
