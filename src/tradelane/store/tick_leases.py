"""Leases of scheduled jobs: a job and shard runs only when its last run is at least a gap
old, decided by one INSERT … ON CONFLICT DO UPDATE … WHERE, so two schedulers (or two workers
given the same tick) never run the same shard twice in one interval. On PostgreSQL the second
of two concurrent claims waits for the first to commit, then finds the lease taken."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from tradelane.store.tables import tick_leases
from tradelane.store.types import UTCDateTime

__all__ = ["TickLeases"]


@cache
def _claim_statement(dialect: str) -> Any:
    t = tick_leases
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(t)
    return statement.on_conflict_do_update(
        index_elements=["job", "shard"],
        set_={"last_run_at": statement.excluded.last_run_at},
        where=t.c.last_run_at <= bindparam("cutoff", type_=UTCDateTime),
    ).returning(t.c.job)


class TickLeases:
    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._dialect = connection.dialect.name

    def claim(self, job: str, shard: str, *, now: datetime, gap: timedelta) -> bool:
        """Take the lease of (job, shard) at `now` unless it was taken less than `gap` ago."""
        row = self._c.execute(
            _claim_statement(self._dialect),
            {"job": job, "shard": shard, "last_run_at": now, "cutoff": now - gap},
        ).first()
        return row is not None
