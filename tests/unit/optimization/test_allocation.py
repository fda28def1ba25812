"""The allocation program against brute force, a greedy baseline and an infeasible instance."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from tradelane.optimization.allocation import allocation_cost, solve_allocation
from tradelane.optimization.allocation_greedy import greedy_allocation
from tradelane.optimization.allocation_instances import random_allocation_problem as random_problem
from tradelane.optimization.allocation_problem import AllocationProblem

STEP = 0.02


def _grid(channels: int) -> np.ndarray:
    """Every share vector over `channels` on a STEP grid that sums to 1."""
    units = round(1 / STEP)
    points = [
        c for c in itertools.product(range(units + 1), repeat=channels - 1) if sum(c) <= units
    ]
    head = np.array(points, dtype=float)
    return np.column_stack([head, units - head.sum(axis=1)]) * STEP


def _brute_force(problem: AllocationProblem) -> float:
    """Least cost over every grid combination of two lanes' shares that meets every constraint."""
    assert len(problem.lanes) == 2 and len(problem.days) == 1
    grid = _grid(len(problem.channels))
    feasible_per_lane = []
    for lane in range(2):
        shares = grid
        ok = np.all(shares <= problem.channel_cap + 1e-9, axis=1)
        ok &= np.all((shares > 0) <= problem.eligible[lane], axis=1)
        ok &= np.all(shares >= problem.warm[lane] * problem.warm_share - 1e-9, axis=1)
        ok &= shares @ problem.on_time[lane, :, 0] >= problem.min_on_time[lane] - 1e-9
        for carrier in set(problem.carriers):
            members = [c == carrier for c in problem.carriers]
            ok &= shares[:, members].sum(axis=1) <= problem.carrier_cap + 1e-9
        feasible_per_lane.append(shares[ok] * problem.volume[lane, 0])
    a, b = feasible_per_lane
    load = a[:, None, :] + b[None, :, :]
    fits = np.all(load <= problem.capacity[:, 0] + 1e-9, axis=2)
    late = (1 - problem.on_time[:, :, 0]) * problem.late_penalty[:, None]
    unit = np.where(problem.eligible, problem.price, 0) + late
    cost = (a @ unit[0])[:, None] + (b @ unit[1])[None, :]
    return float(cost[fits].min())


def test_the_program_matches_brute_force_on_small_instances() -> None:
    for seed in range(4):
        problem = random_problem(2, 3, 1, seed=seed, serves=1.0, capacity_factor=1.15)
        problem = replace(problem, carriers=("a", "a", "b"))
        allocation = solve_allocation(problem)
        brute = _brute_force(problem)
        assert allocation.optimal
        assert allocation.cost <= brute + 1e-6
        # the grid optimum is within one grid step of the exact optimum
        assert brute - allocation.cost <= 0.03 * allocation.cost


def test_the_allocation_meets_every_constraint() -> None:
    problem = random_problem(30, 8, 5, seed=3, carriers=4)
    allocation = solve_allocation(problem)
    parcels = allocation.shares * problem.volume[:, None, :]
    assert allocation.optimal
    np.testing.assert_allclose(allocation.shares.sum(axis=1), 1.0, atol=1e-7)
    assert np.all(parcels.sum(axis=0) <= problem.capacity + 1e-6)
    assert np.all(allocation.on_time_rate() >= problem.min_on_time[:, None] - 1e-7)
    assert np.all(allocation.shares <= problem.channel_cap + 1e-7)
    assert np.all(allocation.shares[problem.warm] >= problem.warm_share - 1e-7)
    assert np.all(allocation.shares[~problem.eligible] == 0)
    assert allocation.cost == allocation_cost(problem, parcels)


def test_the_program_beats_the_greedy_baseline_on_a_large_instance() -> None:
    problem = random_problem(300, 20, 3, seed=11, serves=0.4, carriers=8, capacity_factor=1.6)
    allocation = solve_allocation(problem)
    greedy = greedy_allocation(problem)
    gap = (greedy.cost - allocation.cost) / allocation.cost
    print(
        f"greedy costs {gap:.1%} more than the program ({greedy.cost:,.0f} vs "
        f"{allocation.cost:,.0f}), leaving {greedy.unplaced_parcels:,.0f} parcels unplaced"
    )
    assert allocation.optimal
    assert greedy.unplaced_parcels == 0
    assert greedy.cost > allocation.cost * 1.001


def test_an_infeasible_instance_names_its_binding_constraints() -> None:
    problem = random_problem(4, 3, 2, seed=5, serves=1.0, capacity_factor=2.0)
    short = problem.capacity.copy()
    short[:, 1] = problem.volume[:, 1].sum() * 0.2  # day 2: room for 60 % of the volume
    allocation = solve_allocation(replace(problem, capacity=short))
    assert not allocation.optimal
    families = {b.family for b in allocation.binding}
    assert families == {"capacity"}
    assert {b.day for b in allocation.binding} == {problem.days[1]}
    needed = sum(b.slack_parcels for b in allocation.binding)
    assert abs(needed - problem.volume[:, 1].sum() * 0.4) < 1e-6


def test_an_unreachable_on_time_floor_is_named_per_lane() -> None:
    problem = random_problem(3, 4, 1, seed=2, serves=1.0, capacity_factor=3.0)
    floors = problem.min_on_time.copy()
    floors[1] = 0.999
    allocation = solve_allocation(replace(problem, min_on_time=floors))
    assert not allocation.optimal
    assert {(b.family, b.lane) for b in allocation.binding} == {("on_time", "lane-1")}
