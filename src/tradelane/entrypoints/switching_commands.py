"""CLI for switching: `tradelane switches ...`, `tradelane switching ...`, `tradelane peaks`.

Parses, calls a service, presents. Registered on the main app by `register(app)`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tradelane.bootstrap import Application, open_application
from tradelane.clock import SystemClock
from tradelane.domain.catalog import Catalogue
from tradelane.entrypoints.console import at_or_now, console, fail_on_errors
from tradelane.entrypoints.switching_tables import (
    cutoff_table,
    health_table,
    peak_table,
    switch_table,
)
from tradelane.files.rules_file import check_rules_against, default_rules, load_rules
from tradelane.services.switch_overrides import ManualSwitch
from tradelane.services.switching import EvaluationReport
from tradelane.switching.peaks import peak_calendar
from tradelane.switching.states import SwitchKind
from tradelane.switching.triggers import SwitchingRules

__all__ = ["print_evaluation", "register"]

switches_app = typer.Typer(help="The switch audit trail and manual override.", no_args_is_help=True)
switching_app = typer.Typer(
    help="Evaluate channel health and switch by rule.", no_args_is_help=True
)

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="Switching rules YAML/TOML (default: packaged).")
]
AtOption = Annotated[
    str | None, typer.Option("--at", help="Evaluate as of this ISO 8601 time with offset.")
]
ByOption = Annotated[str, typer.Option("--by", help="Who decides (recorded as the actor).")]
CountryOption = Annotated[
    str | None, typer.Option("--country", help="One lane (ISO code); default: every lane.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(switches_app, name="switches")
    app.add_typer(switching_app, name="switching")
    app.command("peaks")(peaks)


def _system() -> Application:
    return open_application()


def _rules(path: Path | None, catalogue: Catalogue | None = None) -> SwitchingRules:
    rules = default_rules() if path is None else load_rules(path)
    if catalogue is not None:
        check_rules_against(rules, catalogue, where=str(path or "packaged rules"))
    return rules


@switches_app.command("list")
def switches_list(
    all_: Annotated[bool, typer.Option("--all", help="Include ended switches.")] = False,
    channel: Annotated[str | None, typer.Option("--channel")] = None,
) -> None:
    """Open switches (newest first); `--all` for the whole audit trail."""
    with fail_on_errors():
        records = _system().switches(include_ended=all_, channel_id=channel)
        console.print(switch_table(records, f"{len(records)} switch(es)"))


@switches_app.command("show")
def switches_show(switch_id: int) -> None:
    """One switch with its trigger values, scope, start, end and actor."""
    with fail_on_errors():
        record = _system().switch(switch_id)
        console.print(switch_table([record], f"switch #{record.switch_id}"))
        console.print(f"reason: {record.reason}")
        console.print_json(json.dumps(dict(record.trigger), default=str))


ReasonOption = Annotated[str, typer.Option("--reason", help="Why (recorded).")]
ShareOption = Annotated[float, typer.Option("--share", min=0.01, max=1.0)]
BackupOption = Annotated[str | None, typer.Option("--backup", help="Backup channel id.")]


def _manual(request: ManualSwitch) -> None:
    record = _system().force_switch(request)
    console.print(f"[green]{record.kind.value} switch #{record.switch_id}[/] opened")
    console.print(switch_table([record], "opened"))


@switches_app.command("force")
def switches_force(
    channel: str,
    reason: ReasonOption,
    by: ByOption,
    country: CountryOption = None,
    share: ShareOption = 1.0,
    backup: BackupOption = None,
) -> None:
    """Move traffic off a channel now; it returns after the recovery hold of healthy readings."""
    with fail_on_errors():
        _manual(ManualSwitch(channel, country, share, backup, reason, by, SwitchKind.FORCED))


@switches_app.command("pin")
def switches_pin(
    channel: str,
    reason: ReasonOption,
    by: ByOption,
    country: CountryOption = None,
    share: ShareOption = 1.0,
    backup: BackupOption = None,
) -> None:
    """Move traffic off a channel until a person releases it; rules leave it alone."""
    with fail_on_errors():
        _manual(ManualSwitch(channel, country, share, backup, reason, by, SwitchKind.PINNED))


@switches_app.command("release")
def switches_release(
    switch_id: int, by: ByOption, reason: Annotated[str, typer.Option("--reason")] = ""
) -> None:
    """End an open switch now: traffic returns to the channel."""
    with fail_on_errors():
        record = _system().release_switch(switch_id, actor=by, reason=reason)
        console.print(f"[green]switch #{record.switch_id} released[/] by {record.ended_by}")


@switching_app.command("evaluate")
def switching_evaluate(rules: RulesOption = None, at: AtOption = None) -> None:
    """Measure every lane, apply the rules, store switches and notices (one transaction)."""
    with fail_on_errors():
        system = _system()
        catalogue = system.catalogue().catalogue
        report = system.evaluate_switching(
            rules=_rules(rules, catalogue), now=at_or_now(at, system.clock)
        )
        print_evaluation(report)
        if not system.settings.webhooks:
            console.print("no webhook destinations (TRADELANE_WEBHOOKS): notices not written")
        if report.active_peaks:
            console.print(f"active peaks: {', '.join(report.active_peaks)}")
        for (channel, country), before, after in report.transitions:
            console.print(f"  {channel} {country}: {before.value} -> {after.value}")
        if report.opened or report.closed:
            console.print(switch_table(report.opened + report.closed, "switch changes"))


def print_evaluation(report: EvaluationReport) -> None:
    """One line: lanes by state, switches opened and closed, orders moved, notices."""
    states = ", ".join(f"{s.value} {n}" for s, n in sorted(report.states.items()))
    console.print(
        f"evaluated {report.lanes} lanes at {report.evaluated_at:%Y-%m-%d %H:%M %Z}: {states}; "
        f"{len(report.opened)} opened, {len(report.closed)} closed, "
        f"{report.reassigned} orders re-assigned, {report.notices} notices"
    )


@switching_app.command("health")
def switching_health(
    at: AtOption = None,
    channel: Annotated[str | None, typer.Option("--channel")] = None,
    rules: RulesOption = None,
) -> None:
    """Lane health figures (lanes with parcels or orders only)."""
    with fail_on_errors():
        system = _system()
        now = at_or_now(at, system.clock)
        lanes = system.lane_health(now=now, rules=_rules(rules))
        console.print(health_table(lanes, f"lane health at {now:%Y-%m-%d %H:%M}", channel))


@switching_app.command("validate")
def switching_validate(path: Path) -> None:
    """Validate a switching rules file; every problem names its path and value."""
    with fail_on_errors():
        rules = load_rules(path)
        console.print(
            f"[green]ok[/] {path}: rules {rules.name!r}, "
            f"K={rules.evaluation.enter_after_evaluations}, hold "
            f"{rules.evaluation.recovery_hold_hours:g} h, "
            f"{len(rules.peaks.preparations)} peak preparation(s)"
        )


def peaks(
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2100)] = None,
    rules: RulesOption = None,
    cutoffs: Annotated[
        bool, typer.Option("--cutoffs", help="Last Christmas hand-over day per channel lane.")
    ] = False,
) -> None:
    """The peak calendar: dates, windows, prepared backup capacity (estimates marked)."""
    with fail_on_errors():
        settings = _rules(rules).peaks
        shown = year or SystemClock().now().year
        console.print(peak_table(peak_calendar(shown, settings), settings, shown))
        if cutoffs:
            catalogue = _system().catalogue().catalogue
            console.print(cutoff_table(catalogue, settings, shown))
