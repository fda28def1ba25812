"""The state of each webhook destination, and putting a parked one back into delivery.

active        configured, or a tenant's subscription, and enabled: its messages are sent and
              retried
disabled      it answered 410 Gone to a tenant's message: that tenant's messages to it are
              parked until `enable_endpoint` (`tenants` names whose; the others' are sent)
unconfigured  messages are queued for it but it is no longer in TRADELANE_WEBHOOKS (nor
              subscribed to): they are parked; configure it again and `enable_endpoint`
              re-queues them
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tradelane.domain.errors import NotFound
from tradelane.store.uow import UnitOfWork

__all__ = ["EndpointStatus", "enable_endpoint", "endpoint_statuses"]


@dataclass(frozen=True)
class EndpointStatus:
    url: str
    state: str  # active, disabled or unconfigured
    pending: int
    parked: int
    reason: str | None = None
    since: datetime | None = None
    tenants: tuple[str, ...] = ()  # disabled: the tenants it answered 410 Gone to


def endpoint_statuses(*, uow: UnitOfWork, configured: Sequence[str]) -> list[EndpointStatus]:
    """Every configured destination, every tenant's subscribed one and every one that still
    has undelivered messages."""
    with uow:
        counts = uow.outbox.counts_by_destination()
        disabled = uow.endpoints.disabled()
        configured = [*configured, *(s.url for s in uow.subscriptions.enabled())]
    statuses = []
    gone: dict[str, list[tuple[datetime, str, str]]] = {}
    for (tenant, url), (at, why) in disabled.items():
        gone.setdefault(url, []).append((at, why, tenant))
    for url in sorted(set(configured) | set(counts) | set(gone)):
        pending, parked = counts.get(url, (0, 0))
        if url in gone:
            since, reason, _ = min(gone[url])
            tenants = tuple(sorted(tenant for _, _, tenant in gone[url]))
            statuses.append(
                EndpointStatus(url, "disabled", pending, parked, reason, since, tenants)
            )
        elif url in configured:
            statuses.append(EndpointStatus(url, "active", pending, parked))
        else:
            statuses.append(EndpointStatus(url, "unconfigured", pending, parked))
    return statuses


def enable_endpoint(url: str, *, uow: UnitOfWork, now: datetime, tenant: str | None = None) -> int:
    """Re-enable `url` for `tenant` (None: for every tenant) and make its parked messages of
    that tenant due at `now`; returns how many. NotFound when the endpoint is neither
    disabled nor has parked messages."""
    with uow:
        was_disabled = uow.endpoints.enable(url, tenant=tenant)
        unparked = uow.outbox.unpark(url, now=now, tenant=tenant)
        if not was_disabled and not unparked:
            raise NotFound("disabled webhook endpoint or parked messages for", url)
        uow.commit()
    return unparked
