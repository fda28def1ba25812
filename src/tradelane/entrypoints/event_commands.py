"""`tradelane events prune --older-than 400d`: the retention policy of tracking events."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer

from tradelane.bootstrap import open_application
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.services.event_retention import DEFAULT_BATCH

__all__ = ["parse_age", "register"]

events_app = typer.Typer(help="Tracking events: retention.", no_args_is_help=True)
_AGE = re.compile(r"(\d+)\s*([dh])")
_UNITS = {"d": "days", "h": "hours"}


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")


def parse_age(text: str, *, field: str = "--older-than") -> timedelta:
    """'400d' or '36h' as a duration; ValidationError naming `field` otherwise."""
    match = _AGE.fullmatch(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise ValidationError("must be a positive age in days or hours, e.g. 400d", field=field)
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@events_app.command("prune")
def events_prune(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Delete events that occurred before this age.")
    ],
    batch: Annotated[int, typer.Option(min=1, help="Events deleted per transaction.")] = (
        DEFAULT_BATCH
    ),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count them.")] = False,
) -> None:
    """Delete tracking events older than the retention age (every tenant), a batch per
    transaction; shipments keep their status and last event."""
    with fail_on_errors():
        age = parse_age(older_than)
        report = open_application().prune_events(older_than=age, batch=batch, dry_run=dry_run)
    verb = "would delete" if report.dry_run else "deleted"
    console.print(
        f"{verb} {report.deleted} event(s) that occurred before "
        f"{report.cutoff.isoformat()} ({report.batches} batch(es))"
    )
