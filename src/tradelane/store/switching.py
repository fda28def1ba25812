"""Repositories of switching: lane states, the switches audit trail, and the parcel views a
switch acts on (orders not yet handed over, parcels in flight). They never commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import ColumnElement

from tradelane.domain.errors import NotFound
from tradelane.store.tables import assignments, channel_states, orders, shipments, switches
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import HealthState, LaneKey, SwitchKind, SwitchRecord

__all__ = [
    "ChannelStateRepository",
    "InFlightParcel",
    "LaneParcels",
    "Reassignments",
    "SwitchRepository",
    "UnshippedOrder",
    "not_handed_over",
]


def not_handed_over() -> ColumnElement[bool]:
    """The current assignment's order has no shipment yet. A correlated count, so the database
    probes the shipments.order_id index per assignment instead of hashing every shipment ever
    stored (an anti-join's plan, which grows with the shipment history)."""
    shipped = select(func.count()).where(shipments.c.order_id == assignments.c.order_id)
    return shipped.scalar_subquery() == 0


class ChannelStateRepository:
    """Lane states; a lane without a row is healthy with nothing remembered."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def all(self) -> dict[LaneKey, LaneStatus]:
        return {
            (row.channel_id, row.country): LaneStatus(
                state=HealthState(row.state),
                since=row.since,
                breaching_streak=row.breaching_streak,
                healthy_since=row.healthy_since,
            )
            for row in self._c.execute(select(channel_states))
        }

    def save(self, statuses: Mapping[LaneKey, LaneStatus], *, now: datetime) -> None:
        """Insert or replace the rows of `statuses` (a missing `since` is stored as `now`)."""
        if not statuses:
            return
        rows = [
            {
                "channel_id": channel_id,
                "country": country,
                "state": status.state.value,
                "since": status.since or now,
                "breaching_streak": status.breaching_streak,
                "healthy_since": status.healthy_since,
                "updated_at": now,
            }
            for (channel_id, country), status in statuses.items()
        ]
        dialect = postgresql if self._c.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(channel_states)
        keys = ("state", "since", "breaching_streak", "healthy_since", "updated_at")
        statement = statement.on_conflict_do_update(
            index_elements=["channel_id", "country"],
            set_={key: statement.excluded[key] for key in keys},
        )
        self._c.execute(statement, rows)


def _record(row: Any) -> SwitchRecord:
    return SwitchRecord(
        switch_id=row.id,
        channel_id=row.channel_id,
        country=row.country,
        backup_channel_id=row.backup_channel_id,
        share=row.share,
        kind=SwitchKind(row.kind),
        trigger=row.trigger,
        reason=row.reason,
        actor=row.actor,
        started_at=row.started_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


class SwitchRepository:
    """The switches audit trail: rows are opened and ended, never deleted or rewritten."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def open(
        self,
        *,
        channel_id: str,
        country: str | None,
        backup_channel_id: str | None,
        share: float,
        kind: SwitchKind,
        trigger: Mapping[str, Any],
        reason: str,
        actor: str,
        started_at: datetime,
    ) -> SwitchRecord:
        values = {
            "channel_id": channel_id,
            "country": country,
            "backup_channel_id": backup_channel_id,
            "share": share,
            "kind": kind.value,
            "trigger": dict(trigger),
            "reason": reason,
            "actor": actor[:100],
            "started_at": started_at,
        }
        result = self._c.execute(insert(switches).values(**values))
        return self.get(int(result.inserted_primary_key[0]))  # type: ignore[index]

    def close(
        self,
        switch_id: int,
        *,
        ended_at: datetime,
        ended_by: str,
        ending: Mapping[str, Any] | None = None,
    ) -> SwitchRecord:
        """End an open switch; `ending` (why, with the figures) is added to its trigger record
        under "ending", next to the opening values. NotFound when no open switch has that id."""
        current = self.get(switch_id)
        if not current.is_open:
            raise NotFound("open switch", switch_id)
        trigger = {**current.trigger, "ending": dict(ending)} if ending else dict(current.trigger)
        self._c.execute(
            update(switches)
            .where(switches.c.id == switch_id, switches.c.ended_at.is_(None))
            .values(ended_at=ended_at, ended_by=ended_by[:100], trigger=trigger)
        )
        return self.get(switch_id)

    def get(self, switch_id: int) -> SwitchRecord:
        row = self._c.execute(select(switches).where(switches.c.id == switch_id)).first()
        if row is None:
            raise NotFound("switch", switch_id)
        return _record(row)

    def open_switches(self) -> list[SwitchRecord]:
        query = select(switches).where(switches.c.ended_at.is_(None)).order_by(switches.c.id)
        return [_record(row) for row in self._c.execute(query)]

    def history(
        self, *, include_ended: bool = True, channel_id: str | None = None, limit: int = 200
    ) -> list[SwitchRecord]:
        """Newest first."""
        query = select(switches).order_by(switches.c.id.desc()).limit(limit)
        if not include_ended:
            query = query.where(switches.c.ended_at.is_(None))
        if channel_id is not None:
            query = query.where(switches.c.channel_id == channel_id)
        return [_record(row) for row in self._c.execute(query)]


