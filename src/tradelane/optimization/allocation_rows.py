"""The constraint matrix of one day's allocation program, in parcels.

Columns are eligible (lane, channel) pairs, lane-major; a column's value is the parcels the
channel takes from the lane that day. Rows, in this order:

    lane volume   Σ_c y[l, c]              = volume[l, d]                     (L rows)
    capacity      Σ_l y[l, c]              ≤ capacity[c, d]                   (C rows)
    on-time       Σ_c p[l, c, d] · y[l, c] ≥ min_on_time[l] · volume[l, d]    (L rows)
    carrier cap   Σ_{c of k} y[l, c]       ≤ carrier_cap · volume[l, d]       (one per lane and
                                                                               carrier with two
                                                                               or more channels)
Column bounds carry the channel cap (≤ channel_cap · volume) and the warm-backup minimum
(≥ warm_share · volume). Only the on-time values and the right-hand sides change by day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tradelane.optimization.allocation_problem import AllocationProblem, FloatArray

__all__ = ["DayRows"]


def _carrier_groups(problem: AllocationProblem) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """(group of each pair or -1, lane of each group) for carrier groups of 2+ channels."""
    lanes, channels = problem.pairs
    if problem.carrier_cap >= 1.0 or lanes.size == 0:
        return np.full(lanes.size, -1), np.zeros(0, dtype=np.intp)
    names = sorted(set(problem.carriers))
    carrier = np.array([names.index(name) for name in problem.carriers])[channels]
    keys, group, counts = np.unique(
        lanes * len(names) + carrier, return_inverse=True, return_counts=True
    )
    shared = counts >= 2
    renumber = np.cumsum(shared) - 1
    return np.where(shared[group], renumber[group], -1), (keys[shared] // len(names))


@dataclass(frozen=True)
class DayRows:
    """The fixed sparsity of the day program; `matrix(day)` fills in the on-time values."""

    problem: AllocationProblem
    group: NDArray[np.intp]  # carrier group of each pair, -1 for none
    group_lane: NDArray[np.intp]  # lane of each carrier group
    rows: NDArray[np.intp]
    cols: NDArray[np.intp]

    @classmethod
    def of(cls, problem: AllocationProblem) -> DayRows:
        lanes, channels = problem.pairs
        count, n_lanes, n_channels = lanes.size, len(problem.lanes), len(problem.channels)
        group, group_lane = _carrier_groups(problem)
        pair = np.arange(count)
        grouped = group >= 0
        first_group = 2 * n_lanes + n_channels
        rows = np.concatenate(
            [lanes, n_lanes + channels, n_lanes + n_channels + lanes, group[grouped] + first_group]
        )
        cols = np.concatenate([pair, pair, pair, pair[grouped]])
        return cls(problem, group, group_lane, rows, cols)

    @property
    def n_rows(self) -> int:
        return 2 * len(self.problem.lanes) + len(self.problem.channels) + self.group_lane.size

    @property
    def n_cols(self) -> int:
        return self.group.size

    def matrix(self, day: int) -> sp.csc_matrix:
        lanes, channels = self.problem.pairs
        ones = np.ones(lanes.size)
        values = np.concatenate(
            [ones, ones, self.problem.on_time[lanes, channels, day], ones[self.group >= 0]]
        )
        return sp.csc_matrix((values, (self.rows, self.cols)), shape=(self.n_rows, self.n_cols))

    def row_bounds(self, day: int) -> tuple[FloatArray, FloatArray]:
        p = self.problem
        volume = p.volume[:, day]
        open_groups = np.full(self.group_lane.size, -np.inf)
        lower = np.concatenate(
            [volume, np.full(len(p.channels), -np.inf), p.min_on_time * volume, open_groups]
        )
        no_floor = np.full(len(p.lanes), np.inf)
        upper = np.concatenate(
            [volume, p.capacity[:, day], no_floor, p.carrier_cap * volume[self.group_lane]]
        )
        return lower, upper

    def col_bounds(self, day: int) -> tuple[FloatArray, FloatArray]:
        p = self.problem
        lanes, channels = p.pairs
        volume = p.volume[lanes, day]
        lower = np.where(p.warm[lanes, channels], p.warm_share * volume, 0.0)
        return lower, p.channel_cap * volume
