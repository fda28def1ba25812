"""What the API, the dashboard and the scheduler read and claim through the application: the
tenant's orders, alerts and switches a page at a time (a page continues after the last key),
another tenant's rows never visible, idempotency answers per tenant, and a job's lease taken
once per gap."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import NOW, an_order
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.bootstrap import Application, build
from tradelane.clock import FixedClock
from tradelane.config import Settings
from tradelane.domain.errors import Conflict, InputErrors, NotFound
from tradelane.monitoring.alerts import AlertState
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.order_import import ImportReport
from tradelane.services.switch_overrides import ManualSwitch
from tradelane.store.idempotency_repository import StoredAnswer

GAP = timedelta(minutes=2, seconds=30)


@pytest.fixture
def app(tmp_path: Path) -> Application:
    application = build(Settings(data_dir=tmp_path), clock=FixedClock(NOW))
    application.migrate()
    return application


def _orders(app: Application, tenant: str, *order_ids: str) -> None:
    orders = [an_order(i, country="DE", value="9", weight_kg=0.2) for i in order_ids]
    app.for_tenant(tenant).import_orders(orders, source="test")


def _stalled_parcels(app: Application, tenant: str, *order_ids: str) -> None:
    """A parcel per order of `tenant`, picked up 20 days ago; the sweep opens an alert each."""
    _orders(app, tenant, *order_ids)
    picked_up = NOW - timedelta(days=20)
    insert_shipments(
        app.engine,
        *(
            a_shipment_row(f"TN-{i}", order_id=i, tenant_id=tenant, picked_up_at=picked_up)
            for i in order_ids
        ),
    )


def test_order_pages_continue_after_the_last_id_and_show_only_the_tenants_orders(
    app: Application,
) -> None:
    _orders(app, "a", "A-3", "A-1", "A-5", "A-2", "A-4")
    _orders(app, "b", "A-0", "B-1")
    a = app.for_tenant("a")
    pages, after = [], None
    while True:
        page = a.order_page(after=after, limit=2)
        pages.append([o.order_id for o in page.items])
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == [["A-1", "A-2"], ["A-3", "A-4"], ["A-5"]]
    everything = app.for_tenant("b").order_page(after=None, limit=10)
    assert [o.order_id for o in everything.items] == ["A-0", "B-1"]
    assert everything.next_after is None
    assert app.for_tenant("c").order_page(after=None, limit=10).items == []


def test_an_order_is_read_with_its_current_assignment_by_its_tenant_only(
    app: Application,
) -> None:
    app.install_catalogue_file(None)
    _orders(app, "a", "A-1")
    a = app.for_tenant("a")
    before = a.order_with_assignment("A-1")
    assert before.order.order_id == "A-1" and before.assignment is None
    a.assign()
    after = a.order_with_assignment("A-1")
    assert after.assignment is not None and after.assignment.order_id == "A-1"
    assert a.owns_order("A-1") and not app.for_tenant("b").owns_order("A-1")
    with pytest.raises(NotFound):
        app.for_tenant("b").order_with_assignment("A-1")


def test_alert_pages_continue_below_the_last_id_and_show_only_the_tenants_alerts(
    app: Application,
) -> None:
    _stalled_parcels(app, "a", "A-1", "A-2", "A-3")
    _stalled_parcels(app, "b", "B-1")
    assert app.sweep(now=NOW, config=MonitoringConfig()).opened_total == 4
    a, b = app.for_tenant("a"), app.for_tenant("b")
    waiting = [AlertState.OPEN, AlertState.ACKNOWLEDGED]
    first = a.alert_page(before=None, limit=2, states=waiting)
    assert first.next_after is not None
    rest = a.alert_page(before=first.next_after, limit=2, states=waiting)
    assert rest.next_after is None
    shown = [alert.tracking_number for alert in first.items + rest.items]
    assert sorted(shown) == ["TN-A-1", "TN-A-2", "TN-A-3"]
    assert [x.id for x in first.items + rest.items] == sorted(
        (x.id for x in first.items + rest.items), reverse=True
    )
    [b_alert] = b.alert_page(before=None, limit=10, states=waiting).items
    assert b.alert(b_alert.id).tracking_number == "TN-B-1"
    assert b.owns_alert(b_alert.id) and not a.owns_alert(b_alert.id)
    with pytest.raises(NotFound):
        a.alert(b_alert.id)
    assert a.alert_page(before=None, limit=10, states=[AlertState.RESOLVED]).items == []
    assert a.owns_shipment("TN-A-1") and not b.owns_shipment("TN-A-1")


def test_switch_pages_page_over_ended_switches_even_when_only_open_ones_are_shown(
    app: Application,
) -> None:
    app.install_catalogue_file(None)
    a, b = app.for_tenant("a"), app.for_tenant("b")
    opened = [
        a.force_switch(ManualSwitch(channel, reason="test", actor="desk")).switch_id
        for channel in ("epacket-cn", "yun-line-cn", "cainiao-standard")
    ]
    a.release_switch(opened[1], actor="desk")
    b_switch = b.force_switch(ManualSwitch("epacket-cn", reason="test", actor="desk")).switch_id
    first = a.switch_page(before=None, limit=2, open_only=True)
    assert [s.switch_id for s in first.items] == [opened[2]]  # the ended one is not shown
    assert first.next_after == opened[1]  # ... but the page still ends at it
    rest = a.switch_page(before=first.next_after, limit=2, open_only=True)
    assert [s.switch_id for s in rest.items] == [opened[0]] and rest.next_after is None
    every = a.switch_page(before=None, limit=10)
    assert [s.switch_id for s in every.items] == opened[::-1]
    assert b.owns_switch(b_switch) and not a.owns_switch(b_switch)
    assert [s.switch_id for s in b.switch_page(before=None, limit=10).items] == [b_switch]


def _answer(report: ImportReport) -> StoredAnswer:
    return StoredAnswer("0" * 64, 201, {"imported": report.imported})


def _order_ids(app: Application) -> list[str]:
    return [o.order_id for o in app.order_page(after=None, limit=10).items]


def test_an_idempotency_answer_is_recorded_with_its_import_and_read_by_its_tenant_only(
    app: Application,
) -> None:
    a, b = app.for_tenant("a"), app.for_tenant("b")
    order = an_order("A1", country="DE", value="9", weight_kg=0.2)
    assert a.recorded_answer("key-1") is None
    a.import_orders([order], source="test", answer=("key-1", _answer))
    assert a.recorded_answer("key-1") == StoredAnswer("0" * 64, 201, {"imported": 1})
    assert b.recorded_answer("key-1") is None
    b.import_orders([order], source="test", answer=("key-1", _answer))
    assert b.recorded_answer("key-1") == a.recorded_answer("key-1")


def test_an_import_and_its_idempotency_answer_are_stored_together_or_not_at_all(
    app: Application,
) -> None:
    a = app.for_tenant("a")
    first, second = (an_order(i, country="DE", value="9", weight_kg=0.2) for i in ("A1", "A2"))
    a.import_orders([first], source="test", answer=("key-1", _answer))
    with pytest.raises(Conflict):  # the key is taken: the orders are not stored either
        a.import_orders([second], source="test", answer=("key-1", _answer))
    with pytest.raises(InputErrors):  # the orders are refused: the key stays free
        a.import_orders([first], source="test", answer=("key-2", _answer))
    assert _order_ids(a) == ["A1"]
    assert a.recorded_answer("key-2") is None


def test_a_tick_lease_is_refused_within_the_gap_and_taken_again_after_it(
    app: Application,
) -> None:
    def claim(shard: str, after: timedelta) -> bool:
        return app.claim_tick_lease("switching", shard, gap=GAP, now=NOW + after)

    assert claim("a", timedelta()) is True
    assert claim("a", timedelta(seconds=30)) is False  # a second scheduler within the gap
    assert claim("b", timedelta(seconds=30)) is True  # another shard has its own lease
    assert claim("a", GAP) is True  # the next interval
    assert claim("a", GAP + timedelta(minutes=1)) is False
    assert app.claim_tick_lease("sweep", "all", gap=GAP) is True  # `now` None: the clock's
    assert app.claim_tick_lease("sweep", "all", gap=GAP, now=NOW + timedelta(seconds=1)) is False
