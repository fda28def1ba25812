"""When a parcel would be delivered on a channel, given the capacities a planner knows.

    pickup queue ─(cut-off capacity)─▶ origin handling ─▶ departure queue ─(expected
    departure capacity: cancellations as their probability)─▶ line haul (+ port congestion)
    ─▶ customs queue ─(port throughput)─▶ last mile

A fluid approximation of the model's stages: a parcel with `ahead` parcels before it in a
queue is served at the first scheduled moment after it is ready by which the capacity from
now on exceeds `ahead`. Transit legs take their median (the parcel's own luck is unknown);
capacities follow the disruption windows handed in, so a planner that knows a disruption
from its start sees its effect on every stage. Hours are after the scenario start.
"""

from __future__ import annotations

import numpy as np

from tradelane.simulation.disruptions import DisruptionWindows
from tradelane.simulation.network import CUSTOMS_TICK_HOURS, Network

__all__ = ["DeliveryForecast", "served_at"]

LOOK_AHEAD_H = 60 * 24.0  # schedules run this long past the horizon; later is "never"


def served_at(
    moments: np.ndarray, capacity: np.ndarray, now_h: float, ready_h: np.ndarray, ahead: np.ndarray
) -> np.ndarray:
    """When each parcel is served: `ahead` parcels, all ready earlier, go first; capacity
    offered before the parcel is ready serves only them. The first moment after `now_h` and
    strictly after `ready_h` with capacity left for it (inf when the schedule runs out)."""
    start = int(np.searchsorted(moments, now_h, side="right"))
    times = np.append(moments[start:], np.inf)
    cumulative = np.cumsum(capacity[start:])
    first_ready = np.searchsorted(times[:-1], ready_h, side="right")
    served_before = np.where(first_ready > 0, cumulative[np.maximum(first_ready - 1, 0)], 0.0)
    found: np.ndarray = times[
        np.searchsorted(cumulative, np.maximum(ahead, served_before), side="right")
    ]
    return found


class DeliveryForecast:
    """Expected capacity at every scheduled moment of every channel and port."""

    def __init__(self, network: Network, known: DisruptionWindows, horizon_h: float) -> None:
        self.network, self.known = network, known
        end_h = horizon_h + LOOK_AHEAD_H
        self.pickup_m: list[np.ndarray] = []
        self.pickup_cap: list[np.ndarray] = []
        self.depart_m: list[np.ndarray] = []
        self.depart_cap: list[np.ndarray] = []
        for c in range(len(network.channel_ids)):
            pickups = np.arange(float(network.cutoff_h[c]), end_h, 24.0)
            self.pickup_m.append(pickups)
            self.pickup_cap.append(
                np.array(
                    [int(network.pickup_per_day[c] * known.pickup_factor(c, m)) for m in pickups]
                )
            )
            departs = np.sort(
                np.concatenate([np.arange(float(h), end_h, 24.0) for h in network.departure_h[c]])
            )
            self.depart_m.append(departs)
            self.depart_cap.append(np.array([self._departure_capacity(c, m) for m in departs]))
        self.customs_m = np.arange(CUSTOMS_TICK_HOURS, end_h, CUSTOMS_TICK_HOURS)
        per_tick = network.customs_per_day * CUSTOMS_TICK_HOURS / 24.0
        self.customs_cap = [
            np.array([per_tick[p] * known.customs_factor(p, m) for m in self.customs_m])
            for p in range(len(network.ports))
        ]

    def _departure_capacity(self, c: int, at_h: float) -> float:
        known, per_departure = self.known, float(self.network.parcels_per_departure[c])
        flying = 1.0 - known.cancel_probability(c, at_h)
        return per_departure * known.departure_factor(c, at_h) * flying

    def pickup_capacity(self, c: int, after_h: float, until_h: float) -> int:
        """Parcels channel `c` can pick up at its cut-offs in (after_h, until_h]."""
        moments = self.pickup_m[c]
        inside = (moments > after_h) & (moments <= until_h)
        return int(self.pickup_cap[c][inside].sum())

    def departure_capacity(self, c: int, after_h: float, until_h: float) -> float:
        """Parcels channel `c` is expected to fly or drive out in (after_h, until_h]."""
        moments = self.depart_m[c]
        inside = (moments > after_h) & (moments <= until_h)
        return float(self.depart_cap[c][inside].sum())

    def delivered_at(
        self,
        c: int,
        country: np.ndarray,
        now_h: float,
        *,
        pickup_ahead: np.ndarray,
        departure_ahead: np.ndarray,
        waiting_at_port: list[np.ndarray],
        ready_h: np.ndarray | None = None,
    ) -> np.ndarray:
        """Expected delivery hour of parcels on channel `c` to `country`.

        Parcels still to be picked up have `pickup_ahead` before them at pickup; parcels
        already picked up pass `ready_h` (ready for departure). `departure_ahead` counts
        the parcels before each at departure; `waiting_at_port[p]` the sorted customs-ready
        hours of parcels already bound for port p.
        """
        net, n = self.network, len(country)
        channel = np.full(n, c)
        legs = net.leg_hours(channel, country, np.zeros(n), np.full(n, now_h))
        if ready_h is None:
            now = np.full(n, now_h)
            picked = served_at(self.pickup_m[c], self.pickup_cap[c], now_h, now, pickup_ahead)
            ready_h = picked + legs[0]
        departed = served_at(self.depart_m[c], self.depart_cap[c], now_h, ready_h, departure_ahead)
        if net.domestic[c]:
            arrival: np.ndarray = departed + legs[3]
            return arrival
        ports = net.port_of[c, country]
        arrive = departed + legs[1]
        arrive = arrive + self.known.congestion_delay_h(ports, arrive)
        customs_ready = arrive + legs[2]
        cleared = np.full(n, np.inf)
        for p in np.unique(ports):
            at = ports == p
            ahead = np.searchsorted(waiting_at_port[p], customs_ready[at])
            cleared[at] = served_at(
                self.customs_m, self.customs_cap[p], now_h, customs_ready[at], ahead
            )
        delivered: np.ndarray = cleared + legs[3]
        return delivered
