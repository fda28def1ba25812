"""The outbox: messages written in the same transaction as the change they announce, and
delivered later by the outbox worker (at-least-once). The repository never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tradelane.store.bulk import insert_many
from tradelane.store.tables import outbox

__all__ = ["OutboxMessage", "OutboxRepository", "StoredMessage"]


@dataclass(frozen=True)
class OutboxMessage:
    """`topic` says what happened (e.g. customer.notice); `destination` whom it goes to."""

    topic: str
    destination: str
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredMessage:
    message_id: int
    message: OutboxMessage
    created_at: datetime
    delivered_at: datetime | None


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_many(self, messages: Sequence[OutboxMessage], *, now: datetime) -> None:
        rows = [
            {
                "topic": m.topic,
                "destination": m.destination,
                "payload": dict(m.payload),
                "created_at": now,
                "next_attempt_at": now,
            }
            for m in messages
        ]
        insert_many(self._c, outbox, rows)

    def messages(self, *, topic: str | None = None) -> list[StoredMessage]:
        """Every stored message (optionally of one topic), oldest first."""
        query = select(outbox).order_by(outbox.c.id)
        if topic is not None:
            query = query.where(outbox.c.topic == topic)
        return [
            StoredMessage(
                message_id=row.id,
                message=OutboxMessage(row.topic, row.destination, row.payload),
                created_at=row.created_at,
                delivered_at=row.delivered_at,
            )
            for row in self._c.execute(query)
        ]
