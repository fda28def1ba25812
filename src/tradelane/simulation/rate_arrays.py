"""One channel's eligibility and price over arrays of generated orders.

Mirrors `routing.quote` rule for rule (lane, goods, stock, limits, chargeable weight, tier,
surcharges) in float64; prices agree with the Decimal reference to the cent.
"""

from __future__ import annotations

import numpy as np

from tradelane.domain.catalog import Channel, FirstAdditionalTier, Lane, Mode, RateTier
from tradelane.selection.eta import lognormal_quantile
from tradelane.simulation.order_stream import ARCHETYPES, US_POSTCODES, OrderColumns

__all__ = ["ON_TIME_CONFIDENCE", "ChannelArrays", "confident_days"]

SKU_NUMBERS = 40  # order_stream draws SKU numbers 1..39
ON_TIME_CONFIDENCE = 0.8  # what a seller accepts for its promise: estimate
Z_CONFIDENCE = 0.8416212335729143  # standard normal quantile at ON_TIME_CONFIDENCE


def confident_days(lane: Lane) -> float:
    """Transit days the lane meets with ON_TIME_CONFIDENCE (lognormal through p50 and p90)."""
    return float(lognormal_quantile(lane.transit.p50_days, lane.transit.p90_days, Z_CONFIDENCE))


def _round_up(weight_kg: np.ndarray, increment_kg: float) -> np.ndarray:
    if increment_kg <= 0:
        return weight_kg
    steps = np.ceil(np.round(weight_kg / increment_kg, 9))
    return np.round(steps * increment_kg, 6)


class ChannelArrays:
    def __init__(self, channel: Channel, stock: frozenset[str]) -> None:
        self.channel = channel
        self.accepts_kind = np.array([frozenset(a.goods) <= channel.accepts for a in ARCHETYPES])
        self.stocked = np.ones((len(ARCHETYPES), SKU_NUMBERS), dtype=bool)
        if channel.mode == Mode.OVERSEAS_WAREHOUSE:
            self.stocked[:] = False
            for k, kind in enumerate(ARCHETYPES):
                for number in range(SKU_NUMBERS):
                    self.stocked[k, number] = f"{kind.name}-{number:03d}" in stock
        self._lanes: dict[tuple[str, ...], list[Lane | None]] = {}

    def lanes_for(self, countries: tuple[str, ...]) -> list[Lane | None]:
        """Lane per (country, postcode slot): slots 0..7 are US_POSTCODES, slot 8 is none."""
        if countries not in self._lanes:
            postcodes: list[str | None] = [*US_POSTCODES, None]
            self._lanes[countries] = [
                self.channel.lane_for(country, postcode)
                for country in countries
                for postcode in postcodes
            ]
        return self._lanes[countries]

    def quote_cents(
        self, columns: OrderColumns, start: int, stop: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Price in cents (NaN: not eligible) and whether the median transit meets the promise."""
        rows = slice(start, stop)
        n, slots = stop - start, len(US_POSTCODES) + 1
        is_us = np.array([c == "US" for c in columns.countries])[columns.country_ix[rows]]
        slot = np.where(is_us, np.arange(start, stop) % len(US_POSTCODES), slots - 1)
        key = columns.country_ix[rows] * slots + slot
        lanes = self.lanes_for(columns.countries)
        cents, meets = np.full(n, np.nan), np.zeros(n, dtype=bool)
        sides = -np.sort(-columns.box_cm[rows], axis=1)
        ok = self._admits(columns, rows, sides)
        for lane_key in np.unique(key[ok]):
            lane = lanes[lane_key]
            if lane is None:
                continue
            member = ok & (key == lane_key)
            postcode = US_POSTCODES[lane_key % slots] if lane_key % slots < slots - 1 else None
            cents[member] = self._price(
                lane, columns.weight_kg[rows][member], sides[member], lane.is_remote(postcode)
            )
            meets[member] = confident_days(lane) <= columns.promised_days[rows][member]
        return cents, meets

    def _admits(self, columns: OrderColumns, rows: slice, sides: np.ndarray) -> np.ndarray:
        limits = self.channel.limits
        kind, weight = columns.kind_ix[rows], columns.weight_kg[rows]
        ok: np.ndarray = self.accepts_kind[kind] & self.stocked[kind, columns.sku_no[rows]]
        ok &= weight <= limits.max_weight_kg
        if limits.max_declared_value is not None:
            ok &= columns.value_usd[rows] <= float(limits.max_declared_value.amount)
        length, width, height = sides[:, 0], sides[:, 1], sides[:, 2]
        for cap, size in (
            (limits.max_side_cm, length),
            (limits.max_length_plus_girth_cm, length + 2 * (width + height)),
            (limits.max_sum_of_sides_cm, length + width + height),
        ):
            if cap is not None:
                ok &= size <= cap
        return ok

    def _price(
        self, lane: Lane, weight_kg: np.ndarray, sides: np.ndarray, remote: bool
    ) -> np.ndarray:
        card = self.channel.rate_card
        chargeable = weight_kg.copy()
        if card.volumetric_divisor_cm3_per_kg > 0:
            volume = sides[:, 0] * sides[:, 1] * sides[:, 2]
            chargeable = np.maximum(chargeable, volume / card.volumetric_divisor_cm3_per_kg)
        chargeable = _round_up(chargeable, card.rounding_increment_kg)
        base = np.full(len(chargeable), np.nan)
        for tier in card.zones[lane.zone]:
            inside = ((tier.from_kg < chargeable) & (chargeable <= tier.to_kg)) | (
                (chargeable == tier.from_kg) & (tier.from_kg == 0)
            )
            inside &= np.isnan(base)
            base[inside] = _tier_price(tier, chargeable[inside])
        price = base * (1 + float(card.fuel_surcharge_pct) / 100)
        if remote:
            price = price + float(card.remote_area_surcharge)
        return np.floor(price * 100 + 0.5 + 1e-9)


def _tier_price(tier: RateTier, chargeable_kg: np.ndarray) -> np.ndarray:
    if isinstance(tier, FirstAdditionalTier):
        extra = np.maximum(0.0, chargeable_kg - tier.first_weight_kg)
        steps = np.ceil(np.round(extra / tier.additional_increment_kg, 9))
        return float(tier.first_price) + float(tier.additional_price) * steps
    return float(tier.per_kg_price) * chargeable_kg + float(tier.per_item_fee)
