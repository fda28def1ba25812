"""Webhook endpoints that answered 410 Gone: disabled (with when and why) until re-enabled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from tradelane.store.tables import webhook_endpoints

__all__ = ["EndpointRepository"]


class EndpointRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def disable(self, url: str, *, reason: str, now: datetime) -> None:
        """Disable `url` (kept as first disabled when it already is)."""
        if url in self.disabled():
            return
        self._c.execute(
            webhook_endpoints.insert().values(url=url, disabled_at=now, reason=reason[:2000])
        )

    def enable(self, url: str) -> bool:
        """Re-enable `url`; False when it was not disabled."""
        result = self._c.execute(delete(webhook_endpoints).where(webhook_endpoints.c.url == url))
        return bool(result.rowcount)

    def disabled(self) -> dict[str, tuple[datetime, str]]:
        """url -> (disabled at, reason)."""
        rows = self._c.execute(select(webhook_endpoints))
        return {row.url: (row.disabled_at, row.reason) for row in rows}
