"""The peak-season model: SimPy processes in simulated hours, parcels moved as arrays.

    hourly      orders of the past hour ─▶ Router ─▶ switches in force ─▶ labels
    cut-off     each channel picks up its queue up to capacity
    departure   each channel's line haul leaves with capacity (cancellations)
    every 4 h   each customs port clears up to its throughput
    hourly      events of the past hour ─▶ Tracker.record
    hh:30/6 h   automated: Monitor.sweep, Switcher.evaluate · static backup: the manual desk
    hh:45       backlog per channel sampled from the live queues

One process per schedule (channel, port, clock), never per parcel: a season of a million
parcels is a few tens of thousands of SimPy events. A stage serves parcels ready strictly
before its moment, so processes that share an instant cannot race. Same scenario, seed and
ports: same run.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import simpy

from tradelane.domain.catalog import Catalogue
from tradelane.simulation.clock import SimClock
from tradelane.simulation.control import Control
from tradelane.simulation.events import EventBatch, EventCalendar, EventContext
from tradelane.simulation.network import CUSTOMS_TICK_HOURS, Network, build_network
from tradelane.simulation.oracle import Oracle
from tradelane.simulation.order_batch import OrderBatch
from tradelane.simulation.order_stream import OrderColumns, draw_order_columns
from tradelane.simulation.parcels import Outcomes, ParcelDraws, ParcelTable
from tradelane.simulation.ports import AdvisoryBoard, Monitor, Router, Switcher, Tracker
from tradelane.simulation.routes import RouteIntake
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.stages import Stages
from tradelane.simulation.strategies import Strategy, StrategyKind

__all__ = ["Progress", "SeasonModel", "Services", "simulate"]

Progress = Callable[[float, float], None]
Process = Generator[simpy.Event, Any, None]
ORDER_STREAM, PARCEL_STREAM, DEPARTURE_STREAM = 1, 2, 3


@dataclass(frozen=True)
class Services:
    """The ports a run drives; monitor and switcher are needed by the automated strategy, which
    publishes announced disruptions on `advisories` when it is given."""

    router: Router
    tracker: Tracker
    monitor: Monitor | None = None
    switcher: Switcher | None = None
    advisories: AdvisoryBoard | None = None


def simulate(
    scenario: Scenario,
    catalogue: Catalogue,
    strategy: Strategy,
    services: Services,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
) -> SeasonRun:
    """Run one season under one strategy; `seed` overrides the scenario's."""
    return SeasonModel(scenario, catalogue, strategy, services, seed=seed).run(progress)


def draw_orders(scenario: Scenario, seed: int) -> OrderColumns:
    """The season's orders: Poisson counts per hour of the curve, uniform within the hour."""
    rng = np.random.default_rng([seed, ORDER_STREAM])
    counts = rng.poisson(scenario.hourly_order_rates())

    def arrivals(generator: np.random.Generator, total: int) -> np.ndarray:
        hour = np.repeat(np.arange(len(counts)), counts)
        return np.sort((hour + generator.random(total)) * 3600.0)

    return draw_order_columns(
        rng,
        int(counts.sum()),
        arrivals=arrivals,
        start=scenario.start,
        prefix="SIM",
        market_shares=scenario.orders.markets,
        archetype_shares=scenario.orders.archetypes,
    )


