"""Webhook subscriptions (notifications/subscriptions.py): a tenant adds, lists and disables
its own; the outbox reads the enabled ones of the tenant a message belongs to, and delivery
reads the secrets of the subscriptions its messages were queued for.

    add / owned / disable   the open unit of work's tenant only
    enabled(tenant_ids)     the enabled subscriptions of those tenants (None: of every tenant)
    secrets(ids)            subscription id -> secret, enabled ones only
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tradelane.notifications.subscriptions import Subscription
from tradelane.store.tables import webhook_subscriptions
from tradelane.store.tenancy import tenant_owns

__all__ = ["SubscriptionRepository"]

_c = webhook_subscriptions.c
_SHOWN = (_c.id, _c.tenant_id, _c.url, _c.topics, _c.created_at)


class SubscriptionRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self, url: str, *, topics: Sequence[str] | None, secret: str, now: datetime
    ) -> Subscription:
        """A new enabled subscription of the open unit of work's tenant."""
        statement = insert(webhook_subscriptions).returning(*_SHOWN)
        values = {
            "url": url,
            "topics": None if topics is None else list(topics),
            "secret": secret,
            "created_at": now,
        }
        return _subscription(self._c.execute(statement, values).one())

    def owned(self) -> list[Subscription]:
        """The tenant's enabled subscriptions, oldest first."""
        query = select(*_SHOWN).where(tenant_owns(_c.tenant_id), _c.disabled_at.is_(None))
        return [_subscription(row) for row in self._c.execute(query.order_by(_c.id))]

    def disable(self, subscription_id: int, *, now: datetime) -> Subscription | None:
        """Disable one of the tenant's enabled subscriptions; None when it has no such one."""
        statement = (
            update(webhook_subscriptions)
            .where(_c.id == subscription_id, tenant_owns(_c.tenant_id), _c.disabled_at.is_(None))
            .values(disabled_at=now)
            .returning(*_SHOWN)
        )
        row = self._c.execute(statement).one_or_none()
        return None if row is None else _subscription(row)

    def enabled(self, tenant_ids: Collection[str] | None = None) -> list[Subscription]:
        """The enabled subscriptions of `tenant_ids` (None: every tenant's), oldest first."""
        query = select(*_SHOWN).where(_c.disabled_at.is_(None)).order_by(_c.id)
        if tenant_ids is not None:
            query = query.where(_c.tenant_id.in_(sorted(tenant_ids)))
        return [_subscription(row) for row in self._c.execute(query)]

    def secrets(self, subscription_ids: Collection[int]) -> dict[int, str]:
        """id -> secret of the enabled subscriptions among `subscription_ids`."""
        if not subscription_ids:
            return {}
        query = select(_c.id, _c.secret).where(
            _c.id.in_(sorted(subscription_ids)), _c.disabled_at.is_(None)
        )
        return {row.id: row.secret for row in self._c.execute(query)}


def _subscription(row: Any) -> Subscription:
    topics = None if row.topics is None else tuple(row.topics)
    return Subscription(row.id, row.tenant_id, row.url, topics, row.created_at)
