"""Inbound tracking webhooks: the ids already accepted (replays are refused) and a count of
every outcome per source. Both use the dialect's INSERT … ON CONFLICT, so several API
processes on one PostgreSQL database agree on which delivery of an id came first. The two
statements are built once per dialect (they run for every webhook batch).

A count is spread over COUNT_SHARDS rows per (source, outcome); each batch adds to one shard
drawn at random and a read sums them. A batch holds its count row locked from that statement
to its commit, so one row per outcome would make concurrent batches (two workers, two API
processes) commit one after another; with shards two batches meet on a row 1 time in 16. The
totals stay exact: every batch adds its counts once, in its own transaction."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from tradelane.store.tables import webhook_intake_counts, webhook_receipts

__all__ = ["COUNT_SHARDS", "IntakeCount", "Receipt", "WebhookIntakeRepository"]

COUNT_SHARDS = 16
_shards = random.Random()  # which row a batch adds to; any choice keeps the totals exact

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
    """INSERT … ON CONFLICT adding each (source, outcome) count to its shard's total."""
    t = webhook_intake_counts
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(t)
    return statement.on_conflict_do_update(
        index_elements=["source", "outcome", "shard"],
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
        """Add each (source, outcome) count to the stored totals (all in one shard, in key
        order, so two batches lock rows in the same order and cannot deadlock)."""
        if not counts:
            return
        shard = _shards.randrange(COUNT_SHARDS)
        rows = [
            {"source": source, "outcome": outcome, "shard": shard, "count": n, "last_at": now}
            for (source, outcome), n in sorted(counts.items())
        ]
        self._c.execute(_add_counts_statement(self._dialect), rows)

    def counts(self) -> list[IntakeCount]:
        """Every (source, outcome) total (its shards summed), sorted."""
        t = webhook_intake_counts
        total, last = func.sum(t.c["count"]).label("total"), func.max(t.c.last_at).label("last")
        key = (t.c.source, t.c.outcome)
        rows = self._c.execute(select(*key, total, last).group_by(*key).order_by(*key))
        return [(r.source, r.outcome, int(r.total), r.last) for r in rows]
