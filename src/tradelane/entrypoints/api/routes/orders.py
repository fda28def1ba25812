"""Orders: import a batch (all or nothing) and read one back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import Order
from tradelane.entrypoints.api.deps import System, check_body_size
from tradelane.services.order_import import import_orders

router = APIRouter(prefix="/orders", tags=["orders"])
MAX_ORDERS_PER_REQUEST = 10_000


@router.post("", status_code=201, dependencies=[Depends(check_body_size)])
def post_orders(orders: list[Order], system: System) -> dict[str, Any]:
    """Import up to 10,000 orders in one transaction; 422 lists every problem, nothing stored."""
    if len(orders) > MAX_ORDERS_PER_REQUEST:
        raise ValidationError(
            f"at most {MAX_ORDERS_PER_REQUEST} orders per request",
            field="orders",
            value=len(orders),
        )
    report = import_orders(orders, source="api", uow=system.uow(), now=system.clock.now())
    return {"imported": report.imported, "countries": report.countries}


@router.get("/{order_id}")
def get_order(order_id: str, system: System) -> dict[str, Any]:
    with system.uow() as uow:
        return uow.orders.get(order_id).model_dump(mode="json")
