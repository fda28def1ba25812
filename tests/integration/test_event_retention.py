"""Retention of tracking events (SQLite and PostgreSQL): events older than the age go, in
batches, the newer ones and the shipments' projection stay; bad ages are refused by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from tests.builders import NOW
from tests.webhook_signing import generic_body
from tradelane.carriers.formats import parse_tracking
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.event_commands import parse_age
from tradelane.services.event_retention import prune_events
from tradelane.services.webhook_intake import Delivery, receive_deliveries
from tradelane.store.tables import shipments, tracking_events
from tradelane.store.uow import UnitOfWork

OLD = ("2025-06-01T10:00:00+00:00", "picked_up"), ("2025-06-03T10:00:00+00:00", "in_transit")
NEW = (("2026-11-20T10:00:00+00:00", "out_for_delivery"),)  # 7 days before NOW


def _store(engine: Engine, parcels: int) -> None:
    deliveries = [
        Delivery(
            "generic",
            message_id=f"r-{i}",
            parsed=parse_tracking(generic_body(f"RT{i:08d}CN", *OLD, *NEW), format="generic"),
        )
        for i in range(parcels)
    ]
    receive_deliveries(deliveries, uow=UnitOfWork(engine), now=NOW)


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_events_older_than_the_age_are_deleted_in_batches_and_the_rest_kept(
    engine: Engine,
) -> None:
    _store(engine, 5)
    assert _count(engine, tracking_events) == 15

    def units() -> UnitOfWork:
        return UnitOfWork(engine)

    age = timedelta(days=400)  # cutoff 2025-10-23
    counted = prune_events(uow=units, now=NOW, older_than=age, dry_run=True)
    assert (counted.deleted, _count(engine, tracking_events)) == (10, 15)
    report = prune_events(uow=units, now=NOW, older_than=age, batch=3)
    assert (report.deleted, report.batches) == (10, 4)
    assert _count(engine, tracking_events) == 5
    assert _count(engine, shipments) == 5
    again = prune_events(uow=units, now=NOW, older_than=age, batch=3)
    assert (again.deleted, again.batches) == (0, 0)
    assert prune_events(uow=units, now=NOW, older_than=timedelta(days=6)).deleted == 5


def test_a_non_positive_age_or_batch_is_refused_naming_it(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="older_than"):
        prune_events(uow=lambda: UnitOfWork(engine), now=NOW, older_than=timedelta(0))
    with pytest.raises(ValidationError, match="batch"):
        prune_events(uow=lambda: UnitOfWork(engine), now=NOW, older_than=timedelta(1), batch=0)


@pytest.mark.parametrize(
    ("text", "age"), [("400d", timedelta(days=400)), ("36h", timedelta(hours=36))]
)
def test_ages_read_in_days_or_hours(text: str, age: timedelta) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["400", "0d", "-3d", "1y", ""])
def test_other_ages_are_refused_naming_the_option(text: str) -> None:
    with pytest.raises(ValidationError, match="--older-than"):
        parse_age(text)
