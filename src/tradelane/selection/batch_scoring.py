"""Vectorized fit, price, ETA and score of every channel for a chunk of orders.

Mirrors eligibility.py, pricing.py, eta.py and scoring.py operation for operation (same
comparisons, same order of floating-point operations), so a score here equals the scalar
engine's score bit for bit. Rows of a chunk are permuted so destination groups are contiguous;
inside a group each channel has one lane, so every channel is a few array operations on a slice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.catalog import FirstAdditionalTier, RateTier
from tradelane.domain.goods import Urgency
from tradelane.selection.network import MARKETS, MODES, Group, Network
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.policy import Policy, RuleCondition
from tradelane.selection.pricing import STEP_TOLERANCE

__all__ = ["ChunkColumns", "chunk_columns", "score_chunk", "stocked_columns"]

INF = float("inf")
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


@dataclass(eq=False)
class ChunkColumns:
    rows: NDArray[np.int64]  # batch row of each column, grouped by destination group
    segments: list[tuple[int, int, int]]  # (first column, end column, group index)
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
    market: NDArray[np.int64]
    stocked: Bools  # [warehouse, column]


def stocked_columns(batch: OrderBatch, net: Network) -> Bools:
    """[warehouse, batch row]: the warehouse stocks every SKU of the order."""
    inventory = net.selector.conditions.inventory
    result = np.zeros((len(net.warehouses), len(batch)), dtype=np.bool_)
    for w, code in enumerate(net.warehouses):
        held = inventory.get(code, frozenset())
        vocab = np.array([sku not in held for sku in batch.sku_vocab], dtype=np.int64)
        missing = np.concatenate(([0], np.cumsum(vocab[batch.sku_codes])))
        result[w] = missing[batch.sku_offsets[1:]] == missing[batch.sku_offsets[:-1]]
    return result


def chunk_columns(
    batch: OrderBatch, net: Network, start: int, end: int, stocked: Bools
) -> ChunkColumns:
    groups = net.group_of_location[batch.location[start:end]]
    perm = np.argsort(groups, kind="stable")
    ordered = groups[perm]
    cuts = [0, *(np.flatnonzero(np.diff(ordered)) + 1).tolist(), len(ordered)]
    segments = [(a, b, int(ordered[a])) for a, b in itertools.pairwise(cuts) if b > a]
    rows = perm.astype(np.int64) + start
    day = batch.day[rows]
    peak = np.zeros(len(rows), dtype=np.bool_)
    for window in net.selector.conditions.peak_windows:
        first, last = (window.start.toordinal() - 719_163, window.end.toordinal() - 719_163)
        peak |= (day >= first) & (day <= last)
    promise = batch.promised_days[rows].astype(np.int64)
    markets = np.array([g.market for g in net.groups], dtype=np.int64)
    return ChunkColumns(
        rows=rows,
        segments=segments,
        weight=batch.weight_kg[rows],
        volume=batch.volume_cm3[rows],
        side=batch.longest_side_cm[rows],
        girth=batch.length_plus_girth_cm[rows],
        sides=batch.sum_of_sides_cm[rows],
        value=batch.value[rows],
        goods=batch.goods[rows].astype(np.int64),
        urgent=batch.urgent[rows],
        promise=promise,
        slot=peak.astype(np.int64) * net.slots + promise,
        market=markets[ordered],
        stocked=stocked[:, rows],
    )


def _holds(condition: RuleCondition, cols: ChunkColumns) -> Bools:
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
    if c.markets is not None:
        ok &= np.isin(cols.market, [MARKETS.index(m) for m in c.markets])
    return ok


def strategy_bonuses(cols: ChunkColumns, policy: Policy) -> tuple[Floats, NDArray[np.int64]]:
    """[mode, column]: largest matching bonus and the index of its rule (-1: none)."""
    bonus = np.zeros((len(MODES), len(cols.rows)))
    rule = np.full((len(MODES), len(cols.rows)), -1, dtype=np.int64)
    for r, strategy in enumerate(policy.rules):
        holds = _holds(strategy.when, cols)
        for mode in strategy.prefer:
            m = MODES.index(mode)
            better = holds & (strategy.bonus > bonus[m])
            bonus[m] = np.where(better, strategy.bonus, bonus[m])
            rule[m] = np.where(better, r, rule[m])
    return bonus, rule


def _chargeable(weight: Floats, volume: Floats, divisor: float, increment: float) -> Floats:
    billed = np.maximum(weight, volume / divisor) if divisor > 0 else weight
    if increment > 0:
        billed = np.ceil(billed / increment - STEP_TOLERANCE) * increment
    return billed


def _base_price(tiers: list[RateTier], kg: Floats) -> Floats:
    """Base price of the tier holding each weight; NaN where no tier does."""
    price = np.full(len(kg), np.nan)
    for tier in tiers:
        inside = (tier.from_kg < kg) & (kg <= tier.to_kg)
        if tier.from_kg == 0:
            inside |= kg == 0
        if isinstance(tier, FirstAdditionalTier):
            extra = np.maximum(0.0, kg - tier.first_weight_kg)
            steps = np.ceil(extra / tier.additional_increment_kg - STEP_TOLERANCE)
            here = float(tier.first_price) + float(tier.additional_price) * steps
        else:
            here = float(tier.per_kg_price) * kg + float(tier.per_item_fee)
        price = np.where(inside, here, price)
    return price


def _fits(net: Network, c: int, cols: ChunkColumns, s: slice) -> Bools:
    ok: Bools = (cols.goods[s] & ~net.accept[c]) == 0
    ok &= cols.weight[s] <= net.max_weight[c]
    ok &= cols.side[s] <= net.max_side[c]
    ok &= cols.girth[s] <= net.max_girth[c]
    ok &= cols.sides[s] <= net.max_sides[c]
    ok &= cols.value[s] <= net.max_value[c]
    if net.warehouse[c] >= 0:
        ok &= cols.stocked[net.warehouse[c], s]
    return ok


def score_chunk(
    net: Network, cols: ChunkColumns, scores: Floats, prices: Floats
) -> tuple[Floats, NDArray[np.int64]]:
    """Fill scores[channel, column] (inf where the channel does not fit) and prices[...].

    Returns the strategy bonus table (for explanations it is recomputed per order).
    """
    policy = net.selector.policy
    bonus, rule = strategy_bonuses(cols, policy)
    miss = policy.miss_cost + policy.miss_cost_value_pct / 100.0 * cols.value
    for a, b, g in cols.segments:
        _score_segment(net, net.groups[g], cols, slice(a, b), bonus, miss, scores, prices)
    return bonus, rule


def _score_segment(
    net: Network,
    group: Group,
    cols: ChunkColumns,
    s: slice,
    bonus: Floats,
    miss: Floats,
    scores: Floats,
    prices: Floats,
) -> None:
    policy = net.selector.policy
    weights: dict[tuple[float, float], Floats] = {}
    for c in np.flatnonzero(group.lane >= 0).tolist():
        lane_index = int(group.lane[c])
        key = (float(net.divisor[c]), float(net.increment[c]))
        if key not in weights:
            weights[key] = _chargeable(cols.weight[s], cols.volume[s], *key)
        lane = net.lanes[lane_index][1]
        base = _base_price(net.channels[c].rate_card.zones[lane.zone], weights[key])
        surcharge = float(net.surcharge[c]) if group.remote[c] else 0.0
        price = (base * net.fuel[c] + surcharge) * net.fx_ratio[c]
        on_time = net.on_time[lane_index][cols.slot[s]]
        late = net.late[lane_index][cols.slot[s]]
        score = policy.cost_weight * price + (1.0 - on_time) * miss[s]
        score = score + policy.late_cost_per_day * late
        score = score + group.penalty[c] - bonus[net.mode[c], s]
        ok = _fits(net, c, cols, s) & ~np.isnan(base)
        scores[c, s] = np.where(ok, score, INF)
        prices[c, s] = price
