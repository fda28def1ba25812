"""Weights, dimensions and the chargeable-weight rule.

Chargeable weight = max(actual kg, L×W×H cm³ / divisor), rounded up to the card's increment.
Divisor defaults come from DOMAIN.md §1.1 (DHL/FedEx 5000 cm³/kg; IATA 6000).
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.values import PlainNumber

__all__ = [
    "MIN_WEIGHT_KG",
    "Dimensions",
    "SideCm",
    "WeightKg",
    "chargeable_weight_kg",
    "round_up_to_increment",
]

MIN_WEIGHT_KG = 0.001  # one gram: weights are stored to the gram; lighter is a typing mistake
WeightKg = Annotated[float, PlainNumber, Field(ge=MIN_WEIGHT_KG, le=10_000, allow_inf_nan=False)]
SideCm = Annotated[float, PlainNumber, Field(gt=0, allow_inf_nan=False)]


class Dimensions(BaseModel):
    """Box dimensions in centimetres; `length_cm` is the longest side after normalising."""

    model_config = ConfigDict(frozen=True)

    length_cm: SideCm
    width_cm: SideCm
    height_cm: SideCm

    @property
    def sorted_sides_cm(self) -> tuple[float, float, float]:
        a, b, c = sorted((self.length_cm, self.width_cm, self.height_cm), reverse=True)
        return a, b, c

    @property
    def longest_side_cm(self) -> float:
        return self.sorted_sides_cm[0]

    @property
    def volume_cm3(self) -> float:
        return self.length_cm * self.width_cm * self.height_cm

    @property
    def length_plus_girth_cm(self) -> float:
        """Longest side + 2 × (the other two): the carriers' 'length + girth'."""
        a, b, c = self.sorted_sides_cm
        return a + 2 * (b + c)

    @property
    def sum_of_sides_cm(self) -> float:
        """L + W + H, the postal small-packet measure (DOMAIN.md §1.2: ≤ 90 cm)."""
        return self.length_cm + self.width_cm + self.height_cm


def round_up_to_increment(weight_kg: float, increment_kg: float) -> float:
    """Round up to a multiple of `increment_kg` (0 means no rounding)."""
    if increment_kg <= 0:
        return weight_kg
    steps = math.ceil(round(weight_kg / increment_kg, 9))
    return round(steps * increment_kg, 6)


def chargeable_weight_kg(
    actual_kg: float, dims: Dimensions | None, *, divisor_cm3_per_kg: float, increment_kg: float
) -> float:
    """max(actual, volumetric) rounded up; a divisor of 0 bills actual weight only."""
    volumetric = 0.0
    if dims is not None and divisor_cm3_per_kg > 0:
        volumetric = dims.volume_cm3 / divisor_cm3_per_kg
    return round_up_to_increment(max(actual_kg, volumetric), increment_kg)
