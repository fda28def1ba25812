"""The batch engine: primary + backups for floods of orders, as NumPy arrays.

    OrderBatch ─▶ Network (catalogue/policy/conditions as arrays, destination groups)
              ─▶ per chunk of rows (in created_at order):
                   score every channel (batch_scoring) ─▶ switches ─▶ failed lanes
                   ─▶ capacity, share pools and warehouse units in sequence + primary
                      (batch_limits, batch_stock) ─▶ backups (batch_choice)
              ─▶ BatchResult: channel / rank score / price / on-time per slot
                 (slot 0 primary, slots 1.. backups); `decision(row)` explains one row

It gives the same primaries and backups as the scalar `Selector.assign` (property-tested);
capacity left after one chunk carries into the next, so chunking never changes an answer.
Memory: a few float matrices of channels × chunk_size, plus the result columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.backups import Ranked, diversifications
from tradelane.selection.batch_choice import apply_failed, apply_switches, choose_backups
from tradelane.selection.batch_limits import build_limits, respect_limits
from tradelane.selection.batch_scoring import (
    Block,
    block_columns,
    peak_days,
    score_block,
    stocked_columns,
)
from tradelane.selection.batch_stock import ChunkStock, stock_array
from tradelane.selection.caps import PoolLedger
from tradelane.selection.decision import Choice, Decision
from tradelane.selection.engine import Selector, initial_capacity
from tradelane.selection.facts import ParcelFacts
from tradelane.selection.network import Group, Network
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.scoring import score_channel

__all__ = ["DEFAULT_CHUNK", "BatchResult", "assign_batch"]

DEFAULT_CHUNK = 131_072  # orders decided together; their blocks stay in the L3 cache


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Per slot (0 = primary, 1.. = backups) and batch row; channel -1 means none."""

    batch: OrderBatch
    network: Network
    channel: NDArray[np.int64]  # [slot, row] catalogue position
    rank_score: NDArray[np.float64]
    price: NDArray[np.float64]  # settlement currency
    on_time: NDArray[np.float64]
    switched_from: NDArray[np.int64]  # [row] position the primary was promoted from, or -1
    peak: NDArray[np.bool_]  # [row] the order date is in a peak window
    capacity_left: NDArray[np.int64] | None = field(default=None)  # per channel, after
    cap_yielded: NDArray[np.bool_] | None = field(default=None)  # [row] only capped channels

    @property
    def primary(self) -> NDArray[np.int64]:
        first: NDArray[np.int64] = self.channel[0]
        return first

    def channel_ids(self, row: int) -> tuple[str | None, tuple[str, ...]]:
        """(primary id, backup ids) of one row."""
        if self.channel[0, row] < 0:
            return None, ()
        ids = [self.network.channels[c].id for c in self.channel[:, row].tolist() if c >= 0]
        return ids[0], tuple(ids[1:])

    def decision(self, row: int, facts: ParcelFacts | None = None) -> Decision:
        """The full Decision of one row: score breakdowns, diversifications, refusals.

        Built from the result arrays and scoring.score_channel (the scalar engine's own
        scoring), so it equals `Selector.assign`'s Decision for the same row."""
        selector = self.network.selector
        facts = facts or self.batch.facts(row)
        if self.channel[0, row] < 0:
            return selector.decide(
                facts, self._capacity_at(row), self._pools_at(row), self._stock_at(row, facts)
            )
        net = self.network
        group = net.groups[int(self._group_of_row[row])]
        ranks, prices = self.rank_score[:, row].tolist(), self.price[:, row].tolist()
        ranked = [
            Ranked(c, net.channels[c], net.lanes[group.lane_of[c]][1], ranks[k])
            for k, c in enumerate(self.channel[:, row].tolist())
            if c >= 0
        ]
        column = int(self.peak[row]) * net.slots + facts.promised_days
        moved = int(self.switched_from[row])
        choices = [
            self._choice(
                facts,
                group,
                column,
                r,
                prices[k],
                () if k == 0 else diversifications(ranked[0], r),
                net.channels[moved].id if k == 0 and moved >= 0 else None,
            )
            for k, r in enumerate(ranked)
        ]
        return Decision(facts.order_id, selector.fx.settlement, choices[0], tuple(choices[1:]))

    def _choice(
        self,
        facts: ParcelFacts,
        group: Group,
        column: int,
        ranked: Ranked,
        price: float,
        diversified: tuple[str, ...],
        switched_from: str | None,
    ) -> Choice:
        net, lane = self.network, group.lane_of[ranked.position]
        on_time, late = float(net.on_time[lane, column]), float(net.late_days[lane, column])
        breakdown = score_channel(
            facts,
            mode=ranked.channel.mode,
            price=price,
            on_time_probability=on_time,
            expected_late_days=late,
            state_penalty=group.penalty_of[ranked.position],
            policy=net.selector.policy,
        )
        return Choice(
            ranked.channel.id,
            price,
            on_time,
            late,
            breakdown,
            ranked.rank_score,
            diversified,
            switched_from,
        )

    @cached_property
    def _group_of_row(self) -> NDArray[np.int32]:
        found: NDArray[np.int32] = self.network.group_of_location[self.batch.location]
        return found

    @cached_property
    def _rows_by_primary(self) -> list[NDArray[np.int64]]:
        return [np.flatnonzero(self.primary == c) for c in range(len(self.network.channels))]

    def _capacity_at(self, row: int) -> dict[str, int] | None:
        """Capacity each channel had left when `row` was decided."""
        start = initial_capacity(self.network.selector.catalogue, self.network.selector.conditions)
        if start is None:
            return None
        return {
            ch.id: start[ch.id] - int(np.searchsorted(self._rows_by_primary[c], row))
            for c, ch in enumerate(self.network.channels)
        }

    @cached_property
    def _drawn(self) -> dict[tuple[int, int], tuple[NDArray[np.int64], NDArray[np.int64]]]:
        """(warehouse, sku code) -> (rows whose primary drew it, ascending; cumulative units)."""
        net, batch = self.network, self.batch
        rows = np.flatnonzero((self.primary >= 0) & (net.warehouse[self.primary] >= 0))
        units, found = batch.units, {}
        pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for row in rows.tolist():
            w = int(net.warehouse[self.primary[row]])
            for k in range(int(batch.sku_offsets[row]), int(batch.sku_offsets[row + 1])):
                pairs.setdefault((w, int(batch.sku_codes[k])), []).append((row, int(units[k])))
        for key, taken in pairs.items():
            drawn = np.array(taken, dtype=np.int64)
            found[key] = (drawn[:, 0], np.concatenate(([0], np.cumsum(drawn[:, 1]))))
        return found

    def _stock_at(self, row: int, facts: ParcelFacts) -> dict[str, dict[str, int]]:
        """Units of the order's SKUs each warehouse had left when `row` was decided."""
        net, inventory = self.network, self.network.selector.conditions.inventory
        codes = self.batch.sku_codes[self.batch.sku_offsets[row] : self.batch.sku_offsets[row + 1]]
        left: dict[str, dict[str, int]] = {}
        for w, warehouse in enumerate(net.warehouses):
            held = inventory.get(warehouse, {})
            left[warehouse] = {}
            for code in codes.tolist():
                sku = self.batch.sku_vocab[code]
                rows, cumulative = self._drawn.get((w, code), (np.zeros(0, np.int64), [0]))
                left[warehouse][sku] = held.get(sku, 0) - int(
                    cumulative[int(np.searchsorted(rows, row))]
                )
        return left

    @cached_property
    def _country_of_row(self) -> NDArray[np.int64]:
        """Per row: index of its destination country in `_countries`."""
        codes = np.array([self._countries.index(g.country) for g in self.network.groups])
        found: NDArray[np.int64] = codes[self._group_of_row] if len(codes) else codes
        return found

    @cached_property
    def _countries(self) -> list[str]:
        return sorted({g.country for g in self.network.groups})

    def _pools_at(self, row: int) -> PoolLedger:
        """Share pools as they stood when `row` was decided."""
        ledger = self.network.selector.pools(lane_orders(self.network, self.batch))
        before, width = self.primary[:row], len(self.network.channels)
        assert self.cap_yielded is not None
        taken = (before >= 0) & ~self.cap_yielded[:row]
        cells, counts = np.unique(
            self._country_of_row[:row][taken] * width + before[taken], return_counts=True
        )
        for cell, count in zip(cells.tolist(), counts.tolist(), strict=True):
            country, channel = divmod(cell, width)
            ledger.take(self.network.channels[channel].id, self._countries[country], count)
        return ledger


