"""Vectorized choice: switches, failed lanes, capacity in order sequence, primary and backups.

Works on one chunk's score matrix `scores[channel, column]` (inf: cannot take the order) and
follows engine.py step by step:
1. switches: in-share columns drop the switched channel; its backup inherits the score;
2. failed channels on a lane are dropped;
3. capacity: columns are decided in time order; when a channel's remaining parcels run out,
   it is dropped for every later order (those re-pick), earliest exhaustion first — the same
   outcome as deciding orders one by one. A channel that has handed out its last parcel is
   then dropped after that order for backups too;
4. primary = first minimum over channels; backups as backups.py, one pick at a time.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_scoring import ChunkColumns
from tradelane.selection.conditions import switch_fraction
from tradelane.selection.network import Network
from tradelane.selection.order_batch import OrderBatch

__all__ = ["apply_failed", "apply_switches", "choose_backups", "first_min", "respect_capacity"]

INF = float("inf")
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def first_min(scores: Floats) -> tuple[Ints, Floats]:
    """Per column: index of the first smallest score (lowest channel wins ties) and its value."""
    index = np.argmin(scores, axis=0).astype(np.int64)
    return index, scores[index, np.arange(scores.shape[1])]


def apply_switches(
    net: Network, batch: OrderBatch, cols: ChunkColumns, scores: Floats
) -> Ints | None:
    """Apply active switches in place; returns promoted[channel, column] (-1) or None."""
    switches = net.selector.conditions.switches
    if not switches:
        return None
    promoted = np.full(scores.shape, -1, dtype=np.int64)
    countries = np.array([net.groups[g].country for _, _, g in cols.segments])
    country = np.repeat(countries, [b - a for a, b, _ in cols.segments])
    fraction = np.array([switch_fraction(batch.order_ids[r]) for r in cols.rows.tolist()])
    for switch in switches:
        moved = net.position.get(switch.channel_id)
        if moved is None:
            continue
        scope = np.isfinite(scores[moved]) & (fraction < switch.share)
        if switch.country is not None:
            scope &= country == switch.country
        columns = np.flatnonzero(scope)
        inherited = scores[moved, columns]
        scores[moved, columns] = INF
        backup = net.position.get(switch.backup_channel_id or "")
        if backup is None:
            continue
        own = scores[backup, columns]
        take = np.isfinite(own) & (inherited < own)
        scores[backup, columns[take]] = inherited[take]
        promoted[backup, columns[take]] = moved
    return promoted


def apply_failed(net: Network, cols: ChunkColumns, scores: Floats) -> None:
    for a, b, g in cols.segments:
        failed = np.flatnonzero(net.groups[g].failed)
        if failed.size:
            scores[failed, a:b] = INF


def respect_capacity(scores: Floats, time: Ints, capacity: Ints) -> tuple[Ints, Floats]:
    """Primary per column under `capacity` (parcels left per channel; updated in place)."""
    scores[capacity <= 0, :] = INF
    primary, best = first_min(scores)
    while True:
        valid = np.isfinite(best)
        counts = np.bincount(primary[valid], minlength=len(capacity))
        over = np.flatnonzero(counts > capacity)
        if not over.size:
            break
        exhausted_at, channel = min(
            (int(np.partition(time[valid & (primary == c)], capacity[c])[capacity[c]]), int(c))
            for c in over.tolist()
        )
        later = time >= exhausted_at
        scores[channel, later] = INF
        redo = np.flatnonzero(later & (primary == channel))
        primary[redo], best[redo] = first_min(scores[:, redo])
    for c in np.flatnonzero((counts == capacity) & (counts > 0)).tolist():
        last = time[valid & (primary == c)].max()
        scores[c, time > last] = INF
    capacity -= counts
    return primary, best


def choose_backups(
    net: Network, cols: ChunkColumns, scores: Floats, primary: Ints, has_primary: NDArray[np.bool_]
) -> tuple[Ints, Floats]:
    """[pick, column] backup channel (-1: none) and its rank score, as backups.py picks them."""
    count = net.selector.policy.backups
    weight = net.selector.policy.diversification.other_carrier
    n = scores.shape[1]
    picks, ranks = np.full((count, n), -1, dtype=np.int64), np.full((count, n), INF)
    if count == 0 or n == 0:
        return picks, ranks
    diversity = np.empty_like(scores)
    for a, b, g in cols.segments:
        diversity[:, a:b] = net.groups[g].diversity[primary[a:b]].T
    left = scores.copy()
    left[:, ~has_primary] = INF
    columns = np.arange(n)
    left[primary, columns] = INF
    other_carrier = net.carrier[:, None] != net.carrier[primary][None, :]
    for k in range(count):
        carrier = np.where(other_carrier, weight, 0.0)
        pick, key = first_min(left - (carrier + diversity))
        found = np.isfinite(key)
        picks[k] = np.where(found, pick, -1)
        ranks[k] = np.where(found, left[pick, columns], INF)
        left[pick[found], columns[found]] = INF
        other_carrier &= net.carrier[:, None] != net.carrier[pick][None, :]
    return picks, ranks
