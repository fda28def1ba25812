"""Rich presentation shared by CLI commands: errors, progress bars, tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tradelane.domain.errors import InputErrors, TradelaneError

__all__ = ["console", "fail_on_errors", "progress_bar"]

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
