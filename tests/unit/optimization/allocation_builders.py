"""Seeded random allocation problems for the tests and the benchmark."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from tradelane.optimization.allocation_problem import AllocationProblem


def random_problem(
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
) -> AllocationProblem:
    rng = np.random.default_rng(seed)
    eligible = rng.random((lanes, channels)) < serves
    reliable = rng.integers(0, channels, lanes)
    eligible[np.arange(lanes), reliable] = True
    base_price = rng.uniform(3, 30, channels)
    price = base_price[None, :] * rng.uniform(0.8, 1.2, (lanes, channels))
    reliability = rng.beta(8, 2, (lanes, channels))
    reliability[np.arange(lanes), reliable] = 0.99
    on_time = np.clip(reliability[:, :, None] - rng.uniform(0, 0.05, (1, 1, days)), 0, 1)
    volume = rng.gamma(2, 50, (lanes, 1)) * rng.uniform(0.7, 1.3, (lanes, days))
    capacity = np.full((channels, days), capacity_factor * volume.sum(axis=0) / channels)
    warm = np.zeros((lanes, channels), dtype=bool)
    first = eligible.argmax(axis=1)
    warm[np.arange(lanes), first] = True
    start = date(2026, 12, 1)
    return AllocationProblem(
        lanes=tuple(f"lane-{i}" for i in range(lanes)),
        channels=tuple(f"ch-{i}" for i in range(channels)),
        carriers=tuple(f"carrier-{i % (carriers or channels)}" for i in range(channels)),
        days=tuple(start + timedelta(days=d) for d in range(days)),
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
