"""Allocation ratios: each channel's share of each lane's daily volume, at least cost.

    problem ─▶ per day: DayRows ─▶ HiGHS (dual simplex, warm-started from the day before)
            ─▶ optimal: shares = parcels / lane volume
            ─▶ infeasible: elastic re-solve names the constraints that need slack

The days share no constraint, so solving them one by one is solving the horizon's program
exactly; only right-hand sides and on-time values change from day to day, so each day after
the first starts from an optimal basis and takes few iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradelane.optimization.allocation_diagnosis import BindingConstraint, binding_constraints
from tradelane.optimization.allocation_problem import AllocationProblem, FloatArray
from tradelane.optimization.allocation_rows import DayRows
from tradelane.optimization.highs_lp import WarmSolver

__all__ = ["MIN_SHARE", "Allocation", "allocation_cost", "solve_allocation"]

MIN_SHARE = 1e-6  # a pair below this share of its lane is not part of the plan


@dataclass(frozen=True)
class Allocation:
    """`shares[l, c, d]`: channel c's share of lane l's volume on day d (0 on empty days)."""

    problem: AllocationProblem
    status: str  # "optimal" or "infeasible"
    shares: FloatArray
    cost: float  # shipping + expected late parcels × penalty, over the horizon
    binding: tuple[BindingConstraint, ...] = ()

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    def lane_shares(self) -> dict[tuple[str, str], float]:
        """(lane, channel) -> the channel's share of the lane's volume over the whole horizon,
        for pairs given more than MIN_SHARE. A channel the plan gives no share keeps no quota:
        quotas cap concentration on the channels the plan uses and never forbid a channel an
        order may need (batteries, weights the lane's typical parcel does not have)."""
        problem = self.problem
        parcels = self.shares * problem.volume[:, None, :]
        total = problem.volume.sum(axis=1)
        found = {}
        for lane, channel in zip(*problem.pairs, strict=True):
            share = float(parcels[lane, channel].sum() / total[lane]) if total[lane] > 0 else 0.0
            if share > MIN_SHARE:
                found[(problem.lanes[lane], problem.channels[channel])] = round(share, 6)
        return found

    def on_time_rate(self) -> FloatArray:
        """Expected on-time rate of every lane and day under these shares."""
        rate: FloatArray = np.einsum("lcd,lcd->ld", self.shares, self.problem.on_time)
        return rate


def allocation_cost(problem: AllocationProblem, parcels: FloatArray) -> float:
    """Cost of `parcels[l, c, d]` parcels: price + P(late) × penalty each."""
    late = (1.0 - problem.on_time) * problem.late_penalty[:, None, None]
    price = np.where(problem.eligible, problem.price, 0.0)[:, :, None]
    return float(np.sum(parcels * (price + late)))


def solve_allocation(problem: AllocationProblem) -> Allocation:
    """The least-cost shares meeting every constraint, or the constraints that prevent them."""
    rows, solver = DayRows.of(problem), WarmSolver()
    lanes, channels = problem.pairs
    parcels = np.zeros(problem.on_time.shape)
    infeasible: list[int] = []
    for day in range(len(problem.days)):
        solution = solver.solve(
            problem.unit_cost(day), rows.matrix(day), rows.row_bounds(day), rows.col_bounds(day)
        )
        if not solution.optimal:
            infeasible.append(day)
            continue
        parcels[lanes, channels, day] = np.maximum(solution.x, 0.0)
    volume = problem.volume[:, None, :]
    shares = np.divide(parcels, volume, out=np.zeros_like(parcels), where=volume > 0)
    if infeasible:
        binding = tuple(b for day in infeasible for b in binding_constraints(rows, day))
        return Allocation(problem, "infeasible", shares, float("nan"), binding)
    return Allocation(problem, "optimal", shares, allocation_cost(problem, parcels))
