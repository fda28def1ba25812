"""Inbound tracking webhooks: the ids already accepted (replays are refused) and a count of
every outcome per source. Both use the dialect's INSERT … ON CONFLICT, so several API
processes on one PostgreSQL database agree on which delivery of an id came first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from tradelane.store.tables import webhook_intake_counts, webhook_receipts

__all__ = ["IntakeCount", "WebhookIntakeRepository"]

IntakeCount = tuple[str, str, int, datetime]  # source, outcome, count, last seen


class WebhookIntakeRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _insert(self, table: Table) -> Any:
        module = postgresql if self._c.dialect.name == "postgresql" else sqlite
        return module.insert(table)

    def claim(self, source: str, message_id: str, *, events: int, now: datetime) -> bool:
        """Record `message_id` as accepted; False when it already was (a replay)."""
        statement = (
            self._insert(webhook_receipts)
            .values(source=source, message_id=message_id, received_at=now, events=events)
            .on_conflict_do_nothing()
            .returning(webhook_receipts.c.message_id)
        )
        return self._c.execute(statement).first() is not None

    def add_counts(self, counts: Mapping[tuple[str, str], int], *, now: datetime) -> None:
        """Add each (source, outcome) count to the stored totals."""
        if not counts:
            return
        rows = [
            {"source": source, "outcome": outcome, "count": n, "last_at": now}
            for (source, outcome), n in sorted(counts.items())
        ]
        statement = self._insert(webhook_intake_counts)
        statement = statement.on_conflict_do_update(
            index_elements=["source", "outcome"],
            set_={
                "count": webhook_intake_counts.c.count + statement.excluded.count,
                "last_at": statement.excluded.last_at,
            },
        )
        self._c.execute(statement, rows)

    def counts(self) -> list[IntakeCount]:
        """Every (source, outcome) total, sorted."""
        t = webhook_intake_counts
        rows = self._c.execute(select(t).order_by(t.c.source, t.c.outcome))
        return [(r.source, r.outcome, int(r._mapping["count"]), r.last_at) for r in rows]
