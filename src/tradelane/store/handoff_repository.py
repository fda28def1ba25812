"""Hand-offs as stored: the shipment row's order, channel, promise and label cost, and the
order's move to `shipped`. Never commits (the unit of work does)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tradelane.domain.money import Money
from tradelane.domain.shipments import Shipment
from tradelane.store.tables import orders, shipments
from tradelane.store.tenancy import CURRENT_TENANT, tenant_owns

__all__ = ["ANOTHER_TENANTS_ORDER", "HandOffRepository", "StoredHandOff"]

CHUNK = 5_000
# What `stored` shows as the order of a parcel another tenant handed over: not an order id
# (order ids have no spaces), so it never matches one, and it names nothing of theirs.
ANOTHER_TENANTS_ORDER = "(another tenant's order)"


@dataclass(frozen=True, slots=True)
class StoredHandOff:
    """What is stored under a tracking number; order_id None: only tracking events so far,
    ANOTHER_TENANTS_ORDER: the parcel of another tenant's order."""

    tracking_number: str
    order_id: str | None
    channel_id: str | None
    handed_over_at: datetime | None
    promised_at: datetime | None


class HandOffRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def stored(self, tracking_numbers: Sequence[str]) -> dict[str, StoredHandOff]:
        """The stored shipments among `tracking_numbers`, by number."""
        found: dict[str, StoredHandOff] = {}
        columns = [shipments.c[name] for name in StoredHandOff.__slots__]
        mine = tenant_owns(shipments.c.tenant_id).label("mine")
        for start in range(0, len(tracking_numbers), CHUNK):
            chunk = list(tracking_numbers[start : start + CHUNK])
            query = select(*columns, mine).where(shipments.c.tracking_number.in_(chunk))
            found.update({row[0]: _stored(row) for row in self._c.execute(query)})
        return found

    def record(self, shipment: Shipment, *, label_cost: Money | None, booked_via: str) -> bool:
        """Insert or update the shipment's hand-off facts; True when the row is new. The caller
        checked that no other order owns the number."""
        facts = {
            **shipment.model_dump(exclude={"tracking_number"}),
            "label_cost_amount": None if label_cost is None else label_cost.amount,
            "label_cost_currency": None if label_cost is None else label_cost.currency,
            "booked_via": booked_via[:40],
            "tenant_id": CURRENT_TENANT.get(),  # a parcel seen by tracking first joins its order
        }
        number = shipment.tracking_number
        exists = self._c.execute(
            select(shipments.c.id).where(shipments.c.tracking_number == number)
        ).first()
        if exists is None:
            self._c.execute(insert(shipments).values(tracking_number=number, **facts))
            return True
        self._c.execute(
            update(shipments).where(shipments.c.tracking_number == number).values(**facts)
        )
        return False

    def mark_shipped(self, order_ids: Sequence[str]) -> None:
        for start in range(0, len(order_ids), CHUNK):
            chunk = list(order_ids[start : start + CHUNK])
            self._c.execute(
                update(orders)
                .where(orders.c.order_id.in_(chunk), tenant_owns(orders.c.tenant_id))
                .values(status="shipped")
            )

    def statuses(self, order_ids: Sequence[str]) -> dict[str, str]:
        query = select(orders.c.order_id, orders.c.status).where(
            orders.c.order_id.in_(list(order_ids)), tenant_owns(orders.c.tenant_id)
        )
        return {order_id: status for order_id, status in self._c.execute(query)}


def _stored(row: Any) -> StoredHandOff:
    if row.order_id is not None and not row.mine:
        return StoredHandOff(row.tracking_number, ANOTHER_TENANTS_ORDER, None, None, None)
    return StoredHandOff(
        row.tracking_number, row.order_id, row.channel_id, row.handed_over_at, row.promised_at
    )
