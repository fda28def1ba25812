"""The seller's selection policy: how price, delay risk and the strategy's rules are weighed.

Every channel that can carry an order gets a score in money (lower is better):

    score = cost_weight × price
          + (1 - on-time probability) × (miss_cost + miss_cost_value_pct % × declared value)
          + late_cost_per_day × expected late days
          + state_penalty[channel state on the lane]
          - strategy bonus (the largest bonus of the rules that match the order and prefer
            the channel's mode)

The default rules encode the strategy (DESIGN.md "Defaults that come from the strategy"):
high-value or time-sensitive goods -> express; medium/large goods -> dedicated lines; small,
light, not urgent goods -> postal; SKU stocked in an overseas warehouse that serves the buyer ->
local last mile; Southeast Asia / Latin America -> regional hub. The thresholds and bonus
amounts are illustrative estimates, not sourced figures: tune them to your margins.
Money amounts are in `currency` and converted to the settlement currency before use.

Promise keeping (promise.py applies it in both engines): an order matching any of
`floor_applies_to` (default: express orders and promises of 7 days or less) goes to the best
scored channel whose on-time probability is at least `on_time_floor`; only when no available
channel reaches the floor does it take the best one below it, and the explanation says so.
The default floor of 70 % is an estimate: published on-time figures are 90-97 % for US
domestic parcel carriers in peak weeks (ShipMatrix 2020-2025, DOMAIN.md section 6), per-channel
figures for China-origin lanes are unverified, so the floor sits below the domestic figures.
`cost_ceiling_value_pct` refuses channels whose price exceeds that share of the declared value
(never below `cost_ceiling_min`); it is off by default. `share_caps` bound the share of a
lane's (destination country's) orders in one batch that one channel or one carrier may take
(caps.py); their defaults are estimates for risk diversification, not sourced figures.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.catalog import Mode
from tradelane.domain.geo import Market
from tradelane.domain.goods import Urgency
from tradelane.domain.money import CurrencyCode
from tradelane.selection.conditions import ChannelState, FxTable

__all__ = [
    "DEFAULT_FLOOR_APPLIES_TO",
    "DEFAULT_RULES",
    "DiversificationWeights",
    "Policy",
    "RuleCondition",
    "ShareCaps",
    "StrategyRule",
]

Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleCondition(_Model):
    """All given bounds must hold (inclusive). Side bounds read 0 for an order without a box."""

    min_value: Amount | None = None
    max_value: Amount | None = None
    min_weight_kg: Amount | None = None
    max_weight_kg: Amount | None = None
    min_longest_side_cm: Amount | None = None
    max_longest_side_cm: Amount | None = None
    urgency: Urgency | None = None
    max_promised_days: int | None = Field(default=None, ge=1)
    markets: frozenset[Market] | None = None

    def scaled(self, factor: float) -> RuleCondition:
        """The same condition with its money bounds multiplied by `factor`."""
        return self.model_copy(
            update={
                "min_value": None if self.min_value is None else self.min_value * factor,
                "max_value": None if self.max_value is None else self.max_value * factor,
            }
        )


class StrategyRule(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    description: str = Field(min_length=3, max_length=120)  # shown in explanations
    prefer: frozenset[Mode] = Field(min_length=1)
    bonus: Amount
    when: RuleCondition = RuleCondition()


class DiversificationWeights(_Model):
    """Money-equivalent value of a backup not sharing one of the primary's failure modes."""

    other_carrier: Amount = 60.0
    other_mode: Amount = 20.0
    other_air_type: Amount = 15.0
    other_clearance_port: Amount = 10.0


DEDICATED = frozenset(
    {Mode.DEDICATED_AIR, Mode.DEDICATED_RAIL, Mode.DEDICATED_SEA, Mode.DEDICATED_TRUCK}
)
EXPRESS = frozenset({Mode.EXPRESS})

