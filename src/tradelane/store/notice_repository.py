"""Customer notices: who was told what, once per (order, cause), and the delays due a notice.

due_delays  not-resolved alerts whose promise is at risk, of a rule that tells the buyer
            (`monitoring.rules.BUYER_RULES`: a deviation from the lane's expectation), of
            shipments with an order, whose order has no notice for the alert's cause yet
            (one row per order+cause)
record      the notices written, each its shipment's tenant's (the unique (tenant_id,
            order_id, cause) key refuses a second one)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, String, exists, func, literal, select

from tradelane.monitoring.rules import BUYER_RULES
from tradelane.notifications.notices import delay_cause
from tradelane.store.alert_repository import not_resolved
from tradelane.store.bulk import insert_many
from tradelane.store.tables import alerts, customer_notices, shipments
from tradelane.store.tenancy import tenant_owns

__all__ = ["CustomerNotices", "DueDelay", "SentNotice"]

DELAY_PREFIX = delay_cause("")


@dataclass(frozen=True, slots=True)
class DueDelay:
    alert_id: int
    rule: str
    order_id: str
    shipment_id: int
    tracking_number: str
    country: str
    revised_eta: datetime | None
    tenant_id: str  # the shipment's: its notice is that tenant's message and row


@dataclass(frozen=True, slots=True)
class SentNotice:
    order_id: str
    cause: str
    kind: str
    shipment_id: int | None
    language: str
    tenant_id: str  # whose buyer was told: the shipment's tenant, not the sweep's


class CustomerNotices:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def due_delays(self) -> list[DueDelay]:
        """One row per (order, rule) at risk and not yet told, oldest alert first."""
        a, s, n = alerts.c, shipments.c, customer_notices.c
        cause = literal(DELAY_PREFIX, String()) + a.rule
        told = exists().where(
            n.tenant_id == s.tenant_id, n.order_id == s.order_id, n.cause == cause
        )
        telling = a.rule.in_(sorted(BUYER_RULES))
        first = (
            select(func.min(a.id))
            .select_from(alerts.join(shipments, a.shipment_id == s.id))
            .where(not_resolved(a.state), a.promise_at_risk, telling, s.order_id.is_not(None))
            .where(~told)
            .group_by(s.tenant_id, s.order_id, a.rule)
        )
        query = (
            select(a.id, a.rule, s.order_id, s.id, s.tracking_number, s.destination_country)
            .add_columns(a.revised_eta_at, s.tenant_id)
            .join_from(alerts, shipments, a.shipment_id == s.id)
            .where(a.id.in_(first))
            .order_by(a.id)
        )
        return [
            DueDelay(row[0], row[1], row[2], row[3], row[4], row[5] or "", row[6], row[7])
            for row in self._c.execute(query)
        ]

    def told(self, order_ids: Sequence[str], cause: str) -> set[str]:
        """The tenant's orders among `order_ids` already told about `cause`."""
        found: set[str] = set()
        for start in range(0, len(order_ids), 1_000):
            chunk = list(order_ids[start : start + 1_000])
            query = select(customer_notices.c.order_id).where(
                customer_notices.c.order_id.in_(chunk),
                customer_notices.c.cause == cause,
                tenant_owns(customer_notices.c.tenant_id),
            )
            found.update(self._c.scalars(query))
        return found

    def record(self, notices: Sequence[SentNotice], *, now: datetime) -> None:
        rows = [
            {
                "order_id": notice.order_id,
                "cause": notice.cause,
                "kind": notice.kind,
                "shipment_id": notice.shipment_id,
                "language": notice.language,
                "sent_at": now,
                "tenant_id": notice.tenant_id,
            }
            for notice in notices
        ]
        insert_many(self._c, customer_notices, rows)
