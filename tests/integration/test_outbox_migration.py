"""Upgrading a store that already holds outbox messages gives each its own webhook id."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.conftest import POSTGRES_URL
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate

BEFORE = "0002_monitoring"  # the last revision without webhook ids


def _unmigrated_sqlite(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    yield engine
    engine.dispose()


def _unmigrated_postgres() -> Iterator[Engine]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgres":
        request.getfixturevalue("postgres_available")
        yield from _unmigrated_postgres()
    else:
        yield from _unmigrated_sqlite(tmp_path)


def test_messages_queued_before_the_upgrade_get_distinct_webhook_ids(old_store: Engine) -> None:
    migrate(old_store, BEFORE)
    at = datetime(2026, 11, 30, tzinfo=UTC).isoformat()
    with old_store.begin() as connection:
        for topic in ("alert.opened", "alert.resolved", "switch.started"):
            connection.execute(
                text(
                    "INSERT INTO outbox (topic, destination, payload, created_at, attempts,"
                    " next_attempt_at) VALUES (:t, 'https://h.example/x', '{}', :at, 0, :at)"
                ),
                {"t": topic, "at": at},
            )
    migrate(old_store)
    with old_store.connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT webhook_id FROM outbox"))]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(re.fullmatch(r"msg_[0-9a-f]{32}", i) for i in ids)
