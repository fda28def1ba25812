"""`tradelane experiments create|status|stop|list`: A/B tests of channel mixes."""

from __future__ import annotations

from typing import Annotated

import pydantic
import typer
from rich.table import Table

from tradelane.bootstrap import Application, open_application
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.entrypoints.console import at_or_now, console, fail_on_errors
from tradelane.files.errors import from_pydantic
from tradelane.optimization.experiment_design import Arm, Experiment, ExperimentMethod
from tradelane.optimization.experiment_results import ExperimentResults, planned_per_arm

__all__ = ["register"]

experiments_app = typer.Typer(help="A/B tests of channel mixes.", no_args_is_help=True)
AtOption = Annotated[str | None, typer.Option(help="ISO 8601 time with offset (default: now).")]


def register(app: typer.Typer) -> None:
    app.add_typer(experiments_app, name="experiments")


def _system() -> Application:
    return open_application()


@experiments_app.command("create")
def create(
    experiment_id: str,
    arm: Annotated[
        list[str], typer.Option("--arm", help="NAME=CHANNEL[,CHANNEL...]; the first is control.")
    ],
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Lane in scope (repeatable; all).")
    ] = None,
    method: ExperimentMethod = ExperimentMethod.FIXED,
    alpha: float = 0.05,
    power: float = 0.8,
    baseline: Annotated[float, typer.Option(help="Control's expected on-time rate.")] = 0.85,
    min_effect: Annotated[float, typer.Option(help="On-time difference to detect.")] = 0.05,
    split: Annotated[str | None, typer.Option(help="Shares per arm, e.g. 0.5,0.5.")] = None,
    at: AtOption = None,
) -> None:
    """Store a new experiment and show its sample-size plan."""
    with fail_on_errors():
        system = _system()
        now = at_or_now(at, system.clock)
        document = {
            "id": experiment_id,
            "arms": [_arm(text) for text in arm],
            "countries": [c.upper() for c in country or []],
            "method": method,
            "alpha": alpha,
            "power": power,
            "baseline_on_time": baseline,
            "min_effect": min_effect,
            "started_at": now,
        }
        try:
            experiment = Experiment.model_validate(document)
        except pydantic.ValidationError as exc:
            raise InputErrors("experiment", from_pydantic(exc, where="experiment")) from None
        shares = _shares(split)
        stored = system.create_experiment(experiment, shares=shares, now=now)
        n = planned_per_arm(stored)
        console.print(
            f"[green]experiment {stored.id}[/] ({stored.method.value}) started {now:%Y-%m-%d %H:%M}"
            f" UTC: {len(stored.arms)} arms, control {stored.arms[0].name}\n"
            f"plan: {n:,} orders per arm ({n * len(stored.arms):,} in all) to detect "
            f"{baseline:.0%} -> {baseline + min_effect:.0%} on time at alpha "
            f"{stored.comparison_alpha:g} (two-sided), power {power:.0%}"
        )


@experiments_app.command("status")
def status(
    experiment_id: str,
    at: AtOption = None,
    rebalance: Annotated[
        bool, typer.Option(help="Thompson mode: store the new split for new orders.")
    ] = False,
) -> None:
    """Results per arm and each arm against the control, with intervals."""
    with fail_on_errors():
        system = _system()
        experiment, results = system.experiment_status(
            experiment_id, as_of=at_or_now(at, system.clock), rebalance=rebalance
        )
        _print_results(experiment, results, system.fx.settlement)


@experiments_app.command("stop")
def stop(
    experiment_id: str,
    reason: Annotated[str, typer.Option(help="Why it stops.")] = "stopped by hand",
    at: AtOption = None,
) -> None:
    """Stop an experiment: later orders are no longer in it; its results stay readable."""
    with fail_on_errors():
        system = _system()
        stopped = system.stop_experiment(
            experiment_id, reason=reason, now=at_or_now(at, system.clock)
        )
        console.print(f"experiment {stopped.id} stopped at {stopped.stopped_at}: {reason}")


@experiments_app.command("list")
def list_command() -> None:
    """Every stored experiment."""
    with fail_on_errors():
        table = Table(title="experiments")
        for column in ("id", "method", "arms", "lanes", "started", "stopped"):
            table.add_column(column)
        for e in _system().experiments():
            table.add_row(
                e.id,
                e.method.value,
                " | ".join(f"{a.name}: {','.join(a.channels)}" for a in e.arms),
                " ".join(e.countries) or "all",
                f"{e.started_at:%Y-%m-%d %H:%M}",
                "-" if e.stopped_at is None else f"{e.stopped_at:%Y-%m-%d %H:%M}",
            )
        console.print(table)


def _arm(text: str) -> Arm:
    name, _, channels = text.partition("=")
    found = tuple(c.strip() for c in channels.split(",") if c.strip())
    if not name.strip() or not found:
        raise ValidationError(
            "write an arm as NAME=CHANNEL[,CHANNEL...]", field="--arm", value=text
        )
    return Arm(name=name.strip(), channels=found)


def _shares(text: str | None) -> tuple[float, ...]:
    if text is None:
        return ()
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ValidationError(
            "write shares as numbers, e.g. 0.5,0.5", field="--split", value=text
        ) from None


def _print_results(experiment: Experiment, results: ExperimentResults, currency: str) -> None:
    state = "running" if experiment.stopped_at is None else f"stopped ({experiment.stop_reason})"
    arms = Table(title=f"experiment {experiment.id}: {experiment.method.value}, {state}")
    for column in (
        "arm",
        "channels",
        "orders",
        "on time",
        "95% interval",
        f"cost {currency}",
        "transit d",
    ):
        arms.add_column(column)
    for arm, summary in zip(experiment.arms, results.arms, strict=True):
        arms.add_row(
            arm.name,
            ",".join(arm.channels),
            f"{summary.orders:,} / {results.planned_per_arm:,}",
            _share(summary.on_time_rate),
            f"{_share(summary.on_time_low)} - {_share(summary.on_time_high)}",
            _number(summary.mean_cost),
            _number(summary.mean_transit_days),
        )
    console.print(arms)
    tests = Table(
        title=f"against {experiment.arms[0].name} (alpha {experiment.comparison_alpha:g})"
    )
    for column in ("arm", "metric", "difference", "interval", "p", "significant"):
        tests.add_column(column)
    for c in results.comparisons:
        scale = _signed_share if c.metric == "on_time" else _number
        tests.add_row(
            c.arm, c.metric, scale(c.difference), f"{scale(c.low)} .. {scale(c.high)}",
            f"{c.p_value:.4f}", "yes" if c.significant else "no",
        )  # fmt: skip
    console.print(tests)
    if not results.decidable:
        console.print("fixed horizon: do not decide before every arm reaches the plan")
    if results.next_shares is not None:
        split = ", ".join(
            f"{a.name} {s:.0%}" for a, s in zip(experiment.arms, results.next_shares, strict=True)
        )
        console.print(f"Thompson split for new orders: {split}")


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _signed_share(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"
