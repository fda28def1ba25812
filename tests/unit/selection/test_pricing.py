"""Prices: chargeable weight, rate tiers, surcharges and the settlement currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.builders import a_channel, an_order
from tests.unit.selection.selecting import DEFAULT, USD
from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.domain.units import Dimensions, chargeable_weight_kg
from tradelane.selection.conditions import FxTable
from tradelane.selection.facts import facts_of
from tradelane.selection.pricing import chargeable_kg, price_parcel, to_money


def test_volumetric_weight_wins_for_a_light_bulky_box() -> None:
    # 40 × 30 × 20 cm / 5000 = 4.8 kg against 1 kg actual, rounded up to 5.0 kg
    assert chargeable_kg(1.0, 24_000, 5000, 0.5) == 5.0


def test_divisor_zero_bills_actual_weight_rounded_to_the_increment() -> None:
    assert chargeable_kg(0.123, 24_000, 0, 0.01) == pytest.approx(0.13)


def test_exact_multiples_are_not_rounded_up_a_step() -> None:
    assert chargeable_kg(0.3, 0, 0, 0.1) == pytest.approx(0.3)


@pytest.mark.parametrize("weight", [0.12, 0.3, 1.0, 2.49, 7.0, 12.3])
def test_chargeable_weight_agrees_with_the_domain_rule(weight: float) -> None:
    box = Dimensions(length_cm=30, width_cm=20, height_cm=10)
    expected = chargeable_weight_kg(weight, box, divisor_cm3_per_kg=6000, increment_kg=0.1)
    assert chargeable_kg(weight, box.volume_cm3, 6000, 0.1) == pytest.approx(expected)


def test_express_first_plus_additional_weight_with_fuel_surcharge() -> None:
    dhl = DEFAULT.channel("dhl-express-cn")
    order = an_order(weight_kg=1.2, dims=(20, 15, 5))  # 1.2 kg -> 1.5 kg chargeable
    quote = price_parcel(facts_of(order, USD), dhl, dhl.lane_for("US"), USD)  # type: ignore[arg-type]
    assert quote is not None
    tier = dhl.rate_card.tier_for("A", 1.5)
    assert tier is not None
    base = tier.base_price(1.5)  # 38 + 2 × 8.5 = 55
    assert base == Decimal("55.0")
    assert quote.chargeable_kg == 1.5
    assert to_money(quote.price, "USD").amount == (base * Decimal("1.245")).quantize(
        Decimal("0.01")
    )


def test_remote_postcodes_pay_the_remote_area_surcharge() -> None:
    dhl = DEFAULT.channel("dhl-express-cn")
    anchorage, new_york = an_order(postcode="99501"), an_order(postcode="10001")
    lane = dhl.lane_for("US")
    assert lane is not None
    remote = price_parcel(facts_of(anchorage, USD), dhl, lane, USD)
    normal = price_parcel(facts_of(new_york, USD), dhl, lane, USD)
    assert remote is not None and normal is not None and remote.remote
    assert remote.price - normal.price == pytest.approx(30.0)


def test_prices_convert_into_the_settlement_currency() -> None:
    in_cny = a_channel(rate_card={**a_channel().rate_card.model_dump(), "currency": "CNY"})
    order = an_order(weight_kg=1.0, dims=None)
    lane = in_cny.lane_for("US")
    assert lane is not None
    eur = FxTable(DEFAULT_FX_TO_USD, "EUR")
    quote = price_parcel(facts_of(order, eur), in_cny, lane, eur)
    assert quote is not None
    assert quote.card_total == pytest.approx(11.0)  # 8 per kg × 1.0 kg + 3 per item, in CNY
    assert quote.price == pytest.approx(11.0 * 0.139 / 1.08)


def test_a_weight_beyond_the_last_tier_has_no_price() -> None:
    line = a_channel()
    lane = line.lane_for("US")
    assert lane is not None
    assert price_parcel(facts_of(an_order(weight_kg=31, dims=None), USD), line, lane, USD) is None
