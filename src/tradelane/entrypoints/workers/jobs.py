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

from tradelane.bootstrap import Application
from tradelane.entrypoints.feed_commands import poll_once

__all__ = ["JOBS", "SHARD", "leased_jobs", "run_job"]

SHARD = "all"


def _poll(system: Application, now: datetime) -> str:
    if not system.tracking_sources():
        return "no carrier account can be polled"
    report = poll_once(system)
    return f"polled {report.numbers} shipment(s) in {report.requests} request(s)"


def _sweep(system: Application, now: datetime) -> str:
    report = system.sweep(now=now)
    return f"{report.opened_total} alert(s) opened, {report.resolved_total} auto-resolved"


def _switching(system: Application, now: datetime) -> str:
    reports = system.evaluate_every_tenant(now=now)
    if not reports:
        return "no catalogue installed (tradelane init)"
    lanes = sum(r.lanes for r in reports.values())
    opened = sum(len(r.opened) for r in reports.values())
    return f"{len(reports)} tenant(s), {lanes} lane(s), {opened} switch(es) opened"


def _deliver(system: Application, now: datetime) -> str:
    if not system.destinations:
        return "no webhook destinations"
    report = system.deliver_outbox()
    return f"{report.delivered} delivered, {report.failed} failed (will retry)"


JOBS: dict[str, Callable[[Application, datetime], str]] = {
    "poll": _poll,
    "sweep": _sweep,
    "switching": _switching,
    "deliver": _deliver,
}


def leased_jobs(system: Application, *, now: datetime, interval: timedelta) -> list[str]:
    """The jobs this tick may run: those whose lease was free (taken now, one transaction)."""
    with system.uow() as uow:
        taken = [
            job for job in JOBS if uow.tick_leases.claim(job, SHARD, now=now, gap=interval / 2)
        ]
        uow.commit()
    return taken


def run_job(system: Application, job: str) -> str:
    """Run one job now; its one-line summary."""
    return JOBS[job](system, system.clock.now())
