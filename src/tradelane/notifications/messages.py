"""What the outbox holds and what one delivery attempt returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["DeliveryOutcome", "OutboxMessage"]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One event for one destination; `payload` is the Standard Webhooks body
    (`type`, `timestamp`, `data`). `attempts` counts failed deliveries so far."""

    id: int
    topic: str
    destination: str
    payload: dict[str, Any]
    created_at: datetime
    attempts: int

    @property
    def webhook_id(self) -> str:
        """Stable across retries, so receivers can use it as an idempotency key."""
        return f"msg_{self.id}"


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """`delivered` on a 2xx answer; otherwise `error` says why and `retry_after` carries a
    receiver's Retry-After when it sent one."""

    delivered: bool
    error: str | None = None
    retry_after: timedelta | None = None
