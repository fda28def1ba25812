"""The API's webhook writer when a broker is configured: a batch of verified deliveries goes
to the broker as one `tradelane.ingest_webhooks` task instead of being stored in-process.
A request is answered once its batch is on the broker (202 `queued`); the worker decides
later which deliveries are duplicates."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from celery import Celery
from kombu.exceptions import KombuError

from tradelane.domain.errors import Unavailable
from tradelane.entrypoints.workers.celery_app import INGEST_WEBHOOKS
from tradelane.entrypoints.workers.messages import message_of
from tradelane.services.webhook_intake import ACCEPTED, QUEUED, Delivery, DeliveryResult

__all__ = ["enqueue_writer"]


def enqueue_writer(celery: Celery) -> Callable[[Sequence[Delivery]], list[DeliveryResult]]:
    """Unavailable when the broker cannot take the batch (the API answers 503: senders retry)."""

    def write(batch: Sequence[Delivery]) -> list[DeliveryResult]:
        try:
            celery.send_task(
                INGEST_WEBHOOKS,
                args=[[message_of(d) for d in batch]],
                retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
            )
        except (KombuError, OSError) as exc:
            raise Unavailable(f"the task queue cannot be reached: {type(exc).__name__}") from exc
        return [_queued(d) for d in batch]

    return write


def _queued(delivery: Delivery) -> DeliveryResult:
    """A refusal keeps its outcome; an accepted delivery is `queued`, with the events its body
    holds and the entries its parse refused (the worker may refuse more, e.g. future times)."""
    if delivery.outcome != ACCEPTED or delivery.parsed is None:
        return DeliveryResult(delivery.outcome)
    parsed = delivery.parsed
    return DeliveryResult(QUEUED, events=len(parsed.events), rejected=parsed.errors)