def lane_orders(net: Network, batch: OrderBatch) -> dict[str, int]:
    """Orders of the batch per destination country."""
    per_group = np.bincount(net.group_of_location[batch.location], minlength=len(net.groups))
    orders: dict[str, int] = {}
    for group, count in zip(net.groups, per_group.tolist(), strict=True):
        if count:
            orders[group.country] = orders.get(group.country, 0) + count
    return orders


def _capacity_array(selector: Selector) -> NDArray[np.int64] | None:
    start = initial_capacity(selector.catalogue, selector.conditions)
    if start is None:
        return None
    return np.array([start[ch.id] for ch in selector.catalogue.channels], dtype=np.int64)


def assign_batch(
    batch: OrderBatch, selector: Selector, *, chunk_size: int = DEFAULT_CHUNK
) -> BatchResult:
    """Primary and backups for every row of `batch` (rows in created_at order)."""
    net = Network(selector, batch)
    n, slots = len(batch), 1 + selector.policy.backups
    yielded_rows = np.zeros(n, dtype=np.bool_)  # share caps yielded for the row's primary
    out = BatchResult(
        batch,
        net,
        channel=np.full((slots, n), -1, dtype=np.int64),
        rank_score=np.full((slots, n), np.inf),
        price=np.full((slots, n), np.nan),
        on_time=np.full((slots, n), np.nan),
        switched_from=np.full(n, -1, dtype=np.int64),
        peak=peak_days(batch, net),
        capacity_left=_capacity_array(selector),
        cap_yielded=yielded_rows,
    )
    pools = selector.pools(lane_orders(net, batch)).pools
    limits = build_limits(net, out.capacity_left, pools)
    stocked, peak = stocked_columns(batch, net), out.peak
    left = stock_array(net, batch) if net.warehouses else None
    for start in range(0, n, chunk_size):
        end = min(start + chunk_size, n)
        blocks = _score_blocks(net, batch, start, end, stocked, peak)
        apply_switches(net, batch, blocks)
        apply_failed(blocks)
        stock = None if left is None else ChunkStock(net, batch, blocks, left)
        primary, best, yielded = respect_limits(blocks, end - start, limits, stock)
        if blocks:
            yielded_rows[np.concatenate([b.time for b in blocks])] = yielded
        picks, ranks = choose_backups(net, blocks, primary, selector.policy.backups)
        chosen = np.vstack([primary[None, :], picks])
        ranked = np.vstack([best[None, :], ranks])
        _record(net, blocks, chosen, ranked, out)
    if limits is not None and out.capacity_left is not None:
        out.capacity_left[:] = limits.left[: limits.capacity_pools]
    return out


