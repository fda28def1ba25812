"""The Celery application, configured from Settings (TRADELANE_BROKER_URL: redis:// or amqp://).

Delivery guarantees:
- `task_acks_late` + `task_reject_on_worker_lost`: a task is acknowledged after it returned;
  a worker process killed mid-task gives it back to the broker.
- `task_acks_on_timeout = False`: a task past its hard time limit goes back to the broker
  instead of being acknowledged. The prefork pool reports some of its children killed mid-task
  only that way (the loss noticed late, when the time limit fires), so acknowledging
  time-outs would drop those tasks; a task really slower than the limit runs again.
- `worker_prefetch_multiplier = 1`: a worker reserves one task per process, so a killed
  worker strands at most that many.
- Redis `visibility_timeout` (TRADELANE_VISIBILITY_TIMEOUT_S, default 3600 s): a task reserved
  by a worker that vanished whole is handed out again after it. It must exceed the longest
  task, bounded by the time limit (TRADELANE_TASK_TIME_LIMIT_S, default 900 s), or a slow task
  would run twice at once (harmless, since tasks are idempotent, but wasted). RabbitMQ
  redelivers as soon as the worker's connection drops.
"""

from __future__ import annotations

from celery import Celery

from tradelane.config import Settings
from tradelane.domain.errors import ValidationError

__all__ = ["INGEST_WEBHOOKS", "RUN_JOB", "TICK", "make_celery"]

INGEST_WEBHOOKS = "tradelane.ingest_webhooks"
TICK = "tradelane.tick"
RUN_JOB = "tradelane.run_job"
# The default time limit, 900 s: the longest task, a full switching evaluation, measured 3-7 s
# for 10,000 lanes and 1,000,000 parcels (bench/switching.py); room for much larger stores.


def make_celery(settings: Settings) -> Celery:
    """The Celery app of `settings`; ValidationError when no broker is configured."""
    if not settings.broker_url:
        raise ValidationError(
            "no broker configured: set it to redis://… or amqp://…", field="TRADELANE_BROKER_URL"
        )
    if settings.visibility_timeout_s <= settings.task_time_limit_s:
        raise ValidationError(
            f"must exceed the task time limit ({settings.task_time_limit_s} s)",
            field="TRADELANE_VISIBILITY_TIMEOUT_S",
            value=settings.visibility_timeout_s,
        )
    app = Celery("tradelane", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_timeout=False,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=settings.queue,
        task_time_limit=settings.task_time_limit_s,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout_s},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        beat_schedule={"tick": {"task": TICK, "schedule": float(settings.tick_interval_s)}},
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
        include=["tradelane.entrypoints.workers.tasks"],
    )
    return app
