"""Allocation ratios: the linear program vs the greedy cheapest-eligible baseline, same problem.

    python bench/allocate.py [--lanes 2000] [--channels 40] [--days 30] [--serves 0.3]

A seeded synthetic network: 40 channels of 14 carriers, each serving a lane with probability
`--serves` (and every lane has one reliable channel), prices around a per-channel base, lane
reliabilities Beta(8, 2) that fall 10 % on four peak days, daily lane volumes ±30 % around a
gamma-distributed mean, capacity 1.3 × the mean daily load per channel, on-time floor 0.6,
channel cap 0.6, carrier cap 0.7, one warm backup per lane at 5 %. Both costs are
shipping + expected late parcels × 20. The last line is the JSON figures line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.optimization.allocation import solve_allocation
from tradelane.optimization.allocation_greedy import greedy_allocation
from tradelane.optimization.allocation_instances import random_allocation_problem
from tradelane.optimization.allocation_problem import AllocationProblem

CARRIERS = 14


def network(lanes: int, channels: int, days: int, serves: float, seed: int) -> AllocationProblem:
    return random_allocation_problem(
        lanes,
        channels,
        days,
        seed=seed,
        serves=serves,
        capacity_factor=1.3,
        min_on_time=0.6,
        channel_cap=0.6,
        carrier_cap=0.7,
        carriers=CARRIERS,
        reliable_on_time=0.97,
        daily_dip=0.0,
        peak_days=4,
        warm_on_reliable=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lanes", type=int, default=2000)
    parser.add_argument("--channels", type=int, default=40)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--serves", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    problem = network(args.lanes, args.channels, args.days, args.serves, args.seed)
    cpu = time.process_time()
    allocation, seconds = timed(lambda: solve_allocation(problem))
    cpu_seconds = time.process_time() - cpu
    greedy, greedy_seconds = timed(lambda: greedy_allocation(problem))
    print(f"program: {allocation.status}, cost {allocation.cost:,.0f} in {seconds:.2f} s")
    print(f"greedy: cost {greedy.cost:,.0f} ({greedy.unplaced_parcels:,.0f} parcels unplaced)")
    report(
        {
            "bench": "allocate",
            "status": allocation.status,
            "lanes": args.lanes,
            "channels": args.channels,
            "days": args.days,
            "eligible_pairs": int(problem.eligible.sum()),
            "variables": int(problem.eligible.sum()) * args.days,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu_seconds, 3),
            "lp_cost": round(allocation.cost, 2),
            "greedy_cost": round(greedy.cost, 2),
            "greedy_unplaced_parcels": round(greedy.unplaced_parcels, 1),
            "cost_gap_pct": round(100 * (greedy.cost - allocation.cost) / allocation.cost, 2),
            "greedy_seconds": round(greedy_seconds, 3),
        }
    )


if __name__ == "__main__":
    main()
