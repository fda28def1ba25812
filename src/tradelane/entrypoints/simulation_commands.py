"""`tradelane simulate SCENARIO`: run a peak season under strategies, print and save a report.

scenario (packaged name or file) ─▶ one run per strategy (same seed) ─▶ Rich table
                                                                    ─▶ HTML report
                                                                    ─▶ JSON figures (--json)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.config import Settings
from tradelane.domain.catalog import Catalogue
from tradelane.entrypoints.console import console, fail_on_errors, progress_bar
from tradelane.files.rules_file import default_rules
from tradelane.files.scenario_file import packaged_scenarios, read_scenario
from tradelane.reports.season_html import SUMMARY_HEADINGS, html_report, summary_cells
from tradelane.selection.conditions import FxTable
from tradelane.services.season import run_season
from tradelane.simulation.oracle_plans import run_oracle
from tradelane.simulation.report import summarize_runs
from tradelane.simulation.report_json import report_json
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.strategies import Strategy, StrategyKind
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

__all__ = ["simulate_command"]

DEFAULT_STRATEGIES = [
    StrategyKind.PRIMARY_ONLY.value,
    StrategyKind.STATIC_BACKUP.value,
    StrategyKind.AUTOMATED.value,
    StrategyKind.ORACLE.value,
]


def season_store(settings: Settings, scenario: Scenario, strategy: Strategy) -> UnitOfWork:
    """A fresh SQLite store for one strategy's run, in the data directory."""
    plan = "-lanes" if strategy.switches_hit_lanes else ""
    path = settings.data_dir / "simulations" / f"{scenario.name}-{strategy.kind.value}{plan}.db"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return UnitOfWork(engine)


def simulate_command(
    scenario: Annotated[
        str, typer.Argument(help=f"Packaged scenario ({', '.join(packaged_scenarios())}) or file.")
    ],
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            "--strategy",
            "-s",
            help="Repeat to compare (default: primary_only, static_backup, automated, oracle; "
            "optimized alone runs beside primary_only).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Overrides the scenario's seed.")] = None,
    scale: Annotated[
        float, typer.Option(min=0.001, max=1000, help="Multiply demand and every capacity.")
    ] = 1.0,
    out: Annotated[Path | None, typer.Option(help="HTML report (default: data dir).")] = None,
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Also write every figure of the report per strategy, with scenario, seed and "
            "scale, to this JSON file.",
        ),
    ] = None,
) -> None:
    """Simulate a peak season under each strategy on the same seed and compare them."""
    with fail_on_errors():
        found, catalogue = read_scenario(scenario)
        if scale != 1.0:
            found = found.scaled(scale)
        fee = default_rules().evaluation.reroute_fee
        fee_cents = None if fee is None else round(fee * 100)
        strategies = [
            replace(Strategy.named(name), reroute_fee_cents=fee_cents)
            for name in _with_baseline(strategy or DEFAULT_STRATEGIES)
        ]
        runs = compare_strategies(found, catalogue, strategies, settings=Settings(), seed=seed)
        write_report(runs, out=out, settings=Settings())
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(report_json(runs, scale=scale), encoding="utf-8")
            console.print(f"figures written to [bold]{json_out}[/]")


def _with_baseline(names: list[str]) -> list[str]:
    """The optimized allocation alone is compared with primary only (the same routing
    without the plan's ratios)."""
    if names == [StrategyKind.OPTIMIZED.value]:
        return [StrategyKind.PRIMARY_ONLY.value, *names]
    return names


def compare_strategies(
    scenario: Scenario,
    catalogue: Catalogue,
    strategies: list[Strategy],
    *,
    settings: Settings,
    seed: int | None,
) -> list[SeasonRun]:
    """One run per strategy on the same seed, each on a fresh store; prints the comparison."""
    runs = [_run(scenario, catalogue, s, seed, settings) for s in strategies]
    console.print(_table(runs))
    return runs


def write_report(runs: list[SeasonRun], *, out: Path | None, settings: Settings) -> Path:
    first = runs[0]
    path = (
        out or settings.data_dir / "reports" / f"simulation-{first.scenario.name}-{first.seed}.html"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(runs), encoding="utf-8")
    console.print(
        f"report written to [bold]{path}[/] (scenario {first.scenario.name}, seed {first.seed}); "
        f"stores in {settings.data_dir / 'simulations'}"
    )
    return path


def _run(
    scenario: Scenario,
    catalogue: Catalogue,
    strategy: Strategy,
    seed: int | None,
    settings: Settings,
) -> SeasonRun:
    """One strategy's run; the oracle's is the better of its plans (simulation/oracle_plans)."""
    if strategy.kind == StrategyKind.ORACLE:
        return run_oracle(
            strategy, lambda plan: _run_plan(scenario, catalogue, plan, seed, settings)
        )
    return _run_plan(scenario, catalogue, strategy, seed, settings)


def _run_plan(
    scenario: Scenario,
    catalogue: Catalogue,
    strategy: Strategy,
    seed: int | None,
    settings: Settings,
) -> SeasonRun:
    uow = season_store(settings, scenario, strategy)
    fx = FxTable(settings.fx_rates, settings.settlement_currency)
    label = strategy.kind.value + (" (lanes plan)" if strategy.switches_hit_lanes else "")
    with progress_bar("simulate") as bar:
        task = bar.add_task(label, total=scenario.horizon_hours)
        return run_season(
            scenario,
            catalogue,
            strategy,
            uow=uow,
            fx=fx,
            rules=default_rules(),
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


def _table(runs: list[SeasonRun]) -> Table:
    """One column per strategy, one row per figure (fits a terminal for a few strategies)."""
    first = runs[0]
    table = Table(title=f"{first.scenario.name}, seed {first.seed}: {len(first.outcomes):,} orders")
    columns = [summary_cells(summary) for summary in summarize_runs(runs)]
    table.add_column("")
    for cells in columns:
        table.add_column(cells[0], justify="right")
    for row, heading in enumerate(SUMMARY_HEADINGS[1:], start=1):
        table.add_row(heading, *(cells[row] for cells in columns))
    return table