def _score_blocks(
    net: Network,
    batch: OrderBatch,
    start: int,
    end: int,
    stocked: NDArray[np.bool_],
    peak: NDArray[np.bool_],
) -> list[Block]:
    """Rows start..end grouped by destination group: one scored block per group."""
    groups = net.group_of_location[batch.location[start:end]]
    if len(net.groups) < 2**15:  # small integer keys sort by radix sort
        groups = groups.astype(np.int16)
    order = np.argsort(groups, kind="stable")
    cuts = np.searchsorted(groups[order], np.arange(len(net.groups) + 1))
    blocks = []
    for g, group in enumerate(net.groups):
        first, last = int(cuts[g]), int(cuts[g + 1])
        if last > first:
            rows = order[first:last].astype(np.int64) + start
            cols = block_columns(batch, net, rows, group.market, stocked, peak)
            blocks.append(score_block(net, group, cols, slice(first, last)))
    return blocks


def _record(
    net: Network,
    blocks: list[Block],
    chosen: NDArray[np.int64],
    ranked: NDArray[np.float64],
    out: BatchResult,
) -> None:
    """Write one chunk's chosen channels and their numbers into the result rows."""
    price, on_time = np.full(chosen.shape, np.nan), np.full(chosen.shape, np.nan)
    moved = np.full(chosen.shape[1], -1, dtype=np.int64)
    for block in blocks:
        group, span = block.group, block.span
        if not len(group.channels):
            continue
        columns = np.arange(span.stop - span.start)
        local = group.local[chosen[:, span]]
        found = local >= 0
        for k in range(chosen.shape[0]):
            at, where = local[k], found[k]
            price[k, span][where] = block.prices[at[where], columns[where]]
            on_time[k, span][where] = net.on_time[group.lane[at[where]], block.slot[where]]
        if block.promoted is not None:
            primary = local[0]
            moved[span][found[0]] = block.promoted[primary[found[0]], columns[found[0]]]
    rows = np.concatenate([b.time for b in blocks])
    out.channel[:, rows] = chosen
    out.rank_score[:, rows] = ranked
    out.price[:, rows] = price
    out.on_time[:, rows] = on_time
    out.switched_from[rows] = moved
