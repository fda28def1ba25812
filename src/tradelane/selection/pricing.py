"""What a channel charges for a parcel, in the seller's settlement currency.

    chargeable kg = max(actual, L×W×H / divisor) rounded up to the card's increment
    base          = the zone tier holding the chargeable weight:
                    first price + additional price × ceil((kg - first kg) / increment), or
                    per-kg price × kg + per-item fee
    card total    = base × (1 + fuel %) + remote-area surcharge (remote postcodes only)
    price         = card total × FX(card currency -> settlement currency)

Arithmetic is binary floating point (relative error ~1e-16, far below a cent) in an order of
operations the batch engine repeats exactly; `Money` is made from it by rounding half-up to
cents. A weight no tier holds means the channel cannot price the parcel (`None`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tradelane.domain.catalog import Channel, FirstAdditionalTier, Lane, RateTier
from tradelane.domain.money import Money
from tradelane.selection.conditions import FxTable
from tradelane.selection.facts import ParcelFacts

__all__ = [
    "STEP_TOLERANCE",
    "PriceQuote",
    "chargeable_kg",
    "fuel_factor",
    "price_parcel",
    "tier_price",
    "to_money",
]

# Quotients within this of a whole step count as that step (0.3 kg / 0.1 kg is 3 steps, not 4).
STEP_TOLERANCE = 1e-9
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class PriceQuote:
    chargeable_kg: float
    zone: str
    card_total: float  # in the rate card's currency
    card_currency: str
    remote: bool
    price: float  # in the settlement currency


def chargeable_kg(
    weight_kg: float, volume_cm3: float, divisor_cm3_per_kg: float, increment_kg: float
) -> float:
    """max(actual, volumetric) rounded up to `increment_kg`; divisor 0 bills actual weight."""
    billed = weight_kg
    if divisor_cm3_per_kg > 0:
        billed = max(billed, volume_cm3 / divisor_cm3_per_kg)
    if increment_kg > 0:
        billed = math.ceil(billed / increment_kg - STEP_TOLERANCE) * increment_kg
    return billed


def tier_price(tier: RateTier, kg: float) -> float:
    """The tier's base price for `kg` chargeable kilograms (card currency)."""
    if isinstance(tier, FirstAdditionalTier):
        extra = max(0.0, kg - tier.first_weight_kg)
        steps = math.ceil(extra / tier.additional_increment_kg - STEP_TOLERANCE)
        return float(tier.first_price) + float(tier.additional_price) * steps
    return float(tier.per_kg_price) * kg + float(tier.per_item_fee)


def fuel_factor(channel: Channel) -> float:
    return 1.0 + float(channel.rate_card.fuel_surcharge_pct) / 100.0


def price_parcel(
    facts: ParcelFacts, channel: Channel, lane: Lane, fx: FxTable
) -> PriceQuote | None:
    """The channel's price for this parcel on `lane`; None when no tier holds its weight."""
    card = channel.rate_card
    kg = chargeable_kg(
        facts.weight_kg,
        facts.volume_cm3,
        card.volumetric_divisor_cm3_per_kg,
        card.rounding_increment_kg,
    )
    tier = card.tier_for(lane.zone, kg)
    if tier is None:
        return None
    remote = lane.is_remote(facts.postcode)
    surcharge = float(card.remote_area_surcharge) if remote else 0.0
    card_total = tier_price(tier, kg) * fuel_factor(channel) + surcharge
    return PriceQuote(
        chargeable_kg=kg,
        zone=lane.zone,
        card_total=card_total,
        card_currency=card.currency,
        remote=remote,
        price=card_total * fx.ratio(card.currency),
    )


def to_money(amount: float, currency: str) -> Money:
    """A float amount as Money, rounded half-up to cents."""
    return Money(amount=Decimal(amount).quantize(CENT, ROUND_HALF_UP), currency=currency)
