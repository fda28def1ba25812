"""Orders as the seller's OMS or marketplace hands them over.

An order ships as one parcel: its weight is the sum of its lines, its box is built by
stacking the lines' boxes (longest length, widest width, summed heights × quantity), its
goods classes are the union of its lines'. Values are Decimal in the order's currency.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tradelane.domain.geo import CountryCode
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.money import CurrencyCode, Money
from tradelane.domain.units import Dimensions

__all__ = ["Address", "Order", "OrderId", "OrderLine"]

OrderId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][\w.:/-]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Address(_Model):
    country: CountryCode
    postcode: str | None = Field(default=None, max_length=16)
    city: str | None = Field(default=None, max_length=100)


class OrderLine(_Model):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=10_000)
    unit_value: Decimal = Field(ge=0)
    unit_weight_kg: float = Field(gt=0, le=10_000)
    dimensions: Dimensions | None = None
    hs_code: str | None = Field(default=None, pattern=r"^\d{6,10}$")
    goods_classes: frozenset[GoodsClass] = frozenset({GoodsClass.GENERAL})


class Order(_Model):
    order_id: OrderId
    created_at: AwareDatetime
    destination: Address
    lines: list[OrderLine] = Field(min_length=1, max_length=500)
    currency: CurrencyCode = "USD"
    urgency: Urgency = Urgency.STANDARD
    promised_days: int = Field(default=20, ge=1, le=120)
    marketplace: str = Field(default="direct", max_length=40)

    @property
    def declared_value(self) -> Money:
        total = sum((line.unit_value * line.quantity for line in self.lines), Decimal(0))
        return Money(amount=total, currency=self.currency)

    @property
    def weight_kg(self) -> float:
        return round(sum(line.unit_weight_kg * line.quantity for line in self.lines), 6)

    @property
    def parcel(self) -> Dimensions | None:
        boxes = [(line.dimensions, line.quantity) for line in self.lines if line.dimensions]
        if not boxes:
            return None
        sides = [(box.sorted_sides_cm, qty) for box, qty in boxes]
        return Dimensions(
            length_cm=max(s[0] for s, _ in sides),
            width_cm=max(s[1] for s, _ in sides),
            height_cm=sum(s[2] * qty for s, qty in sides),
        )

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
