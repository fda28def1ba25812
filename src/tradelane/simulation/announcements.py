"""The advisories a season's disruptions publish, and when.

    disruption ─▶ advisory_of (same kind, scope and severity; starts at the disruption's start)
               ─▶ published `announced_after_hours` after its start (None: never published)
               ─▶ ended when the disruption ends

The automated strategy records each published advisory in its store (the advisories service),
so its next switching evaluation acts on it; the static desk acts on it after its manual lag.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradelane.domain.advisories import Advisory, AdvisoryKind
from tradelane.simulation.clock import hours_between
from tradelane.simulation.scenarios import (
    CarrierOutage,
    CustomsSlowdown,
    Disruption,
    FlightCancellations,
    PortCongestion,
    Scenario,
)

__all__ = ["Announcement", "advisory_of", "announcements"]


@dataclass(frozen=True)
class Announcement:
    advisory: Advisory
    published_h: float  # simulated hours from the season's start
    ended_h: float  # the disruption's end: the advisory is ended then


def advisory_of(event: Disruption, index: int) -> Advisory:
    """The advisory announcing `event` (the season's `index`-th disruption)."""
    scope: dict[str, object]
    if isinstance(event, PortCongestion | CustomsSlowdown):
        scope = {"port": event.port}
    elif isinstance(event, CarrierOutage):
        scope = {"carrier": event.carrier}
    elif isinstance(event, FlightCancellations):
        scope = {"air_type": event.air_type}
    else:
        scope = {"channel": event.channel}
    return Advisory(
        id=f"sim-{index + 1}",
        kind=AdvisoryKind(event.kind),
        severity=event.severity,
        starts_at=event.start,
        source=f"scenario: {event.name or event.kind}",
        **scope,
    )


def announcements(scenario: Scenario) -> tuple[Announcement, ...]:
    """Every disruption of the season that is announced, in the order of the scenario."""
    return tuple(
        Announcement(
            advisory_of(event, i),
            hours_between(scenario.start, event.start) + event.announced_after_hours,
            hours_between(scenario.start, event.end),
        )
        for i, event in enumerate(scenario.disruptions)
        if event.announced_after_hours is not None
    )
