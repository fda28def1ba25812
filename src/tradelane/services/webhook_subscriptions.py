"""A tenant's webhook subscriptions (notifications/subscriptions.py): subscribe (the secret is
made here and returned once), list, unsubscribe. Each works on the unit of work's tenant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tradelane.domain.errors import Conflict, NotFound
from tradelane.notifications.subscriptions import (
    MAX_PER_TENANT,
    Subscription,
    new_secret,
    subscription_topics,
    subscription_url,
)
from tradelane.store.uow import UnitOfWork

__all__ = ["subscribe", "subscriptions", "unsubscribe"]


def subscribe(
    url: str, *, topics: Sequence[str] | None, uow: UnitOfWork, now: datetime
) -> tuple[Subscription, str]:
    """A new subscription of the tenant and its secret, shown only here (ValidationError
    naming `url` or `topics` when one is refused; Conflict when the tenant already has
    MAX_PER_TENANT)."""
    checked = subscription_url(url)
    chosen = subscription_topics(topics)
    secret = new_secret()
    with uow:
        if len(uow.subscriptions.owned()) >= MAX_PER_TENANT:
            raise Conflict(f"a tenant has at most {MAX_PER_TENANT} webhook subscriptions")
        added = uow.subscriptions.add(checked, topics=chosen, secret=secret, now=now)
        uow.commit()
    return added, secret


def subscriptions(*, uow: UnitOfWork) -> list[Subscription]:
    """The tenant's subscriptions, oldest first (without their secrets)."""
    with uow:
        return uow.subscriptions.owned()


def unsubscribe(subscription_id: int, *, uow: UnitOfWork, now: datetime) -> Subscription:
    """No new message goes to the subscription; those queued are parked when their turn comes.
    Returns it; NotFound when the tenant has no such subscription."""
    with uow:
        ended = uow.subscriptions.disable(subscription_id, now=now)
        if ended is None:
            raise NotFound("webhook subscription", subscription_id)
        uow.commit()
    return ended
