"""`ship` on the store (SQLite and the real PostgreSQL): assigned orders are booked on their
primary or a named channel, recorded, and move to `shipped`; refusals say why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.booking_fakes import MYDHL_ACCOUNT, RecordedCarrier
from tests.builders import NOW, an_order
from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.desk import BookingDesk
from tradelane.carriers.booking.manual import manual_tracking_number
from tradelane.domain.catalog import Channel
from tradelane.domain.errors import ValidationError
from tradelane.domain.money import Money
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.decision import AssignmentRecord
from tradelane.services.order_import import import_orders
from tradelane.services.ports import Booking, BookingRequest, CarrierBooking
from tradelane.services.ship import ShipCommand, ShipReport, ship_orders
from tradelane.store.tables import orders, shipments
from tradelane.store.uow import UnitOfWork

CATALOGUE = default_catalogue()
COST = Money(amount=Decimal("4.20"), currency="USD")


def manual_desk() -> BookingDesk:
    return BookingDesk({}, transport=RecordedCarrier())


@pytest.fixture
def assigned(uow: UnitOfWork) -> UnitOfWork:
    """O-1 and O-2 assigned to epacket-cn (backup yun-line-cn); O-3 stored but not assigned."""
    placed = [an_order(f"O-{n}", country="DE", postcode="10115") for n in (1, 2, 3)]
    import_orders(placed, source="test", uow=uow, now=NOW)
    records = [
        AssignmentRecord(
            order_id=order_id,
            primary_channel_id="epacket-cn",
            backup_channel_ids=("yun-line-cn",),
            cost=COST,
            on_time_probability=0.9,
            score={},
            reason="test",
            policy_version="test",
            catalogue_version_id=None,
            assigned_at=NOW,
        )
        for order_id in ("O-1", "O-2")
    ]
    with uow:
        uow.assignments.add_many(records, now=NOW)
        uow.commit()
    return uow


def ship(uow: UnitOfWork, desk: object = None, **command: object) -> ShipReport:
    return ship_orders(
        ShipCommand(**command),  # type: ignore[arg-type]
        uow=uow,
        catalogue=CATALOGUE,
        bookings=desk or manual_desk(),  # type: ignore[arg-type]
        now=NOW,
    )


def stored_shipments(uow: UnitOfWork) -> dict[str, tuple[str, str, str, Decimal | None]]:
    with uow:
        rows = uow.connection.execute(
            select(
                shipments.c.order_id,
                shipments.c.channel_id,
                shipments.c.tracking_number,
                shipments.c.booked_via,
                shipments.c.label_cost_amount,
            )
        )
        return {
            r.order_id: (r.channel_id, r.tracking_number, r.booked_via, r.label_cost_amount)
            for r in rows
        }


def statuses(uow: UnitOfWork) -> dict[str, str]:
    with uow:
        return dict(uow.connection.execute(select(orders.c.order_id, orders.c.status)).all())


def test_assigned_orders_ship_on_their_primary_at_the_quoted_cost(assigned: UnitOfWork) -> None:
    report = ship(assigned)
    assert [s.order_id for s in report.shipped] == ["O-1", "O-2"]
    number = manual_tracking_number("O-1", "epacket-cn")
    assert stored_shipments(assigned)["O-1"] == ("epacket-cn", number, "manual", Decimal("4.20"))
    assert statuses(assigned) == {"O-1": "shipped", "O-2": "shipped", "O-3": "new"}


def test_a_named_channel_ships_the_order_there(assigned: UnitOfWork) -> None:
    ship(assigned, order_ids=("O-2",), channel_id="yun-line-cn", tracking_number="YT2612345678")
    assert stored_shipments(assigned)["O-2"] == ("yun-line-cn", "YT2612345678", "manual", None)


def test_orders_not_assigned_or_already_shipped_are_refused_saying_why(
    assigned: UnitOfWork,
) -> None:
    ship(assigned, order_ids=("O-1",))
    report = ship(assigned, order_ids=("O-1", "O-3", "O-404", "O-2"))
    assert [s.order_id for s in report.shipped] == ["O-2"]
    why = {e.value: e.message for e in report.refused}
    assert why == {
        "O-1": "order is 'shipped', not assigned",
        "O-3": "order is 'new', not assigned",
        "O-404": "unknown order",
    }


class RefusingLine:
    def book(self, request: BookingRequest) -> Booking:
        raise ValidationError("line closed for the holiday", field="booking")


def test_a_refused_booking_leaves_the_order_assigned_and_nothing_stored(
    assigned: UnitOfWork,
) -> None:
    def refusing(channel: Channel) -> CarrierBooking:
        return RefusingLine()

    report = ship(assigned, refusing, order_ids=("O-1",))
    assert [e.value for e in report.refused] == ["O-1"]
    assert "line closed for the holiday" in report.refused[0].message
    assert stored_shipments(assigned) == {}
    assert statuses(assigned)["O-1"] == "assigned"


def test_a_dhl_channel_with_an_account_books_through_karrio(assigned: UnitOfWork) -> None:
    carrier = RecordedCarrier()
    desk = BookingDesk({"dhl": KarrioAccount.model_validate(MYDHL_ACCOUNT)}, transport=carrier)
    ship(assigned, desk, order_ids=("O-1",), channel_id="dhl-express-cn")
    assert len(carrier.calls) == 1
    assert stored_shipments(assigned)["O-1"] == (
        "dhl-express-cn",
        "2613348450",
        "karrio:mydhl",
        Decimal("38.62"),
    )


def test_a_tracking_number_needs_exactly_one_order(assigned: UnitOfWork) -> None:
    with pytest.raises(ValidationError, match="exactly one order"):
        ship(assigned, tracking_number="LX1")


def test_a_named_channel_without_a_lane_to_the_buyer_is_refused(assigned: UnitOfWork) -> None:
    report = ship(assigned, order_ids=("O-1",), channel_id="cn-us-fastsea")
    assert [(e.value, e.message) for e in report.refused] == [
        ("O-1", "channel 'cn-us-fastsea' has no lane to DE")
    ]
    assert statuses(assigned)["O-1"] == "assigned"
