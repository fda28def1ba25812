"""What scorecards and experiments read of stored shipments: one row per not voided shipment
with its order's id, time and weight, its cost, and its tracking and alert summaries (one query).

Only the open unit of work's tenant's shipments: those of its orders (as store/tenant_views.py
owns them), and those without a stored order stamped with its id (store/tenancy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, case, func, or_, select

from tradelane.store.tables import alerts, assignments, orders, shipments, tracking_events
from tradelane.store.tenancy import same_order, tenant_owns

__all__ = ["ShipmentScoreRow", "shipment_score_rows"]


@dataclass(frozen=True, slots=True)
class ShipmentScoreRow:
    order_id: str | None
    order_created_at: datetime | None
    channel_id: str
    country: str | None
    handed_over_at: datetime | None
    promised_at: datetime | None
    delivered_at: datetime | None
    status: str
    exception_at: datetime | None
    cost_amount: Decimal | None  # the label's cost, else the assignment's quote on that channel
    cost_currency: str | None
    weight_kg: float | None
    first_event_at: datetime | None
    events: int
    located_events: int
    last_eta_at: datetime | None  # the latest revised ETA an alert gave


def shipment_score_rows(connection: Connection) -> Iterator[ShipmentScoreRow]:
    s, o, a, e = shipments, orders, assignments, tracking_events
    scans = (
        select(
            e.c.tracking_number,
            func.min(e.c.occurred_at).label("first_event_at"),
            func.count().label("events"),
            func.sum(case((e.c.location != "", 1), else_=0)).label("located_events"),
        )
        .group_by(e.c.tracking_number)
        .subquery()
    )
    etas = (
        select(alerts.c.shipment_id, func.max(alerts.c.revised_eta_at).label("last_eta_at"))
        .group_by(alerts.c.shipment_id)
        .subquery()
    )
    quoted = and_(
        same_order(a, s),
        a.c.superseded_at.is_(None),
        a.c.primary_channel_id == s.c.channel_id,
    )
    owned = or_(
        tenant_owns(o.c.tenant_id), and_(o.c.order_id.is_(None), tenant_owns(s.c.tenant_id))
    )
    query = (
        select(
            s.c.order_id,
            o.c.created_at,
            s.c.channel_id,
            s.c.destination_country,
            s.c.handed_over_at,
            s.c.promised_at,
            s.c.delivered_at,
            s.c.status,
            s.c.exception_at,
            s.c.label_cost_amount,
            s.c.label_cost_currency,
            a.c.cost_amount,
            a.c.cost_currency,
            o.c.weight_kg,
            scans.c.first_event_at,
            scans.c.events,
            scans.c.located_events,
            etas.c.last_eta_at,
        )
        .select_from(s)
        .outerjoin(o, same_order(o, s))
        .outerjoin(a, quoted)
        .outerjoin(scans, scans.c.tracking_number == s.c.tracking_number)
        .outerjoin(etas, etas.c.shipment_id == s.c.id)
        .where(s.c.voided_at.is_(None), s.c.channel_id.is_not(None), owned)
    )
    for r in connection.execute(query):
        labelled = r.label_cost_amount is not None
        yield ShipmentScoreRow(
            order_id=r.order_id,
            order_created_at=r.created_at,
            channel_id=r.channel_id,
            country=r.destination_country,
            handed_over_at=r.handed_over_at,
            promised_at=r.promised_at,
            delivered_at=r.delivered_at,
            status=r.status,
            exception_at=r.exception_at,
            cost_amount=r.label_cost_amount if labelled else r.cost_amount,
            cost_currency=r.label_cost_currency if labelled else r.cost_currency,
            weight_kg=r.weight_kg,
            first_event_at=r.first_event_at,
            events=int(r.events or 0),
            located_events=int(r.located_events or 0),
            last_eta_at=r.last_eta_at,
        )
