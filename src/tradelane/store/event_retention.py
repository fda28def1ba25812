"""Retention of tracking events: the events that occurred before a cutoff, deleted a bounded
batch at a time (each batch its own transaction, so a long prune holds no lock for long and an
interrupted one leaves every remaining event whole). The batch is picked by primary key, which
works the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select, tuple_

from tradelane.store.tables import tracking_events

__all__ = ["EventRetention"]


class EventRetention:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def delete_before(self, cutoff: datetime, *, limit: int) -> int:
        """Delete at most `limit` events that occurred before `cutoff`; how many went."""
        t = tracking_events
        key = tuple(t.primary_key.columns)
        batch = select(*key).where(t.c.occurred_at < cutoff).limit(limit)
        return int(self._c.execute(delete(t).where(tuple_(*key).in_(batch))).rowcount)

    def count_before(self, cutoff: datetime) -> int:
        t = tracking_events
        counted = select(func.count()).select_from(t).where(t.c.occurred_at < cutoff)
        return int(self._c.execute(counted).scalar_one())
