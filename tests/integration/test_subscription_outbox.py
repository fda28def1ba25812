"""The outbox queues a tenant's messages for the system destinations plus that tenant's
enabled subscriptions covering the topic, never another tenant's: for the sweep's alert events
(INSERT … SELECT over every tenant's alerts) and for given events (INSERT or COPY)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.subscriptions import Subscription
from tradelane.services.sweep import sweep
from tradelane.services.webhook_subscriptions import subscribe, unsubscribe
from tradelane.store.bulk import COPY_FROM_ROWS
from tradelane.store.uow import UnitOfWork

SYSTEM = "https://ops.example/all"


def _subscribe(engine: Engine, tenant: str, *topics: str) -> Subscription:
    made, _secret = subscribe(
        f"https://{tenant}.example/{'+'.join(topics) or 'all'}",
        topics=list(topics) or None,
        uow=UnitOfWork(engine, tenant=tenant),
        now=NOW,
    )
    return made


def _queued(uow: UnitOfWork) -> list[tuple[str, str, str, int | None]]:
    with uow:
        found = uow.outbox.messages()
    with uow.engine.connect() as connection:
        owners = dict(connection.exec_driver_sql("SELECT id, tenant_id FROM outbox").all())
    return sorted((m.destination, m.topic, owners[m.id], m.subscription_id) for m in found)


def test_each_alert_event_reaches_its_own_tenants_subscriptions(
    engine: Engine, uow: UnitOfWork
) -> None:
    stuck = NOW - timedelta(days=3)
    insert_shipments(
        engine,
        a_shipment_row(picked_up_at=stuck, tenant_id="a"),
        a_shipment_row(picked_up_at=stuck, tenant_id="b"),
    )
    mine = _subscribe(engine, "a")
    _subscribe(engine, "b", "alert.resolved")  # b's alert opens: not b's topic
    report = sweep(MonitoringConfig(), uow=uow, now=NOW, destinations=[SYSTEM])
    assert report.messages == 3
    assert _queued(uow) == [
        (mine.url, "alert.opened", "a", mine.id),
        (SYSTEM, "alert.opened", "a", None),
        (SYSTEM, "alert.opened", "b", None),
    ]


@pytest.mark.parametrize("count", [3, COPY_FROM_ROWS + 50])
def test_given_events_reach_the_tenants_covering_subscriptions_only(
    engine: Engine, uow: UnitOfWork, count: int
) -> None:
    everything = _subscribe(engine, "a")
    switches = _subscribe(engine, "a", "switch.opened")
    _subscribe(engine, "b")
    events = [("customer.notice", {"order_id": f"ORD-{i}"}) for i in range(count)]
    with uow:
        written = uow.outbox.add_events(
            [*events, ("switch.opened", {})], destinations=[SYSTEM], now=NOW, tenant="a"
        )
        uow.commit()
    queued = _queued(uow)
    assert written == len(queued) == 2 * (count + 1) + 1
    assert {(d, s) for d, _, _, s in queued} == {
        (SYSTEM, None),
        (everything.url, everything.id),
        (switches.url, switches.id),
    }
    assert [t for d, t, _, _ in queued if d == switches.url] == ["switch.opened"]
    assert {owner for _, _, owner, _ in queued} == {"a"}


def test_a_deleted_subscription_gets_no_new_message(engine: Engine, uow: UnitOfWork) -> None:
    gone = _subscribe(engine, "a")
    unsubscribe(gone.id, uow=UnitOfWork(engine, tenant="a"), now=NOW)
    with uow:
        uow.outbox.add_events([("switch.opened", {})], destinations=[SYSTEM], now=NOW, tenant="a")
        uow.commit()
    assert _queued(uow) == [(SYSTEM, "switch.opened", "a", None)]
