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
from tradelane.entrypoints.workers.jobs import leased_jobs, run_job
from tradelane.entrypoints.workers.messages import delivery_of
from tradelane.services.webhook_intake import receive_deliveries

__all__ = ["ingest_webhooks", "run_scheduled_job", "tick"]


@cache
def worker_system() -> Application:
    system = open_application(Settings())
    return system


@shared_task(name=INGEST_WEBHOOKS, bind=True)
def ingest_webhooks(self: Task, messages: list[dict[str, Any]]) -> dict[str, int]:
    """Store one batch of verified webhook deliveries; the count of each outcome."""
    system = worker_system()
    results = receive_deliveries(
        [delivery_of(m) for m in messages],
        uow=system.uow(),
        now=system.clock.now(),
        batch_id=str(self.request.id or ""),
    )
    return dict(Counter(r.outcome for r in results))


@shared_task(name=TICK, bind=True)
def tick(self: Task) -> list[str]:
    """Lease the due jobs and hand each to a worker; the jobs handed out."""
    system = worker_system()
    interval = timedelta(seconds=system.settings.tick_interval_s)
    jobs = leased_jobs(system, now=system.clock.now(), interval=interval)
    for job in jobs:
        self.app.send_task(RUN_JOB, args=[job])
    return jobs


@shared_task(name=RUN_JOB)
def run_scheduled_job(job: str) -> str:
    return run_job(worker_system(), job)
