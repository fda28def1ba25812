"""Warehouse stock in the batch engine: units drawn down in decision order, as engine.py does.

    left[warehouse, sku code]  units the run may still promise (carried from chunk to chunk)
      ─▶ per chunk, its (order, SKU) entries sorted by (SKU, decision time), once
      ─▶ `shortfall`: the earliest order whose primary is a warehouse that, after the
         orders decided before it, no longer holds the units the order takes
      ─▶ `refused_after`: that order and every later one that takes more units of the SKU than
         were left then (they can never get them: stock only goes down) lose the warehouse
      ─▶ (batch_choice re-picks them and looks again, until no primary is short)
      ─▶ `settle`: backups short of units when their order is decided are dropped, and the
         primaries' units are drawn from `left`

A row's SKUs are distinct (OrderBatch.from_facts adds repeated lines up), so an order's need
of one SKU is one entry of the batch's CSR columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.batch_scoring import Block
from tradelane.selection.network import Network
from tradelane.selection.order_batch import OrderBatch

__all__ = ["ChunkStock", "Shortfall", "stock_array"]

NONE = np.iinfo(np.int64).max  # no short order
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


def stock_array(net: Network, batch: OrderBatch) -> Ints:
    """[warehouse, sku code]: units of the batch's SKUs each catalogue warehouse holds."""
    inventory = net.selector.conditions.inventory
    left = np.zeros((len(net.warehouses), len(batch.sku_vocab)), dtype=np.int64)
    for w, code in enumerate(net.warehouses):
        held = inventory.get(code, {})
        left[w] = [held.get(sku, 0) for sku in batch.sku_vocab]
    return left


@dataclass(frozen=True)
class Shortfall:
    time: int  # batch row of the first order that cannot have its units
    warehouse: int
    sku: int  # code in the batch's sku_vocab
    left: int  # units of the SKU the warehouse still had for that order


