"""`tradelane advisories add|list|end`: announced disruptions the switching acts on.

Parses, calls the application, presents. Registered on the main app by `register(app)`.
"""

from __future__ import annotations

from typing import Annotated

import pydantic
import typer
from rich.table import Table

from tradelane.bootstrap import open_application
from tradelane.domain.advisories import Advisory, AdvisoryKind
from tradelane.domain.catalog import AirType
from tradelane.domain.errors import InputErrors
from tradelane.entrypoints.console import at_or_now, console, fail_on_errors, option_instant
from tradelane.files.errors import from_pydantic
from tradelane.services.advisories import new_advisory_id

__all__ = ["register"]

advisories_app = typer.Typer(
    help="Announced disruptions (port, customs, carrier, flights, warehouse) switching acts on.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(advisories_app, name="advisories")


@advisories_app.command("add")
def add(
    kind: Annotated[AdvisoryKind, typer.Option("--kind", help="What is disrupted.")],
    severity: Annotated[float, typer.Option(help="0..1; 0.5 or more switches fully.")],
    starts: Annotated[str, typer.Option(help="ISO 8601 start with offset.")],
    source: Annotated[str, typer.Option(help="Who announced it, e.g. 'Marine Exchange'.")],
    port: Annotated[str | None, typer.Option(help="Clearance port (port and customs).")] = None,
    carrier: Annotated[str | None, typer.Option(help="Carrier (carrier_outage).")] = None,
    air_type: Annotated[
        AirType | None, typer.Option(help="Air type (flight_cancellations).")
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Channel (warehouse_overload).")] = None,
    ends: Annotated[str | None, typer.Option(help="ISO 8601 end (default: until ended).")] = None,
    note: Annotated[str, typer.Option(help="Free text.")] = "",
    advisory_id: Annotated[
        str | None, typer.Option("--id", help="Its id (default: a new one).")
    ] = None,
) -> None:
    """Record an advisory; the next switching evaluation switches the lanes it hits."""
    with fail_on_errors():
        document = {
            "id": advisory_id or new_advisory_id(),
            "kind": kind,
            "port": port,
            "carrier": carrier,
            "air_type": air_type,
            "channel": channel,
            "severity": severity,
            "starts_at": option_instant(starts, option="--starts"),
            "ends_at": option_instant(ends, option="--ends") if ends else None,
            "source": source,
            "note": note,
        }
        try:
            advisory = Advisory.model_validate(document)
        except pydantic.ValidationError as exc:
            raise InputErrors("advisory", from_pydantic(exc, where="advisory")) from None
        stored = open_application().record_advisory(advisory)
        console.print(f"[green]recorded[/] {stored.describe()}, severity {stored.severity:g}")


@advisories_app.command("list")
def list_command(
    active: Annotated[bool, typer.Option(help="Only those in force at --at.")] = False,
    at: Annotated[str | None, typer.Option(help="ISO 8601 time (default: now).")] = None,
) -> None:
    """Every advisory, latest start first."""
    with fail_on_errors():
        system = open_application()
        when = at_or_now(at, system.clock) if active else None
        found = system.advisories(active_at=when)
        table = Table("id", "kind", "scope", "severity", "starts", "ends", "source")
        for a in found:
            kind, value = a.scope
            ends = f"{a.ends_at:%Y-%m-%d %H:%M}" if a.ends_at else "open"
            table.add_row(
                a.id,
                a.kind.value,
                f"{kind} {value}",
                f"{a.severity:g}",
                f"{a.starts_at:%Y-%m-%d %H:%M}",
                ends,
                a.source,
            )
        console.print(table if found else "no advisories")


@advisories_app.command("end")
def end(
    advisory_id: str,
    at: Annotated[str | None, typer.Option(help="ISO 8601 end (default: now).")] = None,
) -> None:
    """End an advisory: its lanes recover through the switching recovery hold."""
    with fail_on_errors():
        system = open_application()
        ended = system.end_advisory(advisory_id, now=at_or_now(at, system.clock))
        assert ended.ends_at is not None
        console.print(f"advisory {ended.id} ended {ended.ends_at:%Y-%m-%d %H:%M} UTC")
