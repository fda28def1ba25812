"""Products: what the seller ships per SKU, for order sources that carry no weights or
sizes (marketplace exports). An order line takes its weight, box, goods classes and HS code
from its SKU's product."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.goods import GoodsClass
from tradelane.domain.units import Dimensions

__all__ = ["Product"]


class Product(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    weight_kg: float = Field(gt=0, le=10_000)
    dimensions: Dimensions | None = None
    goods_classes: frozenset[GoodsClass] = frozenset({GoodsClass.GENERAL})
    hs_code: str | None = Field(default=None, pattern=r"^\d{6,10}$")
