"""The baseline router: array quotes equal the domain reference; the strategy's rules hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest

from tests.builders import NOW, an_order
from tradelane.domain.errors import NotFound
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.files.catalogue_file import default_catalogue
from tradelane.simulation.order_batch import OrderBatch
from tradelane.simulation.order_stream import draw_order_columns
from tradelane.simulation.routing import CheapestEligibleRouter, quote

START = datetime(2026, 11, 23, tzinfo=UTC)
STOCK = {
    "wh-los-angeles": frozenset(f"apparel-{n:03d}" for n in range(1, 20)),
    "wh-duisburg": frozenset(f"home-{n:03d}" for n in range(1, 20)),
}


def _batch(count: int, seed: int) -> OrderBatch:
    def spread(rng: np.random.Generator, n: int) -> np.ndarray:
        return np.sort(rng.uniform(0, 86_400, n))

    columns = draw_order_columns(np.random.default_rng(seed), count, arrivals=spread, start=START)
    return OrderBatch(columns, 0, count)


def test_array_quotes_give_the_same_routes_as_the_domain_reference() -> None:
    router = CheapestEligibleRouter(default_catalogue(), stock=STOCK)
    batch = _batch(3000, seed=4)
    assert router.route(batch, now=START) == router.route(list(batch), now=START)


def test_generated_columns_are_the_figures_of_the_built_orders() -> None:
    batch = _batch(2000, seed=9)
    columns = batch.columns
    for i, order in enumerate(batch):
        line = order.lines[0]
        assert line.unit_weight_kg == columns.weight_kg[i]
        assert float(line.unit_value) == columns.value_usd[i]
        assert order.promised_days == columns.promised_days[i]
        assert line.dimensions is not None
        assert tuple(columns.box_cm[i]) == (
            line.dimensions.length_cm,
            line.dimensions.width_cm,
            line.dimensions.height_cm,
        )


def test_a_light_parcel_in_no_hurry_goes_postal_with_backups_of_other_carriers() -> None:
    router = CheapestEligibleRouter(default_catalogue())
    (route,) = router.route([an_order(country="DE", weight_kg=0.2, value="12")], now=NOW)
    catalogue = default_catalogue()
    primary = catalogue.channel(route.channel_id)
    assert primary.mode == "postal"
    carriers = [catalogue.channel(c).carrier for c in (route.channel_id, *route.backup_ids)]
    assert len(set(carriers)) == len(carriers) == 3


def test_an_urgent_order_goes_express_and_is_promised_its_days() -> None:
    router = CheapestEligibleRouter(default_catalogue())
    order = an_order(urgency=Urgency.EXPRESS, promised_days=6, value="400", weight_kg=1.2)
    (route,) = router.route([order], now=NOW)
    assert default_catalogue().channel(route.channel_id).mode == "express"
    assert route.promised_at == order.created_at + timedelta(days=6)


def test_a_backup_avoids_the_primarys_passenger_belly_when_it_can() -> None:
    catalogue = default_catalogue()
    router = CheapestEligibleRouter(catalogue)
    (route,) = router.route([an_order(country="US", weight_kg=0.15, value="9")], now=NOW)
    assert catalogue.channel(route.channel_id).air_type == "passenger_belly"
    assert catalogue.channel(route.backup_ids[0]).air_type != "passenger_belly"


def test_an_order_no_channel_accepts_gets_no_route() -> None:
    power_bank = an_order(country="AU", goods=(GoodsClass.BATTERY_ALONE,))
    assert CheapestEligibleRouter(default_catalogue()).route([power_bank], now=NOW) == []


def test_warehouse_ships_only_what_it_stocks() -> None:
    warehouse = default_catalogue().channel("wh-los-angeles")
    stocked = an_order(sku="apparel-003", weight_kg=2.0)
    assert quote(warehouse, stocked, stock=STOCK["wh-los-angeles"]) is not None
    assert quote(warehouse, stocked, stock=frozenset()) is None


def test_a_quote_follows_the_rate_card() -> None:
    epacket = default_catalogue().channel("epacket-cn")
    # per-kg 11.0 x 0.2 kg + 2.6 per item, no fuel surcharge, actual weight billed
    assert quote(epacket, an_order(country="US", weight_kg=0.2, value="10")) == Decimal("4.80")


def test_a_batch_refuses_an_order_id_it_does_not_hold() -> None:
    batch = _batch(10, seed=1)
    with pytest.raises(NotFound):
        OrderBatch(batch.columns, 2, 5).index_of(batch.columns.order_id(7))
