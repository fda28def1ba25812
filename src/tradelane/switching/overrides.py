"""What the selection engine reads from switching: lane states and active switches.

    overrides = SelectionOverrides(states={("epacket-cn", "US"): HealthState.FAILED},
                                   switches=(ActiveSwitch(7, "epacket-cn", "US", 1.0),))
    overrides.diversion("ORD-1", "epacket-cn", "US")   # the switch that moves this order, or None

A partial switch moves a stable share of orders: an order is diverted when its id hashes
below the share (CRC-32 via selection's `switch_fraction`, so the same order gets the same
answer in every process and run, in switching and in selection alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tradelane.selection.conditions import switch_fraction
from tradelane.switching.states import ActiveSwitch, HealthState, LaneKey

__all__ = ["SelectionOverrides", "diverts"]


def diverts(order_id: str, share: float) -> bool:
    """True for a stable `share` (0..1) of order ids: the selection engine's own rule
    (`switch_fraction(order_id) < share`), so switching re-assigns exactly the orders that
    selection would route to the backup."""
    return switch_fraction(order_id) < share


@dataclass(frozen=True)
class SelectionOverrides:
    """Channel states per (channel_id, country) — absent means healthy — and open switches."""

    states: Mapping[LaneKey, HealthState] = field(default_factory=dict)
    switches: tuple[ActiveSwitch, ...] = ()

    def state(self, channel_id: str, country: str) -> HealthState:
        return self.states.get((channel_id, country), HealthState.HEALTHY)

    def switches_for(self, channel_id: str, country: str) -> tuple[ActiveSwitch, ...]:
        """Open switches covering the lane, widest share first."""
        found = [s for s in self.switches if s.covers(channel_id, country)]
        return tuple(sorted(found, key=lambda s: (-s.share, s.switch_id)))

    def diverted_share(self, channel_id: str, country: str) -> float:
        """Share of the lane's new orders that move: the widest covering switch's."""
        found = self.switches_for(channel_id, country)
        return found[0].share if found else 0.0

    def diversion(self, order_id: str, channel_id: str, country: str) -> ActiveSwitch | None:
        """The switch that moves this order off `channel_id`, or None if it stays."""
        for switch in self.switches_for(channel_id, country):
            if diverts(order_id, switch.share):
                return switch
        return None
