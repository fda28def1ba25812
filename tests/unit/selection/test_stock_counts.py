"""Warehouse stock counts units: assignments draw it down, so a warehouse never gets more
orders than it holds units for (scalar and batch engines alike)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import NOW, an_order
from tests.unit.selection.selecting import DEFAULT, selector
from tradelane.domain.orders import Order
from tradelane.selection.batch import assign_batch
from tradelane.selection.conditions import NetworkConditions
from tradelane.selection.facts import facts_of
from tradelane.selection.order_batch import OrderBatch

SKUS = ("gadget-001", "gadget-002", "gadget-003")
WAREHOUSE_OF = {ch.id: ch.warehouse for ch in DEFAULT.channels if ch.warehouse}


def german_orders(count: int, *, quantity: int = 1) -> list[Order]:
    return [
        an_order(
            f"DE-{i:02d}",
            country="DE",
            value="30",
            weight_kg=0.4,
            sku="gadget-001",
            quantity=quantity,
            created_at=NOW + timedelta(minutes=i),
        )
        for i in range(count)
    ]


def test_five_units_in_duisburg_take_five_of_ten_german_orders() -> None:
    chosen = selector(conditions=NetworkConditions(inventory={"DUS": {"gadget-001": 5}}))
    decisions = chosen.assign(german_orders(10))
    primaries = [d.primary.channel_id for d in decisions if d.primary is not None]
    assert primaries[:5] == ["wh-duisburg"] * 5
    assert len(primaries) == 10 and "wh-duisburg" not in primaries[5:]
    assert decisions[5].refusals == {}  # assigned elsewhere: refusals are for unassigned rows
    late = chosen.decide(facts_of(german_orders(10)[9], chosen.fx), None, stock_left={"DUS": {}})
    assert late.primary is not None and late.primary.channel_id != "wh-duisburg"


def test_the_batch_engine_also_stops_at_five_units() -> None:
    chosen = selector(conditions=NetworkConditions(inventory={"DUS": {"gadget-001": 5}}))
    batch = OrderBatch.from_facts([facts_of(o, chosen.fx) for o in german_orders(10)])
    result = assign_batch(batch, chosen, chunk_size=3)
    primaries = [result.channel_ids(row)[0] for row in range(len(batch))]
    assert primaries.count("wh-duisburg") == 5


def test_an_order_for_more_units_than_are_left_goes_elsewhere_but_a_smaller_one_fits() -> None:
    chosen = selector(conditions=NetworkConditions(inventory={"DUS": {"gadget-001": 3}}))
    big, small = german_orders(2, quantity=2)
    small = small.model_copy(update={"lines": [small.lines[0].model_copy(update={"quantity": 1})]})
    first, second, third = chosen.assign([*german_orders(1, quantity=2), big, small])
    assert first.primary is not None and first.primary.channel_id == "wh-duisburg"
    assert second.primary is not None and second.primary.channel_id != "wh-duisburg"
    assert third.primary is not None and third.primary.channel_id == "wh-duisburg"


def test_a_warehouse_short_of_units_says_how_many_are_left() -> None:
    alone = DEFAULT.model_copy(update={"channels": [DEFAULT.channel("wh-duisburg")]})
    chosen = selector(
        catalogue=alone, conditions=NetworkConditions(inventory={"DUS": {"gadget-001": 1}})
    )
    _, refused = chosen.assign(german_orders(2))
    assert refused.primary is None
    assert refused.refusals["wh-duisburg"] == ("warehouse DUS has 0 of gadget-001 left, needs 1",)


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[Order], dict[str, dict[str, int]]]:
    orders = [
        an_order(
            f"O-{i}",
            country=draw(st.sampled_from(["DE", "US", "FR", "GB"])),
            value="30",
            weight_kg=0.4,
            sku=draw(st.sampled_from(SKUS)),
            quantity=draw(st.integers(1, 4)),
            created_at=NOW + timedelta(minutes=draw(st.integers(0, 300))),
        )
        for i in range(draw(st.integers(1, 40)))
    ]
    stock = {
        w: draw(st.dictionaries(st.sampled_from(SKUS), st.integers(0, 12)))
        for w in sorted(set(WAREHOUSE_OF.values()))
    }
    return orders, stock


def drawn_units(orders: list[Order], primaries: list[str | None]) -> dict[tuple[str, str], int]:
    drawn: dict[tuple[str, str], int] = {}
    for order, primary in zip(orders, primaries, strict=True):
        warehouse = WAREHOUSE_OF.get(primary or "")
        for line in order.lines if warehouse else []:
            key = (warehouse or "", line.sku)
            drawn[key] = drawn.get(key, 0) + line.quantity
    return drawn


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), chunk=st.sampled_from([1, 4, 1024]))
def test_no_warehouse_is_ever_promised_more_units_than_it_holds(
    run: tuple[list[Order], dict[str, dict[str, int]]], chunk: int
) -> None:
    orders, stock = run
    chosen = selector(conditions=NetworkConditions(inventory=stock))
    batch = OrderBatch.from_facts([facts_of(o, chosen.fx) for o in orders])
    result = assign_batch(batch, chosen, chunk_size=chunk)
    by_id = {o.order_id: o for o in orders}
    in_order = [by_id[order_id] for order_id in batch.order_ids]
    for engine in (
        [result.channel_ids(row)[0] for row in range(len(batch))],
        [d.primary.channel_id if d.primary else None for d in chosen.assign(orders)],
    ):
        for (warehouse, sku), units in drawn_units(in_order, engine).items():
            assert units <= stock[warehouse].get(sku, 0), (warehouse, sku, units)
