"""The channel catalogue: channels, their lanes, rate cards and transit profiles.

Invariants enforced on construction (pydantic; unknown keys refused):
- limits, capacities, divisors, prices and transit days are not negative; p90 >= p50;
- weight tiers of one zone do not overlap ((from_kg, to_kg] intervals);
- every lane names a zone its channel's rate card prices;
- channel ids are unique in a catalogue.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tradelane.domain.errors import NotFound
from tradelane.domain.geo import CountryCode
from tradelane.domain.goods import GoodsClass
from tradelane.domain.money import CurrencyCode, Money

__all__ = [
    "AirType",
    "Catalogue",
    "Channel",
    "CustomsModel",
    "FirstAdditionalTier",
    "Lane",
    "LaneKey",
    "Limits",
    "Mode",
    "PerKgTier",
    "PostcodeRange",
    "RateCard",
    "RateTier",
    "TransitProfile",
]

NonNegDecimal = Annotated[Decimal, Field(ge=0)]
ChannelId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
LaneKey = tuple[str, str]  # (channel_id, destination country ISO alpha-2)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mode(StrEnum):
    EXPRESS = "express"
    DEDICATED_TRUCK = "dedicated_truck"
    DEDICATED_RAIL = "dedicated_rail"
    DEDICATED_SEA = "dedicated_sea"
    DEDICATED_AIR = "dedicated_air"
    POSTAL = "postal"
    OVERSEAS_WAREHOUSE = "overseas_warehouse"
    REGIONAL_HUB = "regional_hub"


class AirType(StrEnum):
    """How the line-haul flies: a backup should not share the primary's air type."""

    PASSENGER_BELLY = "passenger_belly"
    FREIGHTER = "freighter"
    NONE = "none"  # surface line-haul or domestic last mile


class CustomsModel(StrEnum):
    DDP = "DDP"  # duties & taxes paid by shipper (DHL: DTP)
    DDU = "DDU"  # legacy name of DAP: consignee pays (DHL: DTU)


class Limits(_Model):
    max_weight_kg: float = Field(gt=0)
    max_side_cm: float | None = Field(default=None, gt=0)
    max_length_plus_girth_cm: float | None = Field(default=None, gt=0)
    max_sum_of_sides_cm: float | None = Field(default=None, gt=0)
    max_declared_value: Money | None = None

    @field_validator("max_declared_value")
    @classmethod
    def _positive_value(cls, value: Money | None) -> Money | None:
        if value is not None and value.amount <= 0:
            raise ValueError("max_declared_value must be positive")
        return value


