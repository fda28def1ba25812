"""The oracle strategy: an upper bound that knows every disruption from its start.

    disruption starts ─▶ known windows ─▶ DeliveryForecast (same capacities as the model)
                      ─▶ every lane it hits switched fully to untouched backups until its
                         end (control.py: the desk's advisory move, without the lags)
    each hour's new orders ─▶ primary, unless a switch diverts them or the test below moves
                              them at routing
    every hour (hh:30)     ─▶ parcels labelled, not picked up ─▶ the test ─▶ new label
                           ─▶ parcels handed over, not departed ─▶ the test ─▶ hub re-route

The test: a parcel needs a move when it is forecast to miss its promise where it is, or
when a known disruption delays it there (its forecast is more than HIT_AFTER_H later than
the same forecast without disruptions) while that disruption is in force or in its
aftermath. It moves only to a choice of its own route, at that choice's price, forecast to
deliver it by the promise and earlier than where it is, both with ORACLE_MARGIN_H to spare,
and with spare capacity over SPARE_WINDOW_H beyond what that choice is expected to carry
anyway (its queues plus its own recent inflow), so a move never takes a native parcel's
place. Choices are tried in the route's order; at the hub only lines from the same hub
qualify (simulation/reroute.py), at the strategy's re-route fee (none without a fee).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradelane.simulation.disruptions import DisruptionWindows
from tradelane.simulation.forecast import DeliveryForecast
from tradelane.simulation.parcels import MAX_CHOICES

if TYPE_CHECKING:
    from tradelane.simulation.model import SeasonModel

__all__ = [
    "AFTERMATH_H",
    "HIT_AFTER_H",
    "ORACLE_MARGIN_H",
    "RESCUE_EVERY_H",
    "SPARE_WINDOW_H",
    "Oracle",
    "Waiting",
]

ORACLE_MARGIN_H = 24.0  # forecast slack a move must keep: estimate
HIT_AFTER_H = 12.0  # a disruption "hits" a parcel that it delays by more than this
SPARE_WINDOW_H = 48.0  # spare capacity is counted over this look-ahead
INFLOW_WINDOW_H = 24.0  # a channel's own inflow: its labels of the past this many hours
RESCUE_EVERY_H = 1.0  # the oracle looks at waiting parcels every hour
AFTERMATH_H = 7 * 24.0  # keeps routing around a disruption this long after it ends


@dataclass(frozen=True, eq=False)
class Waiting:
    """Parcels waiting on one channel, in queue order, and where they wait."""

    channel: int
    rows: np.ndarray
    at_hub: bool  # picked up, waiting to depart (else: labelled, waiting for pickup)
    ready_h: np.ndarray | None = None  # at the hub: when each is ready to depart
    before: int = 0  # parcels queued ahead of the first (new orders joining a queue)


class Oracle:
    def __init__(self, model: SeasonModel) -> None:
        self.model = model
        self._forecasts: dict[tuple[int, ...], DeliveryForecast] = {}
        self._ports: list[np.ndarray] = []
        self._ports_at_h = -np.inf

    def forecast(self, now_h: float) -> DeliveryForecast:
        """The forecast from the disruptions started by `now_h`."""
        windows = self.model.network.disruptions.windows
        return self._forecast_of(tuple(i for i, w in enumerate(windows) if w.start_h <= now_h))

    def in_force(self, now_h: float) -> bool:
        """A known disruption is in force at `now_h`, or in its aftermath."""
        windows = self.model.network.disruptions.windows
        return any(w.start_h <= now_h < w.end_h + AFTERMATH_H for w in windows)

    def _forecast_of(self, known: tuple[int, ...]) -> DeliveryForecast:
        if known not in self._forecasts:
            windows = self.model.network.disruptions.windows
            started = DisruptionWindows(tuple(windows[i] for i in known))
            network, horizon = self.model.network, self.model.horizon_h
            self._forecasts[known] = DeliveryForecast(network, started, horizon)
        return self._forecasts[known]

    def route_slots(self, rows: np.ndarray, choices: np.ndarray, now_h: float) -> np.ndarray:
        """Choice slot for each new order (0: its primary)."""
        slot = np.zeros(len(rows), dtype=np.int64)
        forecast = self.forecast(now_h)
        if not len(rows):
            return slot
        moved = self._no_moves()
        for c in np.unique(choices[:, 0]):
            at = np.flatnonzero(choices[:, 0] == c)
            joining = Waiting(int(c), rows[at], False, before=len(self.model.stages.pickup[c]))
            picked = self.plan(forecast, joining, choices[at], now_h, moved)
            slot[at] = np.maximum(picked, 0)
        return slot

    def rescue(self, now_h: float) -> list[tuple[Waiting, np.ndarray]]:
        """Waiting parcels to move now, per queue: (waiting, slot per parcel, -1 stays)."""
        forecast = self.forecast(now_h)
        stages, table, found = self.model.stages, self.model.table, []
        moved = self._no_moves()
        for c in range(len(self.model.network.channel_ids)):
            hub_rows, ready_h = stages.departure[c].ready(np.inf)
            queues = [Waiting(c, stages.pickup[c].members().copy(), False)]
            if self.model.strategy.reroute_fee_cents is not None:
                queues.append(Waiting(c, hub_rows.copy(), True, ready_h.copy()))
            for waiting in queues:
                if len(waiting.rows):
                    slot = self.plan(forecast, waiting, table.choices[waiting.rows], now_h, moved)
                    found.append((waiting, slot))
        return found

    def plan(
        self,
        forecast: DeliveryForecast,
        waiting: Waiting,
        choices: np.ndarray,
        now_h: float,
        moved: np.ndarray,
    ) -> np.ndarray:
        """Slot each waiting parcel moves to (-1: stays), by the test in the module docstring.

        `moved` counts, per channel, parcels already planned onto it but not yet there; this
        plan's moves are added to it."""
        promised = self.model.table.promised_h[waiting.rows]
        eta_h, hit = self._where_they_are(forecast, waiting, now_h)
        needs = (eta_h > promised) | (hit & self.in_force(now_h))
        slot = np.full(len(waiting.rows), -1, dtype=np.int64)
        allowed = self._allowed(waiting)
        inflow = self._inflow(now_h)
        for s in range(MAX_CHOICES):
            option = choices[:, s]
            candidate = needs & (slot < 0) & (option >= 0) & (option != waiting.channel)
            candidate &= allowed[np.maximum(option, 0)]
            for j in np.unique(option[candidate]):
                at = np.flatnonzero(candidate & (option == j))
                eta = self._joining_eta(forecast, int(j), waiting, at, now_h, inflow, moved)
                deadline = np.minimum(promised[at], eta_h[at]) - ORACLE_MARGIN_H
                fits = at[eta <= deadline]
                room = self._spare(forecast, int(j), now_h, waiting.at_hub, inflow) - moved[j]
                accepted = fits[: max(int(room), 0)]
                slot[accepted] = s
                moved[j] += len(accepted)
        return slot

    def _where_they_are(
        self, forecast: DeliveryForecast, waiting: Waiting, now_h: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Forecast delivery where the parcels wait, and whether a known disruption delays it
        by more than HIT_AFTER_H against the same forecast without disruptions."""
        ahead = waiting.before + np.arange(len(waiting.rows))
        eta, calm = (
            self._eta(f, waiting.channel, waiting.rows, now_h, ahead, waiting.ready_h)
            for f in (forecast, self._forecast_of(()))
        )
        return eta, eta > calm + HIT_AFTER_H

    def _joining_eta(
        self,
        forecast: DeliveryForecast,
        j: int,
        waiting: Waiting,
        at: np.ndarray,
        now_h: float,
        inflow: np.ndarray,
        moved: np.ndarray,
    ) -> np.ndarray:
        """Forecast delivery of waiting parcels `at` if they join channel j now, behind its
        queues, its expected own inflow and the parcels already planned onto it."""
        stages, rows, order = self.model.stages, waiting.rows[at], np.arange(len(at))
        if not waiting.at_hub:
            ahead = len(stages.pickup[j]) + int(inflow[j]) + int(moved[j]) + order
            return self._eta(forecast, j, rows, now_h, ahead, None)
        ready_h = np.full(len(at), now_h + self.model.network.origin_h[j])
        ahead = len(stages.departure[j]) + int(moved[j]) + order
        return self._eta(forecast, j, rows, now_h, ahead, ready_h)

    def _eta(
        self,
        forecast: DeliveryForecast,
        c: int,
        rows: np.ndarray,
        now_h: float,
        ahead: np.ndarray,
        ready_h: np.ndarray | None,
    ) -> np.ndarray:
        """Forecast delivery of `rows` on channel c with `ahead` parcels before each in its
        pickup queue (or, with `ready_h`, already at its hub with `ahead` before each)."""
        stages = self.model.stages
        at_hub = ready_h is not None
        return forecast.delivered_at(
            c,
            self.model.table.country[rows],
            now_h,
            pickup_ahead=ahead,
            departure_ahead=ahead if at_hub else len(stages.departure[c]) + ahead,
            waiting_at_port=self._waiting_at_port(now_h),
            ready_h=ready_h,
        )

    def _waiting_at_port(self, now_h: float) -> list[np.ndarray]:
        """Customs-ready hours of the parcels bound for each port (read once per moment)."""
        if self._ports_at_h != now_h:
            self._ports = [queue.ready(np.inf)[1].copy() for queue in self.model.stages.customs]
            self._ports_at_h = now_h
        return self._ports

    def _allowed(self, waiting: Waiting) -> np.ndarray:
        """(C,) channels the waiting parcels may move to."""
        if waiting.at_hub:
            allowed: np.ndarray = self.model.control.hub.allowed[waiting.channel]
            return allowed
        return np.ones(len(self.model.network.channel_ids), dtype=bool)

    def _spare(
        self, forecast: DeliveryForecast, c: int, now_h: float, at_hub: bool, inflow: np.ndarray
    ) -> float:
        """Capacity of channel c over SPARE_WINDOW_H left after what it expects to carry."""
        stages, until_h = self.model.stages, now_h + SPARE_WINDOW_H
        expected = len(stages.pickup[c]) + inflow[c] * SPARE_WINDOW_H / INFLOW_WINDOW_H
        if not at_hub:
            return float(forecast.pickup_capacity(c, now_h, until_h) - expected)
        capacity = forecast.departure_capacity(c, now_h, until_h)
        return float(capacity - expected - len(stages.departure[c]))

    def _inflow(self, now_h: float) -> np.ndarray:
        """Parcels labelled on each channel in the past INFLOW_WINDOW_H (its own demand)."""
        table = self.model.table
        recent = (table.label_h > now_h - INFLOW_WINDOW_H) & (table.label_h <= now_h)
        channels = len(self.model.network.channel_ids)
        return np.bincount(table.channel[recent], minlength=channels)

    def _no_moves(self) -> np.ndarray:
        return np.zeros(len(self.model.network.channel_ids), dtype=np.int64)
