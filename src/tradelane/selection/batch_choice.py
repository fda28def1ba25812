"""Vectorized choice: switches, failed lanes, capacity in order sequence, primary and backups.

Works on the score blocks of one chunk (batch_scoring.Block: scores[channel of the group,
column], inf where the channel cannot take the order) and follows engine.py step by step:
1. switches: in-share columns drop the switched channel; its backup inherits the score;
2. channels failed on the lane are dropped;
3. capacity, share pools and warehouse units (batch_limits.py, batch_stock.py);
4. primary = first minimum (lowest catalogue position wins ties), channels below the on-time
   floor only where no other is left (promise.py); backups as backups.py, the same way.
Channel arrays returned here hold catalogue positions (-1: none) per chunk column.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_scoring import Block
from tradelane.selection.conditions import switch_fraction
from tradelane.selection.network import Network
from tradelane.selection.order_batch import OrderBatch

__all__ = [
    "apply_failed",
    "apply_switches",
    "choose_backups",
    "first_min",
    "first_min_keeping",
    "pick",
]

INF = float("inf")
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


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


def first_min_keeping(scores: Floats, below: Bools | None) -> tuple[Ints, Floats]:
    """first_min, taking a row marked `below` (the on-time floor) only where no other is finite."""
    if below is None:
        return first_min(scores)
    index, best = first_min(np.where(below, INF, scores))
    none = ~np.isfinite(best)
    if none.any():
        index[none], best[none] = first_min(scores[:, none])
    return index, best


def pick(block: Block, columns: Ints | slice, primary: Ints, best: Floats) -> None:
    """Primary and its score for the block's `columns` from the scores as they stand."""
    below = None if block.below is None else block.below[:, columns]
    local, score = first_min_keeping(block.scores[:, columns], below)
    at = np.arange(block.span.start, block.span.stop)[columns]
    if not len(block.group.channels):
        return  # no channel serves these destinations: primary stays -1
    primary[at] = np.where(np.isfinite(score), block.group.channels[local], -1)
    best[at] = score


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
            pick, key = first_min_keeping(np.subtract(left, bonus, out=bonus), block.below)
            found = np.isfinite(key)
            picks[k, span] = np.where(found, group.channels[pick], -1)
            ranks[k, span] = np.where(found, left[pick, columns], INF)
            left[pick[found], columns[found]] = INF
            if k + 1 < count:
                other &= carriers[:, None] != carriers[pick][None, :]
    return picks, ranks
