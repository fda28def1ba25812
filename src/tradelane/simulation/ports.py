"""The ports through which the simulator drives selection, tracking, monitoring and switching.

    orders ─▶ Router.route ─▶ labels ─▶ stages ─▶ Tracker.open / Tracker.record (hourly)
                                    every few hours: Monitor.sweep ─▶ Switcher.evaluate
                                                     ─▶ SwitchChange ─▶ new + unshipped orders move
    announced disruptions ─▶ AdvisoryBoard.publish / end (before the evaluation that follows)

Production services satisfy these protocols through thin adapters; the simulator never
imports them. Every call passes the simulated time as `now` (tz-aware); no port may read the
wall clock. Sequences handed to ports may be lazy (built element by element on access).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from tradelane.domain.advisories import Advisory
from tradelane.domain.orders import Order
from tradelane.domain.reroutes import Reroute
from tradelane.domain.shipments import Shipment, TrackingEvent

__all__ = [
    "AdvisoryBoard",
    "Monitor",
    "OpenedAlert",
    "Route",
    "RouteChoice",
    "Router",
    "SwitchChange",
    "Switcher",
    "Tracker",
]


@dataclass(frozen=True, slots=True)
class RouteChoice:
    """One channel an order may ship on, with what it costs there."""

    channel_id: str
    cost: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Route:
    """The primary channel of an order (first choice) followed by its ranked backups."""

    order_id: str
    choices: tuple[RouteChoice, ...]  # never empty: an order with no channel gets no Route
    promised_at: datetime  # delivery promised to the buyer; on-time means delivered by then

    def __post_init__(self) -> None:
        if not self.choices:
            raise ValueError(f"route of order {self.order_id!r} has no channel")

    @property
    def channel_id(self) -> str:
        return self.choices[0].channel_id

    @property
    def backup_ids(self) -> tuple[str, ...]:
        return tuple(choice.channel_id for choice in self.choices[1:])


@dataclass(frozen=True, slots=True)
class SwitchChange:
    """A switch opened, changed or released by the switching policy.

    `share` of the channel's new and not-yet-picked-up orders to `country` (None: every
    lane) move to a backup; 0.0 releases the switch. The backup is `backup_id` when the
    order's route lists it, otherwise the order's first backup not itself switched away.
    With `reroute_fee`, the same share of parcels picked up but not yet departed from the
    origin hub are re-routed to a backup from the same origin, at that fee on top of the
    backup's price (in the route currency).
    """

    channel_id: str
    country: str | None
    share: float
    backup_id: str | None
    decided_at: datetime
    reason: str = ""
    reroute_fee: Decimal | None = None  # re-route parcels waiting at origin, at this fee each
    avoid: tuple[str, ...] = ()  # channels sharing the switch's cause: never a target
    max_price_ratio: float | None = None  # no target dearer than this x the parcel's label
    rescue_price_ratio: float | None = None  # ... unless it alone keeps the promise, up to this
    rescue_budget_share: float = 0.0  # rescues' extra spend: at most this share of all labels'

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"switch share {self.share} is outside [0, 1]")


class Router(Protocol):
    """Channel selection (issue 3): a primary and ranked backups for each order.

    Orders left out of the answer have no eligible channel; the simulator reports them as
    unrouted. Every route's costs must be in one currency.
    """

    def route(self, orders: Sequence[Order], *, now: datetime) -> list[Route]: ...


class Tracker(Protocol):
    """Tracking ingestion (issue 4): the shipments projection and the event store.

    `open` is called when a label is created (before any event of that shipment);
    `record` at the top of every simulated hour that had events, with that hour's events
    ordered by `occurred_at` (all earlier than `now`). The simulator hands an `EventBatch`,
    whose `columns` allow bulk ingestion without building objects.
    An order moved to a backup before pickup gets a new shipment; its first label never
    gets a pickup event. A parcel re-routed at the origin hub gets a new shipment (`open`)
    and then `reroute`, which voids its old label: that label gets no further event.
    """

    def open(self, shipments: Sequence[Shipment], *, now: datetime) -> None: ...

    def record(self, events: Sequence[TrackingEvent], *, now: datetime) -> None: ...

    def reroute(self, reroutes: Sequence[Reroute], *, now: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class OpenedAlert:
    """One alert a sweep opened: on which shipment and channel, when, by which rule, and
    whether its revised ETA passes the promise (its buyer is then told, once)."""

    tracking_number: str
    channel_id: str
    rule: str
    opened_at: datetime
    promise_at_risk: bool = False


class Monitor(Protocol):
    """The deviation sweep (issue 4); answers every alert it opened at `now`.

    A shipment may get several alerts (one per rule it breaches); the simulator keeps the
    first alert time per parcel and counts alerts per channel from the answer.
    """

    def sweep(self, *, now: datetime) -> Sequence[OpenedAlert]: ...


class AdvisoryBoard(Protocol):
    """Advisories (issue 10): the automated strategy publishes each announced disruption at
    the first control period after its announcement, and ends it at the first after the
    disruption ends; the switching evaluation that follows acts on what is in force."""

    def publish(self, advisory: Advisory, *, now: datetime) -> None: ...

    def end(self, advisory_id: str, *, now: datetime) -> None: ...


class Switcher(Protocol):
    """Switching evaluation (issue 5): channel health, policy, and the switches it changed.

    The simulator applies each change itself (diverting later orders, moving unshipped
    parcels, counting notices), so the parcels it simulates stay the single truth.
    """

    def evaluate(self, *, now: datetime) -> list[SwitchChange]: ...
