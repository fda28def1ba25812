"""A buyer hears of a delay only when the parcel broke what its lane led us to expect and its
revised ETA passes the promise, once per cause, in the language of the destination country."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments, update_shipment
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.plan import MonitoringPlan
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.notices import CUSTOMER_TOPIC
from tradelane.services.sweep import sweep
from tradelane.services.webhook_subscriptions import subscribe
from tradelane.store.tables import alerts, customer_notices, outbox
from tradelane.store.uow import UnitOfWork

HOOK = "https://seller.example/notices"
PLAN = MonitoringPlan.build(MonitoringConfig(), default_catalogue().channels)
H = timedelta(hours=1)


def _stalled_express(order_id: str, *, promise_days: float, country: str = "DE") -> Any:
    """Picked up 49 h before NOW on DHL Express and never departed."""
    picked = NOW - 49 * H
    return a_shipment_row(
        channel_id="dhl-express-cn",
        destination_country=country,
        order_id=order_id,
        picked_up_at=picked,
        handed_over_at=picked,
        promised_at=picked + timedelta(days=promise_days),
    )


def _notices(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.scalars(select(outbox.c.payload).where(outbox.c.topic == CUSTOMER_TOPIC))
        return [dict(payload["data"]) for payload in rows]


def test_a_stall_that_breaks_the_promise_tells_the_buyer_once_in_german(engine: Engine) -> None:
    insert_shipments(engine, _stalled_express("ORD-1", promise_days=4))
    uow = UnitOfWork(engine)
    first = sweep(PLAN, uow=uow, now=NOW, destinations=[HOOK])
    again = sweep(PLAN, uow=uow, now=NOW + 6 * H, destinations=[HOOK])
    [notice] = _notices(engine)
    assert (first.buyers_notified, again.buyers_notified) == (1, 0)
    assert notice["order_id"] == "ORD-1" and notice["language"] == "de"
    assert notice["cause"] == "delay:no_departure" and "verspätet" in notice["subject"]


def test_a_stall_the_promise_still_absorbs_alerts_the_desk_but_not_the_buyer(
    engine: Engine,
) -> None:
    insert_shipments(engine, _stalled_express("ORD-2", promise_days=12))
    report = sweep(PLAN, uow=UnitOfWork(engine), now=NOW, destinations=[HOOK])
    with engine.connect() as connection:
        [(eta, at_risk)] = connection.execute(
            select(alerts.c.revised_eta_at, alerts.c.promise_at_risk)
        ).all()
    assert report.opened_total == 1 and not at_risk and eta is not None
    assert report.buyers_notified == 0 and _notices(engine) == []


def test_an_alert_reopened_for_the_same_cause_tells_the_buyer_nothing_new(
    engine: Engine,
) -> None:
    [shipment_id] = insert_shipments(engine, _stalled_express("ORD-3", promise_days=4))
    uow = UnitOfWork(engine)
    sweep(PLAN, uow=uow, now=NOW, destinations=[HOOK])
    update_shipment(engine, shipment_id, departed_origin_at=NOW + H, status_rank=2)
    sweep(PLAN, uow=uow, now=NOW + 2 * H, destinations=[HOOK])
    update_shipment(engine, shipment_id, departed_origin_at=None, status_rank=1)
    sweep(PLAN, uow=uow, now=NOW + 3 * H, destinations=[HOOK])
    with engine.connect() as connection:
        told = connection.execute(select(customer_notices.c.cause)).scalars().all()
    assert told == ["delay:no_departure"]
    assert len(_notices(engine)) == 1


def _slow_truck(order_id: str) -> Any:
    """On the China-Europe truck to Germany, departed a day ago, promised for tomorrow: within
    every leg window, but its revised ETA is days past the promise."""
    departed = NOW - 24 * H
    return a_shipment_row(
        channel_id="cn-eu-truck",
        destination_country="DE",
        order_id=order_id,
        handed_over_at=departed - 48 * H,
        picked_up_at=departed - 24 * H,
        departed_origin_at=departed,
        promised_at=NOW + 24 * H,
    )


def test_a_parcel_within_its_lane_windows_whose_eta_passes_its_promise_warns_only_the_desk(
    engine: Engine,
) -> None:
    insert_shipments(engine, _slow_truck("ORD-4"))
    uow = UnitOfWork(engine)
    first = sweep(PLAN, uow=uow, now=NOW, destinations=[HOOK])
    again = sweep(PLAN, uow=uow, now=NOW + 6 * H, destinations=[HOOK])
    with engine.connect() as connection:
        [(rule, eta, at_risk)] = connection.execute(
            select(alerts.c.rule, alerts.c.revised_eta_at, alerts.c.promise_at_risk)
        ).all()
    assert (rule, at_risk) == ("promise_at_risk", True) and eta > NOW + 24 * H
    assert (first.buyers_notified, again.buyers_notified) == (0, 0) and _notices(engine) == []


def test_a_truck_parcel_stalled_past_its_lane_window_tells_the_buyer(engine: Engine) -> None:
    picked = NOW - 10 * 24 * H
    stalled = a_shipment_row(
        channel_id="cn-eu-truck",
        destination_country="DE",
        order_id="ORD-6",
        handed_over_at=picked,
        picked_up_at=picked,
        promised_at=NOW + 24 * H,
    )
    insert_shipments(engine, stalled)
    report = sweep(PLAN, uow=UnitOfWork(engine), now=NOW, destinations=[HOOK])
    causes = [n["cause"] for n in _notices(engine)]
    assert report.buyers_notified == 1 and causes == ["delay:no_departure"]


def test_a_buyer_told_of_a_delay_hears_nothing_more_when_its_eta_stays_late(
    engine: Engine,
) -> None:
    [shipment_id] = insert_shipments(engine, _stalled_express("ORD-5", promise_days=4))
    uow = UnitOfWork(engine)
    sweep(PLAN, uow=uow, now=NOW, destinations=[HOOK])
    update_shipment(engine, shipment_id, departed_origin_at=NOW + H, status_rank=2)
    report = sweep(PLAN, uow=uow, now=NOW + 2 * H, destinations=[HOOK])
    with engine.connect() as connection:
        rules = connection.execute(select(alerts.c.rule, alerts.c.state)).all()
    assert ("promise_at_risk", "open") in rules and report.buyers_notified == 0
    assert [n["cause"] for n in _notices(engine)] == ["delay:no_departure"]


def test_each_tenants_buyers_are_told_through_that_tenants_own_subscription(
    engine: Engine,
) -> None:
    insert_shipments(
        engine,
        _stalled_express("ORD-A", promise_days=4) | {"tenant_id": "a"},
        _stalled_express("ORD-B", promise_days=4) | {"tenant_id": "b"},
    )
    subscribe(HOOK + "/a", topics=[CUSTOMER_TOPIC], uow=UnitOfWork(engine, tenant="a"), now=NOW)
    first = sweep(PLAN, uow=UnitOfWork(engine), now=NOW, destinations=[])
    with engine.connect() as connection:
        queued = connection.execute(
            select(outbox.c.destination, outbox.c.tenant_id).where(outbox.c.topic == CUSTOMER_TOPIC)
        ).all()
        told = connection.scalars(select(customer_notices.c.order_id)).all()
    assert first.buyers_notified == 1 and queued == [(HOOK + "/a", "a")]
    assert told == ["ORD-A"]  # b's buyer reached no destination: not recorded as told

    subscribe(HOOK + "/b", topics=None, uow=UnitOfWork(engine, tenant="b"), now=NOW)
    later = sweep(PLAN, uow=UnitOfWork(engine), now=NOW + 6 * H, destinations=[])
    [notice] = [n for n in _notices(engine) if n["order_id"] == "ORD-B"]
    assert later.buyers_notified == 1 and notice["language"] == "de"


def test_a_notice_the_sweep_writes_belongs_to_its_shipments_tenant(engine: Engine) -> None:
    insert_shipments(engine, _stalled_express("ORD-T", promise_days=4) | {"tenant_id": "a"})
    report = sweep(PLAN, uow=UnitOfWork(engine, tenant="ops"), now=NOW, destinations=[HOOK])
    with engine.connect() as connection:
        told = connection.execute(
            select(customer_notices.c.order_id, customer_notices.c.tenant_id)
        ).all()
    assert report.buyers_notified == 1 and told == [("ORD-T", "a")]
    with UnitOfWork(engine, tenant="a") as uow:
        assert uow.notices.told(["ORD-T"], "delay:no_departure") == {"ORD-T"}
    with UnitOfWork(engine, tenant="ops") as uow:
        assert uow.notices.told(["ORD-T"], "delay:no_departure") == set()


def test_two_tenants_buyers_of_the_same_order_id_are_each_told(engine: Engine) -> None:
    insert_shipments(
        engine,
        _stalled_express("ORD-S", promise_days=4) | {"tenant_id": "a"},
        _stalled_express("ORD-S", promise_days=4) | {"tenant_id": "b"},
    )
    first = sweep(PLAN, uow=UnitOfWork(engine), now=NOW, destinations=[HOOK])
    again = sweep(PLAN, uow=UnitOfWork(engine), now=NOW + 6 * H, destinations=[HOOK])
    with engine.connect() as connection:
        told = connection.execute(
            select(customer_notices.c.tenant_id, customer_notices.c.order_id).order_by(
                customer_notices.c.tenant_id
            )
        ).all()
    assert (first.buyers_notified, again.buyers_notified) == (2, 0)
    assert [tuple(row) for row in told] == [("a", "ORD-S"), ("b", "ORD-S")]
