"""Peak-season simulation throughput: the array model vs one SimPy process per parcel.

    python bench/simulate.py [--size 100000] [--baseline-size 20000] [--strategy static_backup]

Both run the packaged `default` scenario (30 days of orders, 45 to drain) scaled so the
season holds about `--size` parcels, with the baseline router and an event-counting tracker.
The baseline gives every parcel its own SimPy process that sleeps through each stage (same
routes, same transit draws, no capacity queues), so it does less work per parcel than the
model. The last line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.files.scenario_file import read_scenario
from tradelane.simulation.events import CountingTracker
from tradelane.simulation.model import SeasonModel, Services, simulate
from tradelane.simulation.order_batch import OrderBatch
from tradelane.simulation.routing import CheapestEligibleRouter
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.strategies import Strategy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--baseline-size", type=int, default=20_000)
    parser.add_argument("--strategy", default="static_backup")
    args = parser.parse_args()
    scenario, catalogue = read_scenario("default")
    expected = float(scenario.hourly_order_rates().sum())
    strategy = Strategy.named(args.strategy)

    def fast() -> tuple[int, int]:
        season = scenario.scaled(args.size / expected)
        services = Services(
            CheapestEligibleRouter(catalogue, stock=season.stocked_skus()), CountingTracker()
        )
        run = simulate(season, catalogue, strategy, services)
        return len(run.outcomes), run.events_emitted

    (parcels, events), seconds = timed(fast)
    small = scenario.scaled(args.baseline_size / expected)
    (base_parcels, base_events), base_seconds = timed(lambda: one_process_per_parcel(small))
    rate, base_rate = parcels / seconds, base_parcels / base_seconds
    print(f"model: {parcels:,} parcels, {events:,} events in {seconds:.1f} s ({rate:,.0f}/s)")
    print(f"baseline: {base_parcels:,} parcels, {base_events:,} events ({base_rate:,.0f}/s)")
    report(
        {
            "bench": "simulate",
            "parcels": parcels,
            "events": events,
            "days": scenario.days,
            "strategy": strategy.kind.value,
            "baseline_parcels": base_parcels,
            "seconds": round(seconds, 2),
            "per_second": round(rate),
            "baseline_per_second": round(base_rate),
            "ratio": round(rate / base_rate, 1),
        }
    )


def one_process_per_parcel(scenario: Scenario) -> tuple[int, int]:
    """The naive design: one SimPy process per parcel, stage by stage, events in a list."""
    catalogue = read_scenario("default")[1]
    services = Services(
        CheapestEligibleRouter(catalogue, stock=scenario.stocked_skus()), CountingTracker()
    )
    model = SeasonModel(scenario, catalogue, Strategy.named("primary_only"), services)
    env, net, table = simpy.Environment(), model.network, model.table
    events: list[tuple[int, str, float]] = []
    router = model.services.router
    routes = router.route(OrderBatch(model.orders, 0, len(model.orders)), now=scenario.start)
    index = net.channel_index

    def parcel(row: int, channel: int) -> Generator[simpy.Event, Any, None]:
        yield env.timeout(max(0.0, model.created_h[row] - env.now))
        legs = net.leg_hours(
            np.array([channel]),
            table.country[[row]],
            model.stages.draws.transit_z[[row]],
            np.array([env.now]),
        )[:, 0]
        events.append((row, "info_received", env.now))
        yield env.timeout((net.cutoff_h[channel] - env.now) % 24.0)
        events.append((row, "picked_up", env.now))
        yield env.timeout(legs[0] + (net.departure_h[channel][0] - env.now - legs[0]) % 24.0)
        events.append((row, "departed_origin", env.now))
        for milestone, hours in (
            ("arrived_destination_country", legs[1]),
            ("customs_cleared", legs[2]),
            ("out_for_delivery", legs[3] * 0.9),
            ("delivered", legs[3] * 0.1),
        ):
            yield env.timeout(hours)
            events.append((row, milestone, env.now))

    for route in routes:
        row = int(route.order_id.rsplit("-", 1)[1]) - 1
        env.process(parcel(row, index[route.channel_id]))
    env.run()
    return len(routes), len(events)


if __name__ == "__main__":
    main()
