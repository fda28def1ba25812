"""Inbound tracking webhooks: the ids already accepted (replays are refused) and a count of
every outcome per source. Both use the dialect's INSERT … ON CONFLICT, so several API
processes on one PostgreSQL database agree on which delivery of an id came first. The two
statements are built once per dialect (they run for every webhook batch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from tradelane.store.tables import webhook_intake_counts, webhook_receipts

__all__ = ["IntakeCount", "Receipt", "WebhookIntakeRepository"]

IntakeCount = tuple[str, str, int, datetime]  # source, outcome, count, last seen
Receipt = tuple[str, str, int]  # source, message id, entries it carried


@cache
def _claim_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the (source, message id) pairs that were new."""
    t = webhook_receipts
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(t).on_conflict_do_nothing().returning(t.c.source, t.c.message_id)


@cache
def _add_counts_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT adding each (source, outcome) count to the stored total."""
    t = webhook_intake_counts
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(t)
    return statement.on_conflict_do_update(
        index_elements=["source", "outcome"],
        set_={"count": t.c.count + statement.excluded.count, "last_at": statement.excluded.last_at},
    )


class WebhookIntakeRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._dialect = connection.dialect.name

    def claim(self, receipts: Sequence[Receipt], *, now: datetime) -> set[tuple[str, str]]:
        """Record each (source, message id, events) as accepted in one statement; the
        (source, id) pairs that were new. One already stored (a replay) is left as it was."""
        if not receipts:
            return set()
        statement = _claim_statement(self._dialect)
        rows = [
            {"source": s, "message_id": m, "received_at": now, "events": n} for s, m, n in receipts
        ]
        return {(row.source, row.message_id) for row in self._c.execute(statement, rows)}

    def add_counts(self, counts: Mapping[tuple[str, str], int], *, now: datetime) -> None:
        """Add each (source, outcome) count to the stored totals."""
        if not counts:
            return
        rows = [
            {"source": source, "outcome": outcome, "count": n, "last_at": now}
            for (source, outcome), n in sorted(counts.items())
        ]
        self._c.execute(_add_counts_statement(self._dialect), rows)

    def counts(self) -> list[IntakeCount]:
        """Every (source, outcome) total, sorted."""
        t = webhook_intake_counts
        rows = self._c.execute(select(t).order_by(t.c.source, t.c.outcome))
        return [(r.source, r.outcome, int(r._mapping["count"]), r.last_at) for r in rows]
