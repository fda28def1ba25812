"""The outbox: events written in the same transaction as the change they announce, then
claimed and delivered by a worker, retried until delivered.

    add_alert_events   INSERT INTO outbox SELECT … FROM alerts JOIN shipments, per destination
    add_events         given events (switching's notices and switch changes), per destination
                       (both: the system destinations given, plus the enabled subscriptions of
                       the message's tenant that cover its topic, each message marked with its
                       subscription so that delivery signs it with that subscription's secret)
    claim_due          due rows, leased (next_attempt_at = lease end) so a crash re-delivers
    mark_delivered / mark_failed / postpone
    park / unpark      set aside (never claimed) with the reason in last_error, and back
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    func,
    insert,
    literal,
    select,
    update,
)

from tradelane.monitoring.alerts import AlertEvent
from tradelane.monitoring.rules import RULES
from tradelane.notifications.messages import OutboxMessage, new_webhook_id
from tradelane.notifications.subscriptions import Subscription
from tradelane.store.alert_repository import COUNT_ROWS
from tradelane.store.bulk import insert_many
from tradelane.store.deviation_sql import rule_summary
from tradelane.store.sql_ids import random_webhook_id
from tradelane.store.sql_json import json_bool, json_object
from tradelane.store.sql_time import iso_text
from tradelane.store.subscription_repository import SubscriptionRepository
from tradelane.store.tables import ID, alerts, outbox, shipments, webhook_subscriptions
from tradelane.store.tenancy import CURRENT_TENANT
from tradelane.store.types import UTCDateTime

__all__ = ["OutboxRepository"]

ID_CHUNK = 1_000


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_alert_events(
        self,
        event: AlertEvent,
        *,
        destinations: Sequence[str],
        now: datetime,
        alert_ids: Sequence[int] | None = None,
        after_id: int | None = None,
    ) -> int:
        """One message per alert (those in `alert_ids`, or every id above `after_id`) and
        destination, built from the alert and its shipment as they are now."""
        filters: list[ColumnElement[bool]]
        if alert_ids is not None:
            chunks = [list(alert_ids[i : i + ID_CHUNK]) for i in range(0, len(alert_ids), ID_CHUNK)]
            filters = [alerts.c.id.in_(chunk) for chunk in chunks]
        else:
            filters = [alerts.c.id > (after_id or 0)]
        selects = [
            _alert_messages(event, now, literal(d, String()), literal(None, ID))
            for d in destinations
        ]
        covering = [
            s.id for s in SubscriptionRepository(self._c).enabled() if s.covers(event.value)
        ]
        if covering:  # one SELECT for every subscription: each alert to its tenant's only
            w = webhook_subscriptions.c
            joined = _alert_messages(event, now, w.url, w.id).join(
                webhook_subscriptions, w.tenant_id == alerts.c.tenant_id
            )
            selects.append(joined.where(w.id.in_(covering)).order_by(w.id))
        added = 0
        for rows in selects:
            for where in filters:
                statement = insert(outbox).from_select(_TARGET, rows.where(where))
                added += self._c.execute(statement, execution_options=COUNT_ROWS).rowcount
        return added

    def add_events(
        self,
        events: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        destinations: Sequence[str],
        now: datetime,
        tenant: str | None = None,
    ) -> int:
        """One message per (type, data) event and destination, its payload the Standard
        Webhooks body `{type, timestamp, data}`; COPY on PostgreSQL for big batches. The
        events are `tenant`'s (None: the open unit of work's). Returns the number of
        messages written."""
        owner = tenant or CURRENT_TENANT.get()
        subscriptions = SubscriptionRepository(self._c).enabled([owner]) if events else []
        targets: list[tuple[str, Subscription | None]] = [(d, None) for d in destinations]
        targets += [(s.url, s) for s in subscriptions]
        rows = [
            {
                "topic": kind,
                "destination": destination,
                "subscription_id": None if subscription is None else subscription.id,
                "payload": {"type": kind, "timestamp": now.isoformat(), "data": dict(data)},
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
                "webhook_id": new_webhook_id(),
                "tenant_id": owner,
            }
            for destination, subscription in targets
            for kind, data in events
            if subscription is None or subscription.covers(kind)
        ]
        insert_many(self._c, outbox, rows)
        return len(rows)

    def claim_due(self, *, now: datetime, lease_until: datetime, limit: int) -> list[OutboxMessage]:
        """Up to `limit` undelivered messages due at `now`, oldest first, leased until
        `lease_until`, so other workers skip them (on PostgreSQL they skip locked rows too)."""
        columns = outbox.c
        due = (
            select(outbox)
            .where(
                columns.delivered_at.is_(None),
                columns.parked_at.is_(None),
                columns.next_attempt_at <= now,
            )
            .order_by(columns.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(self._c.execute(due))
        if rows:
            self._postpone([row.id for row in rows], until=lease_until)
        return [_message(row) for row in rows]

    def mark_delivered(self, message_id: int, *, now: datetime) -> None:
        statement = update(outbox).where(outbox.c.id == message_id)
        self._c.execute(statement.values(delivered_at=now, last_error=None))

    def mark_failed(
        self, message_id: int, *, attempts: int, error: str, next_attempt_at: datetime
    ) -> None:
        statement = update(outbox).where(outbox.c.id == message_id)
        self._c.execute(
            statement.values(
                attempts=attempts, last_error=error[:2000], next_attempt_at=next_attempt_at
            )
        )

    def postpone(self, message_ids: Sequence[int], *, until: datetime) -> None:
        """Move messages to `until` without counting an attempt."""
        self._postpone(message_ids, until=until)

    def park(self, message_id: int, *, reason: str, now: datetime) -> None:
        """Set a message aside: never claimed again until `unpark`; `reason` is kept."""
        statement = update(outbox).where(outbox.c.id == message_id)
        self._c.execute(statement.values(parked_at=now, last_error=reason[:2000]))

    def unpark(self, destination: str, *, now: datetime, tenant: str | None = None) -> int:
        """Make the parked messages of `destination` (of `tenant` only, when given) due at
        `now`; returns how many."""
        statement = update(outbox).where(
            outbox.c.destination == destination, outbox.c.parked_at.is_not(None)
        )
        if tenant is not None:
            statement = statement.where(outbox.c.tenant_id == tenant)
        result = self._c.execute(
            statement.values(parked_at=None, next_attempt_at=now), execution_options=COUNT_ROWS
        )
        return int(result.rowcount)

    def pending_count(self) -> int:
        """Undelivered messages that will be tried (parked ones are not counted)."""
        query = (
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.delivered_at.is_(None), outbox.c.parked_at.is_(None))
        )
        return int(self._c.scalar(query) or 0)

    def counts_by_destination(self) -> dict[str, tuple[int, int]]:
        """destination -> (pending, parked) over its undelivered messages."""
        c = outbox.c
        parked = func.count(c.parked_at)
        query = (
            select(c.destination, func.count() - parked, parked)
            .where(c.delivered_at.is_(None))
            .group_by(c.destination)
        )
        return {row[0]: (int(row[1]), int(row[2])) for row in self._c.execute(query)}

    def messages(self, *, pending_only: bool = False, limit: int = 1_000) -> list[OutboxMessage]:
        query = select(outbox).order_by(outbox.c.id).limit(limit)
        if pending_only:
            query = query.where(outbox.c.delivered_at.is_(None))
        return [_message(row) for row in self._c.execute(query)]

    def _postpone(self, message_ids: Sequence[int], *, until: datetime) -> None:
        for start in range(0, len(message_ids), ID_CHUNK):
            chunk = list(message_ids[start : start + ID_CHUNK])
            self._c.execute(
                update(outbox).where(outbox.c.id.in_(chunk)).values(next_attempt_at=until)
            )


_TARGET = [
    "topic",
    "destination",
    "payload",
    "created_at",
    "attempts",
    "next_attempt_at",
    "webhook_id",
    "tenant_id",
    "subscription_id",
]


def _alert_messages(
    event: AlertEvent,
    now: datetime,
    destination: ColumnElement[str],
    subscription_id: ColumnElement[Any],
) -> Any:
    """SELECT of outbox rows: the Standard Webhooks body `{type, timestamp, data}`."""
    a, s = alerts.c, shipments.c
    data: dict[str, ColumnElement[Any]] = {
        "alert_id": a.id,
        "rule": a.rule,
        "summary": rule_summary(a.rule, RULES),
        "state": a.state,
        "resolution": a.resolution,
        "shipment_id": a.shipment_id,
        "tracking_number": s.tracking_number,
        "carrier": s.carrier,
        "order_id": s.order_id,
        "channel_id": s.channel_id,
        "destination_country": s.destination_country,
        "revised_eta": iso_text(a.revised_eta_at),
        "promise_at_risk": json_bool(a.promise_at_risk),
    }
    payload = json_object(
        type=literal(event.value, String()),
        timestamp=literal(now.isoformat(), String()),
        data=json_object(**data),
    )
    return (
        select(
            literal(event.value, String()),
            destination,
            payload,
            literal(now, UTCDateTime()),
            literal(0, Integer()),
            literal(now, UTCDateTime()),
            random_webhook_id(),
            a.tenant_id,  # the message belongs to its alert's tenant
            subscription_id,
        )
        .join_from(alerts, shipments, a.shipment_id == s.id)
        .order_by(a.id)
    )


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        webhook_id=row.webhook_id,
        topic=row.topic,
        destination=row.destination,
        payload=dict(row.payload),
        created_at=row.created_at,
        attempts=row.attempts,
        tenant_id=row.tenant_id,
        subscription_id=row.subscription_id,
    )
