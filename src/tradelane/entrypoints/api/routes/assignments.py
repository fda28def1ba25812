"""Assignments and quotes: assign the tenant's new orders, read an order's assignment
history, quote an order on every channel without storing anything."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.errors import NotFound
from tradelane.domain.orders import Order
from tradelane.entrypoints.api.deps import Operator, Reader
from tradelane.entrypoints.api.schemas import AssignmentOut
from tradelane.selection.decision import ChannelQuote

__all__ = ["router"]

router = APIRouter(tags=["assignments"])


class AssignCommand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int | None = Field(default=None, ge=1, le=1_000_000)


class Unassigned(BaseModel):
    order_id: str
    reason: str


class AssignOut(BaseModel):
    orders: int
    assigned: int
    unassigned: list[Unassigned]
    mix: dict[str, int]


class QuoteLine(BaseModel):
    channel_id: str
    fits: bool
    refusals: list[str]
    price: float | None  # settlement currency
    chargeable_kg: float | None
    p50_days: float | None
    p90_days: float | None
    on_time_probability: float | None

    @classmethod
    def of(cls, quote: ChannelQuote) -> QuoteLine:
        return cls(
            channel_id=quote.channel.id,
            fits=quote.fits,
            refusals=list(quote.refusals),
            price=None if quote.price is None else quote.price.price,
            chargeable_kg=None if quote.price is None else quote.price.chargeable_kg,
            p50_days=None if quote.eta is None else quote.eta.p50_days,
            p90_days=None if quote.eta is None else quote.eta.p90_days,
            on_time_probability=None if quote.eta is None else quote.eta.on_time_probability,
        )


class QuoteOut(BaseModel):
    currency: str
    peak: bool
    catalogue: str
    primary_channel_id: str | None
    backup_channel_ids: list[str]
    quotes: list[QuoteLine]
    quoted_at: datetime


@router.post("/assignments", response_model=AssignOut)
def post_assignments(command: AssignCommand, app: Operator) -> AssignOut:
    """Assign the tenant's new orders with the built-in policy, like `tradelane assign`."""
    report = app.assign(limit=command.limit)
    return AssignOut(
        orders=report.orders,
        assigned=report.assigned,
        unassigned=[Unassigned(order_id=o, reason=r) for o, r in report.unassigned],
        mix={m.channel_id or "-": m.orders for m in report.mix},
    )


@router.get("/assignments/{order_id}", response_model=list[AssignmentOut])
def get_assignments(order_id: str, app: Reader) -> list[AssignmentOut]:
    """An order's assignments oldest first (superseded ones included)."""
    if not app.owns_order(order_id):
        raise NotFound("order", order_id)
    return [AssignmentOut.of(r) for r in app.assignment_history(order_id)]


@router.post("/quotes", response_model=QuoteOut)
def post_quote(order: Order, app: Reader) -> QuoteOut:
    """Every channel's price and ETA for an order, and what assignment would choose; stores
    nothing."""
    now = app.clock.now()
    result = app.quote(order, now=now)
    primary = result.decision.primary
    return QuoteOut(
        currency=result.currency,
        peak=result.peak,
        catalogue=result.catalogue_name,
        primary_channel_id=None if primary is None else primary.channel_id,
        backup_channel_ids=[b.channel_id for b in result.decision.backups],
        quotes=[QuoteLine.of(q) for q in result.quotes],
        quoted_at=now,
    )
