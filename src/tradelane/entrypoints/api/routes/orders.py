"""Orders: import a batch (all or nothing) and read one back.

The body is parsed here rather than by FastAPI so that every way it can be wrong (not JSON,
NaN, an integer of thousands of digits, nesting too deep, a bad field) is a named 422 problem.
Its size is capped while it streams in (body_limit.py).
"""

from __future__ import annotations

from typing import Any

import pydantic
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.orders import Order
from tradelane.entrypoints.api.deps import System
from tradelane.files.errors import from_pydantic
from tradelane.files.json_text import parse_json
from tradelane.services.order_import import import_orders

router = APIRouter(prefix="/orders", tags=["orders"])
MAX_ORDERS_PER_REQUEST = 10_000
_ORDERS = pydantic.TypeAdapter(list[Order])
_BODY_SCHEMA = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
    "description": "A JSON array of Order objects (the shape GET /orders/{order_id} returns).",
}


def orders_of(body: bytes) -> list[Order]:
    """The orders of a request body; ValidationError / InputErrors naming each problem."""
    document = parse_json(body, where="body")
    if not isinstance(document, list):
        raise ValidationError("the body must be a JSON array of orders", where="body")
    if len(document) > MAX_ORDERS_PER_REQUEST:
        raise ValidationError(
            f"at most {MAX_ORDERS_PER_REQUEST} orders per request",
            field="orders",
            value=len(document),
        )
    try:
        return _ORDERS.validate_python(document)
    except pydantic.ValidationError as exc:
        raise InputErrors("body", from_pydantic(exc, where="body")) from None


@router.post("", status_code=201, openapi_extra={"requestBody": _BODY_SCHEMA})
async def post_orders(request: Request, system: System) -> dict[str, Any]:
    """Import up to 10,000 orders in one transaction; 422 lists every problem, nothing stored."""
    orders = orders_of(await request.body())
    report = await run_in_threadpool(
        import_orders, orders, source="api", uow=system.uow(), now=system.clock.now(), fx=system.fx
    )
    return {"imported": report.imported, "countries": report.countries}


@router.get("/{order_id}")
def get_order(order_id: str, system: System) -> dict[str, Any]:
    with system.uow() as uow:
        return uow.orders.get(order_id).model_dump(mode="json")
