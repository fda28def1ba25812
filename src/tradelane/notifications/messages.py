"""What the outbox holds and what one delivery attempt returns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

__all__ = ["WEBHOOK_ID_PREFIX", "DeliveryOutcome", "OutboxMessage", "Verdict", "new_webhook_id"]

WEBHOOK_ID_PREFIX = "msg_"


def new_webhook_id() -> str:
    """`msg_` + 32 hex digits of a random UUID: unique across databases and installations."""
    return WEBHOOK_ID_PREFIX + uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One event for one destination; `payload` is the Standard Webhooks body
    (`type`, `timestamp`, `data`). `attempts` counts failed deliveries so far. `webhook_id` is
    stored with the message, so it is the same on every retry (the receiver's idempotency key).
    `subscription_id`: the tenant subscription it was queued for (None: a system destination);
    `tenant_id`: whose event it is."""

    id: int
    webhook_id: str
    topic: str
    destination: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int
    tenant_id: str
    subscription_id: int | None = None

    @property
    def endpoint(self) -> tuple[str, str]:
        """(tenant, URL): what a 410 Gone disables and a failure postpones. A URL that is gone
        for one tenant still receives another tenant's messages."""
        return (self.tenant_id, self.destination)


class Verdict(StrEnum):
    """What an attempt means for the message and its endpoint."""

    DELIVERED = "delivered"  # a 2xx answer
    RETRY = "retry"  # try again after the backoff (or the receiver's Retry-After)
    GONE = "gone"  # 410 Gone: the endpoint is disabled until re-enabled
    UNROUTABLE = "unroutable"  # no such destination is configured: the message is parked


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """The attempt's verdict; otherwise `error` says why and `retry_after` carries a
    receiver's Retry-After when it sent one."""

    verdict: Verdict
    error: str | None = None
    retry_after: timedelta | None = None

    @property
    def delivered(self) -> bool:
        return self.verdict is Verdict.DELIVERED
