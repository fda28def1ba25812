"""Vectorized choice: switches, failed lanes, capacity in order sequence, primary and backups.

Works on the score blocks of one chunk (batch_scoring.Block: scores[channel of the group,
column], inf where the channel cannot take the order) and follows engine.py step by step:
1. switches: in-share columns drop the switched channel; its backup inherits the score;
2. channels failed on the lane are dropped;
3. capacity: columns are decided in time order; when a channel's remaining parcels run out it
   is dropped for every later order (those re-pick), earliest exhaustion first — the outcome of
   deciding orders one by one. A channel that handed out its last parcel is then dropped after
   that order for backups too; warehouse stock likewise (batch_stock.py): the earliest order
   whose warehouse primary is short of its units loses the warehouse, with every later order
   that needs more of that SKU than was left; backups short of units are dropped at the end;
4. primary = first minimum (lowest catalogue position wins ties); backups as backups.py.
Channel arrays returned here hold catalogue positions (-1: none) per chunk column.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_scoring import Block
from tradelane.selection.batch_stock import ChunkStock, Shortfall
from tradelane.selection.conditions import switch_fraction
from tradelane.selection.network import Network
from tradelane.selection.order_batch import OrderBatch

__all__ = ["apply_failed", "apply_switches", "choose_backups", "first_min", "respect_capacity"]

INF = float("inf")
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def first_min(scores: Floats) -> tuple[Ints, Floats]:
    """Per column: row of the first smallest score and that score (inf: none)."""
    rows, columns = scores.shape
    index = np.zeros(columns, dtype=np.int64)
    if rows == 0:
        return index, np.full(columns, INF)
    best = scores.min(axis=0)
    for row in range(rows - 1, -1, -1):
        index[scores[row] == best] = row
    return index, best


def apply_switches(net: Network, batch: OrderBatch, blocks: list[Block]) -> None:
    """Apply active switches in place, recording promotions in `block.promoted`."""
    switches = net.selector.conditions.switches
    for block in blocks if switches else []:
        group, fraction = block.group, None
        for switch in switches:
            position = net.position.get(switch.channel_id)
            if position is None or group.local[position] < 0:
                continue
            if switch.country not in (None, group.country):
                continue
            moved = int(group.local[position])
            if fraction is None:
                fraction = np.array([switch_fraction(batch.order_ids[r]) for r in block.time])
            columns = np.flatnonzero(np.isfinite(block.scores[moved]) & (fraction < switch.share))
            inherited = block.scores[moved, columns]
            block.scores[moved, columns] = INF
            backup = net.position.get(switch.backup_channel_id or "")
            if backup is None or group.local[backup] < 0:
                continue
            to = int(group.local[backup])
            own = block.scores[to, columns]
            take = np.isfinite(own) & (inherited < own)
            block.scores[to, columns[take]] = inherited[take]
            if block.promoted is None:
                block.promoted = np.full(block.scores.shape, -1, dtype=np.int64)
            block.promoted[to, columns[take]] = position


def apply_failed(blocks: list[Block]) -> None:
    for block in blocks:
        block.scores[block.group.failed] = INF


def _pick(block: Block, columns: Ints | slice, primary: Ints, best: Floats) -> None:
    local, score = first_min(block.scores[:, columns])
    at = np.arange(block.span.start, block.span.stop)[columns]
    if not len(block.group.channels):
        return  # no channel serves these destinations: primary stays -1
    primary[at] = np.where(np.isfinite(score), block.group.channels[local], -1)
    best[at] = score


def _drop(blocks: list[Block], channel: int, after: Floats | float) -> None:
    """Drop `channel` for columns later than time `after` (inclusive when `after` is float)."""
    for block in blocks:
        row = int(block.group.local[channel])
        if row >= 0:
            block.scores[row, block.time >= after] = INF


def respect_capacity(
    blocks: list[Block], n: int, capacity: Ints | None, stock: ChunkStock | None = None
) -> tuple[Ints, Floats]:
    """Primary per chunk column; with `capacity` (parcels left) and `stock` (warehouse units
    left), both updated in place, in sequence: the earliest refusal of either kind first."""
    primary, best = np.full(n, -1, dtype=np.int64), np.full(n, INF)
    if capacity is not None:
        for c in np.flatnonzero(capacity <= 0).tolist():
            _drop(blocks, c, -1.0)
    for block in blocks:
        _pick(block, slice(None), primary, best)
    if capacity is None and stock is None:
        return primary, best
    time = np.concatenate([b.time for b in blocks]) if blocks else np.zeros(0, np.int64)
    while True:
        full = None if capacity is None else _first_exhausted(primary, time, capacity)
        short = None if stock is None else stock.shortfall(primary)
        if full is None and short is None:
            break
        if short is None or (full is not None and full[0] <= short.time):
            assert full is not None
            _refuse(blocks, primary, best, full[1], full[0])
        else:
            assert stock is not None
            _refuse_short(primary, best, stock, short)
    if capacity is not None:
        counts = np.bincount(primary[primary >= 0], minlength=len(capacity))
        for c in np.flatnonzero((counts == capacity) & (counts > 0)).tolist():
            _drop(blocks, c, float(time[primary == c].max()) + 0.5)
        capacity -= counts
    if stock is not None:
        stock.settle(primary)
    return primary, best


def _first_exhausted(primary: Ints, time: Ints, capacity: Ints) -> tuple[int, int] | None:
    """(time of the first order past a channel's capacity, channel), earliest first."""
    counts = np.bincount(primary[primary >= 0], minlength=len(capacity))
    over = np.flatnonzero(counts > capacity)
    if not over.size:
        return None
    return min(
        (int(np.partition(time[primary == c], capacity[c])[capacity[c]]), int(c))
        for c in over.tolist()
    )


def _refuse(blocks: list[Block], primary: Ints, best: Floats, channel: int, at: int) -> None:
    """`channel` is out of parcels from time `at` on: drop it there and re-pick."""
    _drop(blocks, channel, float(at))
    for block in blocks:
        span = primary[block.span]
        redo = np.flatnonzero((block.time >= at) & (span == channel))
        if redo.size:
            _pick(block, redo, primary, best)


def _refuse_short(primary: Ints, best: Floats, stock: ChunkStock, short: Shortfall) -> None:
    """The warehouse cannot give these orders their units: drop its channels there, re-pick."""
    channels = stock.channels[short.warehouse]
    for block, columns in stock.refused_after(short):
        local = block.group.local[channels]
        local = local[local >= 0]
        block.scores[np.ix_(local, columns)] = INF
        redo = columns[stock.warehouse_of(primary[block.span][columns]) == short.warehouse]
        if redo.size:
            _pick(block, redo, primary, best)


def choose_backups(
    net: Network, blocks: list[Block], primary: Ints, count: int
) -> tuple[Ints, Floats]:
    """[pick, column] backup channel positions (-1: none) and rank scores, as backups.py.

    Consumes the blocks' scores (chosen channels are set to inf)."""
    picks = np.full((count, len(primary)), -1, dtype=np.int64)
    ranks = np.full((count, len(primary)), INF)
    weight = net.selector.policy.diversification.other_carrier
    for block in blocks:
        group, span, left = block.group, block.span, block.scores
        if not len(group.channels) or count == 0:
            continue
        mine = primary[span]
        has = mine >= 0
        first = group.local[np.where(has, mine, group.channels[0])]
        if not has.all():
            left[:, ~has] = INF
        columns = np.arange(left.shape[1])
        left[first, columns] = INF
        diversity = np.take(group.diversity, first, axis=1)
        carriers = net.carrier[group.channels]
        other = carriers[:, None] != carriers[first][None, :]
        for k in range(count):
            bonus = np.multiply(other, weight)
            bonus += diversity
            pick, key = first_min(np.subtract(left, bonus, out=bonus))
            found = np.isfinite(key)
            picks[k, span] = np.where(found, group.channels[pick], -1)
            ranks[k, span] = np.where(found, left[pick, columns], INF)
            left[pick[found], columns[found]] = INF
            if k + 1 < count:
                other &= carriers[:, None] != carriers[pick][None, :]
    return picks, ranks
