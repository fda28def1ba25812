"""Units sold per day, SKU and destination country, read from the stored orders."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, and_, select

from tradelane.store.tables import order_lines, orders
from tradelane.store.tenancy import same_order, tenant_owns

__all__ = ["DemandRepository"]


class DemandRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def daily_units(self, start: datetime, end: datetime) -> list[tuple[date, str, str, int]]:
        """(UTC day, sku, country, units) of the tenant's orders created in [start, end),
        summed per day."""
        query = (
            select(orders.c.created_at, order_lines.c.sku, orders.c.country, order_lines.c.quantity)
            .join(order_lines, same_order(order_lines, orders))
            .where(and_(orders.c.created_at >= start, orders.c.created_at < end))
            .where(tenant_owns(orders.c.tenant_id))
        )
        totals: dict[tuple[date, str, str], int] = {}
        for created, sku, country, quantity in self._c.execute(query):
            key = (created.astimezone(UTC).date(), sku, country)
            totals[key] = totals.get(key, 0) + int(quantity)
        return [(day, sku, country, units) for (day, sku, country), units in totals.items()]
