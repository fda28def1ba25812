from __future__ import annotations

from tests.builders import NOW
from tradelane.domain.geo import Market, market_of
from tradelane.simulation.order_stream import generate_orders


def test_same_seed_same_orders_and_another_seed_differs() -> None:
    assert generate_orders(200, seed=11, start=NOW) == generate_orders(200, seed=11, start=NOW)
    assert generate_orders(200, seed=11, start=NOW) != generate_orders(200, seed=12, start=NOW)


def test_generated_mix_looks_like_a_cross_border_seller() -> None:
    orders = generate_orders(5000, seed=5, start=NOW)
    us_share = sum(market_of(o.destination.country) == Market.US for o in orders) / len(orders)
    light = sum(o.weight_kg <= 2 for o in orders) / len(orders)
    assert 0.27 < us_share < 0.37  # configured 32 %
    assert light > 0.7  # most cross-border parcels are small packets
    assert len({o.order_id for o in orders}) == len(orders)
    assert all(o.created_at >= NOW for o in orders)
