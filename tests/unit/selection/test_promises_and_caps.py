"""Promise keeping, the cost ceiling and lane share caps, through the scalar engine."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import NOW, an_order
from tests.unit.selection.selecting import DEFAULT, USD, selector
from tests.unit.selection.test_sequence import CATALOGUE, orders
from tradelane.domain.goods import Urgency
from tradelane.domain.orders import Order
from tradelane.selection.explain import explain
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy, ShareCaps

BLACK_FRIDAY = NOW  # peak: every lane's transit is stretched by its uplift


def express_to_de(promise_days: int = 6) -> Order:
    return an_order(
        "EXP-1",
        country="DE",
        weight_kg=2.5,
        dims=(40, 30, 20),
        value="38",
        urgency=Urgency.EXPRESS,
        promised_days=promise_days,
        created_at=BLACK_FRIDAY,
    )


def test_an_express_order_gets_the_best_channel_that_meets_the_floor() -> None:
    chosen = selector().assign([express_to_de()])[0]
    assert chosen.primary is not None
    assert chosen.primary.on_time_probability >= Policy().on_time_floor
    without_floor = selector(policy=Policy(on_time_floor=0.0)).assign([express_to_de()])[0]
    assert without_floor.primary is not None
    assert without_floor.primary.on_time_probability < Policy().on_time_floor


def test_backups_of_a_bound_order_meet_the_floor_before_any_that_does_not() -> None:
    chosen = selector().assign([express_to_de()])[0]
    on_time = [b.on_time_probability for b in chosen.backups]
    assert on_time == sorted(on_time, key=lambda p: p < Policy().on_time_floor)


def test_when_no_channel_meets_the_floor_the_best_one_goes_and_the_reason_says_so() -> None:
    order = express_to_de(promise_days=2)
    engine = selector()
    decision = engine.assign([order])[0]
    assert decision.primary is not None
    assert decision.primary.on_time_probability < Policy().on_time_floor
    facts = facts_of(order, USD)
    text = explain(decision, facts, DEFAULT, engine.policy)
    assert "70% on-time floor" in text and "2-day promise" in text


def test_a_cost_ceiling_refuses_channels_priced_over_a_share_of_the_value() -> None:
    policy = Policy(cost_ceiling_value_pct=100.0, cost_ceiling_min=5.0)
    quotes = selector(policy=policy).quote(facts_of(express_to_de(), USD))
    priced = [q for q in quotes if q.price is not None]
    for q in priced:
        over = q.price is not None and q.price.price > 38.0
        assert over == any("cost ceiling" in why for why in q.refusals), q.channel.id


def test_no_channel_takes_more_than_its_share_cap_of_a_lane() -> None:
    policy = Policy(rules=(), share_caps=ShareCaps(channel=0.5, carrier=None, min_lane_orders=4))
    chosen = selector(catalogue=CATALOGUE, policy=policy).assign(orders(10))
    mix = [d.channel_ids[0] for d in chosen]
    assert (mix.count("cheap"), mix.count("middle")) == (5, 5)


def test_a_carrier_cap_counts_every_channel_of_the_carrier_together() -> None:
    policy = Policy(rules=(), share_caps=ShareCaps(channel=None, carrier=0.3, min_lane_orders=4))
    chosen = selector(catalogue=CATALOGUE, policy=policy).assign(orders(10))
    mix = [d.channel_ids[0] for d in chosen]
    assert mix[:9].count("cheap") == mix[:9].count("middle") == mix[:9].count("dear") == 3


def test_caps_yield_rather_than_leave_an_order_without_a_channel() -> None:
    policy = Policy(rules=(), share_caps=ShareCaps(channel=None, carrier=0.3, min_lane_orders=4))
    chosen = selector(catalogue=CATALOGUE, policy=policy).assign(orders(10))
    assert chosen[-1].channel_ids == ("cheap", ("middle", "dear"))
    single = CATALOGUE.model_copy(update={"channels": CATALOGUE.channels[:1]})
    alone = selector(catalogue=single, policy=policy).assign(orders(10))
    assert [d.channel_ids[0] for d in alone] == ["cheap"] * 10


def test_a_lane_with_few_orders_is_not_capped() -> None:
    policy = Policy(rules=(), share_caps=ShareCaps(channel=0.5, min_lane_orders=20))
    chosen = selector(catalogue=CATALOGUE, policy=policy).assign(orders(10))
    assert {d.channel_ids[0] for d in chosen} == {"cheap"}


def test_caps_count_each_lane_on_its_own() -> None:
    policy = Policy(rules=(), share_caps=ShareCaps(channel=0.5, carrier=None, min_lane_orders=2))
    batch = orders(4) + [
        an_order(f"DE-{i}", country="DE", created_at=NOW + timedelta(hours=1, minutes=i))
        for i in range(2)
    ]
    mix = [(d.order_id[:2], d.channel_ids[0]) for d in selector(policy=policy).assign(batch)]
    us = [c for lane, c in mix if lane == "O-"]
    assert max(us.count(c) for c in set(us)) == 2
