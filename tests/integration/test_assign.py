"""Assignment on the store (SQLite and the real PostgreSQL): rows, reasons, capacity, state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from tests.builders import NOW, a_channel, an_order
from tests.unit.selection.selecting import USD
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import InputErrors
from tradelane.domain.goods import GoodsClass
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy
from tradelane.services.assign import assign_orders, facts_from_row
from tradelane.services.catalogues import install_catalogue
from tradelane.services.inventory import import_inventory_file
from tradelane.services.order_import import import_orders
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.tables import assignments, channel_states, orders, switches
from tradelane.store.uow import UnitOfWork


def run(uow: UnitOfWork, **options: Any) -> Any:
    return assign_orders(uow=uow, now=NOW, fx=USD, policy=Policy(), **options)


def priced(channel_id: str, price: float, carrier: str, capacity: int = 1000) -> dict[str, Any]:
    tiers = [
        {"style": "per_kg", "from_kg": 0, "to_kg": 30, "per_kg_price": 0, "per_item_fee": price}
    ]
    card = {"currency": "USD", "volumetric_divisor_cm3_per_kg": 0, "rounding_increment_kg": 0}
    return a_channel(
        channel_id,
        carrier=carrier,
        daily_capacity=capacity,
        rate_card={**card, "zones": {"A": tiers}},
    ).model_dump()


def two_lines(uow: UnitOfWork, *, cheap_capacity: int = 1000) -> None:
    catalogue = Catalogue.model_validate(
        {
            "name": "two",
            "channels": [priced("cheap", 4, "a", cheap_capacity), priced("dear", 9, "b")],
        }
    )
    install_catalogue(catalogue, source="test", uow=uow, now=NOW)


def test_every_order_gets_one_explained_current_row(uow: UnitOfWork) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    sent = generate_orders(300, seed=5, start=NOW)
    import_orders(sent, source="test", uow=uow, now=NOW)
    report = run(uow)
    assert report.orders == 300 and report.assigned + report.unassigned_count == 300
    with uow:
        rows = list(uow.connection.execute(select(assignments)))
        statuses = dict(uow.connection.execute(select(orders.c.order_id, orders.c.status)).all())
    assert len(rows) == 300 and {r.order_id for r in rows} == {o.order_id for o in sent}
    placed = [r for r in rows if r.primary_channel_id is not None]
    assert len(placed) == report.assigned > 250
    for row in placed:
        assert statuses[row.order_id] == "assigned"
        assert row.reason and row.cost_currency == "USD" and 0 <= row.on_time_probability <= 1
        assert row.score["policy_version"] == Policy().version == row.policy_version
        assert row.score["primary"]["channel"] == row.primary_channel_id
        assert row.catalogue_version_id == report.catalogue_version_id
        assert (
            len(row.backup_channel_ids) <= 2
            and row.primary_channel_id not in row.backup_channel_ids
        )


def test_an_order_no_channel_can_take_is_stored_with_its_reasons_and_retried(
    uow: UnitOfWork,
) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    power_bank = an_order("PB-1", country="AU", goods=(GoodsClass.BATTERY_ALONE,))
    import_orders([power_bank], source="test", uow=uow, now=NOW)
    first = run(uow)
    assert first.unassigned_count == 1 and first.unassigned[0][0] == "PB-1"
    assert "refuses battery_alone" in first.unassigned[0][1]
    second = run(uow)
    assert second.unassigned_count == 1
    with uow:
        history = uow.assignments.history("PB-1")
        current = uow.assignments.current("PB-1")
    assert len(history) == 2 and current is not None and current.primary_channel_id is None
    assert current.score["refusals"]["cn-eu-truck"] == ["no lane to AU"]


def test_capacity_used_by_earlier_orders_of_the_day_counts_against_the_next_run(
    uow: UnitOfWork,
) -> None:
    two_lines(uow, cheap_capacity=3)
    batch = [an_order(f"O-{i}", created_at=NOW + timedelta(minutes=i)) for i in range(5)]
    import_orders(batch[:2], source="morning", uow=uow, now=NOW)
    assert [m.channel_id for m in run(uow).mix] == ["cheap"]
    import_orders(batch[2:], source="noon", uow=uow, now=NOW)
    noon = {m.channel_id: m.orders for m in run(uow).mix}
    assert noon == {"cheap": 1, "dear": 2}


def test_each_order_day_draws_on_its_own_daily_capacity(uow: UnitOfWork) -> None:
    two_lines(uow, cheap_capacity=2)
    week = [an_order(f"O-{i}", created_at=NOW + timedelta(hours=8 * i)) for i in range(9)]
    import_orders(week, source="week", uow=uow, now=NOW)
    run(uow)
    with uow:
        chosen = [uow.assignments.current(o.order_id) for o in week]
    days = [
        (o.created_at.date(), r.primary_channel_id) for o, r in zip(week, chosen, strict=True) if r
    ]
    assert len(days) == len(week)
    for day in {d for d, _ in days}:
        that_day = [c for d, c in days if d == day]
        assert that_day.count("cheap") == min(2, len(that_day))


def test_channel_states_and_switches_in_the_store_steer_new_orders(uow: UnitOfWork) -> None:
    two_lines(uow)
    import_orders([an_order("A"), an_order("B", country="DE")], source="t", uow=uow, now=NOW)
    with uow:
        uow.connection.execute(
            insert(channel_states).values(
                channel_id="cheap",
                country="US",
                state="failed",
                since=NOW,
                breaching_streak=3,
                updated_at=NOW,
            )
        )
        uow.commit()
    run(uow)
    with uow:
        us, de = uow.assignments.current("A"), uow.assignments.current("B")
    assert us is not None and us.primary_channel_id == "dear" and us.backup_channel_ids == ()
    assert de is not None and de.primary_channel_id == "cheap"


def test_an_active_switch_moves_orders_to_its_backup(uow: UnitOfWork) -> None:
    two_lines(uow)
    import_orders([an_order("A")], source="t", uow=uow, now=NOW)
    with uow:
        uow.connection.execute(
            insert(switches).values(
                channel_id="cheap",
                country=None,
                backup_channel_id="dear",
                share=1.0,
                kind="forced",
                trigger={},
                reason="test",
                actor="tester",
                started_at=NOW - timedelta(hours=1),
            )
        )
        uow.commit()
    run(uow)
    with uow:
        record = uow.assignments.current("A")
    assert record is not None and record.primary_channel_id == "dear"
    assert record.score["primary"]["switched_from"] == "cheap"


def test_stock_decides_local_last_mile(uow: UnitOfWork, tmp_path: Path) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    import_orders([an_order("A", sku="gadget-001")], source="t", uow=uow, now=NOW)
    stock = tmp_path / "stock.csv"
    stock.write_text("warehouse,sku,on_hand\nLAX,gadget-001,12\nlax,cable-9,0\n", encoding="utf-8")
    assert import_inventory_file(stock, uow=uow, now=NOW) == {"LAX": (1, 12)}
    run(uow)
    with uow:
        record = uow.assignments.current("A")
    assert record is not None and record.primary_channel_id == "wh-los-angeles"


def test_a_bad_stock_file_changes_nothing(uow: UnitOfWork, tmp_path: Path) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    stock = tmp_path / "stock.csv"
    stock.write_text("warehouse,sku,on_hand\nLAX,a,3\nLAX,b,many\n", encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        import_inventory_file(stock, uow=uow, now=NOW)
    assert [(e.field, e.value) for e in raised.value.errors] == [("on_hand", "many")]
    with uow:
        assert uow.inventory.stocked() == {}


def test_orders_read_back_from_the_store_give_the_same_facts(uow: UnitOfWork) -> None:
    sent = generate_orders(200, seed=3, start=NOW)
    import_orders(sent, source="t", uow=uow, now=NOW)
    with uow:
        rows = list(uow.assignments.orders_to_assign())
        count = uow.connection.scalar(select(func.count()).select_from(orders))
        lines = uow.assignments.units_of([row.order_id for row in rows])
    assert len(rows) == count == 200
    by_id = {o.order_id: o for o in sent}
    for row in rows:
        assert facts_from_row(row, USD, lines[row.order_id]) == facts_of(by_id[row.order_id], USD)
