"""The scheduled jobs, each one use case of the embedded setup, split into leased shards.

    tick ─▶ job_shards(): (job, shard) for each job ─▶ one task (or one in-process run) each
    run_leased(job, shard) ─▶ lease (job, shard) unless taken less than half an interval ago
                           ─▶ the job on that shard (LEASE_TAKEN when the lease was taken)

Switching evaluation has one shard per tenant with a catalogue (shard = tenant id): two
workers evaluate different tenants at once, and two schedulers (or a tick delivered twice)
evaluate each tenant once per interval. Poll, sweep and outbox delivery are one shard
(`all`) each: they work through the whole store in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tradelane.bootstrap import Application
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.feed_commands import poll_once

__all__ = ["ALL", "JOBS", "LEASE_TAKEN", "job_shards", "run_job", "run_leased"]

ALL = "all"
SWITCHING = "switching"
LEASE_TAKEN = "skipped: another scheduler ran it less than half an interval ago"


def _poll(system: Application, now: datetime, shard: str) -> str:
    if not system.tracking_sources():
        return "no carrier account can be polled"
    report = poll_once(system)
    return f"polled {report.numbers} shipment(s) in {report.requests} request(s)"


def _sweep(system: Application, now: datetime, shard: str) -> str:
    report = system.sweep(now=now)
    return f"{report.opened_total} alert(s) opened, {report.resolved_total} auto-resolved"


def _switching(system: Application, now: datetime, tenant: str) -> str:
    if tenant not in system.switching_tenants():
        return f"tenant {tenant}: no catalogue installed (tradelane init)"
    report = system.for_tenant(tenant).evaluate_switching(now=now)
    return f"tenant {tenant}: {report.lanes} lane(s), {len(report.opened)} switch(es) opened"


def _deliver(system: Application, now: datetime, shard: str) -> str:
    if not system.delivers_webhooks():
        return "no webhook destinations or subscriptions"
    report = system.deliver_outbox()
    return f"{report.delivered} delivered, {report.failed} failed (will retry)"


JOBS: dict[str, Callable[[Application, datetime, str], str]] = {
    "poll": _poll,
    "sweep": _sweep,
    SWITCHING: _switching,
    "deliver": _deliver,
}


def job_shards(system: Application) -> list[tuple[str, str]]:
    """Every (job, shard) a tick runs: switching once per tenant with a catalogue, the other
    jobs once (`all`)."""
    return [
        (job, shard)
        for job in JOBS
        for shard in (system.switching_tenants() if job == SWITCHING else [ALL])
    ]


def run_leased(system: Application, job: str, shard: str, *, interval: timedelta) -> str:
    """Take the lease of (job, shard) and run it; its summary, or LEASE_TAKEN when it was taken
    less than half an interval ago (another scheduler's tick, or this tick delivered twice)."""
    run = _job(job)  # an unknown job is refused before any lease is taken
    now = system.clock.now()
    taken = system.claim_tick_lease(job, shard, gap=interval / 2, now=now)
    return run(system, now, shard) if taken else LEASE_TAKEN


def run_job(system: Application, job: str, shard: str = ALL) -> str:
    """Run one job on one shard now, without a lease; its one-line summary."""
    return _job(job)(system, system.clock.now(), shard)


def _job(job: str) -> Callable[[Application, datetime, str], str]:
    if job not in JOBS:
        raise ValidationError(
            f"unknown job: expected one of {', '.join(JOBS)}", field="job", value=job
        )
    return JOBS[job]
