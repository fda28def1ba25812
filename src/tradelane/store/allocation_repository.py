"""Stored allocation ratios (one set per tenant, its latest run) and the order history that
forecasts them: each tenant reads and replaces only its own (store/tenancy.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from tradelane.store.assignment_repository import OrderFactsRow
from tradelane.store.tables import allocation_ratios, orders
from tradelane.store.tenancy import tenant_owns

__all__ = ["AllocationRepository"]


class AllocationRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def replace(
        self,
        shares: Mapping[tuple[str, str], float],
        *,
        horizon_start: datetime,
        horizon_days: int,
        now: datetime,
    ) -> None:
        """Store `shares` ((country, channel id) -> share) in place of the tenant's earlier ones."""
        self._c.execute(delete(allocation_ratios).where(tenant_owns(allocation_ratios.c.tenant_id)))
        rows = [
            {
                "country": country,
                "channel_id": channel_id,
                "share": share,
                "horizon_start": horizon_start,
                "horizon_days": horizon_days,
                "computed_at": now,
            }
            for (country, channel_id), share in sorted(shares.items())
        ]
        if rows:
            self._c.execute(insert(allocation_ratios), rows)

    def quotas(self) -> dict[tuple[str, str], float]:
        """(country, channel id) -> stored share; empty before the first `allocate`."""
        r = allocation_ratios
        query = select(r.c.country, r.c.channel_id, r.c.share).where(tenant_owns(r.c.tenant_id))
        return {(country, channel): share for country, channel, share in self._c.execute(query)}

    def orders_created(self, start: datetime, end: datetime) -> Iterator[OrderFactsRow]:
        """The tenant's orders created in [start, end), whatever their status: the forecast's
        history."""
        columns = [orders.c[name] for name in OrderFactsRow.__slots__]
        query = select(*columns).where(
            orders.c.created_at >= start, orders.c.created_at < end, tenant_owns(orders.c.tenant_id)
        )
        for row in self._c.execute(query.order_by(orders.c.created_at, orders.c.order_id)):
            yield OrderFactsRow(*row)
