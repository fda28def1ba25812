"""Can this channel carry this order? Every refusal comes with a sentence a seller can read.

Two kinds of refusal:
- fit: the order and the channel do not match — no lane to the destination (country, or the
  postcode ranges of a zoned lane), weight / longest side / length + girth / sum of sides over
  the limit, declared value over the limit, a goods class the channel refuses, an overseas
  warehouse that does not stock every SKU, or no rate tier for the chargeable weight (pricing);
- availability: the channel fits but cannot take the order now — marked failed on the lane by
  switching, its daily capacity is used up, or its warehouse has fewer units left of a SKU
  than the order takes (earlier orders of the run drew them down).
"""

from __future__ import annotations

from collections.abc import Mapping

from tradelane.domain.catalog import Channel, Lane
from tradelane.selection.conditions import (
    ChannelState,
    FxTable,
    NetworkConditions,
    stock_shortfalls,
)
from tradelane.selection.facts import ParcelFacts

__all__ = ["availability_refusals", "fit_refusals", "lane_refusal", "value_limit"]


def lane_refusal(facts: ParcelFacts, channel: Channel) -> str:
    """Why `channel.lane_for` found no lane for the order's destination."""
    if any(lane.country == facts.country for lane in channel.lanes):
        return f"postcode {facts.postcode or '(none)'} is outside its lanes to {facts.country}"
    return f"no lane to {facts.country}"


def value_limit(channel: Channel, fx: FxTable) -> float | None:
    """The declared-value limit in the settlement currency (None: no limit)."""
    limit = channel.limits.max_declared_value
    return None if limit is None else fx.to_settlement(float(limit.amount), limit.currency)


def _size_refusals(facts: ParcelFacts, channel: Channel) -> list[str]:
    limits = channel.limits
    checks = (
        ("weight", facts.weight_kg, limits.max_weight_kg, "kg"),
        ("longest side", facts.longest_side_cm, limits.max_side_cm, "cm"),
        ("length + girth", facts.length_plus_girth_cm, limits.max_length_plus_girth_cm, "cm"),
        ("sum of sides", facts.sum_of_sides_cm, limits.max_sum_of_sides_cm, "cm"),
    )
    return [
        f"{name} {value:g} {unit} is over the {limit:g} {unit} limit"
        for name, value, limit, unit in checks
        if limit is not None and value > limit
    ]


def fit_refusals(
    facts: ParcelFacts,
    channel: Channel,
    lane: Lane | None,
    *,
    fx: FxTable,
    conditions: NetworkConditions,
) -> list[str]:
    """Every fit problem except pricing (which needs the lane's rate tiers); [] if none."""
    reasons = [] if lane is not None else [lane_refusal(facts, channel)]
    refused = sorted(goods.value for goods in facts.goods - channel.accepts)
    if refused:
        reasons.append(f"refuses {', '.join(refused)}")
    reasons += _size_refusals(facts, channel)
    limit = value_limit(channel, fx)
    if limit is not None and facts.value > limit:
        reasons.append(
            f"declared value {facts.value:.2f} {fx.settlement} is over its "
            f"{limit:.2f} {fx.settlement} limit"
        )
    missing = (
        [] if channel.warehouse is None else conditions.not_stocked(channel.warehouse, facts.skus)
    )
    if missing:
        reasons.append(f"warehouse {channel.warehouse} does not stock {', '.join(missing)}")
    return reasons


def availability_refusals(
    channel: Channel,
    facts: ParcelFacts,
    *,
    conditions: NetworkConditions,
    capacity_left: int | None,
    stock_left: Mapping[str, Mapping[str, int]] | None = None,
) -> list[str]:
    """Why a fitting channel cannot take the order now; [] if it can.

    `stock_left` is warehouse -> SKU -> units left right now (None: the run's starting stock,
    `conditions.inventory`)."""
    reasons = []
    if conditions.state(channel.id, facts.country) is ChannelState.FAILED:
        reasons.append(f"marked failed on {facts.country} by switching")
    if capacity_left is not None and capacity_left <= 0:
        reasons.append(f"daily capacity used up ({channel.daily_capacity:,} parcels)")
    if channel.warehouse is not None:
        held = (conditions.inventory if stock_left is None else stock_left).get(channel.warehouse)
        short = stock_shortfalls(held or {}, facts.skus, facts.units)
        if short:
            reasons.append(f"warehouse {channel.warehouse} has {'; '.join(short)}")
    return reasons
