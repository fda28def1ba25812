"""Warehouse stock in the store: assignments reserve units, hand-offs ship them, moving an
order away releases them, and stock for a warehouse no channel ships from is refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import NOW, an_order
from tests.unit.selection.selecting import USD
from tradelane.domain.errors import InputErrors, NotFound
from tradelane.domain.handoffs import HandOff
from tradelane.domain.orders import Order
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.decision import AssignmentRecord
from tradelane.selection.policy import Policy
from tradelane.services.assign import assign_orders
from tradelane.services.catalogues import install_catalogue
from tradelane.services.handoffs import record_handoffs
from tradelane.services.inventory import import_inventory_file
from tradelane.services.order_import import import_orders
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch

CATALOGUE = default_catalogue()
WAREHOUSE_OF = {ch.id: "DUS" for ch in CATALOGUE.channels if ch.warehouse == "DUS"}


def german(order_id: str, *, quantity: int = 1, minutes: int = 0, days: int = 0) -> Order:
    return an_order(
        order_id,
        country="DE",
        value="30",
        weight_kg=0.4,
        sku="gadget-001",
        quantity=quantity,
        created_at=NOW + timedelta(days=days, minutes=minutes),
    )


def stocked(uow: UnitOfWork, tmp_path: Path, units: int) -> None:
    install_catalogue(CATALOGUE, source="default", uow=uow, now=NOW)
    path = tmp_path / "stock.csv"
    path.write_text(f"warehouse,sku,on_hand\nDUS,gadget-001,{units}\n", encoding="utf-8")
    import_inventory_file(path, uow=uow, now=NOW)


def primaries(uow: UnitOfWork, ids: list[str]) -> list[str | None]:
    with uow:
        found = [uow.assignments.current(i) for i in ids]
    return [None if r is None else r.primary_channel_id for r in found]


def assign(uow: UnitOfWork) -> None:
    assign_orders(uow=uow, now=NOW + timedelta(days=3), fx=USD, policy=Policy())


def availability(uow: UnitOfWork) -> dict[str, dict[str, int]]:
    with uow:
        return uow.inventory.available(WAREHOUSE_OF)


def test_five_units_take_five_of_ten_orders_over_two_days(uow: UnitOfWork, tmp_path: Path) -> None:
    stocked(uow, tmp_path, 5)
    ids = [f"DE-{i}" for i in range(10)]
    import_orders(
        [german(i, days=k % 2, minutes=k) for k, i in enumerate(ids)], source="t", uow=uow, now=NOW
    )
    assign(uow)
    assert primaries(uow, ids).count("wh-duisburg") == 5
    assert availability(uow) == {"DUS": {"gadget-001": 0}}


def test_a_later_run_sees_the_units_earlier_assignments_reserved(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    stocked(uow, tmp_path, 3)
    import_orders([german("A", quantity=2)], source="t", uow=uow, now=NOW)
    assign(uow)
    import_orders(
        [german("B", quantity=2, minutes=5), german("C", minutes=6)], source="t", uow=uow, now=NOW
    )
    assign(uow)
    first, second, third = primaries(uow, ["A", "B", "C"])
    assert (first, third) == ("wh-duisburg", "wh-duisburg")
    assert second is not None and second != "wh-duisburg"


def test_a_hand_off_ships_the_units_and_a_move_away_releases_them(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    stocked(uow, tmp_path, 4)
    import_orders(
        [german("A", quantity=1), german("B", quantity=2, minutes=1)], source="t", uow=uow, now=NOW
    )
    assign(uow)
    assert availability(uow) == {"DUS": {"gadget-001": 1}}
    handoff = HandOff.model_validate(
        {
            "order_id": "A",
            "channel_id": "wh-duisburg",
            "tracking_number": "DUS0001",
            "handed_over_at": NOW + timedelta(days=1),
        }
    )
    record_handoffs([("row 2", handoff)], source="t", uow=uow, catalogue=CATALOGUE)
    record_handoffs([("row 2", handoff)], source="t", uow=uow, catalogue=CATALOGUE)  # idempotent
    with uow:
        assert uow.inventory.on_hand() == {"DUS": {"gadget-001": 3}}
    assert availability(uow) == {"DUS": {"gadget-001": 1}}
    moved = AssignmentRecord(
        order_id="B",
        primary_channel_id="dhl-express-cn",
        backup_channel_ids=(),
        cost=None,
        on_time_probability=None,
        score={},
        reason="moved by a switch",
        policy_version="test",
        catalogue_version_id=None,
        assigned_at=NOW + timedelta(days=2),
    )
    with uow:
        uow.assignments.add_many([moved], now=NOW + timedelta(days=2))
        uow.commit()
    assert availability(uow) == {"DUS": {"gadget-001": 3}}


def test_stock_for_a_warehouse_no_channel_ships_from_is_refused_by_row(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    install_catalogue(CATALOGUE, source="default", uow=uow, now=NOW)
    path = tmp_path / "stock.csv"
    path.write_text("warehouse,sku,on_hand\nDUS,a,3\nXYZ,b,4\n", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        import_inventory_file(path, uow=uow, now=NOW)
    (error,) = raised.value.errors
    assert (error.field, error.value, error.where) == ("warehouse", "XYZ", f"{path}, row 3")
    with uow:
        assert uow.inventory.on_hand() == {}


def test_stock_cannot_be_loaded_before_a_catalogue(uow: UnitOfWork, tmp_path: Path) -> None:
    path = tmp_path / "stock.csv"
    path.write_text("warehouse,sku,on_hand\nDUS,a,3\n", encoding="utf-8")
    with pytest.raises(NotFound):
        import_inventory_file(path, uow=uow, now=NOW)


def test_a_switch_moves_orders_to_a_warehouse_backup_only_while_it_has_units(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    stocked(uow, tmp_path, 1)
    import_orders([german("A"), german("B", minutes=1)], source="t", uow=uow, now=NOW)
    on_post = [
        AssignmentRecord(
            order_id=order_id,
            primary_channel_id="epacket-cn",
            backup_channel_ids=("wh-duisburg", "dhl-express-cn"),
            cost=None,
            on_time_probability=None,
            score={},
            reason="test",
            policy_version="test",
            catalogue_version_id=None,
            assigned_at=NOW,
        )
        for order_id in ("A", "B")
    ]
    with uow:
        uow.assignments.add_many(on_post, now=NOW)
        moves = reassign_to_stored_backups(
            ["A", "B"],
            away_from=ActiveSwitch(switch_id=1, channel_id="epacket-cn", country="DE", share=1.0),
            uow=uow,
            now=NOW + timedelta(hours=1),
        )
        uow.commit()
    assert moves == {"A": "wh-duisburg", "B": "dhl-express-cn"}
    assert availability(uow) == {"DUS": {"gadget-001": 0}}
