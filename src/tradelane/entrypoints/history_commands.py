"""`tradelane history import`: read a delivery history exported from elsewhere and store it."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import open_application
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.services.history_import import HistoryImportReport

__all__ = ["register"]

history_app = typer.Typer(help="Import past deliveries (any export) for scorecards.")


def register(app: typer.Typer) -> None:
    app.add_typer(history_app, name="history", no_args_is_help=True)


@history_app.command("import")
def history_import(
    path: Path,
    mapping: Annotated[
        Path, typer.Option("--mapping", help="YAML/TOML mapping the file's columns.")
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Swap an earlier import of the same file.")
    ] = False,
) -> None:
    """Import a delivery history CSV through a column mapping: all or nothing.

    Numbers a source writes as text ("Weight Captured Separately") are stored as missing
    and counted below; an unreadable date or an empty channel / lane names its row.
    """
    with fail_on_errors():
        system = open_application()
        started = time.perf_counter()
        with progress_bar("history") as bar:
            task = bar.add_task(f"importing {path.name}", total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=max(total, done))

            report = system.import_history(path, mapping, replace=replace, progress=show)
        seconds = time.perf_counter() - started
        _print_report(report, seconds)


def _print_report(report: HistoryImportReport, seconds: float) -> None:
    top = ", ".join(f"{name} {n:,}" for name, n in report.channels.most_common(8))
    console.print(
        f"[green]imported {report.records:,} history records[/] (import {report.import_id}) "
        f"in {seconds:.1f} s: {top}"
    )
    if not report.missing:
        return
    table = Table(title="values recorded as missing (not numbers / not recorded)")
    for column in ("field", "text in the file", "rows"):
        table.add_column(column)
    for (name, text), n in report.missing.most_common(15):
        table.add_row(name, text, f"{n:,}")
    console.print(table)
    per_field: Counter[str] = Counter()
    for (name, _), n in report.missing.items():
        per_field[name] += n
    shown = ", ".join(f"{name} {n:,}" for name, n in per_field.most_common())
    console.print(f"{sum(per_field.values()):,} value(s) recorded as missing: {shown}")
