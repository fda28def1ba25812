"""Vectorized fit, price, ETA and score of every channel for a chunk of orders.

Mirrors eligibility.py, pricing.py, eta.py, scoring.py and promise.py operation for operation (same
comparisons, same order of floating-point operations), so a score here equals the scalar
engine's score bit for bit. Rows of a chunk are permuted so destination groups are contiguous;
inside a group each channel has one lane, so every channel is a few array operations on a slice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.catalog import FirstAdditionalTier, RateTier
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.selection.network import MARKETS, MODES, Group, Network
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.policy import Policy, RuleCondition
from tradelane.selection.pricing import STEP_TOLERANCE

__all__ = [
    "Block",
    "BlockColumns",
    "block_columns",
    "peak_days",
    "score_block",
    "stocked_columns",
]

INF = float("inf")
UNIX_DAY = 719_163  # date(1970, 1, 1).toordinal()
ALL_GOODS = (1 << len(GoodsClass)) - 1
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


@dataclass(eq=False)
class BlockColumns:
    """The facts of a block's orders (all of one destination group), one array each."""

    rows: NDArray[np.int64]  # batch rows, ascending (decision order)
    weight: Floats
    volume: Floats
    side: Floats
    girth: Floats
    sides: Floats
    value: Floats
    goods: NDArray[np.int64]
    urgent: Bools
    promise: NDArray[np.int64]
    slot: NDArray[np.int64]  # column of the ETA tables: peak * slots + promise days
    market: int
    stocked: Bools  # [warehouse, column]


def stocked_columns(batch: OrderBatch, net: Network) -> Bools:
    """[warehouse, batch row]: the warehouse held every SKU of the order when the run began."""
    inventory = net.selector.conditions.inventory
    result = np.zeros((len(net.warehouses), len(batch)), dtype=np.bool_)
    for w, code in enumerate(net.warehouses):
        held = inventory.get(code, {})
        vocab = np.array([held.get(sku, 0) <= 0 for sku in batch.sku_vocab], dtype=np.int64)
        missing = np.concatenate(([0], np.cumsum(vocab[batch.sku_codes])))
        result[w] = missing[batch.sku_offsets[1:]] == missing[batch.sku_offsets[:-1]]
    return result


def peak_days(batch: OrderBatch, net: Network) -> Bools:
    """Per batch row: its UTC day falls in a peak window."""
    day = batch.day
    peak = np.zeros(len(batch), dtype=np.bool_)
    for window in net.selector.conditions.peak_windows:
        first, last = (window.start.toordinal() - UNIX_DAY, window.end.toordinal() - UNIX_DAY)
        peak |= (day >= first) & (day <= last)
    return peak


def block_columns(
    batch: OrderBatch,
    net: Network,
    rows: NDArray[np.int64],
    market: int,
    stocked: Bools,
    peak: Bools,
) -> BlockColumns:
    promise = batch.promised_days[rows].astype(np.int64)
    return BlockColumns(
        rows=rows,
        weight=batch.weight_kg[rows],
        volume=batch.volume_cm3[rows],
        side=batch.longest_side_cm[rows],
        girth=batch.length_plus_girth_cm[rows],
        sides=batch.sum_of_sides_cm[rows],
        value=batch.value[rows],
        goods=batch.goods[rows].astype(np.int64),
        urgent=batch.urgent[rows],
        promise=promise,
        slot=peak[rows].astype(np.int64) * net.slots + promise,
        market=market,
        stocked=stocked[:, rows],
    )


def _holds(condition: RuleCondition, cols: BlockColumns) -> Bools:
    c, ok = condition, np.ones(len(cols.rows), dtype=np.bool_)
    for values, low, high in (
        (cols.value, c.min_value, c.max_value),
        (cols.weight, c.min_weight_kg, c.max_weight_kg),
        (cols.side, c.min_longest_side_cm, c.max_longest_side_cm),
    ):
        if low is not None:
            ok &= values >= low
        if high is not None:
            ok &= values <= high
    if c.urgency is not None:
        ok &= cols.urgent == (c.urgency is Urgency.EXPRESS)
    if c.max_promised_days is not None:
        ok &= cols.promise <= c.max_promised_days
    if c.markets is not None and MARKETS[cols.market] not in c.markets:
        ok[:] = False
    return ok


def strategy_bonuses(cols: BlockColumns, policy: Policy) -> Floats:
    """[mode, column]: the largest bonus among matching rules preferring the mode."""
    bonus = np.zeros((len(MODES), len(cols.rows)))
    for strategy in policy.rules:
        holds = _holds(strategy.when, cols)
        for mode in strategy.prefer:
            m = MODES.index(mode)
            bonus[m] = np.where(holds & (strategy.bonus > bonus[m]), strategy.bonus, bonus[m])
    return bonus


def _chargeable(weight: Floats, volume: Floats, divisor: float, increment: float) -> Floats:
    billed = np.maximum(weight, volume / divisor) if divisor > 0 else weight
    if increment > 0:
        billed = np.ceil(billed / increment - STEP_TOLERANCE) * increment
    return billed


