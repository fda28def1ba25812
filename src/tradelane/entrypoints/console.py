"""Shared by CLI commands: Rich errors, progress bars, tables, and the time options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tradelane.clock import Clock
from tradelane.domain.errors import InputErrors, TradelaneError, ValidationError
from tradelane.domain.instants import parse_instant

__all__ = ["at_or_now", "console", "fail_on_errors", "option_instant", "progress_bar"]

console = Console()
err_console = Console(stderr=True)
SHOWN_ERRORS = 25


@contextmanager
def fail_on_errors() -> Iterator[None]:
    """Print tradelane errors readably and exit 2; anything else is a bug and propagates."""
    try:
        yield
    except InputErrors as exc:
        table = Table(
            title=f"{len(exc.errors)} problem(s) in {exc.source} — nothing was stored",
            title_style="bold red",
            show_lines=False,
        )
        for column in ("where", "field", "value", "problem"):
            table.add_column(column, overflow="fold")
        for error in exc.errors[:SHOWN_ERRORS]:
            value = "" if error.value is None else repr(error.value)
            table.add_row(error.where, error.field, value, error.message)
        err_console.print(table)
        if len(exc.errors) > SHOWN_ERRORS:
            err_console.print(f"... and {len(exc.errors) - SHOWN_ERRORS} more")
        raise typer.Exit(2) from None
    except TradelaneError as exc:
        err_console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        yield progress


def option_instant(text: str, *, option: str = "--at") -> datetime:
    """The tz-aware time a CLI option names; a ValidationError naming `option` and `text`."""
    try:
        return parse_instant(text)
    except ValueError as exc:
        raise ValidationError(str(exc), field=option, value=text) from None


def at_or_now(text: str | None, clock: Clock, *, option: str = "--at") -> datetime:
    """The time `option` names, or the clock's now when it was not given."""
    return clock.now() if text is None else option_instant(text, option=option)
