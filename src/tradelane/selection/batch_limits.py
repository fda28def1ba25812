"""Daily capacity and lane share pools (caps.py) for the batch engine, decided in sequence.

Every limit is a pool of parcels a set of channels may still take as primaries: one pool per
channel for daily capacity (every country), one per share cap or allocation quota (one
country). Columns are decided in time order; when a pool runs out its channels are dropped
for every later order of its countries (those re-pick), earliest exhaustion first — the
outcome of deciding orders one by one, as engine.py does. A pool that handed out its last
parcel then drops its channels after that order for backups too. Counting is one bincount
of (country, primary) cells per round; a pool's count sums its cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_choice import pick
from tradelane.selection.batch_scoring import Block
from tradelane.selection.caps import Pool
from tradelane.selection.network import Network

__all__ = ["Limits", "build_limits", "respect_limits"]

INF = float("inf")
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(eq=False)
class Limits:
    """Pools as arrays; a cell is country index x channels + catalogue position."""

    width: int  # channels in the catalogue
    country_index: dict[str, int]
    cells: list[Ints]  # per pool
    channels: list[Ints]  # per pool: catalogue positions
    country: Ints  # per pool: country index, -1 for every country
    left: Ints  # per pool: parcels left (updated chunk by chunk)
    capacity_pools: int  # the first pools are daily capacity, one per channel (or none)

    def __post_init__(self) -> None:
        self.flat_cells = np.concatenate(self.cells)
        self.starts = np.cumsum([0] + [len(c) for c in self.cells[:-1]], dtype=np.int64)


def build_limits(net: Network, capacity: Ints | None, pools: list[Pool]) -> Limits | None:
    width = len(net.channels)
    countries = sorted({g.country for g in net.groups})
    index = {c: k for k, c in enumerate(countries)}
    every = np.arange(len(countries), dtype=np.int64) * width
    cells, channels, country, left = [], [], [], []
    for c in range(width if capacity is not None else 0):
        cells.append(every + c)
        channels.append(np.array([c], dtype=np.int64))
        country.append(-1)
        left.append(int(capacity[c]) if capacity is not None else 0)
    for pool in pools:
        found = [net.position[i] for i in pool.channel_ids if i in net.position]
        if not found or pool.country not in index:
            continue
        at = np.array(found, dtype=np.int64)
        cells.append(index[pool.country] * width + at)
        channels.append(at)
        country.append(index[pool.country])
        left.append(pool.limit)
    if not cells:
        return None
    capacity_pools = width if capacity is not None else 0
    return Limits(width, index, cells, channels, np.array(country), np.array(left), capacity_pools)


class _Round:
    """One chunk's columns: time, country and the blocks of each country."""

    def __init__(self, blocks: list[Block], limits: Limits) -> None:
        self.blocks = blocks
        self.time = np.concatenate([b.time for b in blocks]) if blocks else np.zeros(0, np.int64)
        codes = [limits.country_index[b.group.country] for b in blocks]
        self.country = np.repeat(
            np.array(codes, dtype=np.int64), [b.span.stop - b.span.start for b in blocks]
        )
        self.by_country: dict[int, list[Block]] = {}
        for code, block in zip(codes, blocks, strict=True):
            self.by_country.setdefault(code, []).append(block)
        self.limits = limits

    def blocks_of(self, pool: int) -> list[Block]:
        code = int(self.limits.country[pool])
        return self.blocks if code < 0 else self.by_country.get(code, [])

    def cells(self, primary: Ints) -> Ints:
        cell: Ints = np.where(primary >= 0, self.country * self.limits.width + primary, -1)
        return cell

    def counts(self, primary: Ints) -> Ints:
        limits = self.limits
        cell = self.cells(primary)
        per_cell = np.bincount(cell[cell >= 0], minlength=len(limits.country_index) * limits.width)
        counts: Ints = np.add.reduceat(per_cell[limits.flat_cells], limits.starts)
        return counts

    def members(self, pool: int, primary: Ints) -> Ints:
        found: Ints = np.flatnonzero(np.isin(self.cells(primary), self.limits.cells[pool]))
        return found

    def drop(self, pool: int, after: float) -> None:
        """Drop the pool's channels for its columns at time >= `after`."""
        for block in self.blocks_of(pool):
            for c in self.limits.channels[pool].tolist():
                row = int(block.group.local[c])
                if row >= 0:
                    block.scores[row, block.time >= after] = INF


def respect_limits(blocks: list[Block], n: int, limits: Limits | None) -> tuple[Ints, Floats]:
    """Primary per chunk column; with `limits` (left updated in place) in sequence."""
    primary, best = np.full(n, -1, dtype=np.int64), np.full(n, INF)
    if limits is None:
        for block in blocks:
            pick(block, slice(None), primary, best)
        return primary, best
    round_ = _Round(blocks, limits)
    for p in np.flatnonzero(limits.left <= 0).tolist():
        round_.drop(p, -1.0)
    for block in blocks:
        pick(block, slice(None), primary, best)
    while True:
        counts = round_.counts(primary)
        over = np.flatnonzero(counts > limits.left)
        if not over.size:
            break
        exhausted_at, pool = min(
            (int(np.partition(round_.time[round_.members(p, primary)], k)[k]), p)
            for p, k in ((int(p), int(limits.left[p])) for p in over.tolist())
        )
        round_.drop(pool, float(exhausted_at))
        for block in round_.blocks_of(pool):
            span = primary[block.span]
            redo = np.flatnonzero(
                (block.time >= exhausted_at) & np.isin(span, limits.channels[pool])
            )
            if redo.size:
                pick(block, redo, primary, best)
    for p in np.flatnonzero((counts == limits.left) & (counts > 0)).tolist():
        round_.drop(p, float(round_.time[round_.members(p, primary)].max()) + 0.5)
    limits.left -= counts
    return primary, best