DEFAULT_RULES = (
    StrategyRule(
        name="local_stock",
        description="SKU stocked in an overseas warehouse serving the buyer -> local last mile",
        prefer=frozenset({Mode.OVERSEAS_WAREHOUSE}),
        bonus=120,
    ),
    StrategyRule(
        name="high_value",
        description="high value -> express",
        prefer=EXPRESS,
        bonus=100,
        when=RuleCondition(min_value=150),
    ),
    StrategyRule(
        name="time_sensitive",
        description="time-sensitive (express order) -> express",
        prefer=EXPRESS,
        bonus=100,
        when=RuleCondition(urgency=Urgency.EXPRESS),
    ),
    StrategyRule(
        name="short_promise",
        description="promise of 7 days or less -> express",
        prefer=EXPRESS,
        bonus=100,
        when=RuleCondition(max_promised_days=7),
    ),
    StrategyRule(
        name="regional_hub",
        description="Southeast Asia / Latin America -> regional hub",
        prefer=frozenset({Mode.REGIONAL_HUB}),
        bonus=60,
        when=RuleCondition(markets=frozenset({Market.SOUTHEAST_ASIA, Market.LATIN_AMERICA})),
    ),
    StrategyRule(
        name="medium_heavy",
        description="medium/large goods (2 kg or more) -> dedicated line",
        prefer=DEDICATED,
        bonus=50,
        when=RuleCondition(min_weight_kg=2),
    ),
    StrategyRule(
        name="large_box",
        description="large box (longest side 45 cm or more) -> dedicated line",
        prefer=DEDICATED,
        bonus=50,
        when=RuleCondition(min_longest_side_cm=45),
    ),
    StrategyRule(
        name="small_light",
        description="small, light, not urgent -> postal",
        prefer=frozenset({Mode.POSTAL}),
        bonus=30,
        when=RuleCondition(max_weight_kg=0.5, max_longest_side_cm=40, urgency=Urgency.STANDARD),
    ),
)


DEFAULT_FLOOR_APPLIES_TO = (
    RuleCondition(urgency=Urgency.EXPRESS),
    RuleCondition(max_promised_days=7),
)

Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class ShareCaps(_Model):
    """Largest share of a lane's orders in one batch per channel and per carrier (None: no cap).

    A cap of share s lets a channel (or all channels of a carrier together) take at most
    ceil(s x N) of the N orders the batch sends to the lane; lanes with fewer than
    `min_lane_orders` orders in the batch are not capped (too few to diversify)."""

    channel: Share | None = 0.6
    carrier: Share | None = 0.8
    min_lane_orders: int = Field(default=20, ge=1)


class Policy(_Model):
    version: str = Field(default="default-2026.1", min_length=1, max_length=40)
    currency: CurrencyCode = "USD"
    cost_weight: Amount = 1.0
    miss_cost: Amount = 5.0
    miss_cost_value_pct: Amount = 20.0
    late_cost_per_day: Amount = 1.0
    state_penalty: dict[ChannelState, Amount] = Field(
        default_factory=lambda: {ChannelState.DEGRADED: 15.0, ChannelState.RECOVERING: 5.0}
    )
    backups: int = Field(default=2, ge=0, le=5)
    diversification: DiversificationWeights = DiversificationWeights()
    rules: tuple[StrategyRule, ...] = DEFAULT_RULES
    on_time_floor: float = Field(default=0.7, ge=0, le=1, allow_inf_nan=False)
    floor_applies_to: tuple[RuleCondition, ...] = DEFAULT_FLOOR_APPLIES_TO
    cost_ceiling_value_pct: Amount | None = None
    cost_ceiling_min: Amount = 0.0
    share_caps: ShareCaps = ShareCaps()

    def penalty(self, state: ChannelState) -> float:
        return self.state_penalty.get(state, 0.0)

    def in_settlement(self, fx: FxTable) -> Policy:
        """This policy with every money amount converted to `fx.settlement`."""
        factor = fx.ratio(self.currency)
        weights = self.diversification
        return self.model_copy(
            update={
                "currency": fx.settlement,
                "miss_cost": self.miss_cost * factor,
                "late_cost_per_day": self.late_cost_per_day * factor,
                "cost_ceiling_min": self.cost_ceiling_min * factor,
                "floor_applies_to": tuple(c.scaled(factor) for c in self.floor_applies_to),
                "state_penalty": {s: v * factor for s, v in self.state_penalty.items()},
                "diversification": DiversificationWeights(
                    other_carrier=weights.other_carrier * factor,
                    other_mode=weights.other_mode * factor,
                    other_air_type=weights.other_air_type * factor,
                    other_clearance_port=weights.other_clearance_port * factor,
                ),
                "rules": tuple(
                    r.model_copy(update={"bonus": r.bonus * factor, "when": r.when.scaled(factor)})
                    for r in self.rules
                ),
            }
        )
