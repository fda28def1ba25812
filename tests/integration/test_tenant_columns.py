"""Every stored row belongs to a tenant: each table, declared or migrated, has tenant_id,
and rows written in a tenant's unit of work carry it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from tests.builders import NOW, an_order
from tradelane.services.order_import import import_orders
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.tables import metadata, order_lines, orders
from tradelane.store.uow import UnitOfWork


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    made = make_engine(f"sqlite:///{tmp_path / 'tenants.db'}")
    migrate(made)
    return made


def test_every_declared_table_has_a_tenant_id() -> None:
    missing = [t.name for t in metadata.sorted_tables if "tenant_id" not in t.c]
    assert missing == []


def test_every_migrated_table_has_a_tenant_id(engine: Engine) -> None:
    found = inspect(engine)
    tables = [name for name in found.get_table_names() if name != "alembic_version"]
    missing = [n for n in tables if "tenant_id" not in {c["name"] for c in found.get_columns(n)}]
    assert len(tables) >= len(metadata.tables) and missing == []


def test_rows_written_in_a_tenants_unit_of_work_carry_its_id(engine: Engine) -> None:
    import_orders([an_order("T-1")], source="test", uow=UnitOfWork(engine, tenant="t1"), now=NOW)
    import_orders([an_order("T-2")], source="test", uow=UnitOfWork(engine), now=NOW)
    with engine.connect() as connection:
        heads = dict(connection.execute(select(orders.c.order_id, orders.c.tenant_id)).all())
        lines = set(connection.execute(select(order_lines.c.order_id, order_lines.c.tenant_id)))
    assert heads == {"T-1": "t1", "T-2": "default"}
    assert lines == {("T-1", "t1"), ("T-2", "default")}


def test_a_tenant_reads_only_its_own_orders(engine: Engine) -> None:
    import_orders([an_order("T-1")], source="test", uow=UnitOfWork(engine, tenant="t1"), now=NOW)
    with UnitOfWork(engine, tenant="t2") as other:
        assert other.orders.get_many(["T-1"]) == [] and other.orders.count() == 0
    with UnitOfWork(engine, tenant="t1") as owner:
        assert [o.order_id for o in owner.orders.get_many(["T-1"])] == ["T-1"]
