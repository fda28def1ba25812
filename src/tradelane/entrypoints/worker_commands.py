"""`tradelane worker` and `tradelane scheduler`: Celery on TRADELANE_BROKER_URL, or in-process.

tradelane worker [--concurrency N] [--pool prefork|solo|threads]   (needs a broker)
tradelane scheduler [--iterations N]   celery beat sending `tradelane.tick` every
                                       TRADELANE_TICK_INTERVAL_S; without a broker the
                                       same tick and jobs run in this process
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Annotated

import typer

from tradelane.bootstrap import Application, open_application
from tradelane.config import Settings
from tradelane.entrypoints.console import console, err_console, fail_on_errors
from tradelane.entrypoints.scheduler import RECOVERABLE, run_every

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("scheduler")(scheduler)


def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Worker processes or threads.")] = 2,
    pool: Annotated[str, typer.Option(help="prefork, solo or threads.")] = "prefork",
    name: Annotated[str | None, typer.Option(help="Node name (default: per process).")] = None,
) -> None:
    """Run a Celery worker: webhook batches, ticks and the scheduled jobs."""
    from tradelane.entrypoints.workers.celery_app import make_celery

    with fail_on_errors():
        settings = Settings()
        celery = make_celery(settings)
    node = name or f"tradelane-{os.getpid()}@%h"
    options = [f"--concurrency={concurrency}", f"--pool={pool}", f"--hostname={node}"]
    celery.worker_main(
        ["worker", *options, "--queues", settings.queue, "--loglevel=INFO", "--without-gossip"]
    )


def scheduler(
    iterations: Annotated[
        int | None, typer.Option(min=1, help="In-process only: stop after this many ticks.")
    ] = None,
) -> None:
    """Send the tick every TRADELANE_TICK_INTERVAL_S (celery beat), or run it in-process."""
    settings = Settings()
    if settings.broker_url:
        from tradelane.entrypoints.workers.celery_app import make_celery

        with fail_on_errors():
            celery = make_celery(settings)
        celery.Beat(loglevel="INFO").run()
        return
    with fail_on_errors():
        system = open_application(settings)
    interval = timedelta(seconds=settings.tick_interval_s)
    console.print(f"no broker: ticking in-process every {interval} (Ctrl+C stops)")
    try:
        run_every(
            interval, lambda: _tick_here(system, interval), on_error=_report, iterations=iterations
        )
    except KeyboardInterrupt:
        console.print("stopped")


def _tick_here(system: Application, interval: timedelta) -> None:
    """Every job and shard (switching: one per tenant), each under its own lease."""
    from tradelane.entrypoints.workers.jobs import LEASE_TAKEN, job_shards, run_leased

    ran = 0
    for job, shard in job_shards(system):
        try:
            summary = run_leased(system, job, shard, interval=interval)
        except RECOVERABLE as exc:  # one failing job does not hold back the others
            _report(exc)
            continue
        if summary != LEASE_TAKEN:
            ran += 1
            console.print(f"{job} ({shard}): {summary}")
    if not ran:
        console.print("nothing due: another scheduler ran every job less than half an interval ago")


def _report(exc: Exception) -> None:
    err_console.print(f"[bold red]tick failed, retrying next interval:[/] {exc}")
