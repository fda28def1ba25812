"""Repositories for channel selection: assignments, warehouse inventory, and the network state
selection reads (channel states and active switches, which switching writes). Never commit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, insert, select, tuple_, update

from tradelane.domain.money import Money
from tradelane.selection.conditions import ActiveSwitch, ChannelState
from tradelane.selection.decision import AssignmentRecord
from tradelane.store.tables import (
    assignments,
    channel_states,
    inventory,
    order_lines,
    orders,
    switches,
)
from tradelane.store.tenancy import same_order, tenant_owns

__all__ = [
    "AssignmentRepository",
    "InventoryRepository",
    "NetworkStateRepository",
    "OrderFactsRow",
]

CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class OrderFactsRow:
    """The columns of a stored order that selection needs (see selection.facts)."""

    order_id: str
    created_at: datetime
    country: str
    postcode: str | None
    currency: str
    declared_value: Decimal
    weight_kg: float
    length_cm: float | None
    width_cm: float | None
    height_cm: float | None
    goods_classes: str  # comma-separated
    skus: str  # space-separated
    urgency: str
    promised_days: int


def _row(record: AssignmentRecord) -> dict[str, Any]:
    return {
        "order_id": record.order_id,
        "primary_channel_id": record.primary_channel_id,
        "backup_channel_ids": list(record.backup_channel_ids),
        "cost_amount": None if record.cost is None else record.cost.amount,
        "cost_currency": None if record.cost is None else record.cost.currency,
        "on_time_probability": record.on_time_probability,
        "score": dict(record.score),
        "reason": record.reason,
        "policy_version": record.policy_version,
        "catalogue_version_id": record.catalogue_version_id,
        "cause": record.cause,
        "assigned_at": record.assigned_at,
    }


def _record(row: Any) -> AssignmentRecord:
    cost = None
    if row.cost_amount is not None:
        cost = Money(amount=row.cost_amount, currency=row.cost_currency)
    return AssignmentRecord(
        order_id=row.order_id,
        primary_channel_id=row.primary_channel_id,
        backup_channel_ids=tuple(row.backup_channel_ids),
        cost=cost,
        on_time_probability=row.on_time_probability,
        score=row.score,
        reason=row.reason,
        policy_version=row.policy_version,
        catalogue_version_id=row.catalogue_version_id,
        assigned_at=row.assigned_at,
        cause=row.cause,
    )


class AssignmentRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def orders_to_assign(self, *, limit: int | None = None) -> Iterator[OrderFactsRow]:
        """Orders still `new` (never assigned, or no channel could take them last time),
        in created_at order."""
        columns = [orders.c[name] for name in OrderFactsRow.__slots__]
        query = select(*columns).where(orders.c.status == "new", tenant_owns(orders.c.tenant_id))
        query = query.order_by(orders.c.created_at, orders.c.order_id)
        if limit is not None:
            query = query.limit(limit)
        for row in self._c.execute(query):
            yield OrderFactsRow(*row)

    def facts_of(self, order_ids: Sequence[str]) -> dict[str, OrderFactsRow]:
        """order id -> the selection columns of each stored order named (any status)."""
        columns = [orders.c[name] for name in OrderFactsRow.__slots__]
        found: dict[str, OrderFactsRow] = {}
        ids = list(order_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            query = select(*columns).where(
                orders.c.order_id.in_(chunk), tenant_owns(orders.c.tenant_id)
            )
            found.update((row.order_id, OrderFactsRow(*row)) for row in self._c.execute(query))
        return found

    def units_of(self, order_ids: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """order id -> (sku, quantity) of its lines, in line order."""
        found: dict[str, list[tuple[str, int]]] = {}
        for start in range(0, len(order_ids), CHUNK):
            query = (
                select(order_lines.c.order_id, order_lines.c.sku, order_lines.c.quantity)
                .where(
                    order_lines.c.order_id.in_(list(order_ids[start : start + CHUNK])),
                    tenant_owns(order_lines.c.tenant_id),
                )
                .order_by(order_lines.c.order_id, order_lines.c.line_no)
            )
            for order_id, sku, quantity in self._c.execute(query):
                found.setdefault(order_id, []).append((sku, int(quantity)))
        return found

    def add_many(self, records: Sequence[AssignmentRecord], *, now: datetime) -> None:
        """Store records as the orders' current assignments (earlier ones are superseded);
        orders that got a primary move to status `assigned`."""
        for start in range(0, len(records), CHUNK):
            chunk = records[start : start + CHUNK]
            ids = [r.order_id for r in chunk]
            self._c.execute(
                update(assignments)
                .where(assignments.c.order_id.in_(ids), assignments.c.superseded_at.is_(None))
                .where(tenant_owns(assignments.c.tenant_id))
                .values(superseded_at=now)
            )
            self._c.execute(insert(assignments), [_row(r) for r in chunk])
            placed = [r.order_id for r in chunk if r.primary_channel_id is not None]
            if placed:
                self._c.execute(
                    update(orders)
                    .where(orders.c.order_id.in_(placed), tenant_owns(orders.c.tenant_id))
                    .values(status="assigned")
                )

    def current(self, order_id: str) -> AssignmentRecord | None:
        row = self._c.execute(
            select(assignments).where(
                assignments.c.order_id == order_id,
                assignments.c.superseded_at.is_(None),
                tenant_owns(assignments.c.tenant_id),
            )
        ).first()
        return None if row is None else _record(row)

    def history(self, order_id: str) -> list[AssignmentRecord]:
        rows = self._c.execute(
            select(assignments)
            .where(assignments.c.order_id == order_id, tenant_owns(assignments.c.tenant_id))
            .order_by(assignments.c.assigned_at, assignments.c.id)
        )
        return [_record(row) for row in rows]

    def primaries_of_orders_created(self, start: datetime, end: datetime) -> dict[str, int]:
        """Current assignments per primary channel of the tenant's orders created in
        [start, end): the capacity those orders already use on their shipping day."""
        query = (
            select(assignments.c.primary_channel_id, func.count())
            .join(orders, same_order(orders, assignments))
            .where(
                and_(
                    tenant_owns(orders.c.tenant_id),
                    assignments.c.superseded_at.is_(None),
                    assignments.c.primary_channel_id.is_not(None),
                    orders.c.created_at >= start,
                    orders.c.created_at < end,
                )
            )
            .group_by(assignments.c.primary_channel_id)
        )
        return {channel: int(count) for channel, count in self._c.execute(query)}


class InventoryRepository:
    """The tenant's stock per overseas warehouse and SKU (each tenant its own).

    `on_hand` is the units physically there: an import sets it, a hand-off from the warehouse
    draws it down (`draw`). Units are *reserved* while an order whose current assignment is at
    one of the warehouse's channels waits to be handed off; re-assigning the order elsewhere
    (a new assignment run, a switch) releases them, because reservations are read from the
    current assignments rather than kept as a second count. available = on_hand - reserved.
    """

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def put_many(self, rows: Sequence[tuple[str, str, int]], *, now: datetime) -> None:
        """Set on_hand for (warehouse, sku, on_hand) rows, replacing earlier figures."""
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            keys = [(w, s) for w, s, _ in chunk]
            self._c.execute(
                delete(inventory).where(
                    tuple_(inventory.c.warehouse, inventory.c.sku).in_(keys),
                    tenant_owns(inventory.c.tenant_id),
                )
            )
            self._c.execute(
                insert(inventory),
                [{"warehouse": w, "sku": s, "on_hand": n, "updated_at": now} for w, s, n in chunk],
            )

    def on_hand(self) -> dict[str, dict[str, int]]:
        """warehouse -> SKU -> units on hand (SKUs with none left out)."""
        found: dict[str, dict[str, int]] = {}
        query = select(inventory.c.warehouse, inventory.c.sku, inventory.c.on_hand).where(
            inventory.c.on_hand > 0, tenant_owns(inventory.c.tenant_id)
        )
        for warehouse, sku, units in self._c.execute(query):
            found.setdefault(warehouse, {})[sku] = int(units)
        return found

    def reserved(self, warehouse_of: Mapping[str, str]) -> dict[str, dict[str, int]]:
        """warehouse -> SKU -> units of assigned, not yet shipped orders whose current primary
        is a channel of that warehouse (`warehouse_of`: channel id -> warehouse code)."""
        found: dict[str, dict[str, int]] = {}
        if not warehouse_of:
            return found
        query = (
            select(
                assignments.c.primary_channel_id,
                order_lines.c.sku,
                func.sum(order_lines.c.quantity),
            )
            .join(orders, same_order(orders, assignments))
            .join(order_lines, same_order(order_lines, assignments))
            .where(
                and_(
                    tenant_owns(assignments.c.tenant_id),
                    assignments.c.superseded_at.is_(None),
                    assignments.c.primary_channel_id.in_(sorted(warehouse_of)),
                    orders.c.status == "assigned",
                )
            )
            .group_by(assignments.c.primary_channel_id, order_lines.c.sku)
        )
        for channel, sku, units in self._c.execute(query):
            held = found.setdefault(warehouse_of[channel], {})
            held[sku] = held.get(sku, 0) + int(units)
        return found

    def available(self, warehouse_of: Mapping[str, str]) -> dict[str, dict[str, int]]:
        """warehouse -> SKU -> units that new assignments may still take (never below 0)."""
        reserved = self.reserved(warehouse_of)
        return {
            warehouse: {
                sku: max(units - reserved.get(warehouse, {}).get(sku, 0), 0)
                for sku, units in held.items()
            }
            for warehouse, held in self.on_hand().items()
        }

    def draw(self, warehouse: str, units: Mapping[str, int], *, now: datetime) -> None:
        """Units left the warehouse (hand-off): on_hand goes down, never below 0."""
        for sku, count in units.items():
            self._c.execute(
                update(inventory)
                .where(
                    inventory.c.warehouse == warehouse,
                    inventory.c.sku == sku,
                    tenant_owns(inventory.c.tenant_id),
                )
                .values(
                    on_hand=case(
                        (inventory.c.on_hand > count, inventory.c.on_hand - count), else_=0
                    ),
                    updated_at=now,
                )
            )

    def stocked(self) -> dict[str, frozenset[str]]:
        """warehouse -> SKUs with at least one unit on hand."""
        return {w: frozenset(held) for w, held in self.on_hand().items()}

    def totals(self) -> dict[str, tuple[int, int]]:
        """warehouse -> (SKUs in stock, units on hand)."""
        query = (
            select(inventory.c.warehouse, func.count(), func.sum(inventory.c.on_hand))
            .where(inventory.c.on_hand > 0, tenant_owns(inventory.c.tenant_id))
            .group_by(inventory.c.warehouse)
        )
        return {w: (int(n), int(units)) for w, n, units in self._c.execute(query)}


class NetworkStateRepository:
    """Reads the tenant's channel states and active switches that switching maintains."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def channel_states(self) -> dict[tuple[str, str], ChannelState]:
        query = select(
            channel_states.c.channel_id, channel_states.c.country, channel_states.c.state
        ).where(tenant_owns(channel_states.c.tenant_id))
        return {(c, country): ChannelState(s) for c, country, s in self._c.execute(query)}

    def active_switches(self, at: datetime) -> list[ActiveSwitch]:
        query = (
            select(switches)
            .where(and_(switches.c.started_at <= at, switches.c.ended_at.is_(None)))
            .where(tenant_owns(switches.c.tenant_id))
            .order_by(switches.c.started_at, switches.c.id)
        )
        return [
            ActiveSwitch(row.channel_id, row.country, float(row.share), row.backup_channel_id)
            for row in self._c.execute(query)
        ]
