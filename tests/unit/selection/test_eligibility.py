"""Every refusal is explained, and an order no channel can take is reported, not dropped."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import a_channel, an_order
from tests.unit.selection.selecting import DEFAULT, USD, decide, selector
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass
from tradelane.domain.orders import Order
from tradelane.selection.conditions import ActiveSwitch, ChannelState, NetworkConditions
from tradelane.selection.facts import facts_of


def fit_refusals(order: Order, **channel: Any) -> tuple[str, ...]:
    catalogue = Catalogue(name="one", channels=[a_channel("line", **channel)])
    quote = selector(catalogue=catalogue).quote(facts_of(order, USD))[0]
    return quote.refusals


def availability_refusals(order: Order, conditions: NetworkConditions) -> tuple[str, ...]:
    catalogue = Catalogue(name="one", channels=[a_channel("line")])
    decision = decide(order, catalogue=catalogue, conditions=conditions)
    assert decision.primary is None
    return decision.refusals["line"]


def test_a_fitting_order_has_no_refusal() -> None:
    assert fit_refusals(an_order()) == ()


def test_no_lane_to_the_country() -> None:
    assert fit_refusals(an_order(country="FR")) == ("no lane to FR",)


def test_postcode_outside_a_zoned_lane() -> None:
    west = [
        {
            "country": "US",
            "zone": "A",
            "transit": {"p50_days": 8, "p90_days": 12},
            "postcodes": [{"low": "90000", "high": "96199"}],
        }
    ]
    assert fit_refusals(an_order(postcode="10001"), lanes=west) == (
        "postcode 10001 is outside its lanes to US",
    )
    assert fit_refusals(an_order(postcode="90012"), lanes=west) == ()


def test_weight_over_the_limit_lists_every_problem() -> None:
    assert fit_refusals(an_order(weight_kg=31, dims=None)) == (
        "weight 31 kg is over the 30 kg limit",
        "no rate for the chargeable weight in zone A",
    )


def test_longest_side_over_the_limit() -> None:
    assert fit_refusals(an_order(dims=(130, 20, 20))) == (
        "longest side 130 cm is over the 120 cm limit",
    )


def test_length_plus_girth_over_the_limit() -> None:
    limits = {"max_weight_kg": 30, "max_length_plus_girth_cm": 200}
    assert fit_refusals(an_order(dims=(100, 30, 30)), limits=limits) == (
        "length + girth 220 cm is over the 200 cm limit",
    )


def test_sum_of_sides_over_the_postal_limit() -> None:
    limits = {"max_weight_kg": 2, "max_sum_of_sides_cm": 90}
    assert fit_refusals(an_order(dims=(50, 30, 20)), limits=limits) == (
        "sum of sides 100 cm is over the 90 cm limit",
    )


def test_declared_value_over_the_limit_compares_in_the_settlement_currency() -> None:
    limits = {"max_weight_kg": 30, "max_declared_value": {"amount": 400, "currency": "USD"}}
    in_euro = an_order(value="380").model_copy(update={"currency": "EUR"})  # USD 410.40
    assert fit_refusals(in_euro, limits=limits) == (
        "declared value 410.40 USD is over its 400.00 USD limit",
    )
    assert fit_refusals(an_order(value="380"), limits=limits) == ()


def test_a_battery_never_goes_on_a_channel_that_refuses_batteries() -> None:
    order = an_order(goods=(GoodsClass.BATTERY_ALONE,))
    assert fit_refusals(order) == ("refuses battery_alone",)
    quotes = {q.channel.id: q for q in selector().quote(facts_of(order, USD))}
    assert quotes["epacket-cn"].refusals == ("refuses battery_alone",)
    chosen = decide(order)
    assert chosen.primary is not None
    for choice in (chosen.primary, *chosen.backups):
        assert GoodsClass.BATTERY_ALONE in DEFAULT.channel(choice.channel_id).accepts


def test_overseas_warehouse_needs_every_sku_in_stock() -> None:
    assert fit_refusals(an_order(sku="SKU-9"), warehouse="LAX", mode="overseas_warehouse") == (
        "warehouse LAX does not stock SKU-9",
    )


def test_no_rate_tier_for_the_chargeable_weight() -> None:
    bulky = an_order(weight_kg=20, dims=(60, 60, 60))  # 216,000 cm³ / 6000 = 36 kg > 30 kg tier
    assert fit_refusals(bulky) == ("no rate for the chargeable weight in zone A",)


def test_a_channel_marked_failed_on_the_lane_cannot_be_primary() -> None:
    failed = NetworkConditions(channel_states={("line", "US"): ChannelState.FAILED})
    assert availability_refusals(an_order(), failed) == ("marked failed on US by switching",)


def test_a_channel_failed_on_another_lane_still_serves_this_one() -> None:
    failed = NetworkConditions(channel_states={("line", "DE"): ChannelState.FAILED})
    catalogue = Catalogue(name="one", channels=[a_channel("line")])
    decision = decide(an_order(), catalogue=catalogue, conditions=failed)
    assert decision.primary is not None and decision.primary.channel_id == "line"


def test_used_up_daily_capacity_refuses_the_order() -> None:
    full = NetworkConditions(capacity_left={"line": 0})
    assert availability_refusals(an_order(), full) == ("daily capacity used up (1,000 parcels)",)


def test_a_full_switch_moves_every_order_off_the_channel() -> None:
    switched = NetworkConditions(switches=[ActiveSwitch("line", "US", 1.0)])
    assert availability_refusals(an_order(), switched) == ("moved off by an active switch (100%)",)


def test_an_order_no_channel_can_take_is_reported_with_every_reason() -> None:
    power_bank_to_australia = an_order(country="AU", goods=(GoodsClass.BATTERY_ALONE,))
    decision = decide(power_bank_to_australia)
    assert decision.primary is None and decision.backups == ()
    assert set(decision.refusals) == set(DEFAULT.channel_ids)
    assert decision.refusals["cn-eu-truck"] == ("no lane to AU",)
    assert decision.refusals["dhl-express-cn"] == ("refuses battery_alone",)


def test_an_order_currency_missing_from_the_fx_table_is_a_clear_error() -> None:
    order = an_order().model_copy(update={"currency": "JPY"})
    with pytest.raises(ValidationError, match="missing from the FX table") as raised:
        facts_of(order, USD)
    assert raised.value.value == "JPY"
