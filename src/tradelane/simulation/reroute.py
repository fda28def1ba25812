"""Re-routing parcels stranded at the origin hub: handed over, not yet departed.

    stranded(channel, country) ─▶ parcels picked up and waiting for their line haul
    hub_slots(parcels, backup) ─▶ per parcel, the route choice it can move to at the hub
    reroute(parcels, slot, fee) ─▶ old label voided, new label on that choice at its price
                                  + the fee; the parcel departs with the new line

A parcel can move at the hub only to a choice of its own route (priced when it was routed)
that leaves from the same origin, has a line haul (not an overseas warehouse), and is not
itself switched away in full. The switch's named backup comes first when the route lists it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from tradelane.domain.reroutes import Reroute
from tradelane.simulation.events import ShipmentBatch, tracking_number
from tradelane.simulation.switchboard import ALL_COUNTRIES

if TYPE_CHECKING:
    from tradelane.simulation.model import SeasonModel

__all__ = ["HubReroutes", "keeps_promise"]

DEPARTURE_WAIT_H = 12.0  # a new label's mean wait for its cut-off and departure (estimate)


def keeps_promise(
    model: SeasonModel, rows: np.ndarray, choices: np.ndarray, now_h: float
) -> np.ndarray:
    """(n, k): whether each route choice, taken now, delivers by the parcel's promise at its
    lane's median free-flow transit (peak-uplifted) plus the wait for a departure."""
    table, net = model.table, model.network
    ok = np.zeros(choices.shape, dtype=bool)
    country, zero = table.country[rows], np.zeros(len(rows))
    for slot in range(choices.shape[1]):
        option = choices[:, slot]
        known = option >= 0
        if not known.any():
            continue
        legs = net.leg_hours(np.maximum(option, 0), country, zero, np.full(len(rows), now_h))
        arrive = now_h + DEPARTURE_WAIT_H + legs.sum(axis=0)
        ok[:, slot] = known & (arrive <= table.promised_h[rows])
    return ok


class HubReroutes:
    def __init__(self, model: SeasonModel) -> None:
        self.model = model
        net = model.network
        origins = np.array(net.origins)
        # (C, C): a parcel at channel a's origin hub may move onto channel b
        self.allowed = (origins[:, None] == origins[None, :]) & ~net.domestic[None, :]
        np.fill_diagonal(self.allowed, False)
        self.allowed &= ~net.domestic[:, None]
        self.moved: list[tuple[np.ndarray, np.ndarray, np.ndarray, float]] = []

    def stranded(self, channel: int, country: int = ALL_COUNTRIES) -> np.ndarray:
        """Parcels picked up by `channel` and not departed from its origin (to `country`)."""
        table = self.model.table
        waiting = self.model.stages.departure[channel].members().copy()
        if country != ALL_COUNTRIES:
            waiting = waiting[table.country[waiting] == country]
        return waiting

    def hub_slots(self, parcels: np.ndarray, backup: int = -1) -> np.ndarray:
        """Route slot each parcel can move to at the hub (`backup` first), -1 for none."""
        table, board = self.model.table, self.model.intake.board
        current, choices = table.channel[parcels], table.choices[parcels]
        usable = np.zeros(choices.shape, dtype=bool)
        for slot in range(choices.shape[1]):
            option = choices[:, slot]
            known = option >= 0
            open_lane = board.share(option, table.country[parcels]) < 1.0
            usable[:, slot] = known & self.allowed[current, np.maximum(option, 0)] & open_lane
        return board.choose(
            current,
            table.country[parcels],
            usable,
            (choices == backup) & (backup >= 0),
            choices,
            table.choice_cents[parcels],
            table.cents[parcels],
            keeps_promise(self.model, parcels, choices, float(self.model.env.now)),
        )

    def reroute(
        self, parcels: np.ndarray, slot: np.ndarray, fee_cents: int, now_h: float, reason: str
    ) -> int:
        """Move each parcel with a slot >= 0 onto that route choice; returns how many moved.

        The new label costs the choice's price plus `fee_cents`; the buyer counts as told
        (they get the new tracking number)."""
        model, table = self.model, self.model.table
        movers, slot = parcels[slot >= 0], slot[slot >= 0]
        if not len(movers):
            return 0
        source, old_serial = table.channel[movers].copy(), table.serial[movers].copy()
        target = table.choices[movers, slot]
        cents = table.choice_cents[movers, slot] + fee_cents
        model.stages.reroute(movers, target, cents, now_h)
        table.notified[movers] = True
        self.moved.append((movers, source, target, now_h))
        model, ctx = self.model, self.model.context
        labels = ShipmentBatch(
            movers,
            table.channel[movers],
            table.serial[movers].copy(),
            now_h,
            table.promised_h[movers],
            ctx,
        )
        model.services.tracker.open(labels, now=model.at(now_h))
        self.void_labels(movers, source, old_serial, fee_cents, now_h, reason)
        return len(movers)

    def void_labels(
        self,
        movers: np.ndarray,
        source: np.ndarray,
        old_serial: np.ndarray,
        fee_cents: int,
        now_h: float,
        reason: str,
    ) -> None:
        """Tell the Tracker each mover's old label (`old_serial` on `source`) is replaced by
        its current one (already opened), at `fee_cents` each."""
        model, table, ctx = self.model, self.model.table, self.model.context
        now = model.at(now_h)
        tracker = model.services.tracker
        fee = Decimal(fee_cents).scaleb(-2)
        currency = model.intake.currency or "USD"
        tracker.reroute(
            [
                Reroute(
                    order_id=ctx.order_id(int(p)),
                    voided_tracking_number=tracking_number(int(p), int(old)),
                    tracking_number=tracking_number(int(p), int(table.serial[p])),
                    from_channel_id=ctx.channel_ids[int(c)],
                    to_channel_id=ctx.channel_ids[int(table.channel[p])],
                    fee=fee,
                    currency=currency,
                    reason=reason,
                )
                for p, c, old in zip(movers, source, old_serial, strict=True)
            ],
            now=now,
        )