class FirstAdditionalTier(_Model):
    """Price = first_price for the first `first_weight_kg`, then additional_price per increment."""

    style: Literal["first_additional"] = "first_additional"
    from_kg: float = Field(ge=0)
    to_kg: float = Field(gt=0)
    first_weight_kg: float = Field(gt=0)
    first_price: NonNegDecimal
    additional_increment_kg: float = Field(gt=0)
    additional_price: NonNegDecimal

    def base_price(self, chargeable_kg: float) -> Decimal:
        extra_kg = max(0.0, chargeable_kg - self.first_weight_kg)
        steps = -(-round(extra_kg / self.additional_increment_kg, 9) // 1)
        return self.first_price + self.additional_price * Decimal(int(steps))


class PerKgTier(_Model):
    """Price = per_kg_price × chargeable kg + per_item_fee (the postal/dedicated-line style)."""

    style: Literal["per_kg"] = "per_kg"
    from_kg: float = Field(ge=0)
    to_kg: float = Field(gt=0)
    per_kg_price: NonNegDecimal
    per_item_fee: NonNegDecimal = Decimal(0)

    def base_price(self, chargeable_kg: float) -> Decimal:
        return self.per_kg_price * Decimal(str(chargeable_kg)) + self.per_item_fee


RateTier = Annotated[FirstAdditionalTier | PerKgTier, Field(discriminator="style")]


def _check_tiers(zone: str, tiers: list[RateTier]) -> None:
    ordered = sorted(tiers, key=lambda t: t.from_kg)
    for tier in ordered:
        if tier.to_kg <= tier.from_kg:
            raise ValueError(f"zone {zone!r}: tier to_kg {tier.to_kg} <= from_kg {tier.from_kg}")
    for before, after in itertools.pairwise(ordered):
        if after.from_kg < before.to_kg:
            raise ValueError(
                f"zone {zone!r}: tiers overlap: ({before.from_kg}, {before.to_kg}] and "
                f"({after.from_kg}, {after.to_kg}]"
            )


class RateCard(_Model):
    currency: CurrencyCode
    volumetric_divisor_cm3_per_kg: float = Field(ge=0)  # 0 = bills actual weight only
    rounding_increment_kg: float = Field(ge=0)
    fuel_surcharge_pct: NonNegDecimal = Decimal(0)
    remote_area_surcharge: NonNegDecimal = Decimal(0)
    zones: dict[str, list[RateTier]] = Field(min_length=1)

    @model_validator(mode="after")
    def _tiers_do_not_overlap(self) -> RateCard:
        for zone, tiers in self.zones.items():
            if not tiers:
                raise ValueError(f"zone {zone!r} has no weight tiers")
            _check_tiers(zone, tiers)
        return self

    def tier_for(self, zone: str, chargeable_kg: float) -> RateTier | None:
        """The tier whose (from_kg, to_kg] holds the weight; the first tier includes from_kg."""
        for tier in self.zones.get(zone, []):
            if tier.from_kg < chargeable_kg <= tier.to_kg or chargeable_kg == tier.from_kg == 0:
                return tier
        return None


class TransitProfile(_Model):
    """Door-to-door transit days on a lane: median and 90th percentile, plus peak uplift."""

    p50_days: float = Field(gt=0)
    p90_days: float = Field(gt=0)
    peak_uplift_pct: float = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _p90_not_below_p50(self) -> TransitProfile:
        if self.p90_days < self.p50_days:
            raise ValueError(f"p90_days {self.p90_days} is below p50_days {self.p50_days}")
        return self


class PostcodeRange(_Model):
    """Inclusive range compared on the postcode's leading characters: '90000'-'96199'."""

    low: str = Field(min_length=1)
    high: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> PostcodeRange:
        if len(self.low) != len(self.high) or self.low > self.high:
            raise ValueError(f"postcode range {self.low}-{self.high} is not ordered/same length")
        return self

    def covers(self, postcode: str) -> bool:
        head = postcode.replace(" ", "").upper()[: len(self.low)]
        return len(head) == len(self.low) and self.low <= head <= self.high


class Lane(_Model):
    country: CountryCode
    zone: str
    transit: TransitProfile
    postcodes: list[PostcodeRange] = Field(default_factory=list)  # empty: whole country
    remote_postcodes: list[PostcodeRange] = Field(default_factory=list)
    clearance_port: str | None = None

    def covers(self, country: str, postcode: str | None) -> bool:
        if country != self.country:
            return False
        if not self.postcodes:
            return True
        return postcode is not None and any(r.covers(postcode) for r in self.postcodes)

    def is_remote(self, postcode: str | None) -> bool:
        return postcode is not None and any(r.covers(postcode) for r in self.remote_postcodes)


class Channel(_Model):
    id: ChannelId
    name: str
    carrier: str
    service: str
    mode: Mode
    origin: CountryCode
    warehouse: str | None = None  # overseas warehouse code; channel ships only stocked SKUs
    air_type: AirType = AirType.NONE
    customs_model: CustomsModel = CustomsModel.DDU
    clearance_ports: list[str] = Field(default_factory=list)
    accepts: frozenset[GoodsClass] = frozenset({GoodsClass.GENERAL})
    limits: Limits
    daily_capacity: int = Field(gt=0)
    cutoff_local: str = Field(default="17:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    tracking_format: str | None = None  # name of the tracking parser for this carrier
    rate_card: RateCard
    lanes: list[Lane] = Field(min_length=1)

    @model_validator(mode="after")
    def _lanes_priced(self) -> Channel:
        for index, lane in enumerate(self.lanes):
            if lane.zone not in self.rate_card.zones:
                raise ValueError(
                    f"lanes[{index}] ({lane.country}) names zone {lane.zone!r}, which the rate "
                    f"card does not price (zones: {sorted(self.rate_card.zones)})"
                )
        return self

    def lane_for(self, country: str, postcode: str | None = None) -> Lane | None:
        return next((lane for lane in self.lanes if lane.covers(country, postcode)), None)


class Catalogue(_Model):
    name: str
    description: str = ""
    channels: list[Channel] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        seen: set[str] = set()
        for channel in self.channels:
            if channel.id in seen:
                raise ValueError(f"duplicate channel id {channel.id!r}")
            seen.add(channel.id)
        return self

    def channel(self, channel_id: str) -> Channel:
        for channel in self.channels:
            if channel.id == channel_id:
                return channel
        raise NotFound("channel", channel_id)

    @property
    def channel_ids(self) -> list[str]:
        return [c.id for c in self.channels]
