"""Orders of the past hour through the Router port, the switches in force, and onto labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tradelane.domain.errors import NotFound, ValidationError
from tradelane.simulation.events import ShipmentBatch
from tradelane.simulation.order_batch import OrderBatch
from tradelane.simulation.parcels import MAX_CHOICES, Fate, ParcelDraws
from tradelane.simulation.ports import Route, RouteChoice
from tradelane.simulation.reroute import keeps_promise
from tradelane.simulation.switchboard import Switchboard

if TYPE_CHECKING:
    from tradelane.simulation.model import SeasonModel

__all__ = ["RouteIntake"]


class RouteIntake:
    def __init__(self, model: SeasonModel, draws: ParcelDraws) -> None:
        self.model = model
        self.draws = draws
        self.board = Switchboard()
        self.channel_index = model.network.channel_index
        self.currency: str | None = None
        self.unrouted = 0
        self.diverted = 0  # new orders labelled straight onto a backup by a switch

    def route(self, batch: OrderBatch) -> None:
        model, now_h = self.model, float(self.model.env.now)
        if not len(batch):
            return
        routes = model.services.router.route(batch, now=model.at(now_h))
        rows, choices, cents = self._arrays(batch, routes)
        table = model.table
        unrouted = np.setdiff1d(batch.indices, rows)
        table.fate[unrouted], table.end_h[unrouted] = Fate.UNROUTED, now_h
        self.unrouted += len(unrouted)
        table.choices[rows], table.choice_cents[rows] = choices, cents
        in_time = (
            keeps_promise(model, rows, choices, now_h)
            if self.board.active
            else np.zeros(choices.shape, dtype=bool)
        )
        slot = self.board.divert(
            choices[:, 0],
            table.country[rows],
            self.draws.switch_u[rows],
            choices,
            cents,
            cents[:, 0],
            in_time,
        )
        diverted = slot >= 0
        self.diverted += int(diverted.sum())
        self.board.note_spend(cents[:, 0])
        slot = np.maximum(slot, 0)
        if model.oracle is not None:  # its own test routes the orders no switch diverted
            slot = np.where(diverted, slot, model.oracle.route_slots(rows, choices, now_h))
        picked = np.arange(len(rows))
        self.label(rows, choices[picked, slot], cents[picked, slot], now_h)

    def label(self, rows: np.ndarray, channel: np.ndarray, cents: np.ndarray, now_h: float) -> None:
        """Label parcels on `channel` now and open their shipments through the Tracker."""
        model = self.model
        model.stages.label(rows, channel, cents, now_h)
        shipments = ShipmentBatch(
            rows,
            channel,
            model.table.serial[rows].copy(),
            now_h,
            model.table.promised_h[rows],
            model.context,
        )
        model.services.tracker.open(shipments, now=model.at(now_h))

    def _arrays(
        self, batch: OrderBatch, routes: list[Route]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, choice channels and choice cents of the routes (-1 / 0 padded)."""
        rows, promised_h = [], []
        padded: list[list[int]] = []
        prices: list[list[int]] = []
        start = self.model.scenario.start
        seen: dict[int, tuple[int, int]] = {}  # by object id: `routes` keeps them alive
        for route in routes:
            rows.append(batch.index_of(route.order_id))
            promised_h.append((route.promised_at - start).total_seconds() / 3600.0)
            picked = route.choices[:MAX_CHOICES]
            for choice in picked:
                if id(choice) not in seen:  # routers may share one choice between orders
                    seen[id(choice)] = self._decode(choice)
            found = [seen[id(choice)] for choice in picked]
            padding = MAX_CHOICES - len(found)
            padded.append([c for c, _ in found] + [-1] * padding)
            prices.append([cents for _, cents in found] + [0] * padding)
        if len(set(rows)) != len(rows):
            raise ValidationError("the router answered twice for one order", field="order_id")
        row_array = np.array(rows, dtype=np.int64)
        self.model.table.promised_h[row_array] = promised_h
        shape = (len(routes), MAX_CHOICES)
        return (
            row_array,
            np.array(padded, dtype=np.int64).reshape(shape),
            np.array(prices, dtype=np.int64).reshape(shape),
        )

    def _decode(self, choice: RouteChoice) -> tuple[int, int]:
        self._check_currency(choice.currency)
        return self._channel(choice.channel_id), int(choice.cost * 100)

    def _channel(self, channel_id: str) -> int:
        try:
            return self.channel_index[channel_id]
        except KeyError:
            raise NotFound("channel in the scenario's catalogue", channel_id) from None

    def _check_currency(self, currency: str) -> None:
        if self.currency is None:
            self.currency = currency
        elif currency != self.currency:
            raise ValidationError(
                f"route costs mix currencies ({self.currency} first)",
                field="currency",
                value=currency,
            )
