"""`tradelane scorecards`: how each channel x lane x period really went (table, CSV, Parquet)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import open_application
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import at_or_now, console, fail_on_errors
from tradelane.optimization.scorecards import ScoreKey
from tradelane.services.scorecards import PeriodUnit, ScoreSource, scorecard_frame

__all__ = ["register"]

HEADINGS = {  # the figures the table shows (optimization.scorecards.FIGURES), in order
    "shipments": "n",
    "on_time_rate": "on time",
    "on_time_low": "95% low",
    "on_time_high": "high",
    "transit_p50_days": "p50 d",
    "transit_p90_days": "p90 d",
    "cost_per_parcel": "/parcel",
    "cost_per_kg": "/kg",
    "exception_rate": "exc",
    "loss_rate": "lost",
}


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    PARQUET = "parquet"


def register(app: typer.Typer) -> None:
    app.command("scorecards")(scorecards_command)


def scorecards_command(
    by: Annotated[
        list[ScoreKey] | None,
        typer.Option("--by", help="Group by channel, lane, period (repeatable; default all)."),
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (csv, parquet).")] = None,
    source: Annotated[
        ScoreSource, typer.Option("--source", help="Stored shipments, imported history, or all.")
    ] = ScoreSource.ALL,
    at: Annotated[
        str | None, typer.Option(help="As of this ISO time: late if undelivered after promise.")
    ] = None,
    period: Annotated[
        PeriodUnit, typer.Option("--period", help="Calendar of the period key (UTC).")
    ] = PeriodUnit.MONTH,
) -> None:
    """Scorecards from stored shipments and imported history: on-time rate with a 95 % Wilson
    interval, transit p50/p90, cost per parcel and per kg (settlement currency), exception
    and loss rates, tracking quality."""
    with fail_on_errors():
        keys = [key for key in ScoreKey if key in (by or list(ScoreKey))]
        if format is OutputFormat.PARQUET and out is None:
            raise ValidationError("Parquet is binary: give --out FILE", field="--out")
        system = open_application()
        cards = system.scorecards(
            keys, as_of=at_or_now(at, system.clock), source=source, period=period
        )
        frame = scorecard_frame(cards, keys, system.fx.settlement)
        if format is OutputFormat.PARQUET and out is not None:
            frame.write_parquet(out)
        elif format is OutputFormat.CSV:
            if out is None:
                typer.echo(frame.write_csv(), nl=False)
                return
            frame.write_csv(out)
        else:
            _print_table(frame.rows(named=True), [k.value for k in keys])
            if out is None:
                return
            frame.write_csv(out)
        console.print(f"wrote {frame.height:,} scorecard(s) to {out}")


def _print_table(rows: list[dict[str, object]], keys: list[str]) -> None:
    table = Table(title=f"scorecards by {' x '.join(keys)}: {len(rows):,}")
    for key in keys:
        table.add_column(key)
    for heading in HEADINGS.values():
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(*(str(row[k]) for k in keys), *(_cell(name, row[name]) for name in HEADINGS))
    console.print(table)


def _cell(name: str, value: object) -> str:
    if value is None:
        return "-"
    if name == "shipments":
        return f"{value:,}"
    if name.endswith(("_rate", "_low", "_high")):
        return f"{float(value):.1%}"  # type: ignore[arg-type]
    return f"{float(value):,.2f}"  # type: ignore[arg-type]
