"""Orders: import a batch (all or nothing, `Idempotency-Key` honoured), list them by cursor,
read one with its current assignment.

The body is parsed here rather than by FastAPI so that every way it can be wrong (not JSON,
NaN, an integer of thousands of digits, nesting too deep, a bad field) is a named 422 problem;
its schema is still documented (an array of Order). Its size is capped while it streams in
(body_limit.py); a batch holds at most MAX_ORDERS_PER_REQUEST orders.
"""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.orders import Order
from tradelane.entrypoints.api.deps import Operator, Reader
from tradelane.entrypoints.api.idempotency import Stored, idempotent
from tradelane.entrypoints.api.schemas import (
    MAX_PAGE,
    AssignmentOut,
    Page,
    decode_cursor,
    next_cursor,
)
from tradelane.files.errors import from_pydantic
from tradelane.files.json_text import parse_json
from tradelane.services.order_import import ImportReport

__all__ = ["MAX_ORDERS_PER_REQUEST", "orders_of", "router"]

router = APIRouter(prefix="/orders", tags=["orders"])
MAX_ORDERS_PER_REQUEST = 10_000
_ORDERS = pydantic.TypeAdapter(list[Order])
_BODY_SCHEMA = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "array",
                "maxItems": MAX_ORDERS_PER_REQUEST,
                "items": {"$ref": "#/components/schemas/Order"},
            }
        }
    },
    "description": "A JSON array of orders (the shape GET /orders/{order_id} returns).",
}


class ImportOut(BaseModel):
    imported: int
    countries: dict[str, int]


class OrderView(BaseModel):
    order: Order
    assignment: AssignmentOut | None


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


@router.post(
    "",
    status_code=201,
    response_model=ImportOut,
    openapi_extra={"requestBody": _BODY_SCHEMA},
)
async def post_orders(
    request: Request,
    app: Operator,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", description="Replays answer the first answer.")
    ] = None,
) -> JSONResponse:
    """Import up to 10,000 orders in one transaction; 422 lists every problem, nothing stored."""
    body = await request.body()

    def answer_of(report: ImportReport) -> dict[str, object]:
        return ImportOut(imported=report.imported, countries=dict(report.countries)).model_dump()

    def work(stored: Stored | None) -> dict[str, object]:
        answer = None
        if stored is not None:
            key, as_stored = stored
            answer = (key, lambda report: as_stored(answer_of(report)))
        return answer_of(app.import_orders(orders_of(body), source="api", answer=answer))

    return await run_in_threadpool(idempotent, app, idempotency_key, body, work, status_code=201)


@router.get("", response_model=Page[Order])
def list_orders(
    app: Reader,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> Page[Order]:
    """The tenant's orders in id order, a page at a time."""
    page = app.order_page(after=decode_cursor(cursor), limit=limit)
    return Page(items=page.items, next_cursor=next_cursor(page.next_after))


@router.get("/{order_id}", response_model=OrderView)
def get_order(order_id: str, app: Reader) -> OrderView:
    """One order with its current assignment (null before it is assigned)."""
    found = app.order_with_assignment(order_id)
    current = found.assignment
    return OrderView(
        order=found.order, assignment=None if current is None else AssignmentOut.of(current)
    )
