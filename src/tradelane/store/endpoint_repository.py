"""Webhook endpoints that answered 410 Gone, per tenant: the URL is disabled (with when and
why) for the tenant whose message it refused, until re-enabled; other tenants' messages to
the same URL are still sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from tradelane.store.tables import webhook_endpoints

__all__ = ["EndpointRepository"]

_c = webhook_endpoints.c


class EndpointRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def disable(self, endpoint: tuple[str, str], *, reason: str, now: datetime) -> None:
        """Disable `endpoint` (tenant, URL); kept as first disabled when it already is."""
        if endpoint in self.disabled():
            return
        tenant, url = endpoint
        self._c.execute(
            webhook_endpoints.insert().values(
                tenant_id=tenant, url=url, disabled_at=now, reason=reason[:2000]
            )
        )

    def enable(self, url: str, *, tenant: str | None = None) -> bool:
        """Re-enable `url` for `tenant` (None: for every tenant); False when it was not
        disabled."""
        statement = delete(webhook_endpoints).where(_c.url == url)
        if tenant is not None:
            statement = statement.where(_c.tenant_id == tenant)
        return bool(self._c.execute(statement).rowcount)

    def disabled(self) -> dict[tuple[str, str], tuple[datetime, str]]:
        """(tenant, url) -> (disabled at, reason), every tenant's."""
        rows = self._c.execute(select(webhook_endpoints))
        return {(row.tenant_id, row.url): (row.disabled_at, row.reason) for row in rows}
