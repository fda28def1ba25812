"""`tradelane keys create | list | revoke`: API keys per tenant (admin work on the host)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import open_application
from tradelane.domain.access import parse_role
from tradelane.entrypoints.console import console, fail_on_errors

__all__ = ["register"]

keys_app = typer.Typer(help="API keys per tenant: create, list, revoke.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id (created if new).")],
    role: Annotated[str, typer.Option("--role", help="admin, operator or viewer.")],
    test: Annotated[bool, typer.Option("--test", help="A tl_test_ key (default: live).")] = False,
    label: Annotated[str, typer.Option("--label", help="What the key is for.")] = "",
) -> None:
    """Create a key and print it: it is shown this once (only its hash is stored)."""
    with fail_on_errors():
        created = open_application().create_key(
            tenant,
            parse_role(role, field="--role"),
            environment="test" if test else "live",
            label=label,
        )
        console.print(
            f"key {created.stored.key_id} for tenant {created.stored.tenant_id} "
            f"({created.stored.role.value}); store it now, it is not shown again:"
        )
        typer.echo(created.key)


@keys_app.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option("--tenant", help="One tenant's keys.")] = None,
) -> None:
    """Every key (never the key itself): id, tenant, role, environment, created, revoked."""
    with fail_on_errors():
        found = open_application().list_keys(tenant_id=tenant)
        table = Table(title=f"{len(found)} API key(s)")
        for column in ("id", "tenant", "role", "env", "label", "created", "revoked"):
            table.add_column(column)
        for key in found:
            revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-"
            table.add_row(
                key.key_id,
                key.tenant_id,
                key.role.value,
                key.environment,
                key.label or "-",
                key.created_at.isoformat(timespec="seconds"),
                revoked,
            )
        console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke a key at once: its next request gets 401."""
    with fail_on_errors():
        revoked = open_application().revoke_key(key_id)
        console.print(f"key {revoked.key_id} of tenant {revoked.tenant_id} revoked")
