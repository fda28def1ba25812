"""Upgrading to per-tenant keys keeps the stored rows. Order ids (0022): every order, line,
assignment, shipment, notice, re-route and stock row is kept, each row referring to an order
takes that order's tenant, and afterwards a second tenant may use an order id or a
warehouse's SKU the first one has. Disabled webhook URLs (0023): a URL disabled for every
tenant stays disabled for each tenant still waiting to reach it."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import Engine, insert, select, text

from tests.builders import NOW, an_order
from tests.integration.shipment_rows import a_shipment_row
from tradelane.store.migrate import alembic_config, migrate
from tradelane.store.tables import (
    assignments,
    customer_notices,
    inventory,
    order_lines,
    orders,
    reroutes,
    shipments,
)
from tradelane.store.uow import UnitOfWork

BEFORE = "0021_webhook_subscriptions"  # order ids global, stock per warehouse and SKU


def _assignment(order_id: str, tenant_id: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "tenant_id": tenant_id,
        "primary_channel_id": "test-line",
        "backup_channel_ids": [],
        "score": {},
        "reason": "test",
        "policy_version": "p1",
        "cause": "initial",
        "assigned_at": NOW,
    }


def _store_before_upgrade(engine: Engine) -> None:
    for tenant, order_id in (("default", "ORD-1"), ("a", "ORD-2")):
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.orders.add_many([an_order(order_id, created_at=NOW)], now=NOW)
            uow.commit()
    with UnitOfWork(engine) as uow:
        uow.inventory.put_many([("DUS", "SKU-1", 5)], now=NOW)
        uow.commit()
    with engine.begin() as connection:
        # a switch run as the default tenant moved a's order: the row took the wrong tenant
        connection.execute(insert(assignments), [_assignment("ORD-2", "default")])
        connection.execute(
            insert(shipments), [a_shipment_row("TN-2", order_id="ORD-2", tenant_id="default")]
        )
        connection.execute(
            insert(customer_notices),
            [
                {
                    "order_id": "ORD-2",
                    "cause": "delay:no_departure",
                    "kind": "delay",
                    "language": "de",
                    "sent_at": NOW,
                    "tenant_id": "default",
                }
            ],
        )
        connection.execute(
            insert(reroutes),
            [
                {
                    "order_id": "ORD-2",
                    "voided_tracking_number": "TN-2",
                    "tracking_number": "TN-3",
                    "from_channel_id": "test-line",
                    "to_channel_id": "other-line",
                    "fee_amount": "0",
                    "currency": "EUR",
                    "reason": "test",
                    "rerouted_at": NOW,
                    "tenant_id": "default",
                }
            ],
        )


def _owners(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in (orders, order_lines, assignments, shipments, customer_notices, reroutes):
            query = select(table.c.tenant_id, table.c.order_id).order_by(table.c.order_id)
            found[table.name] = [tuple(row) for row in connection.execute(query)]
    return found


def test_upgrading_keeps_the_rows_and_gives_each_its_orders_tenant(bare_engine: Engine) -> None:
    migrate(bare_engine, BEFORE)
    _store_before_upgrade(bare_engine)
    migrate(bare_engine)
    assert _owners(bare_engine) == {
        "orders": [("default", "ORD-1"), ("a", "ORD-2")],
        "order_lines": [("default", "ORD-1"), ("a", "ORD-2")],
        "assignments": [("a", "ORD-2")],
        "shipments": [("a", "ORD-2")],
        "customer_notices": [("a", "ORD-2")],
        "reroutes": [("a", "ORD-2")],
    }
    with UnitOfWork(bare_engine, tenant="a") as uow:
        assert uow.assignments.current("ORD-2") is not None
        assert uow.orders.get("ORD-2").order_id == "ORD-2"


def test_after_the_upgrade_two_tenants_share_an_order_id_and_a_sku(bare_engine: Engine) -> None:
    migrate(bare_engine, BEFORE)
    _store_before_upgrade(bare_engine)
    migrate(bare_engine)
    with UnitOfWork(bare_engine, tenant="b") as uow:
        uow.orders.add_many([an_order("ORD-1", created_at=NOW)], now=NOW)
        uow.inventory.put_many([("DUS", "SKU-1", 7)], now=NOW)
        uow.commit()
    with bare_engine.connect() as connection:
        heads = connection.execute(
            select(orders.c.tenant_id).where(orders.c.order_id == "ORD-1").order_by("tenant_id")
        ).scalars()
        stock = connection.execute(
            select(inventory.c.tenant_id, inventory.c.on_hand).order_by(inventory.c.tenant_id)
        ).all()
        lines = connection.execute(text("SELECT count(*) FROM order_lines")).scalar_one()
    assert list(heads) == ["b", "default"]
    assert [tuple(row) for row in stock] == [("b", 7), ("default", 5)]
    assert lines == 3


def test_a_url_disabled_before_the_upgrade_stays_so_for_each_tenant_with_messages_to_it(
    bare_engine: Engine,
) -> None:
    migrate(bare_engine, "0022_tenant_orders")  # a 410 Gone disabled a URL installation-wide
    gone, at = "https://gone.example/hook", NOW.isoformat()
    with bare_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO webhook_endpoints (url, disabled_at, reason)"
                " VALUES (:url, :at, 'HTTP 410 Gone')"
            ),
            {"url": gone, "at": at},
        )
        for n, tenant in enumerate(("default", "a", "a", "b")):
            connection.execute(
                text(
                    "INSERT INTO outbox (topic, destination, payload, created_at, attempts,"
                    " next_attempt_at, webhook_id, tenant_id) VALUES ('t', :url, '{}', :at, 0,"
                    " :at, :id, :tenant)"
                ),
                {"url": gone, "at": at, "id": f"msg_{n}", "tenant": tenant},
            )
        connection.execute(
            text("UPDATE outbox SET delivered_at = :at WHERE webhook_id = 'msg_3'"), {"at": at}
        )
    migrate(bare_engine)
    with UnitOfWork(bare_engine) as uow:
        disabled = uow.endpoints.disabled()
    assert sorted(disabled) == [("a", gone), ("default", gone)]  # b's message was delivered
    assert {why for _, why in disabled.values()} == {"HTTP 410 Gone"}


def test_downgrading_back_to_global_ids_keeps_the_rows(bare_engine: Engine) -> None:
    migrate(bare_engine, BEFORE)
    _store_before_upgrade(bare_engine)
    migrate(bare_engine)
    before = _owners(bare_engine)
    config = alembic_config()
    with bare_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    assert _owners(bare_engine) == before
    with bare_engine.connect() as connection:
        stock = connection.execute(text("SELECT warehouse, sku, on_hand FROM inventory")).all()
    assert [tuple(row) for row in stock] == [("DUS", "SKU-1", 5)]
