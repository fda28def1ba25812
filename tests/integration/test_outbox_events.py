"""Switching's outbox events keep every value exactly, whether written by INSERT or (PostgreSQL,
big batches) by COPY, once per webhook destination."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import StatementError

from tradelane.store.bulk import COPY_FROM_ROWS
from tradelane.store.uow import UnitOfWork

NOW = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)
HOOKS = ["https://seller.example/a", "https://seller.example/b"]


@pytest.mark.parametrize("count", [3, COPY_FROM_ROWS + 50])
def test_events_round_trip_exactly_once_per_destination(uow: UnitOfWork, count: int) -> None:
    events = [
        (
            "customer.notice",
            {
                "subject": "Ihr Paket verspätet sich",
                "body": "line\ttab\nnew\\line",
                "order_id": f"ORD-{i}",
                "share": 0.3,
                "none": None,
            },
        )
        for i in range(count)
    ]
    with uow:
        written = uow.outbox.add_events(events, destinations=HOOKS, now=NOW)
        uow.commit()
    with uow:
        stored = uow.outbox.messages(limit=10 * count)
    assert written == len(stored) == count * len(HOOKS)
    for hook in HOOKS:
        mine = [m for m in stored if m.destination == hook]
        assert [(m.topic, m.payload["data"]) for m in mine] == events
        assert {m.payload["timestamp"] for m in mine} == {NOW.isoformat()}
        assert {(m.created_at, m.attempts) for m in mine} == {(NOW, 0)}


def test_no_destination_writes_nothing(uow: UnitOfWork) -> None:
    with uow:
        assert uow.outbox.add_events([("switch.opened", {})], destinations=[], now=NOW) == 0
        assert uow.outbox.messages() == []


def test_a_naive_time_is_refused_on_every_path(uow: UnitOfWork) -> None:
    naive = datetime(2026, 11, 27, 9, 0)  # noqa: DTZ001 - the point of the test
    many = [("t", {})] * COPY_FROM_ROWS
    with uow, pytest.raises((ValueError, StatementError), match="naive datetime"):
        uow.outbox.add_events(many, destinations=HOOKS[:1], now=naive)
    with uow:
        assert uow.outbox.messages() == []