class SeasonModel:
    def __init__(
        self,
        scenario: Scenario,
        catalogue: Catalogue,
        strategy: Strategy,
        services: Services,
        *,
        seed: int | None = None,
    ) -> None:
        self.scenario, self.strategy, self.services = scenario, strategy, services
        self.catalogue = catalogue
        self.seed = scenario.seed if seed is None else seed
        self.orders = draw_orders(scenario, self.seed)
        self.network: Network = build_network(scenario, catalogue, self.orders.countries)
        self.created_h = self.orders.offset_s / 3600.0
        promised_h = self.created_h + 24.0 * self.orders.promised_days
        self.table = ParcelTable.empty(self.created_h, promised_h, self.orders.country_ix)
        draws = ParcelDraws.draw(np.random.default_rng([self.seed, PARCEL_STREAM]), len(self.table))
        self.calendar = EventCalendar()
        self.stages = Stages(self.network, self.table, draws, scenario.incidents, self.calendar)
        self.env = simpy.Environment()
        self.clock = SimClock(scenario.start, lambda: float(self.env.now))
        self.horizon_h = scenario.horizon_hours
        self.context = self._context()
        self.oracle = Oracle(self) if strategy.kind == StrategyKind.ORACLE else None
        self.intake = RouteIntake(self, draws)
        self.control = Control(self, draws)
        self.backlog = np.zeros((int(self.horizon_h), len(self.network.channel_ids)), np.int64)
        self.events_emitted = 0

    def at(self, hours: float) -> datetime:
        return self.clock.at(hours)

    def _context(self) -> EventContext:
        net = self.network
        return EventContext(
            start=self.scenario.start,
            channel_ids=net.channel_ids,
            carriers=net.carriers,
            origins=net.origins,
            countries=net.countries,
            ports=net.ports,
            port_of=net.port_of,
            parcel_country=self.table.country,
            order_id=self.orders.order_id,
        )

    def run(self, progress: Progress | None = None) -> SeasonRun:
        env = self.env
        env.process(self._route_hourly())
        for c in range(len(self.network.channel_ids)):
            env.process(self._pickups(c))
            env.process(self._departures(c))
        for p in range(len(self.network.ports)):
            env.process(self._customs(p))
        env.process(self._flush_hourly(progress))
        env.process(self.control.process())
        env.process(self._sample_backlog())
        env.run()
        return self._result()

    def _daily(self, first_h: float) -> np.ndarray:
        return np.arange(first_h, self.horizon_h, 24.0)

    def _route_hourly(self) -> Process:
        bounds = np.searchsorted(self.created_h, np.arange(self.scenario.days * 24 + 1))
        for hour in range(1, self.scenario.days * 24 + 1):
            yield self.env.timeout(hour - self.env.now)
            self.intake.route(OrderBatch(self.orders, int(bounds[hour - 1]), int(bounds[hour])))

    def _pickups(self, c: int) -> Process:
        cap, windows = self.network.pickup_per_day[c], self.network.disruptions
        for moment in self._daily(float(self.network.cutoff_h[c])):
            yield self.env.timeout(float(moment) - self.env.now)
            limit = int(cap * windows.pickup_factor(c, float(moment)))
            self.stages.pick_up(c, float(moment), limit)

    def _departures(self, c: int) -> Process:
        net = self.network
        rng = np.random.default_rng([self.seed, DEPARTURE_STREAM, c])
        times = np.sort(np.concatenate([self._daily(float(h)) for h in net.departure_h[c]]))
        for moment in times:
            yield self.env.timeout(float(moment) - self.env.now)
            at = float(moment)
            if rng.random() < net.disruptions.cancel_probability(c, at):
                continue
            limit = int(net.parcels_per_departure[c] * net.disruptions.departure_factor(c, at))
            self.stages.depart(c, at, limit)

    def _customs(self, p: int) -> Process:
        """Customs releases every CUSTOMS_TICK_HOURS; unused capacity is not banked."""
        per_tick, carry = self.network.customs_per_day[p] * CUSTOMS_TICK_HOURS / 24.0, 0.0
        for moment in np.arange(CUSTOMS_TICK_HOURS, self.horizon_h + 1e-9, CUSTOMS_TICK_HOURS):
            yield self.env.timeout(float(moment) - self.env.now)
            carry += per_tick * self.network.disruptions.customs_factor(p, float(moment))
            cleared = self.stages.clear(p, float(moment), int(carry))
            carry = carry - cleared if cleared == int(carry) else carry % 1.0

    def _flush_hourly(self, progress: Progress | None) -> Process:
        for hour in range(1, int(self.horizon_h) + 1):
            yield self.env.timeout(hour - self.env.now)
            columns = self.calendar.pop_before(hour)
            if columns is not None:
                self.events_emitted += len(columns.parcel)
                batch = EventBatch(columns, self.context)
                self.services.tracker.record(batch, now=self.at(hour))
            if progress is not None:
                progress(float(hour), self.horizon_h)

    def _sample_backlog(self) -> Process:
        stages = self.stages
        for hour in range(int(self.horizon_h)):
            yield self.env.timeout(hour + 0.75 - self.env.now)
            self.backlog[hour] = [
                len(stages.pickup[c]) + len(stages.departure[c])
                for c in range(len(self.network.channel_ids))
            ]

    def _result(self) -> SeasonRun:
        return SeasonRun(
            scenario=self.scenario,
            seed=self.seed,
            strategy=self.strategy.kind,
            channel_ids=self.network.channel_ids,
            countries=self.network.countries,
            outcomes=Outcomes.at_horizon(self.table, self.control.moves(), self.horizon_h),
            switches=tuple(self.control.switches),
            detections=tuple(self.control.detections),
            disruptions=self.control.disruption_spans(),
            sampled_backlog=self.backlog,
            events_emitted=self.events_emitted,
            unrouted=int(self.intake.unrouted),
            currency=self.intake.currency or "USD",
            alerts=self.control.alert_log(),
        )
