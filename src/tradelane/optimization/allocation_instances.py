"""Seeded random allocation problems: one generator for the tests and the benchmark.

Each lane is served by each channel with probability `serves`, and always by one reliable
channel (on time `reliable_on_time`). Prices sit ±20 % around a per-channel base of 3-30;
other lane reliabilities are Beta(8, 2). Each day's on-time rate falls by a uniform draw in
[0, `daily_dip`) and, on `peak_days` days from a third into the horizon, by the factor
`peak_factor`. Daily lane volumes vary ±30 % around a gamma-distributed mean. Each channel's
capacity is `capacity_factor` × the mean daily load per channel. One warm backup per lane
keeps 5 %: the reliable channel when `warm_on_reliable`, else the lane's first eligible one.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from tradelane.optimization.allocation_problem import AllocationProblem

__all__ = ["random_allocation_problem"]

START = date(2026, 12, 1)


def random_allocation_problem(
    lanes: int,
    channels: int,
    days: int,
    *,
    seed: int,
    serves: float = 0.5,
    capacity_factor: float = 1.4,
    min_on_time: float = 0.7,
    channel_cap: float = 0.7,
    carrier_cap: float = 0.8,
    carriers: int | None = None,
    reliable_on_time: float = 0.99,
    daily_dip: float = 0.05,
    peak_days: int = 0,
    peak_factor: float = 0.9,
    warm_on_reliable: bool = False,
) -> AllocationProblem:
    rng = np.random.default_rng(seed)
    rows = np.arange(lanes)
    eligible = rng.random((lanes, channels)) < serves
    reliable = rng.integers(0, channels, lanes)
    eligible[rows, reliable] = True
    price = rng.uniform(3, 30, channels)[None, :] * rng.uniform(0.8, 1.2, (lanes, channels))
    reliability = rng.beta(8, 2, (lanes, channels))
    reliability[rows, reliable] = reliable_on_time
    dip = rng.uniform(0, daily_dip, (1, 1, days)) if daily_dip > 0 else 0.0
    peak = np.ones(days)
    peak[days // 3 : days // 3 + peak_days] = peak_factor
    on_time = np.clip(reliability[:, :, None] * peak[None, None, :] - dip, 0, 1)
    volume = rng.gamma(2, 50, (lanes, 1)) * rng.uniform(0.7, 1.3, (lanes, days))
    capacity = np.full((channels, days), capacity_factor * volume.sum(axis=0) / channels)
    warm = np.zeros((lanes, channels), dtype=bool)
    warm[rows, reliable if warm_on_reliable else eligible.argmax(axis=1)] = True
    return AllocationProblem(
        lanes=tuple(f"lane-{i}" for i in range(lanes)),
        channels=tuple(f"ch-{i}" for i in range(channels)),
        carriers=tuple(f"carrier-{i % (carriers or channels)}" for i in range(channels)),
        days=tuple(START + timedelta(days=d) for d in range(days)),
        volume=volume,
        eligible=eligible,
        price=price,
        on_time=on_time,
        capacity=capacity,
        min_on_time=np.full(lanes, min_on_time),
        late_penalty=np.full(lanes, 20.0),
        warm=warm,
        channel_cap=channel_cap,
        carrier_cap=carrier_cap,
        warm_share=0.05,
    )