class ChunkStock:
    """One chunk's demand on the warehouses, against `left` (updated in place by `settle`)."""

    def __init__(self, net: Network, batch: OrderBatch, blocks: list[Block], left: Ints) -> None:
        self.net, self.left, self.blocks = net, left, blocks
        self.starts = np.array([b.span.start for b in blocks], dtype=np.int64)
        time = np.concatenate([b.time for b in blocks]) if blocks else np.zeros(0, np.int64)
        begin, end = batch.sku_offsets[time], batch.sku_offsets[time + 1]
        entry = _expand(begin, end)
        column = np.repeat(np.arange(len(time), dtype=np.int64), end - begin)
        code = batch.sku_codes[entry].astype(np.int64)
        order = np.lexsort((time[column], code))
        self.column, self.code = column[order], code[order]
        self.time, self.units = time[self.column], batch.units[entry][order]
        self.first = np.searchsorted(self.code, self.code, side="left")  # of each SKU's run
        vocab = np.arange(left.shape[1] + 1)
        self.lo, self.hi = (
            np.searchsorted(self.code, vocab[:-1]),
            np.searchsorted(self.code, vocab[1:]),
        )
        self.channels = [np.flatnonzero(net.warehouse == w) for w in range(len(net.warehouses))]
        self._of_column = np.argsort(self.column, kind="stable")  # entries of each column
        self._cuts = np.searchsorted(self.column[self._of_column], np.arange(len(time) + 1))
        self._at: Ints | None = None  # warehouse of each column's primary at the last look
        self._time = np.full(left.shape, NONE, dtype=np.int64)  # earliest short order per SKU
        self._left = np.zeros(left.shape, dtype=np.int64)  # units it had left

    def shortfall(self, primary: Ints) -> Shortfall | None:
        """The earliest primary at a warehouse short of the order's units (None: none is).

        Only the SKUs of orders whose warehouse changed since the last call are looked at
        again: each SKU's entries are one contiguous run of the sorted entries."""
        at = self.warehouse_of(primary)
        if self._at is None:
            codes = np.unique(self.code)
        else:
            changed = np.flatnonzero(at != self._at)
            entries = self._of_column[_expand(self._cuts[changed], self._cuts[changed + 1])]
            codes = np.flatnonzero(np.bincount(self.code[entries], minlength=self.left.shape[1]))
        self._at = at
        for code in codes.tolist():
            self._look(at, code)
        if not self._time.size or self._time.min() == NONE:
            return None
        w, code = np.unravel_index(int(np.argmin(self._time)), self._time.shape)
        return Shortfall(int(self._time[w, code]), int(w), int(code), int(self._left[w, code]))

    def _look(self, at: Ints, code: int) -> None:
        """Earliest short entry of one SKU at each warehouse, into _time/_left."""
        lo, hi = int(self.lo[code]), int(self.hi[code])
        column, units = self.column[lo:hi], self.units[lo:hi]
        for w in range(len(self.channels)):
            used = np.where(at[column] == w, units, 0)
            before = np.cumsum(used) - used
            bad = np.flatnonzero((used > 0) & (before + units > self.left[w, code]))
            self._time[w, code] = NONE if not bad.size else self.time[lo + bad[0]]
            if bad.size:
                self._left[w, code] = self.left[w, code] - before[bad[0]]

    def refused_after(self, short: Shortfall) -> list[tuple[Block, Ints]]:
        """Per block: columns at or after `short.time` taking more of its SKU than it had left."""
        lo, hi = np.searchsorted(self.code, [short.sku, short.sku + 1])
        hit = (self.time[lo:hi] >= short.time) & (self.units[lo:hi] > short.left)
        return self._by_block(np.sort(self.column[lo:hi][hit]))

    def settle(self, primary: Ints) -> None:
        """Drop warehouse backups short of units when their order is decided; draw down."""
        at = self.warehouse_of(primary)
        for w, channels in enumerate(self.channels):
            taken = at[self.column] == w
            before = self._drawn_before(taken)
            short = before + self.units > self.left[w, self.code]
            refused = np.zeros(len(at), dtype=np.bool_)
            refused[self.column[short]] = True
            for block, columns in self._by_block(np.flatnonzero(refused)):
                local = block.group.local[channels]
                local = local[local >= 0]
                block.scores[np.ix_(local, columns)] = np.inf
            drawn = np.bincount(
                self.code[taken], weights=self.units[taken], minlength=self.left.shape[1]
            )
            self.left[w] -= drawn.astype(np.int64)

    def warehouse_of(self, primary: Ints) -> Ints:
        """Warehouse index of each primary (-1: none, or not at a warehouse)."""
        found: Ints = np.where(primary >= 0, self.net.warehouse[np.maximum(primary, 0)], -1)
        return found

    def _drawn_before(self, taken: Bools) -> Ints:
        """Per entry: units of its SKU taken by orders decided before it (entries are sorted
        by SKU, then time)."""
        used = np.where(taken, self.units, 0)
        total = np.cumsum(used)
        drawn: Ints = total - used - (total[self.first] - used[self.first])
        return drawn

    def _by_block(self, columns: Ints) -> list[tuple[Block, Ints]]:
        """Chunk columns (ascending, distinct) grouped by block, as block-local indices."""
        owner = np.searchsorted(self.starts, columns, side="right") - 1
        cuts = np.searchsorted(owner, np.arange(len(self.blocks) + 1))
        return [
            (block, columns[cuts[b] : cuts[b + 1]] - block.span.start)
            for b, block in enumerate(self.blocks)
            if cuts[b + 1] > cuts[b]
        ]


def _expand(start: Ints, end: Ints) -> Ints:
    """Concatenated ranges start[i]:end[i] as one index array."""
    count = end - start
    if not count.size:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(start - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    return np.arange(int(count.sum()), dtype=np.int64) + shift
