"""Daily capacity and lane share pools (caps.py) for the batch engine, decided in sequence.

Every limit is a pool of parcels a set of channels may still take as primaries: one pool per
channel for daily capacity (every country), one per share cap or allocation quota (one
country). Columns are decided in time order; when a pool runs out its channels are dropped
for every later order of its countries (those re-pick), earliest exhaustion first — the
outcome of deciding orders one by one, as engine.py does. A pool that handed out its last
parcel then drops its channels after that order for backups too. Counting is one bincount
of (country, primary) cells per round; a pool's count sums its cells.
Share caps yield (engine.py): an order that only capped channels can take picks among them
(scores kept in `Block.hard`), and such a pick is not counted against the share pools.
Warehouse units (batch_stock.py) are a limit of the same kind, decided in the same sequence:
whichever runs out first (a pool or a warehouse's units of a SKU) is refused first; a
warehouse short of an order's units never yields.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_choice import first_min_keeping, pick
from tradelane.selection.batch_scoring import Block
from tradelane.selection.batch_stock import ChunkStock, Shortfall
from tradelane.selection.caps import Pool
from tradelane.selection.network import Network

__all__ = ["Limits", "build_limits", "respect_limits"]

INF = float("inf")
Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


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
    """One chunk's columns (time, country and the blocks of each country) and its limits."""

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
        self.counted = np.zeros(len(limits.left), dtype=np.int64)  # per pool, last count

    def blocks_of(self, pool: int) -> list[Block]:
        code = int(self.limits.country[pool])
        return self.blocks if code < 0 else self.by_country.get(code, [])

    def cells(self, primary: Ints, counted: Bools | None = None) -> Ints:
        taken = primary >= 0 if counted is None else (primary >= 0) & counted
        cell: Ints = np.where(taken, self.country * self.limits.width + primary, -1)
        return cell

    def _per_pool(self, cell: Ints) -> Ints:
        limits = self.limits
        per_cell = np.bincount(cell[cell >= 0], minlength=len(limits.country_index) * limits.width)
        counts: Ints = np.add.reduceat(per_cell[limits.flat_cells], limits.starts)
        return counts

    def counts(self, primary: Ints, yielded: Bools) -> Ints:
        """Parcels per pool: capacity counts every primary, share pools those not yielded."""
        counts = self._per_pool(self.cells(primary, ~yielded))
        first = self.limits.capacity_pools
        if first:
            counts[:first] = self._per_pool(self.cells(primary))[:first]
        return counts

    def members(self, pool: int, primary: Ints, yielded: Bools) -> Ints:
        counted = None if pool < self.limits.capacity_pools else ~yielded
        cells = self.cells(primary, counted)
        found: Ints = np.flatnonzero(np.isin(cells, self.limits.cells[pool]))
        return found

    def first_exhausted(self, primary: Ints, yielded: Bools) -> tuple[int, int] | None:
        """Count the pools; (time of the first order past a pool's parcels, pool), earliest
        first, or None when every pool holds."""
        self.counted = self.counts(primary, yielded)
        over = np.flatnonzero(self.counted > self.limits.left)
        if not over.size:
            return None
        return min(
            (int(np.partition(self.time[self.members(p, primary, yielded)], k)[k]), p)
            for p, k in ((int(p), int(self.limits.left[p])) for p in over.tolist())
        )

    def settle(self, primary: Ints, yielded: Bools) -> None:
        """Take the last count off the pools; a pool it empties drops its channels after its
        last order, for backups too."""
        limits, counted = self.limits, self.counted
        for p in np.flatnonzero((counted == limits.left) & (counted > 0)).tolist():
            last = self.time[self.members(p, primary, yielded)].max()
            self.drop(p, float(last) + 0.5)
        limits.left -= counted

    def drop(self, pool: int, after: float) -> None:
        """Drop the pool's channels for its columns at time >= `after` (capacity: for good,
        share pools: unless the caps yield)."""
        hard = pool < self.limits.capacity_pools
        for block in self.blocks_of(pool):
            for c in self.limits.channels[pool].tolist():
                row = int(block.group.local[c])
                if row >= 0:
                    later = block.time >= after
                    block.scores[row, later] = INF
                    if hard and block.hard is not None:
                        block.hard[row, later] = INF


