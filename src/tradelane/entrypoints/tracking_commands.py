"""`tradelane track import` and `tradelane shipments show`: parse arguments, call, present."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from tradelane.bootstrap import Application, open_application
from tradelane.carriers.formats import FORMATS
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import console, err_console, fail_on_errors
from tradelane.entrypoints.feed_commands import register_feed_commands
from tradelane.services.ingest_tracking import IngestReport
from tradelane.services.tracking_queries import ShipmentTimeline
from tradelane.tracking.normalize import TIMED_MILESTONES

__all__ = ["register", "shipments_app", "track_app"]

track_app = typer.Typer(
    help="Carrier tracking: import files, poll carriers, inbound webhook counts.",
    no_args_is_help=True,
)
shipments_app = typer.Typer(help="Inspect shipments and their timelines.", no_args_is_help=True)
SHOWN_REJECTS = 25


def register(app: typer.Typer) -> None:
    """Add the `track` and `shipments` command groups to the main CLI."""
    register_feed_commands(track_app, _system)
    app.add_typer(track_app, name="track")
    app.add_typer(shipments_app, name="shipments")


def _system() -> Application:
    return open_application()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("unknown IANA time zone", field="--assume-tz", value=name) from exc


@track_app.command("import")
def track_import(
    path: Path,
    format: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")],
    assume_tz: Annotated[
        str,
        typer.Option(
            help="Zone of carrier times written without an offset (such a scan is known by its "
            "wall time: a re-import under another zone adds nothing)."
        ),
    ] = "UTC",
) -> None:
    """Import a carrier response, webhook payload or CSV; exits 1 if any entry was rejected,
    2 if the file is refused whole (not the named format, unreadable, a carrier error)."""
    with fail_on_errors():
        system = _system()
        report = system.import_tracking_file(path, format=format, assume_tz=_zone(assume_tz))
        _print_report(report)
    if report.rejected:
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    console.print(
        f"[green]{report.stored} new event(s)[/] from {report.received} entries "
        f"({report.duplicates} already known, {report.unknown_codes} unknown code(s)); "
        f"{report.shipments_created} new shipment(s), {report.shipments_updated} updated"
    )
    if not report.rejected:
        return
    table = Table(title=f"{len(report.rejected)} entry(ies) rejected", title_style="bold yellow")
    for column in ("where", "field", "value", "problem"):
        table.add_column(column, overflow="fold")
    for error in report.rejected[:SHOWN_REJECTS]:
        value = "" if error.value is None else repr(error.value)
        table.add_row(error.where, error.field, value, error.message)
    err_console.print(table)


@shipments_app.command("show")
def shipments_show(tracking_number: str) -> None:
    """A shipment's status, milestone times, full timeline and open alerts."""
    with fail_on_errors():
        _print_timeline(_system().shipment_timeline(tracking_number))


def _when(value: object) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def _print_timeline(view: ShipmentTimeline) -> None:
    s = view.shipment
    state = "active" if s["is_active"] else "closed"
    console.print(
        f"[bold]{s['tracking_number']}[/] ({s['carrier']}) — [bold]{s['status']}[/] ({state})\n"
        f"  order {s['order_id'] or '-'}, channel {s['channel_id'] or '-'}, "
        f"{s['origin_country'] or '?'} → {s['destination_country'] or '?'}, "
        f"promised {_when(s['promised_at'])}, last event {_when(s['last_event_at'])}"
    )
    reached = [(m, s[_column(m)]) for m in TIMED_MILESTONES if s[_column(m)] is not None]
    console.print("  " + ", ".join(f"{m.value} {_when(t)}" for m, t in reached))
    table = Table(title=f"timeline ({len(view.events)} events)")
    for column in ("time (UTC)", "milestone", "code", "what the carrier said", "where"):
        table.add_column(column, overflow="fold")
    for e in view.events:
        flag = " [yellow](unknown code)[/]" if e.unknown_code else ""
        where = ", ".join(p for p in (e.location, e.country or "") if p)
        table.add_row(
            _when(e.occurred_at), e.milestone.value, e.status_code + flag, e.status_text, where
        )
    console.print(table)
    _print_alerts(view.open_alerts)


def _column(milestone: object) -> str:
    name = str(milestone)
    return "arrived_destination_at" if name == "arrived_destination_country" else f"{name}_at"


def _print_alerts(alerts: list[dict[str, object]]) -> None:
    if not alerts:
        console.print("no open alerts")
        return
    table = Table(title=f"{len(alerts)} open alert(s)", title_style="bold red")
    for column in ("rule", "state", "opened", "detail"):
        table.add_column(column, overflow="fold")
    for alert in alerts:
        table.add_row(
            str(alert["rule"]), str(alert["state"]), _when(alert["opened_at"]), str(alert["detail"])
        )
    console.print(table)
