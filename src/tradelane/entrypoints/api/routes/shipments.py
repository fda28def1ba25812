"""Shipments: record hand-offs made elsewhere (all or nothing)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tradelane.domain.errors import ValidationError
from tradelane.domain.handoffs import HandOff
from tradelane.entrypoints.api.deps import Operator

router = APIRouter(prefix="/shipments", tags=["shipments"])
MAX_HANDOFFS_PER_REQUEST = 10_000


class HandOffsOut(BaseModel):
    recorded: int
    updated: int
    unchanged: int
    tracking_numbers: list[str]


@router.post("", status_code=201, response_model=HandOffsOut)
def post_shipments(handoffs: list[HandOff], app: Operator) -> HandOffsOut:
    """Record up to 10,000 hand-offs in one transaction. 422 lists every bad entry, 409 names
    both orders of a tracking number already used; nothing is stored then. Re-sending the
    same hand-offs changes nothing."""
    if len(handoffs) > MAX_HANDOFFS_PER_REQUEST:
        raise ValidationError(
            f"at most {MAX_HANDOFFS_PER_REQUEST} hand-offs per request",
            field="handoffs",
            value=len(handoffs),
        )
    report = app.record_handoffs(
        [(f"body[{index}]", handoff) for index, handoff in enumerate(handoffs)],
        source="api",
        booked_via="register:api",
    )
    return HandOffsOut(
        recorded=report.recorded,
        updated=report.updated,
        unchanged=report.unchanged,
        tracking_numbers=list(report.tracking_numbers),
    )
