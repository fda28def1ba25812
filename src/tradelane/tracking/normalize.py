"""A shipment's timeline as a pure function of the whole set of its events.

    events (any order, duplicates allowed) ─▶ effective milestone per event
        (carrier milestone, or departed/arrived derived from the event's country)
    ─▶ status: the highest-ranked effective milestone (ties: latest event, then PRECEDENCE)
    ─▶ first time of each milestone, last event time, active unless delivered/returned/lost

Because the result depends only on the set of events, arrival order never matters, and since
adding events can only raise the maximum rank, status never moves backwards. The store's
set-based projection (store/tracking_repository.py) implements the same rules in SQL and is
tested against this function.

Crossing evidence (karrio has no departure/arrival status): an event located outside the
origin country shows the parcel has left it (`departed_origin` no later than that event); an
event in the destination country, when that differs from the origin, shows it has arrived
(`arrived_destination_country`). An arrival, by code or by country, is also evidence of the
departure. Pre-advice events (`info_received`) are not physical scans and never count. Later
milestones (customs, delivery) do not back-fill the crossing times: `status_rank` carries
progress, the times record what was observed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tradelane.domain.shipments import MILESTONE_RANK, TERMINAL_MILESTONES, Milestone, TrackingEvent

__all__ = [
    "PRECEDENCE",
    "TIMED_MILESTONES",
    "Timeline",
    "crossing_evidence",
    "derive_timeline",
    "effective_milestone",
]

M = Milestone

# Tie-break among milestones of equal rank at the same instant: the later in this list wins.
PRECEDENCE: dict[Milestone, int] = {
    m: i
    for i, m in enumerate(
        [
            M.INFO_RECEIVED,
            M.IN_TRANSIT,
            M.PICKED_UP,
            M.DEPARTED_ORIGIN,
            M.ARRIVED_DESTINATION_COUNTRY,
            M.CUSTOMS_HOLD,
            M.CUSTOMS_CLEARED,
            M.OUT_FOR_DELIVERY,
            M.EXCEPTION,
            M.DELIVERED,
            M.RETURNED,
            M.LOST,
        ]
    )
}

# Milestones whose first time the shipments table keeps (column `<name>_at`).
TIMED_MILESTONES = (
    M.PICKED_UP,
    M.DEPARTED_ORIGIN,
    M.ARRIVED_DESTINATION_COUNTRY,
    M.CUSTOMS_HOLD,
    M.CUSTOMS_CLEARED,
    M.OUT_FOR_DELIVERY,
    M.DELIVERED,
    M.EXCEPTION,
)


@dataclass(frozen=True)
class Timeline:
    """What a shipment's events say: status (monotonic by rank) and first milestone times."""

    status: Milestone = M.INFO_RECEIVED
    status_rank: int = 0
    is_active: bool = True
    last_event_at: datetime | None = None
    first_at: Mapping[Milestone, datetime] = field(default_factory=dict)


def crossing_evidence(
    event: TrackingEvent, *, origin_country: str | None, destination_country: str | None
) -> tuple[Milestone, ...]:
    """The border milestones this event proves: departed (and arrived) by code or by country.

    An arrival proves the departure too; pre-advice (`info_received`) proves nothing.
    """
    own = event.milestone
    if own is M.INFO_RECEIVED:
        return ()
    arrived = own is M.ARRIVED_DESTINATION_COUNTRY
    departed = arrived or own is M.DEPARTED_ORIGIN
    if event.country is not None and origin_country is not None:
        abroad = event.country != origin_country
        departed = departed or abroad
        arrived = arrived or (abroad and event.country == destination_country)
    if arrived:
        return (M.DEPARTED_ORIGIN, M.ARRIVED_DESTINATION_COUNTRY)
    return (M.DEPARTED_ORIGIN,) if departed else ()


def effective_milestone(event: TrackingEvent, evidence: tuple[Milestone, ...]) -> Milestone:
    """The event's own milestone, raised to the crossing it proves when that ranks higher."""
    own = event.milestone
    if evidence and MILESTONE_RANK[evidence[-1]] > MILESTONE_RANK[own]:
        return evidence[-1]
    return own


def derive_timeline(
    events: Iterable[TrackingEvent],
    *,
    origin_country: str | None = None,
    destination_country: str | None = None,
) -> Timeline:
    """The timeline of one shipment's events; an empty set gives the `info_received` default."""
    first_at: dict[Milestone, datetime] = {}
    best: tuple[int, datetime, int] | None = None
    status = M.INFO_RECEIVED
    last: datetime | None = None
    for event in events:
        at = event.occurred_at.astimezone(UTC)
        evidence = crossing_evidence(
            event, origin_country=origin_country, destination_country=destination_country
        )
        for timed in (event.milestone, *evidence):
            if timed not in first_at or at < first_at[timed]:
                first_at[timed] = at
        milestone = effective_milestone(event, evidence)
        key = (MILESTONE_RANK[milestone], at, PRECEDENCE[milestone])
        if best is None or key > best:
            best, status = key, milestone
        last = at if last is None or at > last else last
    return Timeline(
        status=status,
        status_rank=MILESTONE_RANK[status],
        is_active=status not in TERMINAL_MILESTONES,
        last_event_at=last,
        first_at={m: t for m, t in first_at.items() if m in TIMED_MILESTONES},
    )
