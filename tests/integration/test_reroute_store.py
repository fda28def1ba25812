"""Re-routes in the store: a record per move, the old label voided, all or nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.builders import NOW
from tradelane.domain.errors import NotFound
from tradelane.domain.reroutes import Reroute
from tradelane.domain.shipments import Shipment
from tradelane.store.reroutes import record_reroutes, reroutes_of
from tradelane.store.shipment_labels import add_labels
from tradelane.store.tables import shipments
from tradelane.store.uow import UnitOfWork


def _label(number: str, channel_id: str = "epacket-cn") -> Shipment:
    return Shipment(
        tracking_number=number,
        order_id="A-1",
        channel_id=channel_id,
        carrier="china-post",
        origin_country="CN",
        destination_country="US",
        handed_over_at=NOW - timedelta(days=2),
        promised_at=NOW + timedelta(days=10),
    )


def _move(old: str = "OLD-0001") -> Reroute:
    return Reroute(
        order_id="A-1",
        voided_tracking_number=old,
        tracking_number="NEW-0001",
        from_channel_id="epacket-cn",
        to_channel_id="cn-us-fastsea",
        fee=Decimal("1.50"),
        currency="USD",
        reason="passenger belly cancelled",
    )


def _active(uow: UnitOfWork) -> dict[str, bool]:
    with uow:
        rows = uow.connection.execute(select(shipments.c.tracking_number, shipments.c.is_active))
        return {number: bool(active) for number, active in rows}


def test_a_reroute_is_recorded_and_voids_the_old_label(uow: UnitOfWork) -> None:
    with uow:
        add_labels(uow.connection, [_label("OLD-0001"), _label("NEW-0001", "cn-us-fastsea")])
        assert record_reroutes(uow.connection, [_move()], now=NOW) == 1
        uow.commit()
    assert _active(uow) == {"OLD-0001": False, "NEW-0001": True}
    with uow:
        (row,) = reroutes_of(uow.connection, "A-1")
    assert row["to_channel_id"] == "cn-us-fastsea"
    assert row["fee_amount"] == Decimal("1.50")
    assert row["rerouted_at"] == NOW


def test_a_reroute_of_an_unknown_label_names_it_and_stores_nothing(uow: UnitOfWork) -> None:
    with uow:
        add_labels(uow.connection, [_label("OLD-0001")])
        uow.commit()
    with pytest.raises(NotFound, match="OLD-9999"), uow:
        record_reroutes(uow.connection, [_move(), _move("OLD-9999")], now=NOW)
    assert _active(uow) == {"OLD-0001": True}
    with uow:
        assert reroutes_of(uow.connection, "A-1") == []
