"""Seeded, realistic sample orders for demos, benchmarks and tests.

Archetypes, market shares and value/weight spreads are illustrative estimates of a China-origin
cross-border seller's mix (not sourced); EU/US dominance follows DOMAIN.md §6 (EU 4.6 bn
low-value parcels in 2024, 91 % from China). Same seed, same orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np

from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions

__all__ = ["ARCHETYPES", "MARKET_SHARES", "Archetype", "generate_orders"]

# country -> share of orders (estimate)
MARKET_SHARES = {
    "US": 0.32,
    "DE": 0.10,
    "GB": 0.08,
    "FR": 0.06,
    "IT": 0.04,
    "ES": 0.04,
    "NL": 0.03,
    "PL": 0.02,
    "CA": 0.04,
    "AU": 0.04,
    "BR": 0.05,
    "MX": 0.04,
    "SG": 0.02,
    "MY": 0.02,
    "TH": 0.02,
    "ID": 0.02,
    "PH": 0.01,
    "VN": 0.01,
    "CL": 0.02,
    "CO": 0.02,
}
US_POSTCODES = ("10001", "30301", "60601", "75201", "90012", "94105", "98101", "99501")


@dataclass(frozen=True)
class Archetype:
    name: str
    share: float
    value_usd: tuple[float, float]  # median, lognormal sigma
    weight_kg: tuple[float, float]  # median, lognormal sigma
    box_cm: tuple[float, float, float]  # typical box at median weight
    goods: tuple[GoodsClass, ...]
    hs_code: str


ARCHETYPES = (
    Archetype(
        "phone-accessory", 0.24, (9, 0.5), (0.12, 0.5), (18, 12, 4), (GoodsClass.GENERAL,), "392690"
    ),
    Archetype(
        "apparel", 0.22, (22, 0.5), (0.45, 0.5), (30, 22, 6), (GoodsClass.GENERAL,), "610910"
    ),
    Archetype(
        "gadget",
        0.16,
        (45, 0.6),
        (0.5, 0.6),
        (22, 16, 8),
        (GoodsClass.BATTERY_IN_EQUIPMENT,),
        "851830",
    ),
    Archetype("home", 0.14, (38, 0.6), (2.5, 0.7), (40, 30, 20), (GoodsClass.GENERAL,), "732393"),
    Archetype(
        "beauty",
        0.08,
        (18, 0.5),
        (0.3, 0.4),
        (15, 10, 8),
        (GoodsClass.COSMETICS, GoodsClass.LIQUID),
        "330499",
    ),
    Archetype(
        "power-bank",
        0.05,
        (25, 0.4),
        (0.35, 0.3),
        (16, 9, 3),
        (GoodsClass.BATTERY_ALONE,),
        "850760",
    ),
    Archetype(
        "premium-electronics",
        0.06,
        (420, 0.6),
        (1.2, 0.5),
        (35, 25, 12),
        (GoodsClass.BATTERY_IN_EQUIPMENT,),
        "847130",
    ),
    Archetype(
        "furniture-part",
        0.05,
        (110, 0.5),
        (12.0, 0.5),
        (80, 50, 30),
        (GoodsClass.GENERAL,),
        "940360",
    ),
)


def generate_orders(
    count: int, *, seed: int, start: datetime, span_days: float = 7.0, prefix: str = "ORD"
) -> list[Order]:
    """`count` orders created uniformly over `span_days` from `start` (tz-aware)."""
    rng = np.random.default_rng(seed)
    countries = list(MARKET_SHARES)
    shares = np.array(list(MARKET_SHARES.values()))
    country_ix = rng.choice(len(countries), size=count, p=shares / shares.sum())
    kinds = np.array([a.share for a in ARCHETYPES])
    kind_ix = rng.choice(len(ARCHETYPES), size=count, p=kinds / kinds.sum())
    offsets = np.sort(rng.uniform(0, span_days * 86_400, size=count))
    noise = rng.standard_normal((count, 3))
    express = rng.random(count) < 0.12
    sku_no = rng.integers(1, 40, size=count)
    marketplaces = rng.choice(["amazon", "shopify", "temu", "aliexpress"], size=count)
    orders = []
    for i in range(count):
        kind = ARCHETYPES[kind_ix[i]]
        orders.append(
            _order(
                f"{prefix}-{i + 1:07d}",
                kind,
                countries[country_ix[i]],
                noise[i],
                created_at=start + timedelta(seconds=float(offsets[i])),
                express=bool(express[i]),
                sku=f"{kind.name}-{int(sku_no[i]):03d}",
                postcode=US_POSTCODES[i % len(US_POSTCODES)],
                marketplace=str(marketplaces[i]),
            )
        )
    return orders


def _order(
    order_id: str,
    kind: Archetype,
    country: str,
    z: np.ndarray,
    *,
    created_at: datetime,
    express: bool,
    sku: str,
    postcode: str,
    marketplace: str,
) -> Order:
    value = kind.value_usd[0] * float(np.exp(kind.value_usd[1] * z[0]))
    weight = max(0.03, kind.weight_kg[0] * float(np.exp(kind.weight_kg[1] * z[1])))
    scale = (weight / kind.weight_kg[0]) ** (1 / 3)
    box = [max(2.0, round(side * scale * float(np.exp(0.1 * z[2])), 1)) for side in kind.box_cm]
    urgent = express or (kind.name == "premium-electronics" and z[2] > 0.5)
    line = OrderLine(
        sku=sku,
        unit_value=Decimal(str(round(value, 2))),
        unit_weight_kg=round(weight, 3),
        dimensions=Dimensions(length_cm=box[0], width_cm=box[1], height_cm=box[2]),
        hs_code=kind.hs_code,
        goods_classes=frozenset(kind.goods),
    )
    return Order(
        order_id=order_id,
        created_at=created_at,
        destination=Address(country=country, postcode=postcode if country == "US" else None),
        lines=[line],
        urgency=Urgency.EXPRESS if urgent else Urgency.STANDARD,
        promised_days=6 if urgent else 20,
        marketplace=marketplace,
    )
