"""Backups that do not share the primary's failure mode.

Backups are picked one after another from the channels that can take the order. Each pick
minimises `rank score - diversity bonus`, where the bonus (policy.diversification) pays for
    other carrier          a carrier not used by the primary or an earlier backup
    other mode             a mode other than the primary's
    other air type         passenger belly vs freighter vs none (surface / domestic)
    other clearance port   no clearance port in common with the primary on this lane
With the default weights another carrier comes first, then another mode, air type and port;
price and delay risk still count, so a backup is the best diversified channel, not the
strangest one. Ties go to the channel listed first in the catalogue. For an order the on-time
floor binds, channels below the floor come after every channel that meets it (promise.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradelane.domain.catalog import Channel, Lane
from tradelane.selection.policy import DiversificationWeights

__all__ = [
    "OTHER_AIR_TYPE",
    "OTHER_CARRIER",
    "OTHER_CLEARANCE_PORT",
    "OTHER_MODE",
    "Ranked",
    "choose_backups",
    "clearance_ports",
    "diversifications",
    "ports_differ",
]

OTHER_CARRIER = "other carrier"
OTHER_MODE = "other mode"
OTHER_AIR_TYPE = "other air type"
OTHER_CLEARANCE_PORT = "other clearance port"


@dataclass(frozen=True, slots=True)
class Ranked:
    """A channel that can take the order, with its position in the catalogue and rank score."""

    position: int
    channel: Channel
    lane: Lane
    rank_score: float
    below_floor: bool = False  # a bound order's channel under the on-time floor ranks last


def clearance_ports(channel: Channel, lane: Lane) -> frozenset[str]:
    """Where the parcel clears customs on this lane (none for domestic last mile)."""
    if lane.clearance_port is not None:
        return frozenset({lane.clearance_port})
    return frozenset(channel.clearance_ports)


def ports_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    """No port in common; two channels that clear nowhere share that."""
    return bool(a or b) and not a & b


def diversifications(primary: Ranked, backup: Ranked) -> tuple[str, ...]:
    """Which of the primary's failure modes the backup does not share."""
    p, b = primary.channel, backup.channel
    found = []
    if b.carrier != p.carrier:
        found.append(OTHER_CARRIER)
    if b.mode != p.mode:
        found.append(OTHER_MODE)
    if b.air_type != p.air_type:
        found.append(OTHER_AIR_TYPE)
    if ports_differ(clearance_ports(p, primary.lane), clearance_ports(b, backup.lane)):
        found.append(OTHER_CLEARANCE_PORT)
    return tuple(found)


def _bonus(
    primary: Ranked, candidate: Ranked, used_carriers: set[str], w: DiversificationWeights
) -> float:
    p, c = primary.channel, candidate.channel
    carrier = w.other_carrier if c.carrier not in used_carriers else 0.0
    mode = w.other_mode if c.mode != p.mode else 0.0
    air = w.other_air_type if c.air_type != p.air_type else 0.0
    ports = clearance_ports(p, primary.lane), clearance_ports(c, candidate.lane)
    port = w.other_clearance_port if ports_differ(*ports) else 0.0
    return carrier + (mode + air + port)


def choose_backups(
    primary: Ranked, others: Sequence[Ranked], *, count: int, weights: DiversificationWeights
) -> list[Ranked]:
    """Up to `count` backups from `others` (which must not include the primary)."""
    chosen: list[Ranked] = []
    used_carriers = {primary.channel.carrier}
    left = list(others)
    while left and len(chosen) < count:
        best = min(
            left,
            key=lambda r: (
                r.below_floor,
                r.rank_score - _bonus(primary, r, used_carriers, weights),
                r.position,
            ),
        )
        chosen.append(best)
        used_carriers.add(best.channel.carrier)
        left.remove(best)
    return chosen
