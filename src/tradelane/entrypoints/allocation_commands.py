"""CLI: `tradelane allocate` — solve the allocation ratios, show them, store them as quotas."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import PolicyOption, open_system, policy_of
from tradelane.files.lane_figures_file import read_lane_figures
from tradelane.optimization.lane_costs import AllocationLimits
from tradelane.services.allocate import AllocateCommand, AllocationReport

__all__ = ["allocate_command", "allocation_table"]

Share = Annotated[float, typer.Option(min=0.0, max=1.0)]
DEFAULTS = AllocationLimits()


def allocate_command(
    start: Annotated[
        datetime | None, typer.Option("--date", help="First horizon day; default today (UTC).")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="Horizon in days.")] = 7,
    history_days: Annotated[
        int, typer.Option(min=1, max=366, help="Days of stored orders the forecast reads.")
    ] = 28,
    volume_per_day: Annotated[
        float | None, typer.Option(min=0.0, help="Parcels per lane and day (instead of history).")
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option(help="Lane without history (with --volume-per-day).")
    ] = None,
    scorecards: Annotated[
        Path | None,
        typer.Option(help="CSV of measured figures: channel,lane,on_time_rate,cost_per_parcel,..."),
    ] = None,
    min_on_time: Share = DEFAULTS.min_on_time,
    channel_cap: Share = DEFAULTS.channel_cap,
    carrier_cap: Share = DEFAULTS.carrier_cap,
    warm_share: Share = DEFAULTS.warm_share,
    warm: Annotated[
        list[str] | None, typer.Option(help="Pre-arranged backup kept warm: COUNTRY:CHANNEL.")
    ] = None,
    store: Annotated[bool, typer.Option(help="Store the ratios as selection quotas.")] = True,
    policy: PolicyOption = None,
) -> None:
    """Each channel's share of each lane's forecast volume (LP), shown and stored as quotas."""
    with fail_on_errors():
        opened = open_system()
        now = opened.clock.now()
        cmd = AllocateCommand(
            start=start.date() if start else now.date(),
            days=days,
            history_days=history_days,
            volume_per_day=volume_per_day,
            countries=tuple(c.upper() for c in country or ()),
            limits=AllocationLimits(min_on_time, channel_cap, carrier_cap, warm_share),
            observed={} if scorecards is None else read_lane_figures(scorecards),
            warm=[_warm_pair(text) for text in warm or ()],
            store=store,
        )
        report = opened.allocate(cmd, policy=policy_of(policy), now=now)
        console.print(allocation_table(report, cmd.start))
        if not report.allocation.optimal:
            raise typer.Exit(1)


def _warm_pair(text: str) -> tuple[str, str]:
    country, sep, channel = text.partition(":")
    if not sep or not country or not channel:
        raise typer.BadParameter(f"--warm {text!r}: expected COUNTRY:CHANNEL")
    return country.upper(), channel


def allocation_table(report: AllocationReport, start: date) -> Table | str:
    allocation = report.allocation
    if not allocation.optimal:
        lines = [f"[red]infeasible[/]: {len(allocation.binding)} constraints must give way"]
        lines += [f"  {b.describe()}" for b in allocation.binding[:20]]
        return "\n".join(lines)
    problem = allocation.problem
    rate = allocation.on_time_rate().mean(axis=1)
    title = f"allocation from {start}, {len(problem.days)} days: cost {allocation.cost:,.2f}"
    stored = "stored as quotas" if report.stored else "not stored (--no-store)"
    table = Table(title=title, caption=stored)
    for column in ("lane", "parcels/day", "channel", "share", "expected on-time"):
        table.add_column(column, justify="left" if column in ("lane", "channel") else "right")
    lanes = {lane: k for k, lane in enumerate(problem.lanes)}
    for (country, channel), share in sorted(
        report.shares.items(), key=lambda kv: (kv[0][0], -kv[1])
    ):
        if share <= 0:
            continue
        k = lanes[country]
        table.add_row(
            country,
            f"{problem.volume[k].mean():,.1f}",
            channel,
            f"{share:.1%}",
            f"{rate[k]:.1%}",
        )
    return table
