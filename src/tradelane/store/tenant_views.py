"""What one tenant may see: its orders and what hangs from them (assignments, shipments,
alerts), its own manual switches, a page at a time by cursor.

Ownership of shipments and alerts goes through the order (a carrier webhook arrives for no
tenant in particular; its parcel belongs to whoever owns the order). Every method reads as
the open unit of work's tenant (store/tenancy.py).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Connection, exists, select

from tradelane.store.tables import alerts, orders, shipments, switches
from tradelane.store.tenancy import same_order, tenant_owns

__all__ = ["TenantViews"]


class TenantViews:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def order_ids_after(self, after: str | None, *, limit: int) -> list[str]:
        """Order ids in id order, those after `after` (None: from the first)."""
        query = select(orders.c.order_id).where(tenant_owns(orders.c.tenant_id))
        if after is not None:
            query = query.where(orders.c.order_id > after)
        return list(self._c.scalars(query.order_by(orders.c.order_id).limit(limit)))

    def owns_order(self, order_id: str) -> bool:
        query = select(orders.c.order_id).where(
            orders.c.order_id == order_id, tenant_owns(orders.c.tenant_id)
        )
        return self._c.scalar(query) is not None

    def owns_shipment(self, tracking_number: str) -> bool:
        query = select(shipments.c.id).where(
            shipments.c.tracking_number == tracking_number, _owned_by_order()
        )
        return self._c.scalar(query) is not None

    def owned_alert_ids(
        self,
        *,
        before: int | None,
        limit: int,
        states: Collection[str] = (),
        alert_id: int | None = None,
    ) -> list[int]:
        """Alert ids newest first (below `before`, in `states` when given) of the tenant's
        parcels."""
        query = (
            select(alerts.c.id)
            .join_from(alerts, shipments, alerts.c.shipment_id == shipments.c.id)
            .where(_owned_by_order())
        )
        if states:
            query = query.where(alerts.c.state.in_(list(states)))
        if before is not None:
            query = query.where(alerts.c.id < before)
        if alert_id is not None:
            query = query.where(alerts.c.id == alert_id)
        return list(self._c.scalars(query.order_by(alerts.c.id.desc()).limit(limit)))

    def owned_switch_ids(
        self, *, before: int | None, limit: int, switch_id: int | None = None
    ) -> list[int]:
        """The tenant's switches newest first (below `before` when given)."""
        query = select(switches.c.id).where(tenant_owns(switches.c.tenant_id))
        if before is not None:
            query = query.where(switches.c.id < before)
        if switch_id is not None:
            query = query.where(switches.c.id == switch_id)
        return list(self._c.scalars(query.order_by(switches.c.id.desc()).limit(limit)))


def _owned_by_order() -> ColumnElement[bool]:
    """The shipment's order is the tenant's."""
    return exists().where(same_order(orders, shipments), tenant_owns(orders.c.tenant_id))
