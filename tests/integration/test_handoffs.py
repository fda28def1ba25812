"""Hand-offs on the store (SQLite and the real PostgreSQL): promise, idempotence, conflicts,
all or nothing, and tracking events joining the shipment's order and channel."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.builders import NOW, a_tracking_event, an_order
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import Conflict, InputErrors, ValidationError
from tradelane.domain.handoffs import HandOff, HandOffEntry
from tradelane.domain.money import Money
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.rules import RuleId
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.handoffs import HandOffReport, record_handoffs
from tradelane.services.ingest_tracking import ingest_events
from tradelane.services.order_import import import_orders
from tradelane.services.sweep import sweep
from tradelane.store.tables import orders, shipments
from tradelane.store.uow import UnitOfWork

CATALOGUE = default_catalogue()
D = timedelta(days=1)


@pytest.fixture
def stored(uow: UnitOfWork) -> UnitOfWork:
    """Two orders placed 30 days before NOW, promised in 20 days."""
    placed = NOW - 30 * D
    batch = [an_order(oid, country="DE", created_at=placed) for oid in ("A-1", "A-2")]
    import_orders(batch, source="test", uow=uow, now=placed)
    return uow


def a_handoff(order_id: str = "A-1", number: str = "LX000000001CN", **fields: object) -> HandOff:
    document: dict[str, object] = {
        "order_id": order_id,
        "channel_id": "epacket-cn",
        "tracking_number": number,
        "handed_over_at": NOW - 28 * D,
        **fields,
    }
    return HandOff.model_validate(document)


def register(uow: UnitOfWork, *handoffs: HandOff | ValidationError) -> HandOffReport:
    entries: list[HandOffEntry] = [(f"row {i}", h) for i, h in enumerate(handoffs, start=2)]
    return record_handoffs(entries, source="test.csv", uow=uow, catalogue=CATALOGUE)


def shipment_row(uow: UnitOfWork, number: str) -> dict[str, object]:
    with uow:
        row = uow.connection.execute(
            select(shipments).where(shipments.c.tracking_number == number)
        ).one()
    return dict(row._mapping)


def order_status(uow: UnitOfWork, order_id: str) -> str:
    with uow:
        query = select(orders.c.status).where(orders.c.order_id == order_id)
        return str(uow.connection.execute(query).scalar_one())


def shipment_count(uow: UnitOfWork) -> int:
    with uow:
        return len(uow.connection.execute(select(shipments.c.id)).all())


def test_a_handoff_takes_the_orders_promise_and_ships_the_order(stored: UnitOfWork) -> None:
    report = register(stored, a_handoff(label_cost=Money(amount=Decimal("3.10"), currency="USD")))
    assert report.recorded == 1
    row = shipment_row(stored, "LX000000001CN")
    assert (row["order_id"], row["channel_id"]) == ("A-1", "epacket-cn")
    assert (row["origin_country"], row["destination_country"]) == ("CN", "DE")
    assert row["promised_at"] == NOW - 30 * D + 20 * D
    assert (row["label_cost_amount"], row["label_cost_currency"]) == (Decimal("3.10"), "USD")
    assert order_status(stored, "A-1") == "shipped"
    assert order_status(stored, "A-2") == "new"


def test_a_given_promise_wins_over_the_orders(stored: UnitOfWork) -> None:
    promised = datetime.fromisoformat("2026-12-24T18:00:00+01:00")
    register(stored, a_handoff(promised_at=promised))
    assert shipment_row(stored, "LX000000001CN")["promised_at"] == promised


def test_registering_the_same_handoff_again_changes_nothing(stored: UnitOfWork) -> None:
    register(stored, a_handoff())
    again = register(stored, a_handoff(), a_handoff())
    assert (again.recorded, again.updated, again.unchanged) == (0, 0, 1)
    assert shipment_count(stored) == 1


def test_a_changed_handoff_updates_the_stored_one(stored: UnitOfWork) -> None:
    register(stored, a_handoff())
    later = a_handoff(handed_over_at=NOW - 27 * D)
    assert (register(stored, later).updated, shipment_count(stored)) == (1, 1)
    assert shipment_row(stored, "LX000000001CN")["handed_over_at"] == NOW - 27 * D


def test_a_number_of_another_order_is_a_conflict_naming_both(stored: UnitOfWork) -> None:
    register(stored, a_handoff("A-1"))
    with pytest.raises(Conflict, match=r"'A-1'.*'A-2'"):
        register(stored, a_handoff("A-2"))
    assert shipment_row(stored, "LX000000001CN")["order_id"] == "A-1"
    assert order_status(stored, "A-2") == "new"


def test_two_orders_on_one_number_in_one_input_conflict(stored: UnitOfWork) -> None:
    with pytest.raises(Conflict, match="already used by order 'A-1'; refused for order 'A-2'"):
        register(stored, a_handoff("A-1"), a_handoff("A-2"))
    assert shipment_count(stored) == 0


def test_an_unknown_order_or_channel_refuses_the_whole_input(stored: UnitOfWork) -> None:
    good = a_handoff("A-1")
    with pytest.raises(InputErrors) as refused:
        register(
            stored,
            good,
            a_handoff("NOPE-9", "LX000000002CN"),
            a_handoff("A-2", "LX000000003CN", channel_id="no-such-line"),
        )
    named = {(e.field, e.value, e.where) for e in refused.value.errors}
    assert named == {("order_id", "NOPE-9", "row 3"), ("channel_id", "no-such-line", "row 4")}
    assert shipment_count(stored) == 0
    assert order_status(stored, "A-1") == "new"


def test_events_before_and_after_the_handoff_join_its_order_and_channel(
    stored: UnitOfWork,
) -> None:
    number = "LX000000001CN"
    early = a_tracking_event("picked_up", NOW - 28 * D, tracking_number=number)
    ingest_events([early], source="test", uow=stored, now=NOW - 28 * D)
    assert register(stored, a_handoff(number=number)).recorded == 1
    later = a_tracking_event("departed_origin", NOW - 27 * D, tracking_number=number)
    ingest_events([later], source="test", uow=stored, now=NOW - 27 * D)
    row = shipment_row(stored, number)
    assert (row["order_id"], row["channel_id"], row["status"]) == (
        "A-1",
        "epacket-cn",
        "departed_origin",
    )
    assert row["promised_at"] == NOW - 10 * D


def test_a_parcel_past_its_promise_opens_late_delivery_on_its_channel(
    stored: UnitOfWork,
) -> None:
    number = "LX000000001CN"
    register(stored, a_handoff(number=number))
    # a recent scan: the parcel moves (no silence alert), it is just past its promise
    scan = a_tracking_event("arrived_destination_country", NOW - 1 * D, tracking_number=number)
    ingest_events([scan], source="test", uow=stored, now=NOW - 1 * D)
    report = sweep(MonitoringConfig(), uow=stored, now=NOW)
    late = [a for a in report.new_alerts if a.rule is RuleId.LATE_DELIVERY]
    assert [(a.tracking_number, a.channel_id) for a in late] == [(number, "epacket-cn")]


def test_a_catalogue_without_the_channel_refuses_it(stored: UnitOfWork) -> None:
    only_dhl = Catalogue(name="one", channels=[CATALOGUE.channel("dhl-express-cn")])
    entries: list[HandOffEntry] = [("row 2", a_handoff())]
    with pytest.raises(InputErrors, match="unknown channel"):
        record_handoffs(entries, source="t", uow=stored, catalogue=only_dhl)