def _pick(block: Block, columns: Ints | slice, primary: Ints, best: Floats, yielded: Bools) -> None:
    """pick; where only capped channels are left, the best of them (caps yield)."""
    pick(block, columns, primary, best)
    at = np.arange(block.span.start, block.span.stop)[columns]
    yielded[at] = False
    missing = at[primary[at] < 0]
    if block.hard is None or not missing.size or not len(block.group.channels):
        return
    local = missing - block.span.start
    below = None if block.below is None else block.below[:, local]
    index, score = first_min_keeping(block.hard[:, local], below)
    found = np.isfinite(score)
    primary[missing[found]] = block.group.channels[index[found]]
    best[missing[found]] = score[found]
    yielded[missing[found]] = True


def respect_limits(
    blocks: list[Block], n: int, limits: Limits | None, stock: ChunkStock | None = None
) -> tuple[Ints, Floats, Bools]:
    """Primary per chunk column, its score and whether share caps yielded for it; with
    `limits` (left updated in place) and `stock` (units drawn down in place) in sequence."""
    primary, best = np.full(n, -1, dtype=np.int64), np.full(n, INF)
    yielded = np.zeros(n, dtype=np.bool_)
    if limits is None and stock is None:
        for block in blocks:
            pick(block, slice(None), primary, best)
        return primary, best, yielded
    if limits is not None and len(limits.cells) > limits.capacity_pools:
        for block in blocks:
            block.hard = block.scores.copy()
    round_ = None if limits is None else _Round(blocks, limits)
    if round_ is not None:
        for p in np.flatnonzero(round_.limits.left <= 0).tolist():
            round_.drop(p, -1.0)
    for block in blocks:
        _pick(block, slice(None), primary, best, yielded)
    while True:
        full = None if round_ is None else round_.first_exhausted(primary, yielded)
        short = None if stock is None else stock.shortfall(primary)
        if full is None and short is None:
            break
        if short is None or (full is not None and full[0] <= short.time):
            assert full is not None and round_ is not None
            _refuse_pool(round_, full, primary, best, yielded)
        else:
            assert stock is not None
            _refuse_short(primary, best, yielded, stock, short)
    if round_ is not None:
        round_.settle(primary, yielded)
    for block in blocks:
        if block.hard is not None:
            columns = np.flatnonzero(yielded[block.span])
            block.scores[:, columns] = block.hard[:, columns]
    if stock is not None:
        stock.settle(primary)
    return primary, best, yielded


def _refuse_pool(
    round_: _Round, full: tuple[int, int], primary: Ints, best: Floats, yielded: Bools
) -> None:
    """The pool is out of parcels from time `at` on: drop its channels there and re-pick."""
    exhausted_at, pool = full
    round_.drop(pool, float(exhausted_at))
    for block in round_.blocks_of(pool):
        span = primary[block.span]
        redo = np.flatnonzero(
            (block.time >= exhausted_at) & np.isin(span, round_.limits.channels[pool])
        )
        if redo.size:
            _pick(block, redo, primary, best, yielded)


def _refuse_short(
    primary: Ints, best: Floats, yielded: Bools, stock: ChunkStock, short: Shortfall
) -> None:
    """The warehouse cannot give these orders their units: drop its channels there (for good:
    stock never yields to caps) and re-pick."""
    channels = stock.channels[short.warehouse]
    for block, columns in stock.refused_after(short):
        local = block.group.local[channels]
        local = local[local >= 0]
        block.scores[np.ix_(local, columns)] = INF
        if block.hard is not None:
            block.hard[np.ix_(local, columns)] = INF
        redo = columns[stock.warehouse_of(primary[block.span][columns]) == short.warehouse]
        if redo.size:
            _pick(block, redo, primary, best, yielded)
