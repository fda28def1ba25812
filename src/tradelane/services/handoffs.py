"""Record hand-offs (order -> channel -> tracking number), all or nothing per input.

    entries (hand-offs or per-entry errors)
        ─▶ order known? channel in the catalogue? number free (in the input, in the store)?
        ─▶ same hand-off already stored: unchanged; else the shipment row takes order,
           channel, origin, destination, promise (the order's unless given), label cost
        ─▶ its stored tracking events are re-projected, the order moves to `shipped`; an
           order handed off from an overseas warehouse takes its units out of on-hand stock
        ─▶ commit; any bad entry: every problem reported, nothing stored

A number already used by another order is a Conflict naming both orders; when other problems
come with it, all are reported together (InputErrors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tradelane.domain.catalog import Catalogue, Channel
from tradelane.domain.errors import Conflict, InputErrors, ValidationError
from tradelane.domain.handoffs import HandOff, HandOffEntry, promise_of
from tradelane.domain.orders import Order
from tradelane.domain.shipments import Shipment
from tradelane.selection.facts import sku_units
from tradelane.store.handoff_repository import StoredHandOff
from tradelane.store.uow import UnitOfWork

__all__ = ["HandOffReport", "record_handoffs"]

MAX_REPORTED_ERRORS = 1_000
CHUNK = 5_000  # order ids per lookup (SQLite bounds the parameters of one statement)


@dataclass
class HandOffReport:
    source: str
    recorded: int = 0  # new hand-offs (the shipment may have had tracking events already)
    updated: int = 0  # hand-offs stored before, now with other facts (time, promise, cost)
    unchanged: int = 0  # the same hand-off was already stored
    tracking_numbers: list[str] = field(default_factory=list)


@dataclass
class _Check:
    problems: list[ValidationError] = field(default_factory=list)
    conflicts: list[ValidationError] = field(default_factory=list)
    owner: dict[str, str] = field(default_factory=dict)  # number -> order id, in this input


def record_handoffs(
    entries: Iterable[HandOffEntry],
    *,
    source: str,
    uow: UnitOfWork,
    catalogue: Catalogue,
    booked_via: str = "register",
) -> HandOffReport:
    """Store every hand-off of `entries` in one transaction; raises InputErrors or Conflict
    (nothing stored) when any entry is refused."""
    rows = list(entries)
    handoffs = [(where, h) for where, h in rows if isinstance(h, HandOff)]
    check = _Check(problems=[e for _, e in rows if isinstance(e, ValidationError)])
    report = HandOffReport(source=source)
    channels = {c.id: c for c in catalogue.channels}
    with uow:
        orders = _orders(uow, sorted({h.order_id for _, h in handoffs}))
        stored = uow.handoffs.stored([h.tracking_number for _, h in handoffs])
        accepted = {  # one hand-off per number: a repeated row is the same hand-off
            h.tracking_number: (h, orders[h.order_id], channels[h.channel_id])
            for where, h in handoffs
            if _acceptable(h, where, check, orders, channels, stored)
        }
        _raise_refusals(check, source)
        for number, (handoff, order, channel) in accepted.items():
            _store(handoff, order, channel, stored.get(number), uow, report, booked_via=booked_via)
            report.tracking_numbers.append(number)
        shipped = sorted({h.order_id for h, _, _ in accepted.values()})
        _draw_stock(accepted.values(), uow.handoffs.statuses(shipped), uow)
        uow.handoffs.mark_shipped(shipped)
        uow.commit()
    return report


def _draw_stock(
    accepted: Iterable[tuple[HandOff, Order, Channel]], statuses: dict[str, str], uow: UnitOfWork
) -> None:
    """Orders handed off from an overseas warehouse take their units out of its stock (once:
    an order already shipped is not drawn again)."""
    drawn: set[str] = set()
    for handoff, order, channel in accepted:
        if channel.warehouse is None or statuses.get(order.order_id) == "shipped":
            continue
        if order.order_id in drawn:
            continue
        drawn.add(order.order_id)
        skus, units = sku_units((line.sku, line.quantity) for line in order.lines)
        uow.inventory.draw(
            channel.warehouse, dict(zip(skus, units, strict=True)), now=handoff.handed_over_at
        )


def _orders(uow: UnitOfWork, order_ids: list[str]) -> dict[str, Order]:
    found: dict[str, Order] = {}
    for start in range(0, len(order_ids), CHUNK):
        found.update((o.order_id, o) for o in uow.orders.get_many(order_ids[start : start + CHUNK]))
    return found


def _acceptable(
    handoff: HandOff,
    where: str,
    check: _Check,
    orders: dict[str, Order],
    channels: dict[str, Channel],
    stored: dict[str, StoredHandOff],
) -> bool:
    found = len(check.problems) + len(check.conflicts)
    if handoff.order_id not in orders:
        check.problems.append(_refusal("unknown order", "order_id", handoff.order_id, where))
    if handoff.channel_id not in channels:
        check.problems.append(_refusal("unknown channel", "channel_id", handoff.channel_id, where))
    number = handoff.tracking_number
    owner = check.owner.setdefault(number, handoff.order_id)
    held = stored.get(number)
    if held is not None and held.order_id not in (None, handoff.order_id):
        owner = held.order_id
    if owner != handoff.order_id:
        message = (
            f"tracking number already used by order {owner!r}; refused for order "
            f"{handoff.order_id!r}"
        )
        check.conflicts.append(_refusal(message, "tracking_number", number, where))
    return len(check.problems) + len(check.conflicts) == found


def _refusal(message: str, field_name: str, value: str, where: str) -> ValidationError:
    return ValidationError(message, field=field_name, value=value, where=where)


def _raise_refusals(check: _Check, source: str) -> None:
    if check.problems:
        every = [*check.problems, *check.conflicts]
        raise InputErrors(source, every[:MAX_REPORTED_ERRORS])
    if check.conflicts:
        shown = "; ".join(c.describe() for c in check.conflicts[:5])
        more = f" (+{len(check.conflicts) - 5} more)" if len(check.conflicts) > 5 else ""
        raise Conflict(f"{source}: nothing stored: {shown}{more}")


def _store(
    handoff: HandOff,
    order: Order,
    channel: Channel,
    held: StoredHandOff | None,
    uow: UnitOfWork,
    report: HandOffReport,
    *,
    booked_via: str,
) -> None:
    shipment = Shipment(
        tracking_number=handoff.tracking_number,
        order_id=order.order_id,
        channel_id=channel.id,
        carrier=channel.carrier[:40],
        origin_country=channel.origin,
        destination_country=order.destination.country,
        handed_over_at=handoff.handed_over_at,
        promised_at=handoff.promised_at or promise_of(order),
    )
    if held is not None and _same(held, shipment):
        report.unchanged += 1
        return
    created = uow.handoffs.record(shipment, label_cost=handoff.label_cost, booked_via=booked_via)
    if created or held is None or held.order_id is None:  # events may have come first
        report.recorded += 1
    else:
        report.updated += 1
    uow.tracking.refresh(shipment.tracking_number)


def _same(held: StoredHandOff, shipment: Shipment) -> bool:
    return (held.order_id, held.channel_id, held.handed_over_at, held.promised_at) == (
        shipment.order_id,
        shipment.channel_id,
        shipment.handed_over_at,
        shipment.promised_at,
    )
