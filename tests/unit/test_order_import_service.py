"""The order import on a fake unit of work: all or nothing, without a database."""

from __future__ import annotations

import pytest

from tests.builders import NOW, an_order
from tests.fake_uow import FakeUnitOfWork
from tradelane.domain.errors import AlreadyStored
from tradelane.services.order_import import import_orders


def test_a_batch_is_stored_in_one_commit_and_counted_by_country() -> None:
    uow = FakeUnitOfWork()
    report = import_orders(
        [
            an_order("F-1", country="FR"),
            an_order("F-2", country="FR"),
            an_order("D-1", country="DE"),
        ],
        source="test",
        uow=uow,
        now=NOW,
    )
    assert (report.imported, dict(report.countries), uow.commits) == (3, {"FR": 2, "DE": 1}, 1)
    assert sorted(uow.orders.rows) == ["D-1", "F-1", "F-2"]


def test_a_batch_with_an_id_already_stored_stores_nothing_and_names_the_id() -> None:
    uow = FakeUnitOfWork()
    import_orders([an_order("F-1")], source="test", uow=uow, now=NOW)
    with pytest.raises(AlreadyStored) as refused:
        import_orders([an_order("N-1"), an_order("F-1")], source="test", uow=uow, now=NOW)
    assert [e.value for e in refused.value.errors] == ["F-1"]
    assert sorted(uow.orders.rows) == ["F-1"] and uow.commits == 1
