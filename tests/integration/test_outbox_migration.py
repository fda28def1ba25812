"""Upgrading a store that already holds outbox messages gives each its own webhook id."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from tradelane.store.migrate import migrate

BEFORE = "0002_monitoring"  # the last revision without webhook ids


def test_messages_queued_before_the_upgrade_get_distinct_webhook_ids(bare_engine: Engine) -> None:
    migrate(bare_engine, BEFORE)
    at = datetime(2026, 11, 30, tzinfo=UTC).isoformat()
    with bare_engine.begin() as connection:
        for topic in ("alert.opened", "alert.resolved", "switch.started"):
            connection.execute(
                text(
                    "INSERT INTO outbox (topic, destination, payload, created_at, attempts,"
                    " next_attempt_at) VALUES (:t, 'https://h.example/x', '{}', :at, 0, :at)"
                ),
                {"t": topic, "at": at},
            )
    migrate(bare_engine)
    with bare_engine.connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT webhook_id FROM outbox"))]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(re.fullmatch(r"msg_[0-9a-f]{32}", i) for i in ids)
