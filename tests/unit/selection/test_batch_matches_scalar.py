"""The batch engine decides exactly as the scalar reference, on random catalogues and orders.

Random catalogues mix every mode, carriers, air types, clearance ports, goods acceptance,
limits, two-tier rate cards in three currencies, zoned and remote postcodes and overseas
warehouses; conditions add stock in units (few, so warehouses run short mid-batch and orders
of several units are refused where one-unit orders still fit), channel states, switches, tiny
capacities (so channels run out mid-batch, across chunk borders), peak windows, allocation
quotas and random policy weights, on-time floors, cost ceilings and share caps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.selection.selecting import selector
from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.domain.catalog import AirType, Catalogue, Mode
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions
from tradelane.selection.batch import assign_batch
from tradelane.selection.conditions import (
    ActiveSwitch,
    ChannelState,
    FxTable,
    NetworkConditions,
    PeakWindow,
)
from tradelane.selection.facts import facts_of
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.policy import DiversificationWeights, Policy, ShareCaps

COUNTRIES = ("US", "DE", "TH", "BR")
POSTCODES = (None, "90012", "10001", "99501")
SKUS = ("A", "B", "C", "D")
WAREHOUSES = ("W1", "W2")
START = datetime(2026, 11, 20, tzinfo=UTC)
kg = st.floats(min_value=0.05, max_value=20, allow_nan=False).map(lambda x: round(x, 2))
days = st.floats(min_value=1, max_value=30).map(lambda x: round(x, 1))
money = st.integers(min_value=0, max_value=60)


@st.composite
def tiers(draw: st.DrawFn) -> list[dict[str, Any]]:
    split = draw(st.sampled_from([1.0, 2.0, 5.0]))
    first = draw(st.sampled_from(["per_kg", "first_additional"]))
    head: dict[str, Any] = {"style": first, "from_kg": 0, "to_kg": split}
    if first == "per_kg":
        head |= {"per_kg_price": draw(money), "per_item_fee": draw(money)}
    else:
        head |= {
            "first_weight_kg": draw(st.sampled_from([0.1, 0.5])),
            "first_price": draw(money),
            "additional_increment_kg": draw(st.sampled_from([0.1, 0.5])),
            "additional_price": draw(money),
        }
    tail = {"style": "per_kg", "from_kg": split, "to_kg": draw(st.sampled_from([8.0, 30.0]))}
    tail |= {"per_kg_price": draw(money), "per_item_fee": draw(money)}
    return [head, tail] if draw(st.booleans()) else [head]


@st.composite
def lanes(draw: st.DrawFn) -> list[dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True))
    found = []
    for country in chosen:
        p50 = draw(days)
        lane: dict[str, Any] = {
            "country": country,
            "zone": draw(st.sampled_from(["A", "B"])),
            "transit": {
                "p50_days": p50,
                "p90_days": p50 + draw(st.sampled_from([0.0, 1.5, 6.0])),
                "peak_uplift_pct": draw(st.sampled_from([0, 20, 40])),
            },
            "clearance_port": draw(st.sampled_from([None, "P1", "P2"])),
        }
        if country == "US" and draw(st.booleans()):
            lane["postcodes"] = [{"low": "900", "high": "999"}]
        if country == "US" and draw(st.booleans()):
            lane["remote_postcodes"] = [{"low": "995", "high": "999"}]
        found.append(lane)
    return found


@st.composite
def channels(draw: st.DrawFn, number: int) -> dict[str, Any]:
    mode = draw(st.sampled_from(list(Mode)))
    limits: dict[str, Any] = {"max_weight_kg": draw(st.sampled_from([2, 10, 30]))}
    for key, options in (
        ("max_side_cm", [40, 60, 120]),
        ("max_length_plus_girth_cm", [150, 300]),
        ("max_sum_of_sides_cm", [90]),
    ):
        if draw(st.booleans()):
            limits[key] = draw(st.sampled_from(options))
    if draw(st.booleans()):
        limits["max_declared_value"] = {
            "amount": draw(st.sampled_from([50, 400])),
            "currency": draw(st.sampled_from(["USD", "EUR"])),
        }
    extra = draw(st.sets(st.sampled_from(list(GoodsClass)), max_size=4))
    return {
        "id": f"ch-{number}",
        "name": f"channel {number}",
        "carrier": draw(st.sampled_from(["c1", "c2", "c3"])),
        "service": "s",
        "mode": mode.value,
        "origin": "CN",
        "warehouse": draw(st.sampled_from(WAREHOUSES)) if mode is Mode.OVERSEAS_WAREHOUSE else None,
        "air_type": draw(st.sampled_from(list(AirType))).value,
        "clearance_ports": draw(st.lists(st.sampled_from(["P1", "P2", "P3"]), max_size=2)),
        "accepts": sorted({GoodsClass.GENERAL.value, *(g.value for g in extra)}),
        "limits": limits,
        "daily_capacity": 100,
        "rate_card": {
            "currency": draw(st.sampled_from(["USD", "EUR", "CNY"])),
            "volumetric_divisor_cm3_per_kg": draw(st.sampled_from([0, 5000, 6000, 8000])),
            "rounding_increment_kg": draw(st.sampled_from([0, 0.01, 0.1, 0.5])),
            "fuel_surcharge_pct": draw(st.sampled_from([0, 12.5, 24.5])),
            "remote_area_surcharge": draw(st.sampled_from([0, 30])),
            "zones": {"A": draw(tiers()), "B": draw(tiers())},
        },
        "lanes": draw(lanes()),
    }


@st.composite
def orders(draw: st.DrawFn, number: int, *, carried: bool = False) -> Order:
    """A random order; `carried` keeps it small, general goods to a served country, so most
    such orders have several channels to choose from (floors and caps then bite)."""
    box = st.tuples(kg, kg, kg).map(lambda t: tuple(5 + 6 * x for x in t))
    dims = None if carried else draw(st.none() | box)
    every = list(GoodsClass)
    goods = (
        {GoodsClass.GENERAL}
        if carried
        else draw(st.sets(st.sampled_from(every), min_size=1, max_size=2))
    )
    line = OrderLine(
        sku=draw(st.sampled_from(SKUS)),
        quantity=1 if carried else draw(st.integers(1, 3)),
        unit_value=Decimal(draw(st.integers(0, 900))),
        unit_weight_kg=draw(st.sampled_from([0.2, 0.9, 1.8])) if carried else draw(kg),
        dimensions=None
        if dims is None
        else Dimensions(length_cm=dims[0], width_cm=dims[1], height_cm=dims[2]),
        goods_classes=frozenset(goods),
    )
    extra = draw(st.lists(st.sampled_from(SKUS), max_size=2))
    lines = [line, *(line.model_copy(update={"sku": sku}) for sku in extra)]
    country = draw(st.sampled_from(COUNTRIES if carried else (*COUNTRIES, "FR")))
    return Order(
        order_id=f"O-{number}",
        created_at=START + timedelta(hours=draw(st.integers(0, 96))),
        destination=Address(country=country, postcode=draw(st.sampled_from(POSTCODES))),
        lines=lines,
        currency=draw(st.sampled_from(["USD", "EUR"])),
        urgency=draw(st.sampled_from(list(Urgency))),
        promised_days=draw(st.integers(1, 40)),
    )


@st.composite
def conditions(draw: st.DrawFn, ids: list[str]) -> NetworkConditions:
    states = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(ids), st.sampled_from(COUNTRIES)),
            st.sampled_from(list(ChannelState)),
            max_size=3,
        )
    )
    switches = draw(
        st.lists(
            st.builds(
                ActiveSwitch,
                channel_id=st.sampled_from(ids),
                country=st.sampled_from([None, *COUNTRIES]),
                share=st.sampled_from([0.3, 0.7, 1.0]),
                backup_channel_id=st.sampled_from([None, *ids]),
            ),
            max_size=2,
        )
    )
    capacity = draw(st.none() | st.dictionaries(st.sampled_from(ids), st.integers(0, 4)))
    stock = {w: draw(st.dictionaries(st.sampled_from(SKUS), st.integers(0, 6))) for w in WAREHOUSES}
    peak = draw(st.sampled_from([(), (PeakWindow("bf", date(2026, 11, 21), date(2026, 11, 22)),)]))
    quotas = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(ids)),
            st.sampled_from([0.1, 0.25, 0.5, 1.0]),
            max_size=3,
        )
    )
    return NetworkConditions(states, switches, capacity, stock, peak, quotas)


policies = st.builds(
    Policy,
    cost_weight=st.sampled_from([0.5, 1.0, 2.0]),
    miss_cost=st.sampled_from([0.0, 5.0, 40.0]),
    late_cost_per_day=st.sampled_from([0.0, 1.0, 3.0]),
    backups=st.integers(0, 3),
    on_time_floor=st.sampled_from([0.0, 0.5, 0.9]),
    cost_ceiling_value_pct=st.sampled_from([None, 20.0, 200.0]),
    cost_ceiling_min=st.sampled_from([0.0, 15.0]),
    share_caps=st.builds(
        ShareCaps,
        channel=st.sampled_from([None, 0.3, 0.6]),
        carrier=st.sampled_from([None, 0.5]),
        min_lane_orders=st.sampled_from([1, 4]),
    ),
    diversification=st.builds(
        DiversificationWeights,
        other_carrier=st.sampled_from([0.0, 60.0]),
        other_clearance_port=st.sampled_from([0.0, 10.0]),
    ),
)


@st.composite
def scenarios(
    draw: st.DrawFn, *, carried: bool = False
) -> tuple[Catalogue, Policy, NetworkConditions, list[Order], str]:
    count = draw(st.integers(1, 7))
    catalogue = Catalogue(name="random", channels=[draw(channels(i)) for i in range(count)])
    batch = [draw(orders(i, carried=carried)) for i in range(draw(st.integers(1, 25)))]
    settle = draw(st.sampled_from(["USD", "EUR"]))
    return catalogue, draw(policies), draw(conditions(catalogue.channel_ids)), batch, settle


Scenario = tuple[Catalogue, Policy, NetworkConditions, list[Order], str]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), chunk=st.sampled_from([1, 3, 64]))
def test_batch_and_scalar_engines_agree(scenario: Scenario, chunk: int) -> None:
    assert_engines_agree(scenario, chunk)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(carried=True), chunk=st.sampled_from([1, 3, 64]))
def test_engines_agree_on_floors_ceilings_caps_and_quotas(scenario: Scenario, chunk: int) -> None:
    assert_engines_agree(scenario, chunk)


def assert_engines_agree(scenario: Scenario, chunk: int) -> None:
    catalogue, policy, network, batch_orders, settle = scenario
    fx = FxTable(DEFAULT_FX_TO_USD, settle)
    chosen = selector(catalogue=catalogue, policy=policy, conditions=network, fx=fx)
    expected = chosen.assign(batch_orders)
    batch = OrderBatch.from_facts([facts_of(o, fx) for o in batch_orders])
    result = assign_batch(batch, chosen, chunk_size=chunk)
    for row, decision in enumerate(expected):
        assert batch.order_ids[row] == decision.order_id
        assert result.channel_ids(row) == decision.channel_ids
        assert result.decision(row) == decision
