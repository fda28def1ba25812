"""The outbox keeps every message exactly, whether written by INSERT or (PostgreSQL, many rows)
by COPY."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import StatementError

from tradelane.store.bulk import COPY_FROM_ROWS
from tradelane.store.outbox import OutboxMessage
from tradelane.store.uow import UnitOfWork

NOW = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize("count", [3, COPY_FROM_ROWS + 50])
def test_messages_round_trip_exactly(uow: UnitOfWork, count: int) -> None:
    sent = [
        OutboxMessage(
            topic="customer.notice",
            destination=f"order:ORD-{i}",
            payload={
                "subject": "Ihr Paket verspätet sich",
                "body": "line\ttab\nnew\\line",
                "eta": "2026-12-03",
                "switch_id": i,
                "share": 0.3,
                "none": None,
            },
        )
        for i in range(count)
    ]
    with uow:
        uow.outbox.add_many(sent, now=NOW)
        uow.commit()
    with uow:
        stored = uow.outbox.messages()
    assert [m.message for m in stored] == sent
    assert {m.created_at for m in stored} == {NOW}
    assert all(m.delivered_at is None for m in stored)


def test_a_naive_time_is_refused_on_every_path(uow: UnitOfWork) -> None:
    naive = datetime(2026, 11, 27, 9, 0)  # noqa: DTZ001 - the point of the test
    many = [OutboxMessage("t", "d", {}) for _ in range(COPY_FROM_ROWS)]
    with uow, pytest.raises((ValueError, StatementError), match="naive datetime"):
        uow.outbox.add_many(many, now=naive)
    with uow:
        assert uow.outbox.messages() == []
