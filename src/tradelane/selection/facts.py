"""The numbers selection needs from an order, computed once and shared by both engines.

An order becomes `ParcelFacts`: its parcel's measures (0 when the order has no box), its
declared value in the settlement currency and the day it was created (UTC). The scalar engine
reads facts one by one; the batch engine reads the same values as columns (`OrderBatch`), so
both compare exactly the same floating-point numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Order
from tradelane.domain.units import Dimensions
from tradelane.selection.conditions import FxTable

__all__ = ["GOODS_BITS", "ParcelFacts", "facts_of", "goods_mask", "parcel_measures", "sku_units"]

GOODS_BITS = {goods: 1 << bit for bit, goods in enumerate(GoodsClass)}


def goods_mask(goods: frozenset[GoodsClass]) -> int:
    """One bit per goods class (GOODS_BITS)."""
    mask = 0
    for item in goods:
        mask |= GOODS_BITS[item]
    return mask


@dataclass(frozen=True, slots=True)
class ParcelFacts:
    order_id: str
    created_at: datetime
    country: str
    postcode: str | None
    weight_kg: float
    volume_cm3: float  # L×W×H, 0 when the order gives no box
    longest_side_cm: float
    length_plus_girth_cm: float
    sum_of_sides_cm: float
    declared_value: Decimal  # in `currency`
    currency: str
    value: float  # declared value in the settlement currency
    goods: frozenset[GoodsClass]
    urgency: Urgency
    promised_days: int
    skus: tuple[str, ...]  # distinct, in first-seen line order
    units: tuple[int, ...]  # units of each of `skus` the order takes (stock is counted in units)

    @property
    def day(self) -> date:
        """The order's creation date in UTC (peak windows are matched on it)."""
        return self.created_at.astimezone(UTC).date()

    @property
    def urgent(self) -> bool:
        return self.urgency is Urgency.EXPRESS


def parcel_measures(dims: Dimensions | None) -> tuple[float, float, float, float]:
    """(volume cm³, longest side, length + girth, sum of sides); zeros without a box."""
    if dims is None:
        return 0.0, 0.0, 0.0, 0.0
    return dims.volume_cm3, dims.longest_side_cm, dims.length_plus_girth_cm, dims.sum_of_sides_cm


def facts_of(order: Order, fx: FxTable) -> ParcelFacts:
    """Facts of one order; ValidationError when its currency is not in the FX table."""
    volume, longest, girth, sides = parcel_measures(order.parcel)
    skus, units = sku_units((line.sku, line.quantity) for line in order.lines)
    declared = order.declared_value.amount
    return ParcelFacts(
        order_id=order.order_id,
        created_at=order.created_at,
        country=order.destination.country,
        postcode=order.destination.postcode,
        weight_kg=order.weight_kg,
        volume_cm3=volume,
        longest_side_cm=longest,
        length_plus_girth_cm=girth,
        sum_of_sides_cm=sides,
        declared_value=declared,
        currency=order.currency,
        value=fx.to_settlement(float(declared), order.currency),
        goods=order.goods_classes,
        urgency=order.urgency,
        promised_days=order.promised_days,
        skus=skus,
        units=units,
    )


def sku_units(lines: Iterable[tuple[str, int]]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """`skus` and `units` of ParcelFacts from (sku, quantity) lines; repeated SKUs add up."""
    units: dict[str, int] = {}
    for sku, quantity in lines:
        units[sku] = units.get(sku, 0) + quantity
    return tuple(units), tuple(units.values())
