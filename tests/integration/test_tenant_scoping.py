"""Tenant data beyond orders: stored shipments' score rows, imported histories, experiments and
allocation ratios are read, re-imported, replaced and deleted as the unit of work's tenant only;
the same names (history digest, experiment id, lane ratio) may be used by two tenants."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.builders import NOW, an_order
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tests.integration.test_experiments_store import an_experiment
from tradelane.domain.errors import NotFound
from tradelane.domain.history import HistoryRecord, HistoryStatus
from tradelane.domain.shipments import Shipment
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.selection.decision import AssignmentRecord
from tradelane.services.alerts import alert_counts, list_alerts
from tradelane.services.catalogues import active_catalogue, install_catalogue
from tradelane.services.sweep import sweep
from tradelane.store.scorecard_rows import shipment_score_rows
from tradelane.store.tables import alerts, history_records, outbox, shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import HealthState

DIGEST = "f" * 64


def add_orders(engine: Engine, tenant: str, *order_ids: str) -> None:
    with UnitOfWork(engine, tenant=tenant) as uow:
        uow.orders.add_many([an_order(i, created_at=NOW) for i in order_ids], now=NOW)
        uow.commit()


def import_history(engine: Engine, tenant: str, channels: list[str]) -> int:
    """One import of DIGEST for `tenant`: a delivered record per channel."""
    records = [
        HistoryRecord(row=n, channel=channel, lane="DE", status=HistoryStatus.DELIVERED)
        for n, channel in enumerate(channels, start=2)
    ]
    with UnitOfWork(engine, tenant=tenant) as uow:
        import_id = uow.history.open_import("history.csv", DIGEST, now=NOW)
        uow.history.add_records(import_id, records)
        uow.history.close_import(import_id, len(records), Counter())
        uow.commit()
    return import_id


def test_score_rows_are_the_tenants_orders_shipments_and_its_orderless_ones(
    engine: Engine,
) -> None:
    add_orders(engine, "a", "A-1", "A-2")
    add_orders(engine, "b", "B-1")
    insert_shipments(
        engine,
        *(
            a_shipment_row(order_id=order_id, tenant_id=order_id[0].lower())  # as handed over
            for order_id in ("A-1", "A-2", "B-1")
        ),
        a_shipment_row(order_id=None, channel_id="orderless-line"),  # the default tenant's
    )
    for tenant, expected in (("a", ["A-1", "A-2"]), ("b", ["B-1"]), ("default", [None])):
        with UnitOfWork(engine, tenant=tenant) as uow:
            rows = list(shipment_score_rows(uow.connection))
        assert sorted((r.order_id for r in rows), key=str) == expected, tenant


def test_history_is_read_reimported_and_deleted_per_tenant(engine: Engine) -> None:
    a_import = import_history(engine, "a", ["a-line", "a-line"])
    b_import = import_history(engine, "b", ["b-line"])  # same digest: a tenant of its own
    with UnitOfWork(engine, tenant="a") as uow:
        assert uow.history.import_with(DIGEST) == a_import
        assert uow.history.frame()["channel"].to_list() == ["a-line", "a-line"]
        uow.history.delete_import(b_import)  # not a's: nothing happens
        uow.commit()
    with UnitOfWork(engine, tenant="b") as uow:
        assert uow.history.import_with(DIGEST) == b_import
        assert uow.history.frame()["channel"].to_list() == ["b-line"]
        uow.history.delete_import(b_import)
        uow.commit()
    with UnitOfWork(engine, tenant="b") as uow:
        assert uow.history.import_with(DIGEST) is None and uow.history.frame().height == 0
    with UnitOfWork(engine, tenant="c") as uow:
        assert uow.history.frame().height == 0
    with UnitOfWork(engine, tenant="a") as uow:
        assert uow.history.frame().height == 2
        stamped = set(uow.connection.scalars(select(history_records.c.tenant_id)))
    assert stamped == {"a"}


def test_experiments_are_named_read_and_changed_per_tenant(engine: Engine) -> None:
    design = an_experiment()
    for tenant in ("a", "b"):
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.experiments.add(design, now=NOW)  # the same id in each tenant
            uow.commit()
    with UnitOfWork(engine, tenant="a") as uow:
        uow.experiments.save(design.model_copy(update={"stopped_at": NOW + timedelta(days=3)}))
        uow.commit()
    with UnitOfWork(engine, tenant="b") as uow:
        assert uow.experiments.get(design.id).stopped_at is None
        assert [e.id for e in uow.experiments.all()] == [design.id]
    with UnitOfWork(engine, tenant="a") as uow:
        assert uow.experiments.get(design.id).stopped_at == NOW + timedelta(days=3)
    with UnitOfWork(engine, tenant="c") as uow, pytest.raises(NotFound):
        uow.experiments.get(design.id)
    with UnitOfWork(engine, tenant="c") as uow:
        assert uow.experiments.all() == []


def test_allocation_ratios_and_their_order_history_are_per_tenant(engine: Engine) -> None:
    def replace(tenant: str, shares: dict[tuple[str, str], float]) -> None:
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.allocations.replace(shares, horizon_start=NOW, horizon_days=7, now=NOW)
            uow.commit()

    replace("a", {("DE", "line-1"): 0.25, ("DE", "line-2"): 0.75})
    replace("b", {("DE", "line-1"): 1.0})  # the same lane and channel as a's
    replace("b", {("FR", "line-3"): 1.0})  # replaces b's ratios only
    add_orders(engine, "a", "A-1")
    add_orders(engine, "b", "B-1", "B-2")
    window = (NOW - timedelta(days=1), NOW + timedelta(days=1))
    for tenant, quotas, order_ids in (
        ("a", {("DE", "line-1"): 0.25, ("DE", "line-2"): 0.75}, ["A-1"]),
        ("b", {("FR", "line-3"): 1.0}, ["B-1", "B-2"]),
        ("c", {}, []),
    ):
        with UnitOfWork(engine, tenant=tenant) as uow:
            assert uow.allocations.quotas() == quotas, tenant
            assert [o.order_id for o in uow.allocations.orders_created(*window)] == order_ids


def _a_stalled_parcel_per_tenant(engine: Engine) -> None:
    """TN-A of tenant a's order A-1 and TN-B of tenant b's B-1, both picked up 20 days ago."""
    picked_up = NOW - timedelta(days=20)
    add_orders(engine, "a", "A-1")
    add_orders(engine, "b", "B-1")
    insert_shipments(
        engine,
        a_shipment_row("TN-A", order_id="A-1", tenant_id="a", picked_up_at=picked_up),
        a_shipment_row("TN-B", order_id="B-1", tenant_id="b", picked_up_at=picked_up),
    )


def test_the_sweep_files_each_alert_and_its_messages_under_the_parcels_tenant(
    engine: Engine,
) -> None:
    _a_stalled_parcel_per_tenant(engine)
    hook = ["https://hook.test/"]  # the scheduled sweep runs as the default tenant:
    report = sweep(MonitoringConfig(), uow=UnitOfWork(engine), now=NOW, destinations=hook)
    assert report.opened_total == 2
    with engine.connect() as connection:
        owners = dict(
            connection.execute(
                select(shipments.c.tracking_number, alerts.c.tenant_id).join_from(
                    alerts, shipments, alerts.c.shipment_id == shipments.c.id
                )
            ).all()
        )
        messages = Counter(connection.scalars(select(outbox.c.tenant_id)))
    assert owners == {"TN-A": "a", "TN-B": "b"}
    assert messages == Counter({"a": 1, "b": 1})
    for tenant, number in (("a", "TN-A"), ("b", "TN-B")):
        with UnitOfWork(engine, tenant=tenant) as uow:
            [alert_id] = uow.views.owned_alert_ids(before=None, limit=10)
            assert uow.alerts.get(alert_id).tracking_number == number


def test_a_parcel_tracked_before_its_hand_off_joins_the_handing_tenant(engine: Engine) -> None:
    add_orders(engine, "a", "A-1")
    insert_shipments(engine, a_shipment_row("TN-EARLY"))  # scans first: no tenant's yet
    parcel = Shipment(
        tracking_number="TN-EARLY",
        order_id="A-1",
        channel_id="test-line",
        carrier="test-carrier",
        origin_country="CN",
        destination_country="US",
        handed_over_at=NOW,
        promised_at=NOW + timedelta(days=10),
    )
    with UnitOfWork(engine, tenant="a") as uow:
        assert uow.handoffs.record(parcel, label_cost=None, booked_via="test") is False
        uow.commit()
    with engine.connect() as connection:
        assert connection.scalar(select(shipments.c.tenant_id)) == "a"


def test_a_tenant_uses_its_own_catalogue_else_the_default_tenants(engine: Engine) -> None:
    house = default_catalogue()
    own = house.model_copy(update={"name": "b-network", "channels": house.channels[:2]})
    install_catalogue(house, source="house", uow=UnitOfWork(engine), now=NOW)
    b_version = install_catalogue(own, source="b", uow=UnitOfWork(engine, tenant="b"), now=NOW)
    for tenant, name in (("a", house.name), ("b", "b-network"), ("default", house.name)):
        assert active_catalogue(uow=UnitOfWork(engine, tenant=tenant)).catalogue.name == name
    with UnitOfWork(engine, tenant="a") as uow, pytest.raises(NotFound):
        uow.catalogues.get(b_version)


def test_lane_states_are_kept_per_tenant(engine: Engine) -> None:
    lane = ("line-1", "DE")
    for tenant, state in (("a", HealthState.FAILED), ("b", HealthState.DEGRADED)):
        with UnitOfWork(engine, tenant=tenant) as uow:  # the same lane in each tenant
            uow.channel_states.save({lane: LaneStatus(state, since=NOW)}, now=NOW)
            uow.commit()
    with UnitOfWork(engine, tenant="a") as uow:
        uow.channel_states.save({lane: LaneStatus(HealthState.RECOVERING, since=NOW)}, now=NOW)
        uow.commit()
    for tenant, expected in (("a", {lane: "recovering"}), ("b", {lane: "degraded"}), ("c", {})):
        with UnitOfWork(engine, tenant=tenant) as uow:
            states = {key: s.state.value for key, s in uow.channel_states.all().items()}
            network = {key: s.value for key, s in uow.network.channel_states().items()}
        assert states == network == expected, tenant


def test_bulk_writes_stamp_the_unit_of_works_tenant(engine: Engine) -> None:
    events = [("test.event", {"n": n}) for n in range(250)]  # past COPY_FROM_ROWS on PostgreSQL
    with UnitOfWork(engine, tenant="a") as uow:
        uow.outbox.add_events(events, destinations=["https://hook.test/"], now=NOW)
        uow.orders.add_many([an_order("A-1", created_at=NOW)], now=NOW)
        uow.commit()
    with engine.connect() as connection:
        assert Counter(connection.scalars(select(outbox.c.tenant_id))) == Counter({"a": 250})
    with UnitOfWork(engine, tenant="a") as uow:
        assert [o.order_id for o in uow.orders.get_many(["A-1"])] == ["A-1"]


def test_each_tenant_keeps_its_own_stock_of_the_same_warehouse_sku(engine: Engine) -> None:
    for tenant, units in (("a", 5), ("b", 7)):
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.inventory.put_many([("DUS", "SKU-1", units)], now=NOW)
            uow.commit()
    with UnitOfWork(engine, tenant="a") as uow:
        uow.inventory.draw("DUS", {"SKU-1": 2}, now=NOW)
        uow.commit()
    with UnitOfWork(engine, tenant="b") as uow:
        uow.inventory.put_many([("DUS", "SKU-1", 9)], now=NOW)  # replaces b's figure only
        uow.commit()
    held = {}
    for tenant in ("a", "b", "default"):
        with UnitOfWork(engine, tenant=tenant) as uow:
            held[tenant] = (uow.inventory.on_hand(), uow.inventory.totals())
    assert held == {
        "a": ({"DUS": {"SKU-1": 3}}, {"DUS": (1, 3)}),
        "b": ({"DUS": {"SKU-1": 9}}, {"DUS": (1, 9)}),
        "default": ({}, {}),
    }


def _assigned_to(channel_id: str, order_id: str) -> AssignmentRecord:
    return AssignmentRecord(
        order_id=order_id,
        primary_channel_id=channel_id,
        backup_channel_ids=(),
        cost=None,
        on_time_probability=None,
        score={},
        reason="test",
        policy_version="p1",
        catalogue_version_id=None,
        assigned_at=NOW,
    )


def test_a_tenants_assigned_order_reserves_only_that_tenants_stock(engine: Engine) -> None:
    warehouse_of = {"dus-line": "DUS"}
    for tenant in ("a", "b"):
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.inventory.put_many([("DUS", "SKU-1", 5)], now=NOW)
            uow.orders.add_many([an_order("ORD-1", quantity=2)], now=NOW)  # the same id
            uow.commit()
    with UnitOfWork(engine, tenant="a") as uow:
        uow.assignments.add_many([_assigned_to("dus-line", "ORD-1")], now=NOW)
        uow.commit()
    found = {}
    for tenant in ("a", "b"):
        with UnitOfWork(engine, tenant=tenant) as uow:
            found[tenant] = uow.inventory.available(warehouse_of)
    assert found == {"a": {"DUS": {"SKU-1": 3}}, "b": {"DUS": {"SKU-1": 5}}}


def test_alert_lists_and_counts_are_the_tenants_own(engine: Engine) -> None:
    _a_stalled_parcel_per_tenant(engine)
    report = sweep(MonitoringConfig(), uow=UnitOfWork(engine), now=NOW)
    assert {a.tracking_number for a in report.new_alerts} == {"TN-A", "TN-B"}  # the sweep's
    for tenant, number in (("a", "TN-A"), ("b", "TN-B")):
        listed = list_alerts(uow=UnitOfWork(engine, tenant=tenant))
        assert [a.tracking_number for a in listed] == [number]
        assert sum(alert_counts(uow=UnitOfWork(engine, tenant=tenant)).values()) == 1
    assert list_alerts(uow=UnitOfWork(engine, tenant="c")) == []
