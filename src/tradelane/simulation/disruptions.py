"""Disruption windows in simulated hours, and the capacity effects they have at a moment.

| kind                 | stage hit                  | effect at severity s                      |
| flight_cancellations | line-haul departures       | each departure cancelled with p = s       |
| port_congestion      | arrival at the port        | arrival s x max_delay_days later          |
| customs_slowdown     | customs throughput at port | (1 - s) of the daily throughput           |
| carrier_outage       | pickups and departures     | (1 - s) of the channel's capacity         |
| warehouse_overload   | warehouse pick-pack        | (1 - s) of the warehouse's capacity       |

Overlapping windows combine multiplicatively on the capacity left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from tradelane.domain.advisories import lanes_hit
from tradelane.domain.catalog import Catalogue
from tradelane.simulation.announcements import advisory_of
from tradelane.simulation.clock import hours_between
from tradelane.simulation.scenarios import (
    CustomsSlowdown,
    Disruption,
    FlightCancellations,
    PortCongestion,
    Scenario,
)

__all__ = ["DisruptionWindows", "Window", "compile_disruptions"]


@dataclass(frozen=True, eq=False)
class Window:
    kind: str
    name: str
    start_h: float
    end_h: float
    severity: float
    channels: np.ndarray  # (C,) bool: channels whose parcels this window can touch
    port: int = -1  # port index for port kinds
    delay_h: float = 0.0  # port congestion only

    def active(self, at_h: float) -> bool:
        return self.start_h <= at_h < self.end_h


@dataclass(frozen=True, eq=False)
class DisruptionWindows:
    windows: tuple[Window, ...]

    def _left(
        self, kinds: tuple[str, ...], at_h: float, *, channel: int = -1, port: int = -1
    ) -> float:
        left = 1.0
        for w in self.windows:
            hit = w.port == port if port >= 0 else bool(w.channels[channel])
            if w.kind in kinds and hit and w.active(at_h):
                left *= 1.0 - w.severity
        return left

    def pickup_factor(self, channel: int, at_h: float) -> float:
        """Share of the channel's pickup (or pick-pack) capacity left at `at_h`."""
        kinds = ("carrier_outage", "warehouse_overload")
        return self._left(kinds, at_h, channel=channel)

    def departure_factor(self, channel: int, at_h: float) -> float:
        return self._left(("carrier_outage",), at_h, channel=channel)

    def cancel_probability(self, channel: int, at_h: float) -> float:
        return 1.0 - self._left(("flight_cancellations",), at_h, channel=channel)

    def customs_factor(self, port: int, at_h: float) -> float:
        return self._left(("customs_slowdown",), at_h, port=port)

    def congestion_delay_h(self, ports: np.ndarray, arrive_h: np.ndarray) -> np.ndarray:
        """Extra hours before parcels arriving at `ports` at `arrive_h` reach the quay."""
        delay = np.zeros(len(arrive_h))
        for w in self.windows:
            if w.kind == "port_congestion":
                hit = (ports == w.port) & (arrive_h >= w.start_h) & (arrive_h < w.end_h)
                delay = np.where(hit, np.maximum(delay, w.delay_h), delay)
        return delay


def compile_disruptions(
    scenario: Scenario, catalogue: Catalogue, ports: tuple[str, ...]
) -> DisruptionWindows:
    return DisruptionWindows(
        tuple(
            _window(event, i, catalogue, ports, scenario.start)
            for i, event in enumerate(scenario.disruptions)
        )
    )


def _window(
    event: Disruption, index: int, catalogue: Catalogue, ports: tuple[str, ...], start: datetime
) -> Window:
    """The window of `event`: the channels it touches are those of the lanes its advisory
    hits (domain/advisories.py), narrowed to `channels` for flight cancellations that name
    them."""
    touched = {channel for channel, _ in lanes_hit(advisory_of(event, index), catalogue)}
    if isinstance(event, FlightCancellations) and event.channels:
        touched &= set(event.channels)
    port, delay_h = -1, 0.0
    if isinstance(event, PortCongestion | CustomsSlowdown):
        port = ports.index(event.port) if event.port in ports else len(ports)
        if isinstance(event, PortCongestion):
            delay_h = event.severity * event.max_delay_days * 24.0
    return Window(
        kind=event.kind,
        name=event.name or event.kind,
        start_h=hours_between(start, event.start),
        end_h=hours_between(start, event.end),
        severity=event.severity,
        channels=np.array([ch.id in touched for ch in catalogue.channels], dtype=bool),
        port=port,
        delay_h=delay_h,
    )
