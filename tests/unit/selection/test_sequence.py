"""Orders in sequence: capacity runs out, partial switches, failed and degraded lanes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.builders import NOW, a_channel, an_order
from tests.unit.selection.selecting import USD, selector
from tradelane.domain.catalog import Catalogue
from tradelane.domain.orders import Order
from tradelane.selection.conditions import (
    ActiveSwitch,
    ChannelState,
    NetworkConditions,
    switch_fraction,
)
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy, ShareCaps

UNCAPPED = Policy(rules=(), share_caps=ShareCaps(channel=None, carrier=None))  # caps: test_caps


def priced(channel_id: str, price: float, carrier: str) -> dict[str, Any]:
    tiers = [
        {"style": "per_kg", "from_kg": 0, "to_kg": 30, "per_kg_price": 0, "per_item_fee": price}
    ]
    card = {"currency": "USD", "volumetric_divisor_cm3_per_kg": 0, "rounding_increment_kg": 0}
    return a_channel(
        channel_id, carrier=carrier, rate_card={**card, "zones": {"A": tiers}}
    ).model_dump()


CATALOGUE = Catalogue.model_validate(
    {
        "name": "three",
        "channels": [priced("cheap", 4, "a"), priced("middle", 6, "b"), priced("dear", 9, "c")],
    }
)


def orders(count: int) -> list[Order]:
    return [an_order(f"O-{i:03d}", created_at=NOW + timedelta(minutes=i)) for i in range(count)]


def primaries(conditions: NetworkConditions, batch: list[Order]) -> list[str | None]:
    chosen = selector(catalogue=CATALOGUE, policy=UNCAPPED, conditions=conditions)
    return [d.channel_ids[0] for d in chosen.assign(batch)]


def test_when_capacity_runs_out_later_orders_fall_to_the_next_best() -> None:
    limited = NetworkConditions(capacity_left={"cheap": 2, "middle": 1})
    assert primaries(limited, orders(5)) == ["cheap", "cheap", "middle", "dear", "dear"]


def test_capacity_is_consumed_in_created_at_order_whatever_the_input_order() -> None:
    limited = NetworkConditions(capacity_left={"cheap": 1})
    batch = orders(3)
    chosen = selector(catalogue=CATALOGUE, policy=Policy(rules=()), conditions=limited)
    decisions = chosen.assign(list(reversed(batch)))
    assert [(d.order_id, d.channel_ids[0]) for d in decisions] == [
        ("O-000", "cheap"),
        ("O-001", "middle"),
        ("O-002", "middle"),
    ]


def test_a_channel_out_of_capacity_is_not_offered_as_a_backup() -> None:
    limited = NetworkConditions(capacity_left={"middle": 0})
    chosen = selector(catalogue=CATALOGUE, policy=Policy(rules=()), conditions=limited)
    decision = chosen.assign(orders(1))[0]
    assert decision.channel_ids == ("cheap", ("dear",))


def test_a_partial_switch_moves_the_same_deterministic_share_every_time() -> None:
    switched = NetworkConditions(switches=[ActiveSwitch("cheap", "US", 0.3, "dear")])
    batch = orders(400)
    first, again = primaries(switched, batch), primaries(switched, batch)
    assert first == again
    moved = [o.order_id for o, p in zip(batch, first, strict=True) if p == "dear"]
    assert moved == [o.order_id for o in batch if switch_fraction(o.order_id) < 0.3]
    assert 0.2 < len(moved) / len(batch) < 0.4
    assert set(first) == {"cheap", "dear"}


def test_a_switch_on_another_lane_changes_nothing_here() -> None:
    elsewhere = NetworkConditions(switches=[ActiveSwitch("cheap", "DE", 1.0, "dear")])
    assert set(primaries(elsewhere, orders(20))) == {"cheap"}


def test_a_switched_order_says_where_it_was_moved_from() -> None:
    switched = NetworkConditions(switches=[ActiveSwitch("cheap", None, 1.0, "dear")])
    chosen = selector(catalogue=CATALOGUE, policy=Policy(rules=()), conditions=switched)
    decision = chosen.assign(orders(1))[0]
    assert decision.primary is not None
    assert (decision.primary.channel_id, decision.primary.switched_from) == ("dear", "cheap")
    assert "cheap" not in decision.channel_ids[1]


def test_a_failed_channel_is_neither_primary_nor_backup() -> None:
    failed = NetworkConditions(channel_states={("cheap", "US"): ChannelState.FAILED})
    chosen = selector(catalogue=CATALOGUE, policy=Policy(rules=()), conditions=failed)
    assert chosen.assign(orders(1))[0].channel_ids == ("middle", ("dear",))


def test_a_degraded_channel_pays_the_policy_penalty() -> None:
    degraded = NetworkConditions(channel_states={("cheap", "US"): ChannelState.DEGRADED})
    chosen = selector(catalogue=CATALOGUE, policy=Policy(rules=()), conditions=degraded)
    decision = chosen.assign(orders(1))[0]
    assert decision.channel_ids[0] == "middle"
    cheap = chosen.quote(facts_of(orders(1)[0], USD))[0]
    assert cheap.channel.id == "cheap" and cheap.score is not None
    assert cheap.score.state_penalty == 15.0
