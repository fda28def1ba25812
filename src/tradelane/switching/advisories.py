"""Which lanes the active advisories hit, and the cause each of those lanes switches for.

advisories active at now ─▶ lanes_hit (domain/advisories.py) ─▶ advisories per lane
                         ─▶ each hit lane's cause: the worst advisory's scope, with every
                            channel it hits (none of them is a backup target)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from tradelane.domain.advisories import Advisory, lanes_hit
from tradelane.domain.catalog import Catalogue
from tradelane.switching.causes import SharedCause
from tradelane.switching.states import LaneKey

__all__ = ["advised_lanes", "advisory_causes"]


def advised_lanes(
    advisories: Iterable[Advisory], catalogue: Catalogue
) -> dict[LaneKey, tuple[Advisory, ...]]:
    """The advisories hitting each catalogue lane, worst (most severe, then first id) first."""
    found: dict[LaneKey, list[Advisory]] = defaultdict(list)
    for advisory in sorted(advisories, key=lambda a: (-a.severity, a.id)):
        for key in lanes_hit(advisory, catalogue):
            found[key].append(advisory)
    return {key: tuple(hits) for key, hits in found.items()}


def advisory_causes(
    advised: Mapping[LaneKey, Sequence[Advisory]], catalogue: Catalogue
) -> dict[LaneKey, SharedCause]:
    """Each advised lane's cause: its worst advisory's scope and every channel that hits."""
    causes: dict[LaneKey, SharedCause] = {}
    hits: dict[str, set[LaneKey]] = {}
    for key, found in advised.items():
        worst = found[0]
        hit = hits.setdefault(worst.id, lanes_hit(worst, catalogue))
        kind, value = worst.scope
        channels = frozenset(channel for channel, _ in hit)
        causes[key] = SharedCause(
            kind, value, channels, len(hit), len(hit), advisory=f"{worst.source} ({worst.id})"
        )
    return causes
