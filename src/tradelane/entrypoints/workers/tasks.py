"""The Celery tasks: thin wrappers over the jobs and the webhook intake service.

Each worker process builds its own Application from the environment on first use (never before
the pool forks, so no connection is shared between processes).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from functools import cache
from typing import Any

from celery import Task, shared_task

from tradelane.bootstrap import Application, open_application
from tradelane.config import Settings
from tradelane.entrypoints.workers.celery_app import INGEST_WEBHOOKS, RUN_JOB, TICK
from tradelane.entrypoints.workers.jobs import ALL, job_shards, run_leased
from tradelane.entrypoints.workers.messages import delivery_of

__all__ = ["ingest_webhooks", "run_scheduled_job", "tick"]


@cache
def worker_system() -> Application:
    system = open_application(Settings())
    return system


@shared_task(name=INGEST_WEBHOOKS, bind=True)
def ingest_webhooks(self: Task, messages: list[dict[str, Any]]) -> dict[str, int]:
    """Store one batch of verified webhook deliveries; the count of each outcome."""
    system = worker_system()
    results = system.receive_tracking_webhooks(
        [delivery_of(m) for m in messages], batch_id=str(self.request.id or "")
    )
    return dict(Counter(r.outcome for r in results))


@shared_task(name=TICK, bind=True)
def tick(self: Task) -> list[str]:
    """Send one `tradelane.run_job` task per job and shard (switching: one per tenant); each
    task takes its own lease. The shards sent, as `job:shard`."""
    system = worker_system()
    shards = job_shards(system)
    for job, shard in shards:
        self.app.send_task(RUN_JOB, args=[job, shard])
    return [f"{job}:{shard}" for job, shard in shards]


@shared_task(name=RUN_JOB)
def run_scheduled_job(job: str, shard: str = ALL) -> str:
    """Run (job, shard) if its lease is free; its summary, or why it did not run."""
    system = worker_system()
    interval = timedelta(seconds=system.settings.tick_interval_s)
    return run_leased(system, job, shard, interval=interval)
