"""The oracle strategy: an upper bound that knows every disruption from its start.

    disruption starts ─▶ known windows ─▶ DeliveryForecast (same capacities as the model)
    each hour's new orders ─▶ primary, unless forecast late there and a choice of the
                              order's route is forecast on time with room to spare
    every hour (hh:30)     ─▶ parcels labelled, not picked up ─▶ the same test ─▶ relabel

A parcel moves only when it is forecast to miss its promise where it is and to make it, with
ORACLE_MARGIN_H to spare, on the alternative, at that choice's own price; the alternative
must have spare pickup capacity over SPARE_WINDOW_H beyond what it is already expected to
carry (queue plus its own recent inflow), so a move never takes a native parcel's place.
Choices are tried in the route's own order. Without a known disruption in force (or in its
aftermath) the oracle does nothing: then it ships exactly as primary only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tradelane.simulation.disruptions import DisruptionWindows
from tradelane.simulation.forecast import DeliveryForecast
from tradelane.simulation.parcels import MAX_CHOICES
from tradelane.simulation.queues import StageQueue

if TYPE_CHECKING:
    from tradelane.simulation.model import SeasonModel

__all__ = ["AFTERMATH_H", "ORACLE_MARGIN_H", "RESCUE_EVERY_H", "SPARE_WINDOW_H", "Oracle"]

ORACLE_MARGIN_H = 24.0  # forecast slack a move must keep before the promise: estimate
SPARE_WINDOW_H = 48.0  # spare pickup capacity is counted over this look-ahead
INFLOW_WINDOW_H = 24.0  # a channel's own inflow: its labels of the past this many hours
RESCUE_EVERY_H = 1.0  # the oracle looks at waiting parcels every hour
AFTERMATH_H = 7 * 24.0  # keeps routing around a disruption this long after it ends
HIT_AFTER_H = 12.0  # a disruption "hits" a parcel that it delays by more than this


class Oracle:
    def __init__(self, model: SeasonModel) -> None:
        self.model = model
        self._forecasts: dict[tuple[int, ...], DeliveryForecast] = {}

    def forecast(self, now_h: float) -> DeliveryForecast | None:
        """The forecast from the disruptions started by `now_h`; None when none is in force
        or in its aftermath."""
        windows = self.model.network.disruptions.windows
        known = tuple(i for i, w in enumerate(windows) if w.start_h <= now_h)
        if not any(now_h < windows[i].end_h + AFTERMATH_H for i in known):
            return None
        return self._forecast_of(known)

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
        if forecast is None or not len(rows):
            return slot
        current = choices[:, 0]
        eta, hit = np.full(len(rows), np.inf), np.zeros(len(rows), dtype=bool)
        for c in np.unique(current):
            at = np.flatnonzero(current == c)
            before = len(self._pickup(c))
            eta[at], hit[at] = self._current_eta(forecast, int(c), rows[at], now_h, before)
        moved = self.plan(forecast, rows, current, eta, hit, choices, now_h, self._no_moves())
        return np.where(moved >= 0, moved, slot)

    def rescue(self, now_h: float) -> list[tuple[np.ndarray, int, np.ndarray, np.ndarray]]:
        """Parcels waiting for pickup to move now: (parcels, from, to channels, cents)."""
        forecast = self.forecast(now_h)
        if forecast is None:
            return []
        table, found, moved = self.model.table, [], self._no_moves()
        for c in range(len(self.model.network.channel_ids)):
            queued = self._pickup(c).members().copy()
            if not len(queued):
                continue
            eta, hit = self._current_eta(forecast, c, queued, now_h, 0)
            choices, current = table.choices[queued], np.full(len(queued), c)
            slot = self.plan(forecast, queued, current, eta, hit, choices, now_h, moved)
            moving = np.flatnonzero(slot >= 0)
            if len(moving):
                rows, picked = queued[moving], slot[moving]
                target = table.choices[rows, picked]
                found.append((rows, c, target, table.choice_cents[rows, picked]))
        return found

    def plan(
        self,
        forecast: DeliveryForecast,
        rows: np.ndarray,
        current: np.ndarray,
        eta_h: np.ndarray,
        hit: np.ndarray,
        choices: np.ndarray,
        now_h: float,
        moved: np.ndarray,
    ) -> np.ndarray:
        """Slot each parcel moves to (-1: stays), tried in route order (module docstring).

        `moved` counts, per channel, parcels already planned onto it but not yet labelled
        there; it is updated with this plan's moves."""
        promised = self.model.table.promised_h[rows]
        slot = np.full(len(rows), -1, dtype=np.int64)
        inflow = self._inflow(now_h)
        for s in range(MAX_CHOICES):
            option = choices[:, s]
            candidate = hit & (slot < 0) & (option >= 0) & (option != current)
            for j in np.unique(option[candidate]):
                at = np.flatnonzero(candidate & (option == j))
                queued = len(self._pickup(j)) + int(inflow[j]) + int(moved[j])
                eta = self._queued_eta(forecast, int(j), rows[at], now_h, queued)
                better = (eta + ORACLE_MARGIN_H <= promised[at]) & (
                    eta + ORACLE_MARGIN_H <= eta_h[at]
                )
                fits = at[better]
                room = self._spare(forecast, int(j), now_h, inflow[j]) - int(moved[j])
                accepted = fits[: max(room, 0)]
                slot[accepted] = s
                moved[j] += len(accepted)
        return slot

    def _current_eta(
        self, forecast: DeliveryForecast, c: int, rows: np.ndarray, now_h: float, before: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Forecast delivery where the parcels are, and whether a known disruption delays
        it by more than HIT_AFTER_H against the same forecast without disruptions."""
        eta = self._queued_eta(forecast, c, rows, now_h, before)
        calm = self._queued_eta(self._calm(), c, rows, now_h, before)
        return eta, eta > calm + HIT_AFTER_H

    def _calm(self) -> DeliveryForecast:
        return self._forecast_of(())

    def _queued_eta(
        self, forecast: DeliveryForecast, c: int, rows: np.ndarray, now_h: float, before: int
    ) -> np.ndarray:
        """Forecast delivery of `rows` joining channel c's pickup queue in order after
        `before` parcels (0 for parcels already queued there, in queue order)."""
        stages, table = self.model.stages, self.model.table
        ahead = before + np.arange(len(rows))
        return forecast.delivered_at(
            c,
            table.country[rows],
            now_h,
            pickup_ahead=ahead,
            departure_ahead=len(stages.departure[c]) + ahead,
            waiting_at_port=[queue.ready(np.inf)[1] for queue in stages.customs],
        )

    def _spare(self, forecast: DeliveryForecast, c: int, now_h: float, inflow: float) -> int:
        capacity = forecast.pickup_capacity(c, now_h, now_h + SPARE_WINDOW_H)
        expected = len(self._pickup(c)) + inflow * SPARE_WINDOW_H / INFLOW_WINDOW_H
        return int(capacity - expected)

    def _inflow(self, now_h: float) -> np.ndarray:
        """Parcels labelled on each channel in the past INFLOW_WINDOW_H (its own demand)."""
        table = self.model.table
        recent = (table.label_h > now_h - INFLOW_WINDOW_H) & (table.label_h <= now_h)
        channels = len(self.model.network.channel_ids)
        return np.bincount(table.channel[recent], minlength=channels)

    def _no_moves(self) -> np.ndarray:
        return np.zeros(len(self.model.network.channel_ids), dtype=np.int64)

    def _pickup(self, c: int | np.integer) -> StageQueue:
        return self.model.stages.pickup[int(c)]
