"""Re-route records and the labels they void (inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from tradelane.domain.errors import NotFound
from tradelane.domain.reroutes import Reroute
from tradelane.store.bulk import insert_many
from tradelane.store.tables import reroutes, shipments
from tradelane.store.tenancy import tenant_owns

__all__ = ["record_reroutes", "reroutes_of"]

CHUNK = 5_000


def record_reroutes(connection: Connection, moves: Sequence[Reroute], *, now: datetime) -> int:
    """Store one re-route row per move and void each old label (no longer active, `voided_at`
    set), so the sweep and channel health stop counting it. Raises NotFound, writing nothing of
    the batch, if an old label is not stored as the open unit of work's tenant's. Returns the
    number recorded."""
    if not moves:
        return 0
    voided = 0
    for start in range(0, len(moves), CHUNK):
        numbers = [m.voided_tracking_number for m in moves[start : start + CHUNK]]
        voided += connection.execute(
            update(shipments)
            .where(shipments.c.tracking_number.in_(numbers), tenant_owns(shipments.c.tenant_id))
            .values(is_active=False, voided_at=now)
        ).rowcount
    if voided != len({m.voided_tracking_number for m in moves}):
        known = _stored(connection, [m.voided_tracking_number for m in moves])
        missing = next(
            m.voided_tracking_number for m in moves if m.voided_tracking_number not in known
        )
        raise NotFound("shipment to re-route", missing)
    rows: list[dict[str, Any]] = [
        {
            "order_id": m.order_id,
            "voided_tracking_number": m.voided_tracking_number,
            "tracking_number": m.tracking_number,
            "from_channel_id": m.from_channel_id,
            "to_channel_id": m.to_channel_id,
            "fee_amount": m.fee,
            "currency": m.currency,
            "reason": m.reason,
            "rerouted_at": now,
        }
        for m in moves
    ]
    insert_many(connection, reroutes, rows)
    return len(rows)


def _stored(connection: Connection, numbers: Sequence[str]) -> set[str]:
    query = select(shipments.c.tracking_number).where(
        shipments.c.tracking_number.in_(numbers), tenant_owns(shipments.c.tenant_id)
    )
    return set(connection.execute(query).scalars())


def reroutes_of(connection: Connection, order_id: str) -> list[dict[str, Any]]:
    """The tenant's order's re-routes, oldest first (each row as a mapping of its columns)."""
    query = (
        select(reroutes)
        .where(reroutes.c.order_id == order_id, tenant_owns(reroutes.c.tenant_id))
        .order_by(reroutes.c.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]
