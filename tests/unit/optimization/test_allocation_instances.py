"""The seeded instance generator shared by the allocation tests and the benchmark."""

from __future__ import annotations

import numpy as np
import pytest

from tradelane.optimization.allocation_instances import random_allocation_problem


@pytest.mark.parametrize("warm_on_reliable", [False, True])
def test_every_lane_has_an_eligible_warm_backup(warm_on_reliable: bool) -> None:
    problem = random_allocation_problem(
        50, 6, 3, seed=1, serves=0.2, warm_on_reliable=warm_on_reliable
    )
    assert (problem.warm.sum(axis=1) == 1).all()
    assert not (problem.warm & ~problem.eligible).any()


def test_peak_days_fall_by_the_peak_factor_from_a_third_into_the_horizon() -> None:
    problem = random_allocation_problem(
        10, 4, 9, seed=2, daily_dip=0.0, peak_days=2, peak_factor=0.8
    )
    ratio = problem.on_time / problem.on_time[:, :, :1]
    assert np.allclose(ratio[:, :, 3:5], 0.8) and np.allclose(ratio[:, :, [0, 1, 2, 5]], 1.0)


def test_the_same_seed_gives_the_same_problem_and_another_seed_another() -> None:
    first, again, other = (random_allocation_problem(8, 4, 2, seed=s) for s in (5, 5, 6))
    assert np.array_equal(first.on_time, again.on_time)
    assert np.array_equal(first.volume, again.volume)
    assert not np.array_equal(first.volume, other.volume)
