"""Ship assigned orders: book each parcel on its channel, then record the hand-off.

    orders (given ids, or every `assigned` one) ─▶ channel: --channel, else the assignment's
        primary ─▶ CarrierBooking.book (karrio or manual; outside any transaction)
        ─▶ record_handoffs for that order (its own transaction: a booked label is never lost
           to another order's failure) ─▶ order `shipped`

Orders that cannot ship (unknown, not assigned, already shipped, carrier refused) are
reported with why; the others still ship.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pydantic

from tradelane.domain.catalog import Catalogue, Channel
from tradelane.domain.errors import TradelaneError, ValidationError
from tradelane.domain.handoffs import HandOff
from tradelane.domain.money import Money
from tradelane.domain.orders import Order
from tradelane.files.errors import from_pydantic
from tradelane.services.handoffs import record_handoffs
from tradelane.services.ports import Booking, BookingRequest, CarrierBookings
from tradelane.store.uow import UnitOfWork

__all__ = ["ShipCommand", "ShipReport", "ShippedOrder", "ship_orders"]


@dataclass(frozen=True)
class ShipCommand:
    order_ids: Sequence[str] = ()  # empty: every assigned order, oldest first
    channel_id: str | None = None  # None: each order's assigned primary
    tracking_number: str | None = None  # a number the line already gave (one order only)
    limit: int | None = None


@dataclass(frozen=True)
class ShippedOrder:
    order_id: str
    channel_id: str
    booking: Booking


@dataclass
class ShipReport:
    shipped: list[ShippedOrder] = field(default_factory=list)
    refused: list[ValidationError] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    order: Order
    channel: Channel
    quoted_cost: Money | None


def ship_orders(
    cmd: ShipCommand,
    *,
    uow: UnitOfWork,
    catalogue: Catalogue,
    bookings: CarrierBookings,
    now: datetime,
) -> ShipReport:
    """Book and record every order of `cmd`; refusals are reported, never raised."""
    if cmd.tracking_number is not None and len(cmd.order_ids) != 1:
        raise ValidationError(
            "a tracking number ships exactly one order; name it with --order",
            field="tracking_number",
            value=cmd.tracking_number,
        )
    report = ShipReport()
    for plan in _plans(cmd, uow=uow, catalogue=catalogue, report=report):
        request = BookingRequest(
            order=plan.order,
            channel=plan.channel,
            quoted_cost=plan.quoted_cost,
            at=now,
            tracking_number=cmd.tracking_number,
        )
        try:
            booking = bookings(plan.channel).book(request)
            _record(plan, booking, uow=uow, catalogue=catalogue, now=now)
        except TradelaneError as exc:
            report.refused.append(_refusal(plan.order.order_id, str(exc)))
            continue
        report.shipped.append(ShippedOrder(plan.order.order_id, plan.channel.id, booking))
    return report


def _plans(
    cmd: ShipCommand, *, uow: UnitOfWork, catalogue: Catalogue, report: ShipReport
) -> list[_Plan]:
    channels = {c.id: c for c in catalogue.channels}
    if cmd.channel_id is not None and cmd.channel_id not in channels:
        raise ValidationError("unknown channel", field="channel_id", value=cmd.channel_id)
    plans = []
    with uow:
        ids = list(cmd.order_ids) or uow.orders.ids(status="assigned", limit=cmd.limit)
        orders = {o.order_id: o for o in uow.orders.get_many(ids)}
        statuses = uow.handoffs.statuses(ids)
        for order_id in ids:
            status = statuses.get(order_id) if order_id in orders else None  # not the tenant's
            if status != "assigned":
                why = "unknown order" if status is None else f"order is {status!r}, not assigned"
                report.refused.append(_refusal(order_id, why))
                continue
            plan = _plan(orders[order_id], cmd.channel_id, uow=uow, channels=channels)
            if isinstance(plan, str):
                report.refused.append(_refusal(order_id, plan))
            else:
                plans.append(plan)
    return plans


def _plan(
    order: Order, channel_id: str | None, *, uow: UnitOfWork, channels: dict[str, Channel]
) -> _Plan | str:
    """The order's booking on the named channel (else its primary), or why it cannot ship."""
    assignment = uow.assignments.current(order.order_id)
    primary = None if assignment is None else assignment.primary_channel_id
    channel = channels.get(channel_id or primary or "")
    if channel is None:
        return f"channel {channel_id or primary!r} not in catalogue"
    if channel.lane_for(order.destination.country, order.destination.postcode) is None:
        return f"channel {channel.id!r} has no lane to {order.destination.country}"
    quoted = assignment.cost if assignment is not None and channel.id == primary else None
    return _Plan(order, channel, quoted)


def _record(
    plan: _Plan, booking: Booking, *, uow: UnitOfWork, catalogue: Catalogue, now: datetime
) -> None:
    where = f"order {plan.order.order_id}"
    try:
        handoff = HandOff(
            order_id=plan.order.order_id,
            channel_id=plan.channel.id,
            tracking_number=booking.tracking_number,
            handed_over_at=now,
            label_cost=booking.label_cost,
        )
    except pydantic.ValidationError as exc:
        raise from_pydantic(exc, where=where)[0] from None
    record_handoffs(
        [(where, handoff)],
        source=where,
        uow=uow,
        catalogue=catalogue,
        booked_via=booking.booked_via,
    )


def _refusal(order_id: str, why: str) -> ValidationError:
    return ValidationError(why, field="order_id", value=order_id, where="ship")
