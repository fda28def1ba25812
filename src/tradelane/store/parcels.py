"""What a switch acts on: the tenant's orders assigned but not yet handed over (and moving them
to another channel), and its parcels in flight on a lane. Repositories never commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.sql.expression import ColumnElement

from tradelane.store.tables import assignments, orders, shipments
from tradelane.store.tenancy import same_order, tenant_owns
from tradelane.switching.states import LaneKey

__all__ = [
    "InFlightParcel",
    "LaneParcels",
    "Reassignments",
    "UnshippedOrder",
    "not_departed_origin",
    "not_handed_over",
]


def _lane_key(channel: ColumnElement[str], country: ColumnElement[str]) -> ColumnElement[str]:
    """'channel|country': one value per lane, so a lane list is a plain IN list (which the
    database hashes) rather than a chain of (channel, country) row comparisons."""
    return channel + "|" + country


def _keys(lanes: Iterable[tuple[str, str | None]]) -> list[str]:
    return sorted(f"{channel}|{country}" for channel, country in lanes)


def not_handed_over() -> ColumnElement[bool]:
    """The current assignment's order has no shipment yet. A correlated count, so the database
    probes the shipments (tenant_id, order_id) index per assignment instead of hashing every
    shipment ever stored (an anti-join's plan, which grows with the shipment history)."""
    shipped = select(func.count()).where(same_order(shipments, assignments))
    return shipped.scalar_subquery() == 0


def not_departed_origin() -> ColumnElement[bool]:
    """No departure from origin nor any later milestone (carriers skip scans), as the
    no_departure deviation rule reads it; delivered parcels are the caller's to exclude."""
    s = shipments.c
    return and_(
        s.departed_origin_at.is_(None),
        s.arrived_destination_at.is_(None),
        s.customs_hold_at.is_(None),
        s.customs_cleared_at.is_(None),
        s.out_for_delivery_at.is_(None),
    )


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
                _lane_key(current.primary_channel_id, orders.c.country).in_(_keys(lanes)),
                current.primary_channel_id.in_(channels),
            ),
        )  # the plain IN lets the database use the primary_channel_id index first
        query = (
            select(current.order_id, current.primary_channel_id, orders.c.country)
            .join(orders, same_order(orders, assignments))
            .where(current.superseded_at.is_(None), in_scope, not_handed_over())
            .where(tenant_owns(current.tenant_id))
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
                tenant_owns(shipments.c.tenant_id),
                shipments.c.channel_id.in_(sorted({c for c, _ in lanes})),  # the index first
                _lane_key(shipments.c.channel_id, shipments.c.destination_country).in_(
                    _keys(lanes)
                ),
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
            assignments.c.superseded_at.is_(None),
            assignments.c.order_id.in_(list(order_ids)),
            tenant_owns(assignments.c.tenant_id),
        )
        return {row.order_id: list(row.backup_channel_ids) for row in self._c.execute(query)}

    def move(self, moves: Mapping[str, str], *, reason: str, now: datetime) -> None:
        """Supersede each order's current assignment by one whose primary is `moves[order]`."""
        if not moves:
            return
        current = assignments.c
        rows = self._c.execute(
            update(assignments)
            .where(current.superseded_at.is_(None), current.order_id.in_(list(moves)))
            .where(tenant_owns(current.tenant_id))
            .values(superseded_at=now)
            .returning(assignments)
        ).all()
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
