"""Hand-written fakes for the simulator's ports (no mocks of our own code).

`StuckParcelTracker` keeps, per shipment, its channel and pickup/departure times from the
events it is handed; `StuckParcelMonitor` and `StuckParcelSwitcher` read it. They stand in
for the tracking, monitoring and switching services until those are wired in: the rule is
deliberately the simplest one of the strategy (no departure 48 h after pickup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from tradelane.domain.reroutes import Reroute
from tradelane.domain.shipments import Milestone, Shipment, TrackingEvent
from tradelane.simulation.ports import OpenedAlert, SwitchChange

NO_DEPARTURE_AFTER = timedelta(hours=48)


@dataclass
class StuckParcelTracker:
    channel_of: dict[str, str] = field(default_factory=dict)
    picked_up_at: dict[str, datetime] = field(default_factory=dict)
    departed: set[str] = field(default_factory=set)
    events: int = 0
    late_batches: int = 0

    def open(self, shipments: Sequence[Shipment], *, now: datetime) -> None:
        for shipment in shipments:
            self.channel_of[shipment.tracking_number] = shipment.channel_id

    def record(self, events: Sequence[TrackingEvent], *, now: datetime) -> None:
        for event in events:
            self.events += 1
            self.late_batches += event.occurred_at > now
            if event.milestone == Milestone.PICKED_UP:
                self.picked_up_at[event.tracking_number] = event.occurred_at
            elif event.milestone == Milestone.DEPARTED_ORIGIN:
                self.departed.add(event.tracking_number)
                self.picked_up_at.pop(event.tracking_number, None)

    def reroute(self, reroutes: Sequence[Reroute], *, now: datetime) -> None:
        for move in reroutes:
            self.picked_up_at.pop(move.voided_tracking_number, None)

    def stuck(self, now: datetime) -> dict[str, set[str]]:
        """Shipments per channel picked up over 48 h ago and not departed."""
        found: dict[str, set[str]] = {}
        for number, at in self.picked_up_at.items():
            if now - at > NO_DEPARTURE_AFTER:
                found.setdefault(self.channel_of[number], set()).add(number)
        return found


@dataclass
class StuckParcelMonitor:
    tracker: StuckParcelTracker
    alerted: set[str] = field(default_factory=set)
    promise_at_risk: bool = False  # what every opened alert says of its parcel's promise
    rule: str = "no_departure"  # the rule every opened alert names

    def sweep(self, *, now: datetime) -> Sequence[OpenedAlert]:
        opened: list[OpenedAlert] = []
        for channel, numbers in sorted(self.tracker.stuck(now).items()):
            new = numbers - self.alerted
            self.alerted |= new
            opened += [
                OpenedAlert(n, channel, self.rule, now, self.promise_at_risk) for n in sorted(new)
            ]
        return opened


@dataclass
class StuckParcelSwitcher:
    """Switches a channel fully to backups at `threshold` stuck parcels; releases after
    `hold` with none stuck (a crude hysteresis)."""

    tracker: StuckParcelTracker
    threshold: int = 20
    hold: timedelta = timedelta(hours=48)
    reroute_fee: Decimal | None = None  # also re-route parcels waiting at origin
    switched: dict[str, datetime | None] = field(default_factory=dict)

    def evaluate(self, *, now: datetime) -> list[SwitchChange]:
        stuck = self.tracker.stuck(now)
        changes = []
        for channel, numbers in sorted(stuck.items()):
            if len(numbers) >= self.threshold and channel not in self.switched:
                changes.append(
                    SwitchChange(channel, None, 1.0, None, now, "stuck at origin", self.reroute_fee)
                )
            if channel in self.switched:
                self.switched[channel] = None
        for channel, calm_since in list(self.switched.items()):
            if channel in stuck:
                continue
            if calm_since is None:
                self.switched[channel] = now
            elif now - calm_since >= self.hold:
                changes.append(SwitchChange(channel, None, 0.0, None, now, "recovered"))
                del self.switched[channel]
        for change in changes:
            if change.share > 0:
                self.switched[change.channel_id] = None
        return changes


@dataclass
class SteppingClock:
    """A clock reading `at`, which moves on by `step` after every reading (tests move it too)."""

    at: datetime
    step: timedelta = timedelta(0)

    def now(self) -> datetime:
        current = self.at
        self.at += self.step
        return current
