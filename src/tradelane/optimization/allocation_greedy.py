"""The plain baseline: per day and lane, fill the cheapest channels that meet the lane's
on-time floor first, within the channel and carrier caps and the capacity left that day.

Warm backups get their minimum first; lanes are served in catalogue order (earlier lanes take
the cheap capacity); volume no channel meeting the floor can take goes to the cheapest other
channels with room, and what still fits nowhere is left unplaced (reported, not priced).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradelane.optimization.allocation import allocation_cost
from tradelane.optimization.allocation_problem import AllocationProblem, FloatArray

__all__ = ["GreedyAllocation", "greedy_allocation"]


@dataclass(frozen=True)
class GreedyAllocation:
    parcels: FloatArray  # [lane, channel, day]
    cost: float
    unplaced_parcels: float


def _fill(
    problem: AllocationProblem, lane: int, day: int, order: list[int], room: FloatArray
) -> FloatArray:
    """Parcels per channel for one lane-day, taking `room` (capacity left) as it goes."""
    volume = problem.volume[lane, day]
    taken = np.zeros(len(problem.channels))
    carrier_left = dict.fromkeys(problem.carriers, problem.carrier_cap * volume)
    warm = np.flatnonzero(problem.warm[lane])
    for channel, share_limit in [(c, problem.warm_share) for c in warm] + [
        (c, problem.channel_cap) for c in order
    ]:
        carrier = problem.carriers[channel]
        amount = min(
            share_limit * volume - taken[channel],
            carrier_left[carrier],
            room[channel],
            volume - taken.sum(),
        )
        if amount > 0:
            taken[channel] += amount
            carrier_left[carrier] -= amount
            room[channel] -= amount
    return taken


def greedy_allocation(problem: AllocationProblem) -> GreedyAllocation:
    parcels = np.zeros(problem.on_time.shape)
    for day in range(len(problem.days)):
        room = problem.capacity[:, day].astype(float)
        for lane in range(len(problem.lanes)):
            eligible = np.flatnonzero(problem.eligible[lane])
            by_price = eligible[np.argsort(problem.price[lane, eligible], kind="stable")]
            meets = problem.on_time[lane, by_price, day] >= problem.min_on_time[lane]
            order = [int(c) for c in by_price[meets]] + [int(c) for c in by_price[~meets]]
            parcels[lane, :, day] = _fill(problem, lane, day, order, room)
    unplaced = float(problem.volume.sum() - parcels.sum())
    return GreedyAllocation(parcels, allocation_cost(problem, parcels), max(unplaced, 0.0))
