"""The batch engine: primary + backups for floods of orders, as NumPy arrays.

    OrderBatch ─▶ Network (catalogue/policy/conditions as arrays, destination groups)
              ─▶ per chunk of rows (in created_at order):
                   score every channel (batch_scoring) ─▶ switches ─▶ failed lanes
                   ─▶ capacity in sequence + primary ─▶ backups (batch_choice)
              ─▶ BatchResult: channel / rank score / price / on-time per slot
                 (slot 0 primary, slots 1.. backups); `decision(row)` explains one row

It gives the same primaries and backups as the scalar `Selector.assign` (property-tested);
capacity left after one chunk carries into the next, so chunking never changes an answer.
Memory: a few float matrices of channels × chunk_size, plus the result columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from tradelane.selection.backups import Ranked, diversifications
from tradelane.selection.batch_choice import (
    apply_failed,
    apply_switches,
    choose_backups,
    first_min,
    respect_capacity,
)
from tradelane.selection.batch_scoring import (
    ChunkColumns,
    chunk_columns,
    score_chunk,
    stocked_columns,
)
from tradelane.selection.decision import Decision
from tradelane.selection.engine import Selector, choice_of, initial_capacity
from tradelane.selection.network import Network
from tradelane.selection.order_batch import OrderBatch

__all__ = ["DEFAULT_CHUNK", "BatchResult", "assign_batch"]

DEFAULT_CHUNK = 65_536


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Per batch row and slot (0 = primary, 1.. = backups); channel -1 means none."""

    batch: OrderBatch
    network: Network
    channel: NDArray[np.int64]  # [row, slot] catalogue position
    rank_score: NDArray[np.float64]
    price: NDArray[np.float64]  # settlement currency
    on_time: NDArray[np.float64]
    switched_from: NDArray[np.int64]  # [row] position the primary was promoted from, or -1
    capacity_left: NDArray[np.int64] | None = field(default=None)  # per channel, after

    @property
    def primary(self) -> NDArray[np.int64]:
        return self.channel[:, 0]

    def channel_ids(self, row: int) -> tuple[str | None, tuple[str, ...]]:
        """(primary id, backup ids) of one row."""
        if self.channel[row, 0] < 0:
            return None, ()
        ids = [self.network.channels[c].id for c in self.channel[row].tolist() if c >= 0]
        return ids[0], tuple(ids[1:])

    def decision(self, row: int) -> Decision:
        """The full Decision of one row: score breakdowns, diversifications, refusals."""
        selector = self.network.selector
        facts = self.batch.facts(row)
        if self.channel[row, 0] < 0:
            return selector.decide(facts, self._capacity_at(row))
        quotes = [selector.quote_channel(facts, c) for c in self.channel[row].tolist() if c >= 0]
        ranked = [
            Ranked(q.position, q.channel, q.lane, float(self.rank_score[row, k]))  # type: ignore[arg-type]
            for k, q in enumerate(quotes)
        ]
        primary = choice_of(quotes[0], ranked[0].rank_score, ())
        moved = int(self.switched_from[row])
        if moved >= 0:
            primary = replace(primary, switched_from=self.network.channels[moved].id)
        backups = tuple(
            choice_of(q, r.rank_score, diversifications(ranked[0], r))
            for q, r in zip(quotes[1:], ranked[1:], strict=True)
        )
        return Decision(facts.order_id, selector.fx.settlement, primary, backups)

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
    channel = np.full((n, slots), -1, dtype=np.int64)
    rank_score = np.full((n, slots), np.inf)
    price, on_time = np.full((n, slots), np.nan), np.full((n, slots), np.nan)
    switched_from = np.full(n, -1, dtype=np.int64)
    capacity = _capacity_array(selector)
    stocked = stocked_columns(batch, net)
    for start in range(0, n, chunk_size):
        end = min(start + chunk_size, n)
        cols = chunk_columns(batch, net, start, end, stocked)
        scores = np.full((len(net.channels), end - start), np.inf)
        prices = np.empty_like(scores)
        score_chunk(net, cols, scores, prices)
        promoted = apply_switches(net, batch, cols, scores)
        apply_failed(net, cols, scores)
        if capacity is None:
            primary, best = first_min(scores)
        else:
            primary, best = respect_capacity(scores, cols.rows, capacity)
        has = np.isfinite(best)
        picks, ranks = choose_backups(net, cols, scores, primary, has)
        chosen = np.vstack([np.where(has, primary, -1)[None, :], picks])
        ranked = np.vstack([best[None, :], ranks])
        rows, columns = cols.rows, np.arange(end - start)
        for k in range(slots):
            found = chosen[k] >= 0
            pick = np.where(found, chosen[k], 0)
            channel[rows, k] = chosen[k]
            rank_score[rows, k] = ranked[k]
            price[rows, k] = np.where(found, prices[pick, columns], np.nan)
            on_time[rows, k] = np.where(found, _on_time(net, cols, pick), np.nan)
        if promoted is not None:
            switched_from[rows] = np.where(has, promoted[primary, columns], -1)
    return BatchResult(batch, net, channel, rank_score, price, on_time, switched_from, capacity)


def _on_time(net: Network, cols: ChunkColumns, pick: NDArray[np.int64]) -> NDArray[np.float64]:
    """On-time probability of channel `pick[column]` for each column."""
    group_lanes = np.vstack([g.lane for g in net.groups])
    group = np.repeat([g for _, _, g in cols.segments], [b - a for a, b, _ in cols.segments])
    lane = group_lanes[group, pick]
    found: NDArray[np.float64] = net.on_time[np.maximum(lane, 0), cols.slot]
    return found