def _tier_price(tier: RateTier, kg: Floats) -> Floats:
    if isinstance(tier, FirstAdditionalTier):
        extra = np.maximum(0.0, kg - tier.first_weight_kg)
        steps = np.ceil(extra / tier.additional_increment_kg - STEP_TOLERANCE)
        return float(tier.first_price) + float(tier.additional_price) * steps
    return float(tier.per_kg_price) * kg + float(tier.per_item_fee)


def _inside(tier: RateTier, kg: Floats) -> Bools:
    """RateCard.tier_for's test; chargeable weights are never negative, so a tier from 0
    (which also holds 0 kg) reduces to kg <= to_kg."""
    if tier.from_kg == 0:
        return kg <= tier.to_kg
    return (tier.from_kg < kg) & (kg <= tier.to_kg)


def _base_price(tiers: list[RateTier], kg: Floats, ok: Bools) -> Floats:
    """Base price of the tier holding each weight; clears `ok` where no tier does."""
    price = _tier_price(tiers[0], kg)
    held = _inside(tiers[0], kg)
    for tier in tiers[1:]:
        inside = _inside(tier, kg)
        price = np.where(inside, _tier_price(tier, kg), price)
        held |= inside
    ok &= held
    return price


def _fits(net: Network, c: int, cols: BlockColumns) -> Bools:
    """eligibility.fit_refusals is empty (limits that are not set are not compared)."""
    ok: Bools = cols.weight <= net.max_weight[c]
    if net.accept[c] != ALL_GOODS:
        ok &= (cols.goods & ~net.accept[c]) == 0
    for values, limit in (
        (cols.side, net.max_side[c]),
        (cols.girth, net.max_girth[c]),
        (cols.sides, net.max_sides[c]),
        (cols.value, net.max_value[c]),
    ):
        if limit != INF:
            ok &= values <= limit
    if net.warehouse[c] >= 0:
        ok &= cols.stocked[net.warehouse[c]]
    return ok


@dataclass(eq=False)
class Block:
    """One destination group's columns of a chunk: scores[channel of the group, column]."""

    group: Group
    span: slice  # the block's columns among all blocks
    time: NDArray[np.int64]  # batch row of each column (decision order)
    scores: Floats  # inf where the channel cannot take the order
    prices: Floats
    slot: NDArray[np.int64]  # ETA table column of each order
    promoted: NDArray[np.int64] | None = None  # [row, column] switched-from position, -1
    below: Bools | None = None  # [row, column] under the on-time floor the order is bound to
    hard: Floats | None = None  # scores before share caps (batch_limits: caps yield to these)


def _below_floor(net: Network, group: Group, cols: BlockColumns) -> Bools | None:
    """promise.below_floor for every channel of the group and order of the block."""
    policy = net.selector.policy
    bound = np.zeros(len(cols.rows), dtype=np.bool_)
    for condition in policy.floor_applies_to:
        bound |= _holds(condition, cols)
    if not bound.any():
        return None
    on_time = net.on_time[group.lane][:, cols.slot]
    below: Bools = (on_time < policy.on_time_floor) & bound[None, :]
    return below


def score_block(net: Network, group: Group, cols: BlockColumns, span: slice) -> Block:
    """Fit, price and score every channel of the group for the block's orders."""
    policy = net.selector.policy
    bonus = strategy_bonuses(cols, policy)
    preferred = {MODES.index(m) for rule in policy.rules for m in rule.prefer}
    miss = policy.miss_cost + policy.miss_cost_value_pct / 100.0 * cols.value
    size = (len(group.channels), len(cols.rows))
    block = Block(group, span, cols.rows, np.full(size, INF), np.empty(size), cols.slot)
    _score_block(net, block, cols, bonus, miss, preferred)
    block.below = _below_floor(net, group, cols)
    return block


def _score_block(
    net: Network,
    block: Block,
    cols: BlockColumns,
    bonus: Floats,
    miss: Floats,
    preferred: set[int],
) -> None:
    """Row j of the block: score = price + miss risk + lateness + penalty - bonus (scoring.py)."""
    policy, group, slot = net.selector.policy, block.group, cols.slot
    ceiling = None
    if policy.cost_ceiling_value_pct is not None:
        ceiling = np.maximum(
            policy.cost_ceiling_value_pct / 100.0 * cols.value, policy.cost_ceiling_min
        )
    weights: dict[tuple[float, float], Floats] = {}
    for j, c in enumerate(group.channels.tolist()):
        key = (float(net.divisor[c]), float(net.increment[c]))
        if key not in weights:
            weights[key] = _chargeable(cols.weight, cols.volume, *key)
        lane = int(group.lane[j])
        ok = _fits(net, c, cols)
        price = _base_price(net.tiers[lane], weights[key], ok) * net.fuel[c]
        if group.remote[j]:
            price = price + net.surcharge[c]
        price = np.multiply(price, net.fx_ratio[c], out=block.prices[j])
        if ceiling is not None:
            ok &= price <= ceiling
        score = policy.cost_weight * price + net.miss[lane][slot] * miss
        score += net.lateness[lane][slot]
        score += group.penalty[j]
        if net.mode[c] in preferred:
            score -= bonus[net.mode[c]]
        np.copyto(block.scores[j], score, where=ok)