@dataclass(frozen=True)
class UnshippedOrder:
    order_id: str
    channel_id: str
    country: str


@dataclass(frozen=True)
class InFlightParcel:
    channel_id: str
    order_id: str | None
    tracking_number: str
    country: str
    started_at: datetime
    promised_at: datetime | None
    in_customs: bool


class LaneParcels:
    """What a switch acts on: orders assigned but not handed over, and parcels in flight."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def unshipped(self, scopes: Iterable[tuple[str, str | None]]) -> list[UnshippedOrder]:
        """Orders with no shipment whose current assignment is on one of the scopes:
        (channel, country) for one lane, (channel, None) for every lane of the channel."""
        lanes = sorted({(c, k) for c, k in scopes if k is not None})
        channels = sorted({c for c, k in scopes if k is None})
        if not lanes and not channels:
            return []
        current = assignments.c
        in_scope = and_(
            current.primary_channel_id.in_(sorted({c for c, _ in lanes} | set(channels))),
            or_(
                tuple_(current.primary_channel_id, orders.c.country).in_(lanes),
                current.primary_channel_id.in_(channels),
            ),
        )  # the plain IN lets the database use the primary_channel_id index first
        query = (
            select(current.order_id, current.primary_channel_id, orders.c.country)
            .join(orders, orders.c.order_id == current.order_id)
            .where(current.superseded_at.is_(None), in_scope, not_handed_over())
            .order_by(current.order_id)
        )
        return [UnshippedOrder(*row) for row in self._c.execute(query)]

    def in_flight(self, lanes: Sequence[LaneKey]) -> list[InFlightParcel]:
        """Active, not delivered parcels on the given lanes (channel, destination country)."""
        if not lanes:
            return []
        started = shipments.c.handed_over_at
        in_customs = and_(
            shipments.c.customs_hold_at.is_not(None), shipments.c.customs_cleared_at.is_(None)
        )
        query = (
            select(
                shipments.c.channel_id,
                shipments.c.order_id,
                shipments.c.tracking_number,
                shipments.c.destination_country,
                started,
                shipments.c.promised_at,
                in_customs.label("in_customs"),
            )
            .where(
                shipments.c.is_active.is_(True),
                shipments.c.delivered_at.is_(None),
                started.is_not(None),
                shipments.c.channel_id.in_(sorted({c for c, _ in lanes})),  # the index first
                tuple_(shipments.c.channel_id, shipments.c.destination_country).in_(sorted(lanes)),
            )
            .order_by(shipments.c.tracking_number)
        )
        return [
            InFlightParcel(
                channel_id=row.channel_id,
                order_id=row.order_id,
                tracking_number=row.tracking_number,
                country=row.destination_country,
                started_at=row.handed_over_at,
                promised_at=row.promised_at,
                in_customs=bool(row.in_customs),
            )
            for row in self._c.execute(query)
        ]


class Reassignments:
    """Moves current assignments to another primary channel: the old row is superseded, a new
    one (cause "switch") keeps the order's other backups. Never commits."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def backups_of(self, order_ids: Sequence[str]) -> dict[str, list[str]]:
        """Ranked backups of each order's current assignment."""
        query = select(assignments.c.order_id, assignments.c.backup_channel_ids).where(
            assignments.c.superseded_at.is_(None), assignments.c.order_id.in_(list(order_ids))
        )
        return {row.order_id: list(row.backup_channel_ids) for row in self._c.execute(query)}

    def move(self, moves: Mapping[str, str], *, reason: str, now: datetime) -> None:
        """Supersede each order's current assignment by one whose primary is `moves[order]`."""
        if not moves:
            return
        current = assignments.c
        rows = self._c.execute(
            select(assignments).where(
                current.superseded_at.is_(None), current.order_id.in_(list(moves))
            )
        ).all()
        self._c.execute(
            update(assignments)
            .where(current.superseded_at.is_(None), current.order_id.in_(list(moves)))
            .values(superseded_at=now)
        )
        self._c.execute(
            insert(assignments), [_moved(row, moves[row.order_id], reason, now) for row in rows]
        )


def _moved(row: Any, channel_id: str, reason: str, now: datetime) -> dict[str, Any]:
    backups = [c for c in row.backup_channel_ids if c not in (channel_id, row.primary_channel_id)]
    return {
        "order_id": row.order_id,
        "primary_channel_id": channel_id,
        "backup_channel_ids": backups,
        "cost_amount": None,
        "cost_currency": None,
        "on_time_probability": None,
        "score": {"moved_from": row.primary_channel_id},
        "reason": reason,
        "policy_version": row.policy_version,
        "catalogue_version_id": row.catalogue_version_id,
        "cause": "switch",
        "assigned_at": now,
    }
