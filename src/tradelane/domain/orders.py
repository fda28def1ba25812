"""Orders as the seller's OMS or marketplace hands them over.

An order ships as one parcel: its weight is the sum of its lines, its box is built by
stacking the lines' boxes (longest length, widest width, summed heights × quantity), its
goods classes are the union of its lines'. Values are Decimal in the order's currency.

The limits below are the store's too (store/tables.py sizes its columns from them), so an
order that validates can always be stored, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.geo import CountryCode
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.instants import Instant
from tradelane.domain.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, CurrencyCode, Money
from tradelane.domain.units import Dimensions, WeightKg
from tradelane.domain.values import PlainNumber, StoredText

__all__ = [
    "CITY_MAX",
    "HS_CODE_MAX",
    "MARKETPLACE_MAX",
    "ORDER_ID_MAX",
    "POSTCODE_MAX",
    "SKUS_MAX",
    "SKU_MAX",
    "Address",
    "Order",
    "OrderId",
    "OrderLine",
]

ORDER_ID_MAX = 64
SKU_MAX = 64
SKUS_MAX = 2000  # an order's SKUs, space-separated, as the store keeps them for stock checks
POSTCODE_MAX = 16
CITY_MAX = 100
MARKETPLACE_MAX = 40
HS_CODE_MAX = 10
OrderId = Annotated[
    str, Field(min_length=1, max_length=ORDER_ID_MAX, pattern=r"^[A-Za-z0-9][\w.:/-]*$")
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Address(_Model):
    country: CountryCode
    postcode: Annotated[str, StoredText] | None = Field(default=None, max_length=POSTCODE_MAX)
    city: Annotated[str, StoredText] | None = Field(default=None, max_length=CITY_MAX)


class OrderLine(_Model):
    sku: Annotated[str, StoredText] = Field(min_length=1, max_length=SKU_MAX)
    quantity: Annotated[int, PlainNumber] = Field(default=1, ge=1, le=10_000)
    unit_value: Annotated[Decimal, PlainNumber] = Field(
        ge=0, max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES
    )
    unit_weight_kg: WeightKg
    dimensions: Dimensions | None = None
    hs_code: str | None = Field(default=None, pattern=rf"^\d{{6,{HS_CODE_MAX}}}$")
    goods_classes: frozenset[GoodsClass] = frozenset({GoodsClass.GENERAL})


class Order(_Model):
    order_id: OrderId
    created_at: Instant
    destination: Address
    lines: list[OrderLine] = Field(min_length=1, max_length=500)
    currency: CurrencyCode = "USD"
    urgency: Urgency = Urgency.STANDARD
    promised_days: Annotated[int, PlainNumber] = Field(default=20, ge=1, le=120)
    marketplace: Annotated[str, StoredText] = Field(default="direct", max_length=MARKETPLACE_MAX)

    @model_validator(mode="after")
    def _skus_fit_the_store(self) -> Order:
        joined = len(" ".join(self.skus))
        if joined > SKUS_MAX:
            raise ValueError(
                f"the order's SKUs take {joined} characters together, over the limit of "
                f"{SKUS_MAX}; split the order"
            )
        return self

    @property
    def declared_amount(self) -> Decimal:
        """What the lines are worth together, in the order's currency."""
        return sum((line.unit_value * line.quantity for line in self.lines), Decimal(0))

    @property
    def declared_value(self) -> Money:
        return Money(amount=self.declared_amount, currency=self.currency)

    @property
    def weight_kg(self) -> float:
        return round(sum(line.unit_weight_kg * line.quantity for line in self.lines), 6)

    @property
    def parcel_sides_cm(self) -> tuple[float, float, float] | None:
        """The parcel's (length, width, height): the lines' boxes stacked; None without any."""
        sides = [
            (line.dimensions.sorted_sides_cm, line.quantity)
            for line in self.lines
            if line.dimensions
        ]
        if not sides:
            return None
        return (
            max(s[0] for s, _ in sides),
            max(s[1] for s, _ in sides),
            sum(s[2] * qty for s, qty in sides),
        )

    @property
    def parcel(self) -> Dimensions | None:
        sides = self.parcel_sides_cm
        if sides is None:
            return None
        length, width, height = sides
        return Dimensions(length_cm=length, width_cm=width, height_cm=height)

    @property
    def goods_classes(self) -> frozenset[GoodsClass]:
        return frozenset().union(*(line.goods_classes for line in self.lines))

    @property
    def skus(self) -> list[str]:
        return [line.sku for line in self.lines]

    @property
    def promised_by(self) -> date:
        return (self.created_at + timedelta(days=self.promised_days)).date()

    def age_at(self, now: datetime) -> timedelta:
        return now - self.created_at
