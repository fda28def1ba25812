"""The scheduled jobs, each one use case of the embedded setup, and the tick that leases them.

    tick(now) ─▶ for each job: lease (job, shard) unless run less than half an interval ago
              ─▶ the jobs whose lease was taken, to run (in a worker, or here in-process)

One shard ("all") per job today: sweep and switching evaluate the whole store in one
transaction. The lease is per (job, shard), so splitting a job by lane shard later needs only
more shard names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tradelane.bootstrap import Tradelane
from tradelane.domain.errors import NotFound
from tradelane.entrypoints.feed_commands import poll_once
from tradelane.entrypoints.webhook_commands import deliver_all_due
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.files.rules_file import check_rules_against, default_rules
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.catalogues import active_catalogue
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.services.sweep import monitoring_plan, sweep
from tradelane.services.switching import evaluate_switching

__all__ = ["JOBS", "SHARD", "leased_jobs", "run_job"]

SHARD = "all"


def _poll(system: Tradelane, now: datetime) -> str:
    if not system.tracking_sources():
        return "no carrier account can be polled"
    report = poll_once(system)
    return f"polled {report.numbers} shipment(s) in {report.requests} request(s)"


def _sweep(system: Tradelane, now: datetime) -> str:
    path = system.settings.monitoring_file
    config = MonitoringConfig() if path is None else load_monitoring_config(path)
    plan = monitoring_plan(config, uow=system.uow(), now=now)
    report = sweep(plan, uow=system.uow(), now=now, destinations=sorted(system.settings.webhooks))
    return f"{report.opened_total} alert(s) opened, {report.resolved_total} auto-resolved"


def _switching(system: Tradelane, now: datetime) -> str:
    try:
        catalogue = active_catalogue(uow=system.uow()).catalogue
    except NotFound:
        return "no catalogue installed (tradelane init)"
    rules = default_rules()
    check_rules_against(rules, catalogue, where="packaged rules")
    report = evaluate_switching(
        uow=system.uow(),
        catalogue=catalogue,
        rules=rules,
        now=now,
        reassign=reassign_to_stored_backups,
        destinations=sorted(system.settings.webhooks),
    )
    return f"{report.lanes} lane(s), {len(report.opened)} switch(es) opened"


def _deliver(system: Tradelane, now: datetime) -> str:
    if not system.settings.webhooks:
        return "no webhook destinations"
    report = deliver_all_due(system)
    return f"{report.delivered} delivered, {report.failed} failed (will retry)"


JOBS: dict[str, Callable[[Tradelane, datetime], str]] = {
    "poll": _poll,
    "sweep": _sweep,
    "switching": _switching,
    "deliver": _deliver,
}


def leased_jobs(system: Tradelane, *, now: datetime, interval: timedelta) -> list[str]:
    """The jobs this tick may run: those whose lease was free (taken now, one transaction)."""
    with system.uow() as uow:
        taken = [
            job for job in JOBS if uow.tick_leases.claim(job, SHARD, now=now, gap=interval / 2)
        ]
        uow.commit()
    return taken


def run_job(system: Tradelane, job: str) -> str:
    """Run one job now; its one-line summary."""
    return JOBS[job](system, system.clock.now())
