"""Goods classes that channels accept or refuse (DOMAIN.md §2), and order urgency."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["GoodsClass", "Urgency"]


class GoodsClass(StrEnum):
    """Restricted-goods classes. IATA references from DOMAIN.md §2."""

    GENERAL = "general"
    BATTERY_IN_EQUIPMENT = "battery_in_equipment"  # UN3481 contained in, PI 967
    BATTERY_PACKED_WITH = "battery_packed_with"  # UN3481 packed with, PI 966
    BATTERY_ALONE = "battery_alone"  # UN3480 / UN3090, PI 965/968: cargo aircraft only
    LIQUID = "liquid"
    POWDER = "powder"
    MAGNETIC = "magnetic"  # IATA PI 953
    COSMETICS = "cosmetics"  # perfume often UN1266 flammable
    FOOD = "food"


class Urgency(StrEnum):
    STANDARD = "standard"
    EXPRESS = "express"
