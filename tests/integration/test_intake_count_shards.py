"""Webhook intake counts spread over shard rows: two batches adding to the same outcome at the
same time do not wait on each other (PostgreSQL), the totals stay exact under concurrent
batches, and the migration keeps the totals each way (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from sqlalchemy import Engine, text

from tests.builders import NOW
from tests.webhook_signing import generic_body
from tradelane.carriers.formats import parse_tracking
from tradelane.services.webhook_intake import Delivery, intake_counts, receive_deliveries
from tradelane.store import webhook_intake_repository
from tradelane.store.migrate import alembic_config, migrate
from tradelane.store.uow import UnitOfWork
from tradelane.store.webhook_intake_repository import WebhookIntakeRepository

BEFORE = "0018_tenant_keys"  # one count row per (source, outcome)
ADD_COUNT = (
    "INSERT INTO webhook_intake_counts (source, outcome, count, last_at, tenant_id) "
    "VALUES ('generic', :outcome, :n, :at, 'default')"
)


class _Turns:
    """The shard source drawing 0, 1, 2, ... (the module's is random)."""

    def __init__(self) -> None:
        self._next = itertools.count()

    def randrange(self, stop: int) -> int:
        return next(self._next) % stop


@pytest.mark.postgres
def test_two_open_batches_add_to_the_same_outcome_without_waiting(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook_intake_repository, "_shards", _Turns())
    with postgres_engine.connect() as first, postgres_engine.connect() as second:
        WebhookIntakeRepository(first).add_counts({("generic", "accepted"): 3}, now=NOW)
        # the first batch has not committed: one shared row would make this wait
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        WebhookIntakeRepository(second).add_counts({("generic", "accepted"): 4}, now=NOW)
        second.commit()
        first.commit()
    assert intake_counts(uow=UnitOfWork(postgres_engine)) == [("generic", "accepted", 7, NOW)]


def _batch(first: int, size: int) -> list[Delivery]:
    scans = (("2026-11-26T10:00:00+08:00", "picked_up"),)
    return [
        Delivery(
            "generic",
            message_id=f"c-{i}",
            parsed=parse_tracking(generic_body(f"FC{i:08d}CN", *scans), format="generic"),
        )
        for i in range(first, first + size)
    ]


@pytest.mark.postgres
def test_concurrent_batches_are_counted_exactly(postgres_engine: Engine) -> None:
    batches = [_batch(i * 10, 10) + _batch(i * 10, 2) for i in range(24)]  # 2 replays each
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(
            pool.map(
                lambda b: receive_deliveries(b, uow=UnitOfWork(postgres_engine), now=NOW), batches
            )
        )
    counts = {o: n for _, o, n, _ in intake_counts(uow=UnitOfWork(postgres_engine))}
    assert counts == {"accepted": 240, "duplicate": 48}


def test_the_migration_keeps_every_total_up_and_down(bare_engine: Engine) -> None:
    migrate(bare_engine, BEFORE)
    with bare_engine.begin() as connection:
        connection.execute(text(ADD_COUNT), {"outcome": "accepted", "n": 5, "at": NOW.isoformat()})
    migrate(bare_engine)
    assert intake_counts(uow=UnitOfWork(bare_engine)) == [("generic", "accepted", 5, NOW)]
    for _ in range(3):  # spread over shards, a new outcome too
        receive_deliveries(_batch(0, 2), uow=UnitOfWork(bare_engine), now=NOW)
    assert {o: n for _, o, n, _ in intake_counts(uow=UnitOfWork(bare_engine))} == {
        "accepted": 7,
        "duplicate": 4,
    }
    config = alembic_config()
    with bare_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    with bare_engine.connect() as connection:
        rows = connection.execute(
            text("SELECT outcome, count FROM webhook_intake_counts ORDER BY outcome")
        ).all()
    assert [tuple(r) for r in rows] == [("accepted", 7), ("duplicate", 4)]
