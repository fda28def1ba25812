"""Warehouse stock in the batch engine: units drawn down in decision order, as engine.py does.

    left[warehouse, sku code]  units the run may still promise (carried from chunk to chunk)
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

__all__ = ["Shortfall", "StockLedger", "stock_array"]

Ints = NDArray[np.int64]


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


@dataclass(frozen=True)
class _Entries:
    """One entry per (order, SKU) of the chosen columns: resource = warehouse * vocab + sku."""

    column: Ints
    time: Ints
    resource: Ints
    units: Ints


class StockLedger:
    """The units each warehouse has left, for one batch run (updated by `settle`)."""

    def __init__(self, net: Network, batch: OrderBatch, left: Ints) -> None:
        self.net, self.batch, self.left = net, batch, left
        self._vocab = max(1, len(batch.sku_vocab))
        self._units = batch.units
        self._channels = [np.flatnonzero(net.warehouse == w) for w in range(len(net.warehouses))]

    def shortfall(self, primary: Ints, time: Ints) -> Shortfall | None:
        """The earliest primary at a warehouse short of the order's units (None: none is)."""
        taken = self._taken(primary, time)
        before = self._drawn_before(taken, taken)
        bad = np.flatnonzero(before + taken.units > self.left.ravel()[taken.resource])
        if not bad.size:
            return None
        k = int(bad[np.argmin(taken.time[bad])])
        resource = int(taken.resource[k])
        left = int(self.left.ravel()[resource] - before[k])
        return Shortfall(int(taken.time[k]), resource // self._vocab, resource % self._vocab, left)

    def refused_after(self, blocks: list[Block], short: Shortfall) -> list[tuple[Block, Ints]]:
        """Per block: columns at or after `short.time` taking more of its SKU than it had left."""
        found = []
        for block in blocks:
            rows = block.time
            start, end = self.batch.sku_offsets[rows], self.batch.sku_offsets[rows + 1]
            entry = _expand(start, end)
            owner = np.repeat(np.arange(len(rows)), end - start)
            hit = (self.batch.sku_codes[entry] == short.sku) & (self._units[entry] > short.left)
            columns = np.unique(owner[hit])
            columns = columns[rows[columns] >= short.time]
            if columns.size:
                found.append((block, columns))
        return found

    def warehouse_channels(self, warehouse: int) -> Ints:
        return self._channels[warehouse]

    def settle(self, blocks: list[Block], primary: Ints, time: Ints) -> None:
        """Drop warehouse backups short of units when their order is decided; draw down."""
        taken = self._taken(primary, time)
        for w, channels in enumerate(self._channels):
            for block in blocks:
                local = block.group.local[channels]
                local = local[local >= 0]
                if not local.size:
                    continue
                open_columns = np.flatnonzero(np.isfinite(block.scores[local]).any(axis=0))
                if not open_columns.size:
                    continue
                wanted = self._entries(block, open_columns, w)
                short = (
                    self._drawn_before(wanted, taken) + wanted.units
                    > (self.left.ravel()[wanted.resource])
                )
                refused = np.unique(wanted.column[short])
                if refused.size:
                    block.scores[np.ix_(local, refused)] = np.inf
        drawn = np.bincount(taken.resource, weights=taken.units, minlength=self.left.size)
        self.left -= drawn.astype(np.int64).reshape(self.left.shape)

    def _taken(self, primary: Ints, time: Ints) -> _Entries:
        """Entries of the columns whose primary is at a warehouse."""
        warehouse = np.where(primary >= 0, self.net.warehouse[np.maximum(primary, 0)], -1)
        columns = np.flatnonzero(warehouse >= 0)
        return self._gather(columns, time[columns], warehouse[columns])

    def _entries(self, block: Block, columns: Ints, warehouse: int) -> _Entries:
        rows = block.time[columns]
        return self._gather(columns, rows, np.full(len(columns), warehouse, dtype=np.int64))

    def _gather(self, columns: Ints, rows: Ints, warehouse: Ints) -> _Entries:
        start, end = self.batch.sku_offsets[rows], self.batch.sku_offsets[rows + 1]
        entry, count = _expand(start, end), end - start
        codes = self.batch.sku_codes[entry].astype(np.int64)
        return _Entries(
            column=np.repeat(columns, count),
            time=np.repeat(rows, count),
            resource=np.repeat(warehouse, count) * self._vocab + codes,
            units=self._units[entry],
        )

    def _drawn_before(self, wanted: _Entries, taken: _Entries) -> Ints:
        """Per wanted entry: units of its resource taken by orders decided before it."""
        span = int(max(wanted.time.max(initial=0), taken.time.max(initial=0))) + 1
        keys = taken.resource * span + taken.time
        order = np.argsort(keys, kind="stable")
        cumulative = np.concatenate(([0], np.cumsum(taken.units[order])))
        at = np.searchsorted(keys[order], wanted.resource * span + wanted.time, side="left")
        first = np.searchsorted(keys[order], wanted.resource * span, side="left")
        drawn: Ints = cumulative[at] - cumulative[first]
        return drawn


def _expand(start: Ints, end: Ints) -> Ints:
    """Concatenated ranges start[i]:end[i] as one index array."""
    count = end - start
    if not count.size:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(start - np.concatenate(([0], np.cumsum(count)[:-1])), count)
    return np.arange(int(count.sum()), dtype=np.int64) + shift
