"""Each rule of the strategy, on hand-built orders against the default catalogue."""

from __future__ import annotations

from tests.builders import an_order
from tests.unit.selection.selecting import DEFAULT, decide, mode_of
from tradelane.domain.catalog import Mode
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.selection.conditions import NetworkConditions
from tradelane.selection.policy import Policy

DEDICATED = {"dedicated_truck", "dedicated_rail", "dedicated_sea", "dedicated_air"}


def test_high_value_goods_go_express() -> None:
    order = an_order(
        value="420", weight_kg=1.2, dims=(35, 25, 12), goods=(GoodsClass.BATTERY_IN_EQUIPMENT,)
    )
    decision = decide(order)
    assert mode_of(decision) == "express"
    assert decision.primary is not None and decision.primary.breakdown.rule == "high_value"


def test_the_same_goods_below_the_value_threshold_take_a_cheaper_line() -> None:
    order = an_order(
        value="40", weight_kg=1.2, dims=(35, 25, 12), goods=(GoodsClass.BATTERY_IN_EQUIPMENT,)
    )
    assert mode_of(decide(order)) != "express"


def test_time_sensitive_orders_go_express_with_express_backups() -> None:
    decision = decide(an_order(value="30", weight_kg=0.4, urgency=Urgency.EXPRESS, promised_days=6))
    assert mode_of(decision) == "express"
    assert decision.primary is not None and decision.primary.breakdown.rule == "time_sensitive"
    backup_modes = {DEFAULT.channel(b.channel_id).mode for b in decision.backups}
    assert backup_modes == {Mode.EXPRESS}


def test_a_promise_of_a_week_or_less_goes_express() -> None:
    decision = decide(an_order(value="30", weight_kg=0.4, promised_days=7))
    assert decision.primary is not None and decision.primary.breakdown.rule == "short_promise"


def test_medium_heavy_goods_go_on_a_dedicated_line() -> None:
    decision = decide(an_order(country="DE", value="40", weight_kg=3.0, dims=(40, 30, 20)))
    assert mode_of(decision) in DEDICATED
    assert decision.primary is not None and decision.primary.breakdown.rule == "medium_heavy"


def test_a_large_light_box_goes_on_a_dedicated_line() -> None:
    decision = decide(an_order(value="40", weight_kg=1.0, dims=(60, 40, 10)))
    assert mode_of(decision) in DEDICATED
    assert decision.primary is not None and decision.primary.breakdown.rule == "large_box"


def test_small_light_non_urgent_goods_go_postal() -> None:
    decision = decide(an_order(value="9", weight_kg=0.15, dims=(18, 12, 4)))
    assert mode_of(decision) == "postal"
    assert decision.primary is not None and decision.primary.breakdown.rule == "small_light"


def test_stock_in_an_overseas_warehouse_near_the_buyer_ships_from_there() -> None:
    order = an_order(value="30", weight_kg=0.4, sku="gadget-001")
    stocked = NetworkConditions(inventory={"LAX": {"gadget-001": 5}})
    decision = decide(order, conditions=stocked)
    assert decision.primary is not None
    assert decision.primary.channel_id == "wh-los-angeles"
    assert decision.primary.breakdown.rule == "local_stock"


def test_stock_in_a_warehouse_that_does_not_serve_the_buyer_is_not_used() -> None:
    order = an_order(value="30", weight_kg=0.4, sku="gadget-001")
    decision = decide(order, conditions=NetworkConditions(inventory={"DUS": {"gadget-001": 5}}))
    assert mode_of(decision) != "overseas_warehouse"


def test_southeast_asia_goes_through_the_regional_hub() -> None:
    decision = decide(an_order(country="TH", value="20", weight_kg=0.3))
    assert decision.primary is not None and decision.primary.channel_id == "hub-sea"


def test_latin_america_goes_through_the_regional_hub() -> None:
    decision = decide(an_order(country="BR", value="20", weight_kg=0.3))
    assert decision.primary is not None and decision.primary.channel_id == "hub-latam"


def test_without_strategy_rules_the_cheapest_reliable_channel_wins() -> None:
    order = an_order(value="420", weight_kg=1.2, dims=(35, 25, 12))
    decision = decide(order, policy=Policy(version="cost-only", rules=()))
    assert mode_of(decision) != "express"
    assert decision.primary is not None and decision.primary.breakdown.strategy_bonus == 0


def test_a_seller_can_raise_the_value_threshold_for_express() -> None:
    rules = tuple(
        r.model_copy(update={"when": r.when.model_copy(update={"min_value": 1000.0})})
        if r.name == "high_value"
        else r
        for r in Policy().rules
    )
    order = an_order(value="420", weight_kg=1.2, dims=(35, 25, 12))
    assert mode_of(decide(order, policy=Policy(version="strict", rules=rules))) != "express"
