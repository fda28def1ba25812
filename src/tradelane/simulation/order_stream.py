"""Seeded, realistic sample orders for demos, benchmarks and tests.

Archetypes, market shares and value/weight spreads are illustrative estimates of a China-origin
cross-border seller's mix (not sourced); EU/US dominance follows DOMAIN.md §6 (EU 4.6 bn
low-value parcels in 2024, 91 % from China). Same seed, same orders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

import numpy as np

from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions

__all__ = [
    "ARCHETYPES",
    "ARCHETYPES_BY_NAME",
    "MARKETPLACES",
    "MARKET_SHARES",
    "US_POSTCODES",
    "Archetype",
    "Arrivals",
    "OrderColumns",
    "draw_order_columns",
    "generate_orders",
]

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
MARKETPLACES = ("amazon", "shopify", "temu", "aliexpress")
URGENT_PROMISE_DAYS = 6
STANDARD_PROMISE_DAYS = 20
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
ARCHETYPES_BY_NAME = {a.name: a for a in ARCHETYPES}


def generate_orders(
    count: int, *, seed: int, start: datetime, span_days: float = 7.0, prefix: str = "ORD"
) -> list[Order]:
    """`count` orders created uniformly over `span_days` from `start` (tz-aware)."""

    def uniform(rng: np.random.Generator, n: int) -> np.ndarray:
        return np.sort(rng.uniform(0, span_days * 86_400, size=n))

    columns = draw_order_columns(
        np.random.default_rng(seed), count, arrivals=uniform, start=start, prefix=prefix
    )
    return [columns.order(i) for i in range(count)]


Arrivals = Callable[[np.random.Generator, int], np.ndarray]


def draw_order_columns(
    rng: np.random.Generator,
    count: int,
    *,
    arrivals: Arrivals,
    start: datetime,
    prefix: str = "ORD",
    market_shares: Mapping[str, float] = MARKET_SHARES,
    archetype_shares: Mapping[str, float] | None = None,
) -> OrderColumns:
    """Draw `count` orders as columns; `arrivals(rng, count)` gives sorted seconds from `start`.

    The draw order (countries, kinds, arrivals, noise, urgency, SKU, marketplace) is fixed, so
    the same generator state gives the same orders whatever consumes them.
    """
    countries = tuple(market_shares)
    shares = np.array([market_shares[c] for c in countries], dtype=float)
    kinds = archetype_shares or {a.name: a.share for a in ARCHETYPES}
    kind_p = np.array([kinds.get(a.name, 0.0) for a in ARCHETYPES], dtype=float)
    country_ix = rng.choice(len(countries), size=count, p=shares / shares.sum())
    kind_ix = rng.choice(len(ARCHETYPES), size=count, p=kind_p / kind_p.sum())
    offsets = np.asarray(arrivals(rng, count), dtype=float)
    noise = rng.standard_normal((count, 3))
    express = rng.random(count) < 0.12
    sku_no = rng.integers(1, 40, size=count)
    marketplace_ix = rng.choice(len(MARKETPLACES), size=count)
    return OrderColumns(
        start=start,
        prefix=prefix,
        countries=countries,
        offset_s=offsets,
        country_ix=country_ix,
        kind_ix=kind_ix,
        noise=noise,
        express=express,
        sku_no=sku_no,
        marketplace_ix=marketplace_ix,
    )


@dataclass(frozen=True, eq=False)
class OrderColumns:
    """Orders as arrays, one row per order; `order(i)` builds the domain `Order` on demand.

    The derived columns (weight, value, box, urgency) are the exact figures `order(i)` carries,
    so array code and object code see the same parcel.
    """

    start: datetime
    prefix: str
    countries: tuple[str, ...]
    offset_s: np.ndarray  # seconds after `start`, sorted
    country_ix: np.ndarray
    kind_ix: np.ndarray
    noise: np.ndarray  # (n, 3) standard normals: value, weight, box
    express: np.ndarray
    sku_no: np.ndarray
    marketplace_ix: np.ndarray

    def __len__(self) -> int:
        return len(self.offset_s)

    def order_id(self, i: int) -> str:
        return f"{self.prefix}-{i + 1:07d}"

    def sku(self, i: int) -> str:
        return f"{ARCHETYPES[self.kind_ix[i]].name}-{int(self.sku_no[i]):03d}"

    def order(self, i: int) -> Order:
        kind = ARCHETYPES[self.kind_ix[i]]
        return _order(
            self.order_id(i),
            kind,
            self.countries[self.country_ix[i]],
            self.noise[i],
            created_at=self.start + timedelta(seconds=float(self.offset_s[i])),
            express=bool(self.express[i]),
            sku=self.sku(i),
            postcode=US_POSTCODES[i % len(US_POSTCODES)],
            marketplace=MARKETPLACES[self.marketplace_ix[i]],
        )

    def postcode(self, i: int) -> str | None:
        """US orders carry one of `US_POSTCODES` (slot i mod 8); others carry none."""
        return (
            US_POSTCODES[i % len(US_POSTCODES)]
            if self.countries[self.country_ix[i]] == "US"
            else None
        )

    @cached_property
    def _unrounded_weight_kg(self) -> np.ndarray:
        median, sigma = self._kind_column(lambda a: a.weight_kg)
        weight: np.ndarray = np.maximum(0.03, median * np.exp(sigma * self.noise[:, 1]))
        return weight

    @cached_property
    def weight_kg(self) -> np.ndarray:
        return np.array([round(float(w), 3) for w in self._unrounded_weight_kg])

    @cached_property
    def value_usd(self) -> np.ndarray:
        median, sigma = self._kind_column(lambda a: a.value_usd)
        raw = median * np.exp(sigma * self.noise[:, 0])
        return np.array([round(float(v), 2) for v in raw])

    @cached_property
    def box_cm(self) -> np.ndarray:
        """(n, 3) box sides as `order(i)` has them (not sorted)."""
        median, _ = self._kind_column(lambda a: a.weight_kg)
        scale = (self._unrounded_weight_kg / median) ** (1 / 3)
        sides = np.array([a.box_cm for a in ARCHETYPES])[self.kind_ix]
        grown = sides * scale[:, None] * np.exp(0.1 * self.noise[:, 2])[:, None]
        rounded = np.array([round(float(side), 1) for side in grown.ravel()])
        sides_cm: np.ndarray = np.maximum(2.0, rounded).reshape(grown.shape)
        return sides_cm

    @cached_property
    def urgent(self) -> np.ndarray:
        premium = ARCHETYPES_BY_NAME["premium-electronics"]
        is_premium = self.kind_ix == ARCHETYPES.index(premium)
        urgent: np.ndarray = self.express | (is_premium & (self.noise[:, 2] > 0.5))
        return urgent

    @cached_property
    def promised_days(self) -> np.ndarray:
        return np.where(self.urgent, URGENT_PROMISE_DAYS, STANDARD_PROMISE_DAYS)

    def _kind_column(
        self, pick: Callable[[Archetype], tuple[float, float]]
    ) -> tuple[np.ndarray, np.ndarray]:
        pairs = np.array([pick(a) for a in ARCHETYPES], dtype=float)[self.kind_ix]
        return pairs[:, 0], pairs[:, 1]


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
        promised_days=URGENT_PROMISE_DAYS if urgent else STANDARD_PROMISE_DAYS,
        marketplace=marketplace,
    )
