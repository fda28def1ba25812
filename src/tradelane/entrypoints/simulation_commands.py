"""`tradelane simulate SCENARIO`: run a peak season under strategies, print and save a report.

scenario (packaged name or file) ─▶ one run per strategy (same seed) ─▶ Rich table
                                                                    ─▶ HTML report
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.config import Settings
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.files.scenario_file import packaged_scenarios, read_scenario
from tradelane.simulation.events import CountingTracker
from tradelane.simulation.model import Services, simulate
from tradelane.simulation.report import summarize
from tradelane.simulation.report_html import SUMMARY_HEADINGS, html_report, summary_cells
from tradelane.simulation.routing import CheapestEligibleRouter
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.strategies import Strategy, StrategyKind

__all__ = ["simulate_command"]

DEFAULT_STRATEGIES = [StrategyKind.PRIMARY_ONLY.value, StrategyKind.STATIC_BACKUP.value]


def services_for(strategy: Strategy, scenario: Scenario, catalogue: Catalogue) -> Services:
    """The ports a CLI run drives. Runs without a store count tracking events; the automated
    strategy needs the monitoring and switching services, which this build does not wire."""
    if strategy.kind == StrategyKind.AUTOMATED:
        raise ValidationError(
            "automated switching needs the tracking, monitoring and switching services, "
            "which are not wired into the simulator in this build",
            field="strategy",
            value=strategy.kind.value,
        )
    router = CheapestEligibleRouter(catalogue, stock=scenario.stocked_skus())
    return Services(router=router, tracker=CountingTracker())


def simulate_command(
    scenario: Annotated[
        str, typer.Argument(help=f"Packaged scenario ({', '.join(packaged_scenarios())}) or file.")
    ],
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            "--strategy", "-s", help="Repeat to compare (default: primary_only, static_backup)."
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Overrides the scenario's seed.")] = None,
    scale: Annotated[
        float, typer.Option(min=0.001, max=1000, help="Multiply demand and every capacity.")
    ] = 1.0,
    out: Annotated[Path | None, typer.Option(help="HTML report (default: data dir).")] = None,
) -> None:
    """Simulate a peak season under each strategy on the same seed and compare them."""
    with fail_on_errors():
        found, catalogue = read_scenario(scenario)
        if scale != 1.0:
            found = found.scaled(scale)
        strategies = [Strategy.named(name) for name in strategy or DEFAULT_STRATEGIES]
        runs = [_run(found, catalogue, s, seed) for s in strategies]
        console.print(_table(runs))
        path = (
            out or Settings().data_dir / "reports" / f"simulation-{found.name}-{runs[0].seed}.html"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html_report(runs), encoding="utf-8")
        console.print(
            f"report written to [bold]{path}[/] (scenario {found.name}, seed {runs[0].seed})"
        )


def _run(
    scenario: Scenario, catalogue: Catalogue, strategy: Strategy, seed: int | None
) -> SeasonRun:
    services = services_for(strategy, scenario, catalogue)
    with progress_bar("simulate") as bar:
        task = bar.add_task(f"{strategy.kind.value}", total=scenario.horizon_hours)
        return simulate(
            scenario,
            catalogue,
            strategy,
            services,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


def _table(runs: list[SeasonRun]) -> Table:
    """One column per strategy, one row per figure (fits a terminal for a few strategies)."""
    first = runs[0]
    table = Table(title=f"{first.scenario.name}, seed {first.seed}: {len(first.outcomes):,} orders")
    columns = [summary_cells(summarize(run)) for run in runs]
    table.add_column("")
    for cells in columns:
        table.add_column(cells[0], justify="right")
    for row, heading in enumerate(SUMMARY_HEADINGS[1:], start=1):
        table.add_row(heading, *(cells[row] for cells in columns))
    return table
