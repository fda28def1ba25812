"""Tell buyers of a delay only when it breaks their promise, once per cause, in their language.

    alerts at risk (revised ETA past the promise) ─▶ not yet told for this rule
        ─▶ render (notifications/notices.py, the destination country's language)
        ─▶ outbox `customer.notice` per destination + a customer_notices row (order, cause)

Runs inside the caller's unit of work (the sweep's) and never commits. Each notice is a
message of its alert's tenant: the system destinations and that tenant's subscriptions. No
destination, no notice: nothing is recorded as told that was not sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tradelane.notifications.notices import (
    by_day,
    delay_cause,
    delay_kind,
    language_for,
    notice_event,
)
from tradelane.store.notice_repository import SentNotice
from tradelane.store.uow import UnitOfWork

__all__ = ["notify_delays"]


def notify_delays(uow: UnitOfWork, *, now: datetime, destinations: Sequence[str]) -> int:
    """Queue a delay notice for every order newly at risk; returns how many buyers were told
    (none of a tenant the notice reaches no destination of)."""
    if not destinations and not uow.subscriptions.enabled():
        return 0
    by_tenant: dict[str, tuple[list[tuple[str, dict[str, Any]]], list[SentNotice]]] = {}
    for due in uow.notices.due_delays():
        events, sent = by_tenant.setdefault(due.tenant_id, ([], []))
        kind, cause = delay_kind(due.rule), delay_cause(due.rule)
        eta = by_day(due.revised_eta or now).isoformat()
        events.append(
            notice_event(
                kind,
                order_id=due.order_id,
                country=due.country,
                cause=cause,
                tracking_number=due.tracking_number,
                eta=eta,
            )
        )
        language = language_for(due.country)
        sent.append(
            SentNotice(due.order_id, cause, kind.value, due.shipment_id, language, due.tenant_id)
        )
    told = 0
    for tenant, (events, sent) in by_tenant.items():
        if uow.outbox.add_events(events, destinations=destinations, now=now, tenant=tenant):
            uow.notices.record(sent, now=now)
            told += len(sent)
    return told
