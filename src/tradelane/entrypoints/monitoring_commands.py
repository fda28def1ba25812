"""`tradelane monitor …` and `tradelane alerts …`: sweeps, delivery, and working the alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tradelane.bootstrap import Application, open_application
from tradelane.carriers.polling.rate import CarrierPace
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.console import at_or_now, console, err_console, fail_on_errors
from tradelane.entrypoints.feed_commands import poll_once, print_poll
from tradelane.entrypoints.scheduler import parse_interval, run_every
from tradelane.entrypoints.switching_commands import print_evaluation
from tradelane.entrypoints.webhook_commands import (
    print_delivery,
    register_webhook_commands,
)
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.monitoring.alerts import Alert, AlertState
from tradelane.monitoring.rules import RuleId
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.sweep import SweepReport

__all__ = ["alerts_app", "monitor_app", "register_monitoring_commands"]

monitor_app = typer.Typer(help="Deviation sweeps and alert delivery.", no_args_is_help=True)
alerts_app = typer.Typer(help="Work the alerts: list, acknowledge, resolve.", no_args_is_help=True)

RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Rule windows per channel/lane (YAML/TOML); default: built-in."),
]


def register_monitoring_commands(app: typer.Typer) -> None:
    register_webhook_commands(monitor_app, _system)
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(alerts_app, name="alerts")


def _system() -> Application:
    return open_application()


def _config(system: Application, rules: Path | None) -> MonitoringConfig:
    path = rules or system.settings.monitoring_file
    return MonitoringConfig() if path is None else load_monitoring_config(path)


@monitor_app.command("sweep")
def monitor_sweep(
    rules: RulesOption = None,
    at: Annotated[str | None, typer.Option(help="Evaluate as of this ISO time.")] = None,
) -> None:
    """Evaluate every active shipment once: open new alerts, auto-resolve cleared ones."""
    with fail_on_errors():
        system = _system()
        now = at_or_now(at, system.clock)
        _print_sweep(system.sweep(now=now, config=_config(system, rules)))


@monitor_app.command("run")
def monitor_run(
    every: Annotated[str, typer.Option(help="Interval between sweeps: 30s, 5m, 1h.")] = "5m",
    rules: RulesOption = None,
    iterations: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many runs (default: never).")
    ] = None,
) -> None:
    """The scheduled job, every interval until interrupted: poll carriers with a karrio
    account (when any), then the application's tick: sweep, evaluate switching, deliver."""
    with fail_on_errors():
        system = _system()
        interval = parse_interval(every)
        system.monitoring = _config(system, rules)
        polling = bool(system.tracking_sources())
        pace = CarrierPace()

        def job() -> None:
            if polling:
                print_poll(poll_once(system, pace))
            report = system.tick()
            _print_sweep(report.sweep, brief=True)
            if report.evaluation is not None:
                print_evaluation(report.evaluation)
            if report.delivery is not None:
                print_delivery(report.delivery)

        def report_error(exc: Exception) -> None:
            err_console.print(f"[bold red]run failed, retrying next interval:[/] {exc}")

        console.print(f"sweeping every {interval} (Ctrl+C stops)")
        try:
            run_every(interval, job, on_error=report_error, iterations=iterations)
        except KeyboardInterrupt:
            console.print("stopped")


def _print_sweep(report: SweepReport, *, brief: bool = False) -> None:
    stamp = report.at.isoformat(timespec="seconds")
    console.print(
        f"sweep at {stamp}: [bold]{report.opened_total}[/] opened, "
        f"{report.resolved_total} auto-resolved, {report.messages} webhook messages queued, "
        f"{report.buyers_notified} buyers told of a delay"
    )
    if brief or not (report.opened_total or report.resolved_total):
        return
    table = Table(title="by rule")
    for column in ("rule", "opened", "auto-resolved"):
        table.add_column(column)
    for rule in RuleId:
        table.add_row(
            rule.value, str(report.opened.get(rule, 0)), str(report.resolved.get(rule, 0))
        )
    console.print(table)
    if report.new_alerts:
        console.print(_alert_table(report.new_alerts, title="new alerts (newest first)"))


def _alert_table(found: list[Alert], *, title: str) -> Table:
    table = Table(title=title)
    columns = ("id", "state", "rule", "tracking no", "channel", "to", "opened", "revised ETA")
    for column in (*columns, "promise", "summary"):
        table.add_column(column, overflow="fold")
    for alert in found:
        eta = alert.revised_eta.isoformat(timespec="minutes") if alert.revised_eta else "-"
        table.add_row(
            str(alert.id),
            alert.state.value,
            alert.rule.value,
            alert.tracking_number,
            alert.channel_id or "-",
            alert.destination_country or "-",
            alert.opened_at.isoformat(timespec="minutes"),
            eta,
            "[bold red]at risk[/]" if alert.promise_at_risk else "kept",
            str(alert.detail.get("summary", "")),
        )
    return table


StateOption = Annotated[
    list[str] | None,
    typer.Option("--state", help="open, acknowledged, resolved or all (repeatable)."),
]


def _states(given: list[str] | None) -> tuple[AlertState, ...]:
    if not given:
        return (AlertState.OPEN, AlertState.ACKNOWLEDGED)
    if "all" in given:
        return ()
    try:
        return tuple(AlertState(s) for s in given)
    except ValueError as exc:
        raise ValidationError(
            "expected open, acknowledged, resolved or all", field="--state", value=given
        ) from exc


@alerts_app.command("list")
def alerts_list(
    state: StateOption = None,
    rule: Annotated[RuleId | None, typer.Option(help="Only this rule.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """Alerts newest first (default: open and acknowledged)."""
    with fail_on_errors():
        system = _system()
        found = system.alerts(states=_states(state), rule=rule, limit=limit)
        counts = system.alert_counts()
        summary = ", ".join(f"{n} {s.value}" for s, n in counts.items())
        console.print(_alert_table(found, title=f"alerts ({summary})"))


@alerts_app.command("ack")
def alerts_ack(alert_id: int) -> None:
    """Acknowledge an open alert (it still auto-resolves when the shipment recovers)."""
    with fail_on_errors():
        alert = _system().acknowledge_alert(alert_id)
        console.print(
            f"alert {alert.id} ({alert.rule.value}, {alert.tracking_number}) acknowledged"
        )


@alerts_app.command("resolve")
def alerts_resolve(alert_id: int) -> None:
    """Resolve an alert by hand."""
    with fail_on_errors():
        alert = _system().resolve_alert(alert_id)
        console.print(f"alert {alert.id} ({alert.rule.value}, {alert.tracking_number}) resolved")
