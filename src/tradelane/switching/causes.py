"""Shared causes: lanes that degrade together because they share a failure mode.

    troubled lanes ─▶ group every catalogue lane by what it shares with others
                      (air type, carrier, clearance port, origin hub)
                   ─▶ a group where at least `min_lanes` lanes, at least `min_share` of its
                      busy lanes and `min_share` of its busy channels are troubled is a
                      shared cause (one channel's trouble is not its whole group's)
                   ─▶ a group is explained away by a narrower one: when most troubled lanes
                      of it lie in another shared cause whose lanes are troubled at a
                      higher share (origin CN troubled only on its passenger-belly lanes is
                      the air type's trouble, not the origin's)
                   ─▶ each troubled lane's cause: its widest such group (most troubled
                      lanes; ties: the group with fewer lanes in the catalogue, the more
                      specific), else the lane's own channel

An advisory names its cause outright (switching/advisories.py): the lanes it hits take its scope
as their cause, and every channel among them, instead of a group inferred from readings.

Every channel in a lane's cause group is excluded as a backup target for that lane: a backup
must not share the failure that made the switch (DESIGN.md, backup activation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tradelane.domain.catalog import AirType, Catalogue
from tradelane.switching.states import LaneKey

__all__ = ["SharedCause", "lane_causes"]

MIN_LANES = 2  # several lanes, not one (estimate)
MIN_JUDGED_LANES = 4  # a group is judged only with this many lanes busy enough (estimate)
MIN_SHARE = 0.5  # half of the group's lanes (estimate)
EXPLAINED_SHARE = 0.75  # a narrower cause holding this share of a group's trouble explains it


@dataclass(frozen=True)
class SharedCause:
    kind: str  # air_type, carrier, clearance_port, origin, channel
    value: str
    channels: frozenset[str]  # every channel sharing it: none is a backup target
    troubled_lanes: int
    group_lanes: int
    advisory: str | None = None  # announced: who announced it, the advisory's id

    def describe(self) -> str:
        names = ", ".join(sorted(self.channels))
        if self.advisory is not None:
            return f"{self.kind} {self.value} announced by {self.advisory} ({names})"
        return (
            f"{self.kind} {self.value}: {self.troubled_lanes} of {self.group_lanes} lanes "
            f"degrading together ({names})"
        )

    def as_record(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "value": self.value,
            "channels": sorted(self.channels),
            "troubled_lanes": self.troubled_lanes,
            "group_lanes": self.group_lanes,
            **({"advisory": self.advisory} if self.advisory is not None else {}),
        }


def _groups(catalogue: Catalogue) -> dict[tuple[str, str], set[LaneKey]]:
    groups: dict[tuple[str, str], set[LaneKey]] = defaultdict(set)
    for channel in catalogue.channels:
        for lane in channel.lanes:
            key = (channel.id, lane.country)
            if channel.air_type is not AirType.NONE:
                groups[("air_type", channel.air_type.value)].add(key)
            groups[("carrier", channel.carrier)].add(key)
            groups[("origin", channel.origin)].add(key)
            port = lane.clearance_port or next(iter(channel.clearance_ports), None)
            if port:
                groups[("clearance_port", port)].add(key)
    return groups


def _explained_away(
    group: tuple[str, str], hits: Mapping[tuple[str, str], tuple[set[LaneKey], float]]
) -> bool:
    """Most troubled lanes of `group` (EXPLAINED_SHARE) lie in another shared cause troubled
    at a higher share."""
    troubled, share = hits[group]
    return any(
        other != group
        and len(troubled & other_troubled) >= EXPLAINED_SHARE * len(troubled)
        and other_share > share
        for other, (other_troubled, other_share) in hits.items()
    )


def lane_causes(
    catalogue: Catalogue,
    troubled: Iterable[LaneKey],
    *,
    busy: Iterable[LaneKey] | None = None,
    min_lanes: int = MIN_LANES,
    min_share: float = MIN_SHARE,
) -> Mapping[LaneKey, SharedCause]:
    """The shared cause of each troubled lane (its own channel when it shares none). With
    `busy` (lanes with traffic enough to judge), a group's share counts only those lanes:
    a quiet lane shows nothing either way."""
    bad = set(troubled)
    judged = None if busy is None else set(busy) | bad
    found: list[SharedCause] = []
    members: dict[tuple[str, str], set[LaneKey]] = {}
    hits: dict[tuple[str, str], tuple[set[LaneKey], float]] = {}
    for (kind, value), every in _groups(catalogue).items():
        lanes = every if judged is None else every & judged
        if not lanes or (judged is not None and len(lanes) < MIN_JUDGED_LANES):
            continue
        hit = lanes & bad
        channels = {c for c, _ in every}
        if len(hit) < min_lanes or len(hit) / len(lanes) < min_share:
            continue
        if len({c for c, _ in hit}) / len({c for c, _ in lanes}) < min_share:
            continue  # one channel's trouble is not its whole group's
        found.append(SharedCause(kind, value, frozenset(channels), len(hit), len(every)))
        members[(kind, value)] = every
        hits[(kind, value)] = (hit, len(hit) / len(lanes))
    found = [c for c in found if not _explained_away((c.kind, c.value), hits)]
    found.sort(key=lambda c: (-c.troubled_lanes, c.group_lanes, c.kind, c.value))
    causes: dict[LaneKey, SharedCause] = {}
    for key in sorted(bad):
        causes[key] = next(
            (c for c in found if key in members[(c.kind, c.value)]),
            SharedCause("channel", key[0], frozenset({key[0]}), 1, 1),
        )
    return causes
